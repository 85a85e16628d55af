import random

import numpy as np
import pytest
from scipy.optimize import linprog
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_flow

from contest.judging.assignment import (
    EntryInfo,
    JurorInfo,
    conflict_reason,
    eligible_jurors,
    graph_connectivity,
    ineligible_reason,
    normalize_name,
    panel_diversity,
    plan_assignments,
    summarize_shortfalls,
)
from contest.judging.assignment_stats import PanelDiversity


def population(seed, n_entries=240, n_jurors=30, *, capacity=None, n_schools=30):
    """Seeded contest: 3 languages, 3 categories, schools in 5 regions; every juror
    reads ru and kk, en or both, and judges two categories."""
    rng = random.Random(seed)
    schools = [(f"School {i}", f"Region {i % 5}") for i in range(n_schools)]
    entries = [EntryInfo(f"e{i}", rng.choice(("ru", "ru", "kk", "en")), rng.randint(1, 3),
                         *rng.choice(schools)) for i in range(n_entries)]
    jurors = []
    for i in range(n_jurors):
        langs = {"ru", *rng.sample(("kk", "en"), rng.randint(1, 2))}
        school, region = rng.choice(schools)
        cap = capacity(rng) if callable(capacity) else capacity
        jurors.append(JurorInfo(f"j{i}", frozenset(langs), frozenset(rng.sample((1, 2, 3), 2)),
                                school.upper(), region, cap))
    return entries, jurors


def all_pairs(plan):
    return plan.kept + plan.pairs


def panels(plan):
    result = {}
    for entry_id, juror_id in all_pairs(plan):
        result.setdefault(entry_id, []).append(juror_id)
    return result


def new_pair_flow(entries, jurors, k, same_region, existing=()):
    """Maximum number of new pairs any valid plan can add (exact max flow)."""
    n_e, n_j = len(entries), len(jurors)
    source, sink = n_e + n_j, n_e + n_j + 1
    fixed = {(e.id, j.id) for e in entries for j in jurors} & set(existing)
    rows, cols, caps = [], [], []
    for e, entry in enumerate(entries):
        rows.append(source), cols.append(e)
        caps.append(max(0, k - sum(1 for j in jurors if (entry.id, j.id) in fixed)))
        for j, juror in enumerate(jurors):
            if (entry.id, juror.id) not in fixed and not ineligible_reason(entry, juror,
                                                                           same_region):
                rows.append(e), cols.append(n_e + j), caps.append(1)
    for j, juror in enumerate(jurors):
        used = sum(1 for pair in fixed if pair[1] == juror.id)
        rows.append(n_e + j), cols.append(sink)
        caps.append(10**6 if juror.capacity is None else max(0, juror.capacity - used))
    graph = csr_matrix((np.array(caps, dtype=np.int32), (rows, cols)), shape=(sink + 1,) * 2)
    return maximum_flow(graph, source, sink).flow_value


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("same_region", [False, True])
def test_plan_every_entry_gets_k_distinct_eligible_jurors(seed, same_region):
    entries, jurors = population(seed)
    by_id = {j.id: j for j in jurors}
    plan = plan_assignments(entries, jurors, k=3, same_region_conflict=same_region, seed=seed)
    result = panels(plan)
    assert plan.shortfalls == []
    assert sorted(len(set(result[e.id])) for e in entries) == [3] * len(entries)
    assert len(plan.pairs) == len(set(plan.pairs)) == 3 * len(entries)
    reasons = {ineligible_reason(e, by_id[j], same_region) for e in entries for j in result[e.id]}
    assert reasons == {None}


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_plan_coverage_is_maximum_when_capacity_binds(seed):
    entries, jurors = population(seed, capacity=lambda rng: rng.randint(10, 30))
    plan = plan_assignments(entries, jurors, k=3, seed=seed)
    by_id = {j.id: j for j in jurors}
    assert len(plan.pairs) == new_pair_flow(entries, jurors, 3, False)
    assert all(plan.loads[j] <= by_id[j].capacity for j in plan.loads)
    assert sum(s.missing for s in plan.shortfalls) == 3 * len(entries) - len(plan.pairs)


def skewed_population(seed):
    """A few kk specialists, some narrow and capped jurors: balance is forced to be uneven."""
    rng = random.Random(seed)
    entries = [EntryInfo(i, rng.choice(("ru", "kk")), rng.randint(1, 3), f"S{rng.randrange(9)}")
               for i in range(90)]
    jurors = []
    for j in range(14):
        langs = frozenset({"ru", "kk"} if j < rng.randint(3, 5) else {"ru"})
        cats = frozenset(rng.sample((1, 2, 3), rng.randint(1, 3)))
        cap = rng.randint(12, 22) if rng.random() < 0.3 else None
        jurors.append(JurorInfo(j, langs, cats, f"S{rng.randrange(9)}", None, cap))
    return entries, jurors


def lp_load_bounds(entries, jurors, k):
    """(smallest possible max load, largest possible min load) over
    plans of maximum coverage, by LP; the flow polytope is integral, so rounding the
    LP optimum gives the integer one."""
    arcs = [(e, j) for e, entry in enumerate(entries) for j, juror in enumerate(jurors)
            if ineligible_reason(entry, juror, False) is None]
    n, n_j = len(arcs), len(jurors)
    per_entry = np.zeros((len(entries), n + 1))
    load = np.zeros((n_j, n + 1))
    for col, (e, j) in enumerate(arcs):
        per_entry[e, col] = 1
        load[j, col] = 1
    capped = [j for j, juror in enumerate(jurors) if juror.capacity is not None]
    caps = [jurors[j].capacity for j in capped]
    total = np.ones((1, n + 1))
    total[0, n] = 0
    common = {"A_eq": total, "b_eq": [new_pair_flow(entries, jurors, k, False)],
              "bounds": [(0, 1)] * n + [(0, None)]}
    rows = np.vstack([per_entry, load[capped]])
    rhs = np.concatenate([np.full(len(entries), k), caps])
    top_rows = load.copy()
    top_rows[:, n] = -1
    top = linprog(np.eye(n + 1)[n], A_ub=np.vstack([rows, top_rows]),
                  b_ub=np.concatenate([rhs, np.zeros(n_j)]), **common)
    bottom_rows = -load
    bottom_rows[:, n] = 1
    bottom = linprog(-np.eye(n + 1)[n], A_ub=np.vstack([rows, bottom_rows]),
                     b_ub=np.concatenate([rhs, np.zeros(n_j)]), **common)
    return int(np.ceil(top.fun - 1e-9)), int(np.floor(-bottom.fun + 1e-9))


@pytest.mark.parametrize("seed", range(21, 31))
def test_plan_loads_match_the_best_possible_max_and_min(seed):
    entries, jurors = skewed_population(seed)
    plan = plan_assignments(entries, jurors, k=3, seed=seed)
    loads = plan.loads.values()
    assert len(plan.pairs) == new_pair_flow(entries, jurors, 3, False)
    assert (max(loads), min(loads)) == lp_load_bounds(entries, jurors, 3)


@pytest.mark.parametrize(("n_entries", "n_jurors", "k"), [(100, 7, 3), (1000, 37, 3), (50, 9, 2)])
def test_plan_loads_spread_at_most_one_when_unconstrained(n_entries, n_jurors, k):
    entries = [EntryInfo(i, "ru", 1) for i in range(n_entries)]
    jurors = [JurorInfo(j, frozenset({"ru"}), frozenset({1})) for j in range(n_jurors)]
    plan = plan_assignments(entries, jurors, k=k)
    low, extra = divmod(n_entries * k, n_jurors)
    assert sorted(plan.loads.values()) == [low] * (n_jurors - extra) + [low + 1] * extra


def juror(jid, langs=("ru",), cats=(1,), school=None, region=None, capacity=None, declared=()):
    return JurorInfo(jid, frozenset(langs), frozenset(cats), school, region, capacity,
                     frozenset(declared))


ESSAY = EntryInfo("x", "ru", 1, "Lyceum No. 5", "North")


@pytest.mark.parametrize(("excluded", "same_region", "code"), [
    (juror("bad", langs=("kk",)), False, "language"),
    (juror("bad", cats=(2,)), False, "category"),
    (juror("bad", school="LYCEUM  no 5"), False, "same_school"),
    (juror("bad", school="Lyceum №5"), False, "same_school"),
    (juror("bad", region="north"), True, "same_region"),
    (juror("bad", declared=("x",)), False, "declared"),
])
def test_plan_never_pairs_an_ineligible_juror(excluded, same_region, code):
    jurors = [juror("a"), excluded, juror("b"), juror("c")]
    plan = plan_assignments([ESSAY], jurors, k=3, same_region_conflict=same_region)
    assert ineligible_reason(ESSAY, excluded, same_region) == code
    assert plan.pairs == [("x", "a"), ("x", "b"), ("x", "c")]
    assert eligible_jurors(ESSAY, jurors, same_region) == [jurors[0], *jurors[2:]]


@pytest.mark.parametrize(("other", "same_region", "code"), [
    (juror("j", region="North"), False, None),
    (juror("j", school="Lyceum No. 6"), False, None),
    (juror("j", school="", region=""), True, None),
    (juror("j", school="Lyceum no.5", region="North", declared=("x",)), True, "declared"),
    (juror("j", school="lyceum no 5", region="North"), True, "same_school"),
])
def test_conflict_reason_first_applicable_code(other, same_region, code):
    assert conflict_reason(ESSAY, other, same_region) == code


def kk_contest():
    """kk entries in category 3; two jurors read kk but judge only categories 1-2."""
    entries = [EntryInfo(f"k{i}", "kk", 3, f"S{i}") for i in range(2)]
    entries.append(EntryInfo("r0", "ru", 3, "S9"))
    jurors = [juror(f"j{i}", langs=("ru", "kk") if i < 2 else ("ru",), cats=(1, 2, 3) if i >= 2
                    else (1, 2)) for i in range(5)]
    return entries, jurors


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


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plan_rerun_on_its_result_adds_nothing(seed):
    entries, jurors = population(seed, capacity=lambda rng: rng.choice((None, 20)))
    first = plan_assignments(entries, jurors, k=3, seed=seed)
    again = plan_assignments(entries, jurors, k=3, existing=first.pairs, seed=seed + 1)
    assert (again.pairs, again.kept, again.loads) == ([], first.pairs, first.loads)
    assert again.shortfalls == first.shortfalls


def test_plan_late_entries_and_jurors_only_fill_gaps():
    entries, jurors = population(8)
    first = plan_assignments(entries, jurors, k=3)
    late_entries, late_jurors = population(9, n_entries=40, n_jurors=3)
    late_entries = [EntryInfo("late" + e.id, e.language, e.category_id, e.school, e.region)
                    for e in late_entries]
    late_jurors = [JurorInfo("new" + j.id, j.languages, j.category_ids) for j in late_jurors]
    second = plan_assignments(entries + late_entries, jurors + late_jurors, k=3,
                              existing=first.pairs)
    assert second.kept == first.pairs
    assert {e for e, j in second.pairs} == {e.id for e in late_entries}
    assert len(second.pairs) == 3 * len(late_entries)
    assert second.shortfalls == []


def test_plan_declared_conflict_replaces_only_that_juror():
    entries, jurors = population(10)
    first = plan_assignments(entries, jurors, k=3)
    entry_id, juror_id = first.pairs[17]
    jurors = [JurorInfo(j.id, j.languages, j.category_ids, j.school, j.region, j.capacity,
                        frozenset({entry_id}) if j.id == juror_id else frozenset())
              for j in jurors]
    existing = [pair for pair in first.pairs if pair != (entry_id, juror_id)]
    second = plan_assignments(entries, jurors, k=3, existing=existing)
    [(new_entry, new_juror)] = second.pairs
    assert (new_entry, second.kept) == (entry_id, existing)
    assert new_juror not in {juror_id} | {j for e, j in existing if e == entry_id}


def test_plan_keeps_conflicted_and_ignores_unknown_existing_pairs():
    entry = EntryInfo("e", "ru", 1, "S1")
    jurors = [juror("a", school="s1"), juror("b"), juror("c"), juror("d")]
    existing = [("e", "a"), ("e", "a"), ("e", "ghost"), ("gone", "b")]
    plan = plan_assignments([entry], jurors, k=3, existing=existing)
    assert plan.kept == [("e", "a")]
    assert len(plan.pairs) == 2 and ("e", "a") not in plan.pairs
    assert plan.existing_issues == [
        ("e", "a", "same_school"), ("e", "ghost", "unknown_juror"), ("gone", "b", "unknown_entry")]


def test_plan_entry_with_more_than_k_existing_keeps_them_all():
    jurors = [juror(name) for name in "abcd"]
    existing = [("e", name) for name in "abcd"]
    plan = plan_assignments([EntryInfo("e", "ru", 1)], jurors, k=3, existing=existing)
    assert (plan.pairs, plan.kept, plan.shortfalls) == ([], existing, [])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plan_graph_is_one_component_with_varied_panels(seed):
    entries, jurors = population(seed, n_entries=600, n_jurors=40)
    plan = plan_assignments(entries, jurors, k=3, seed=seed)
    diversity = panel_diversity(plan.pairs)
    assert graph_connectivity(plan.pairs) == (1, 1.0)
    assert diversity.entries == 600
    assert diversity.distinct_share >= 0.85  # uniformly random eligible trios: 0.94
    assert diversity.max_repeat <= 5


def test_plan_same_seed_same_plan_other_seed_other_plan():
    entries, jurors = population(4)
    first = plan_assignments(entries, jurors, k=3, seed=7)
    assert plan_assignments(entries, jurors, k=3, seed=7) == first
    assert plan_assignments(entries, jurors, k=3, seed=8).pairs != first.pairs


def test_graph_connectivity_counts_components_and_largest_entry_share():
    pairs = [("e1", "a"), ("e2", "a"), ("e2", "b"), ("e3", "c"), ("e4", "c")]
    assert graph_connectivity(pairs) == (2, 0.5)
    assert graph_connectivity(pairs + [("e3", "b")]) == (1, 1.0)
    assert graph_connectivity([]) == (0, 0.0)


def test_panel_diversity_counts_repeated_panels():
    pairs = [(e, j) for e in ("e1", "e2", "e3") for j in "abc"] + [("e4", "a"), ("e4", "d"),
                                                                  ("e5", "a")]
    assert panel_diversity(pairs) == PanelDiversity(
        entries=4, distinct_panels=2, distinct_share=0.5, max_repeat=3)


@pytest.mark.parametrize(("entries", "jurors", "k", "message"), [
    ([EntryInfo(1, "ru", 1)] * 2, [], 3, "duplicate entry ids"),
    ([], [juror("a"), juror("a")], 3, "duplicate juror ids"),
    ([], [], 0, "k must be at least 1"),
    ([], [juror("a", capacity=-1)], 3, "juror capacity must not be negative"),
])
def test_plan_rejects_malformed_input(entries, jurors, k, message):
    with pytest.raises(ValueError, match=message):
        plan_assignments(entries, jurors, k=k)


@pytest.mark.parametrize(("name", "key"), [
    ("School No. 5", "school no 5"),
    ("SCHOOL  №5", "school no 5"),
    ("Школа-гимназия №12", "школа гимназия no 12"),
    ("", ""),
    (None, ""),
])
def test_normalize_name_folds_case_punctuation_and_spacing(name, key):
    assert normalize_name(name) == key
