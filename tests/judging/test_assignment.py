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
)
from tests.judging.factories import juror, population, skewed_population


def panels(plan):
    result = {}
    for entry_id, juror_id in plan.kept + plan.pairs:
        result.setdefault(entry_id, []).append(juror_id)
    return result


def new_pair_flow(entries, jurors, k, same_region, existing=()):
    """Maximum number of new pairs any valid plan can add to existing (exact max flow)."""
    n_e, n_j = len(entries), len(jurors)
    source, sink = n_e + n_j, n_e + n_j + 1
    fixed = set(existing)
    rows, cols, caps = [], [], []
    for e, entry in enumerate(entries):
        rows.append(source), cols.append(e)
        caps.append(max(0, k - sum(1 for person in jurors if (entry.id, person.id) in fixed)))
        for j, person in enumerate(jurors):
            if (entry.id, person.id) not in fixed and not ineligible_reason(entry, person,
                                                                            same_region):
                rows.append(e), cols.append(n_e + j), caps.append(1)
    for j, person in enumerate(jurors):
        used = sum(1 for pair in fixed if pair[1] == person.id)
        rows.append(n_e + j), cols.append(sink)
        caps.append(10**6 if person.capacity is None else max(0, person.capacity - used))
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


@pytest.mark.parametrize("seed", [8, 9])
def test_plan_coverage_is_maximum_around_kept_pairs(seed):
    entries, jurors = population(seed, capacity=lambda rng: rng.randint(15, 30))
    first = plan_assignments(entries[:150], jurors, k=3, seed=seed)
    existing = first.pairs[::2]  # reviews that were started; the rest were unassigned
    plan = plan_assignments(entries, jurors, k=3, existing=existing, seed=seed)
    by_id = {j.id: j for j in jurors}
    assert plan.kept == existing
    assert len(plan.pairs) == new_pair_flow(entries, jurors, 3, False, existing)
    assert all(plan.loads[j] <= by_id[j].capacity for j in plan.loads)


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


def test_fill_entry_takes_the_least_loaded_eligible_jurors_with_room():
    from contest.judging.assignment import fill_entry

    entry = EntryInfo("e", "kk", 1, school="School No. 5")
    jurors = [
        JurorInfo("busy", frozenset({"kk"}), frozenset({1}), capacity=None),
        JurorInfo("light", frozenset({"kk"}), frozenset({1})),
        JurorInfo("full", frozenset({"kk"}), frozenset({1}), capacity=2),
        JurorInfo("russian", frozenset({"ru"}), frozenset({1})),
        JurorInfo("colleague", frozenset({"kk"}), frozenset({1}), school="SCHOOL  №5"),
        JurorInfo("has_it", frozenset({"kk"}), frozenset({1})),
        JurorInfo("middle", frozenset({"kk"}), frozenset({1})),
    ]
    loads = {"busy": 9, "light": 1, "full": 2, "russian": 0, "colleague": 0, "has_it": 0, "middle": 4}
    assert fill_entry(entry, jurors, loads, {"has_it"}, k=3) == ["light", "middle"]
    assert fill_entry(entry, jurors, loads, {"has_it", "light", "middle"}, k=3) == []
    # Only "busy" is left with room once the others hold it: fewer than needed come back.
    assert fill_entry(entry, jurors, loads, {"has_it", "light", "middle"}, k=5) == ["busy"]
