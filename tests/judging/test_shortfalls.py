import pytest

from contest.judging.assignment import EntryInfo, plan_assignments, summarize_shortfalls
from tests.judging.factories import juror, kk_contest


def test_shortfall_when_nobody_reads_kk_in_the_category():
    entries, jurors = kk_contest()
    plan = plan_assignments(entries, jurors, k=3)
    assert [(s.entry_id, s.missing, s.cause) for s in plan.shortfalls] == [
        ("k0", 3, "no_matching_jurors"), ("k1", 3, "no_matching_jurors")]
    assert plan.shortfalls[0].reasons == {
        "language_readers": 2, "category_judges": 3, "matching_jurors": 0,
        "excluded_declared": 0, "excluded_school": 0, "excluded_region": 0,
        "eligible": 0, "assigned": 0, "at_capacity": 0}
    assert plan.shortfalls[0].message() == (
        "Entry k0 (kk, category 3) needs 3 more jurors: 2 jurors read kk but none of them "
        "judges category 3.")
    assert sorted(j for e, j in plan.pairs) == ["j2", "j3", "j4"]


@pytest.mark.parametrize(("language", "category", "cause"), [
    ("en", 1, "no_language_readers"),
    ("ru", 7, "no_category_judges"),
])
def test_shortfall_when_a_language_or_category_has_no_juror(language, category, cause):
    entries, jurors = [EntryInfo("e", language, category)], [juror("a"), juror("b")]
    plan = plan_assignments(entries, jurors, k=2)
    assert [(s.entry_id, s.missing, s.cause) for s in plan.shortfalls] == [("e", 2, cause)]
    assert plan.pairs == []


def test_shortfall_when_too_few_jurors_match():
    entries = [EntryInfo(i, "kk", 3) for i in range(4)]
    jurors = [juror("a", ("kk",), (3,)), juror("b", ("kk",), (3,)), juror("c")]
    plan = plan_assignments(entries, jurors, k=3)
    assert [(s.entry_id, s.missing, s.cause) for s in plan.shortfalls] == [
        (i, 1, "too_few_matching_jurors") for i in range(4)]
    assert plan.loads == {"a": 4, "b": 4, "c": 0}
    assert plan.shortfalls[0].message() == (
        "Entry 0 (kk, category 3) needs 1 more juror: only 2 jurors read kk and judge "
        "category 3.")


def test_shortfall_when_conflicts_exclude_jurors():
    entry = EntryInfo("e", "ru", 1, "Gymnasium 1", "West")
    jurors = [juror("a", school="GYMNASIUM-1"), juror("b", declared=("e",)),
              juror("c", region="west"), juror("d")]
    plan = plan_assignments([entry], jurors, k=3, same_region_conflict=True)
    [short] = plan.shortfalls
    assert (short.missing, short.cause, plan.pairs) == (2, "conflicts_of_interest", [("e", "d")])
    assert (short.reasons["excluded_school"], short.reasons["excluded_declared"],
            short.reasons["excluded_region"], short.reasons["eligible"]) == (1, 1, 1, 1)
    assert short.message() == (
        "Entry e (ru, category 1) needs 2 more jurors: conflicts of interest exclude 3 "
        "(1 declared, 1 same school, 1 same region) of the 4 jurors who read ru and judge "
        "category 1.")


def test_shortfall_when_capacity_is_too_low():
    entries = [EntryInfo(i, "ru", 1) for i in range(3)]
    jurors = [juror(name, capacity=2) for name in "abcd"]
    plan = plan_assignments(entries, jurors, k=3)
    assert plan.loads == {"a": 2, "b": 2, "c": 2, "d": 2}
    assert [(s.missing, s.cause, s.reasons["at_capacity"]) for s in plan.shortfalls] == [
        (1, "capacity", 2)]


def test_summarize_shortfalls_groups_by_language_category_and_cause():
    entries, jurors = kk_contest()
    entries.append(EntryInfo("en0", "en", 1))
    groups = summarize_shortfalls(plan_assignments(entries, jurors, k=3).shortfalls)
    assert [(g.language, g.category_id, g.cause, g.entries, g.missing) for g in groups] == [
        ("kk", 3, "no_matching_jurors", 2, 6), ("en", 1, "no_language_readers", 1, 3)]


@pytest.mark.parametrize(("jurors", "expected"), [
    ([juror("a", langs=("kk",), cats=(1,)), juror("b", cats=(3,))],
     ("Entry e (kk, category 3) needs 3 more jurors: 1 juror reads kk but does not judge "
     "category 3.")),
    ([juror("a", langs=("kk",), cats=(3,))],
     ("Entry e (kk, category 3) needs 2 more jurors: only 1 juror reads kk and judges "
     "category 3.")),
    ([juror(n, langs=("kk",), cats=(3,), capacity=0) for n in "abc"],
     ("Entry e (kk, category 3) needs 3 more jurors: all 3 other eligible jurors are at "
     "capacity.")),
])
def test_shortfall_message_reads_naturally_for_one_or_many(jurors, expected):
    [short] = plan_assignments([EntryInfo("e", "kk", 3)], jurors, k=3).shortfalls
    assert short.message() == expected
