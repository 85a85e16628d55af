import math

import numpy as np
import pytest

from contest.ranking import fit
from contest.ranking.core import (
    Criterion,
    EntryScore,
    Review,
    apply_tiebreaks,
    rank_entries,
    rank_groups,
    weighted_total,
)

ONE = [Criterion("c", 1, 0, 10)]


def rv(entry, juror, value):
    return Review(entry, juror, {"c": value})


# A: e1 80, e2 60, e3 70; B: e1 60, e2 40; C: e3 30 (totals on 0..100).
# Additive and exact: A - B = 20, C = A - 40, sum zero -> A 20, B 0, C -20;
# quality e1 60, e2 40, e3 50.
CONNECTED = [rv("e1", "A", 8), rv("e1", "B", 6), rv("e2", "A", 6), rv("e2", "B", 4),
             rv("e3", "A", 7), rv("e3", "C", 3)]

# Part 0: A, B on e1, e2 (A - B = 20). Part 1: C, D on e3 (30, 50) and e4 (50, 90):
# C - D = -30 on average, residuals +-5, RSS 100, df 8 - 4 - 4 + 2 = 2, variance 50.
SPLIT = [rv("e1", "A", 8), rv("e1", "B", 6), rv("e2", "A", 6), rv("e2", "B", 4),
         rv("e3", "C", 3), rv("e3", "D", 5), rv("e4", "C", 5), rv("e4", "D", 9)]


def scores(ranking):
    return {e.entry_id: round(e.adjusted, 6) for e in ranking.entries}


def severities(ranking):
    return {j.juror_id: round(j.severity, 6) for j in ranking.jurors}


@pytest.mark.parametrize("values, expected", [
    ({"a": 5, "b": 5}, 62.5),   # (3 * 0.5 + 1 * 1.0) / 4
    ({"a": 0, "b": 1}, 0.0),
    ({"a": 10, "b": 5}, 100.0),
    ({"a": 10, "b": 1}, 75.0),
])
def test_weighted_total_rescales_each_range(values, expected):
    criteria = [Criterion("a", 3, 0, 10), Criterion("b", 1, 1, 5)]
    assert weighted_total(values, criteria) == expected


@pytest.mark.parametrize("values", [{"a": 5}, {"a": 11, "b": 2}, {"a": -1, "b": 2}])
def test_weighted_total_rejects_missing_or_out_of_range(values):
    with pytest.raises(ValueError):
        weighted_total(values, [Criterion("a", 1, 0, 10), Criterion("b", 1, 1, 5)])


@pytest.mark.parametrize("lo, hi, weight", [(5, 5, 1), (5, 4, 1), (0, 10, -1)])
def test_criterion_invalid_range_or_weight_rejected(lo, hi, weight):
    with pytest.raises(ValueError):
        Criterion("a", weight, lo, hi)


def test_rank_entries_mean_is_plain_mean():
    ranking = rank_entries(CONNECTED, ONE, "mean")
    assert scores(ranking) == {"e1": 70.0, "e2": 50.0, "e3": 50.0}
    assert [e.n_reviews for e in ranking.entries] == [2, 2, 2]


def test_rank_entries_severity_recovers_additive_model():
    ranking = rank_entries(CONNECTED, ONE, "severity")
    assert scores(ranking) == {"e1": 60.0, "e3": 50.0, "e2": 40.0}
    assert [e.entry_id for e in ranking.entries] == ["e1", "e3", "e2"]
    assert {e.entry_id: e.raw_mean for e in ranking.entries} == {"e1": 70, "e2": 50, "e3": 50}
    assert severities(ranking) == {"A": 20.0, "B": 0.0, "C": -20.0}


def test_rank_entries_zscore_maps_back_to_pooled_scale():
    ranking = rank_entries(CONNECTED, ONE, "zscore")
    # pooled mean 340/6; pooled sd sqrt(400/6); A's sd sqrt(200/3), B's 10, C has one review.
    pooled_mean, pooled_sd = 340 / 6, math.sqrt(400 / 6)
    e1 = ((pooled_mean + pooled_sd * 10 / math.sqrt(200 / 3)) + (pooled_mean + pooled_sd)) / 2
    e3 = pooled_mean  # A's 70 is his mean (z 0); C's single review maps to the mean
    got = scores(ranking)
    assert got["e1"] == round(e1, 6)
    assert got["e3"] == round(e3, 6)


def test_rank_entries_zscore_misorders_when_allocation_not_random():
    # A read only strong essays, B only weak ones; both agree on e3, so equally severe.
    reviews = [rv("e1", "A", 9), rv("e2", "A", 8), rv("e3", "A", 7),
               rv("e3", "B", 7), rv("e4", "B", 4), rv("e5", "B", 3)]
    order = {m: [e.entry_id for e in rank_entries(reviews, ONE, m).entries]
             for m in ("severity", "zscore")}
    assert order["severity"] == ["e1", "e2", "e3", "e4", "e5"]
    assert order["zscore"] == ["e1", "e3", "e2", "e4", "e5"]


def test_rank_entries_juror_stats():
    jurors = {j.juror_id: j for j in rank_entries(CONNECTED, ONE).jurors}
    assert [jurors[k].n_reviews for k in "ABC"] == [3, 2, 1]
    assert round(jurors["A"].spread, 6) == 10.0
    assert round(jurors["B"].spread, 6) == round(math.sqrt(200), 6)
    assert math.isnan(jurors["C"].spread)
    assert round(jurors["A"].se, 6) == 0.0  # the data fit exactly


@pytest.mark.parametrize("bridging, quality, severity", [
    ("jurors", {"e1": 70.0, "e2": 50.0, "e3": 40.0, "e4": 70.0},
     {"A": 10.0, "B": -10.0, "C": -15.0, "D": 15.0}),
    # part means 60 and 55 -> both to 57.5; severities shift by the opposite amount
    ("entries", {"e1": 67.5, "e2": 47.5, "e3": 42.5, "e4": 72.5},
     {"A": 12.5, "B": -7.5, "C": -17.5, "D": 12.5}),
])
def test_rank_entries_disconnected_bridging(bridging, quality, severity):
    ranking = rank_entries(SPLIT, ONE, "severity_full", bridging=bridging)
    assert scores(ranking) == quality
    assert severities(ranking) == severity
    assert [(p.entry_ids, p.juror_ids) for p in ranking.parts] == [
        (("e1", "e2"), ("A", "B")), (("e3", "e4"), ("C", "D"))]
    assert {e.entry_id: e.part for e in ranking.entries} == {"e1": 0, "e2": 0, "e3": 1, "e4": 1}


def test_rank_entries_severity_se_from_model():
    # Each part: S = [[1, -1], [-1, 1]], S+ = S / 4; the residual variance (50) is pooled
    # over both parts, so every juror's SE is sqrt(50 * 0.25).
    ranking = rank_entries(SPLIT, ONE, "severity_full")
    se = round(math.sqrt(12.5), 6)
    assert {j.juror_id: round(j.se, 6) for j in ranking.jurors} == {
        "A": se, "B": se, "C": se, "D": se}
    assert round(ranking.residual_sd, 6) == round(math.sqrt(50), 6)


def test_rank_entries_juror_alone_in_part_has_no_se():
    reviews = CONNECTED + [rv("e9", "Z", 5)]
    jurors = {j.juror_id: j for j in rank_entries(reviews, ONE).jurors}
    assert math.isnan(jurors["Z"].se)
    assert jurors["Z"].severity == 0.0
    assert jurors["Z"].part == 1


@pytest.mark.parametrize("threshold, flagged", [
    (30.0, {"e3"}), (40.0, set()), (19.0, {"e1", "e2", "e3"}), (None, set())])
def test_rank_entries_disagreement_flags_on_raw_spread_without_severity(threshold, flagged):
    ranking = rank_entries(CONNECTED, ONE, "mean", disagreement=threshold)
    ranking_full = rank_entries(CONNECTED, ONE, "severity_full", disagreement=threshold)
    assert {e.entry_id: e.spread for e in ranking.entries} == {"e1": 20.0, "e2": 20.0, "e3": 40.0}
    # The jurors' severities (A +20, B 0, C -20) explain every difference exactly.
    assert {e.entry_id: round(e.corrected_spread, 6) for e in ranking_full.entries} == {
        "e1": 0.0, "e2": 0.0, "e3": 0.0}
    assert {e.entry_id for e in ranking_full.entries if e.flagged} == set()
    assert {e.entry_id for e in ranking.entries if e.flagged} == set()


def test_rank_entries_keeps_totals_and_criterion_means():
    criteria = [Criterion("a", 1, 0, 10), Criterion("b", 1, 0, 10)]
    reviews = [Review("e1", "A", {"a": 10, "b": 0}), Review("e1", "B", {"a": 6, "b": 4})]
    (entry,) = rank_entries(reviews, criteria, "mean").entries
    assert entry.totals == (50.0, 50.0)
    assert entry.criterion_means == {"a": 8.0, "b": 2.0}


@pytest.mark.parametrize("scores", [{}, {"c": 11}, {"c": -0.5}])
def test_rank_entries_rejects_missing_or_out_of_range_scores(scores):
    with pytest.raises(ValueError):
        rank_entries(CONNECTED + [Review("e1", "C", scores)], ONE)


def test_rank_entries_empty_and_invalid():
    assert rank_entries([], ONE).entries == ()
    with pytest.raises(ValueError):
        rank_entries(CONNECTED, ONE, "median")
    with pytest.raises(ValueError):
        rank_entries(CONNECTED, ONE, bridging="topics")


def test_fit_severity_matches_dense_least_squares():
    rng = np.random.default_rng(1)
    e = np.repeat(np.arange(40), 3)
    j = np.concatenate([rng.choice(8, 3, replace=False) for _ in range(40)])
    y = rng.normal(50, 10, e.size)
    got = fit.fit_severity(fit.make_design(e, j, y, 40, 8))
    x = np.zeros((e.size + 1, 48))
    x[np.arange(e.size), e] = 1
    x[np.arange(e.size), 40 + j] = 1
    x[-1, 40:] = 1  # sum-to-zero severities, as one extra exact equation
    coef = np.linalg.lstsq(x, np.append(y, 0.0), rcond=None)[0]
    assert np.allclose(got.severity, coef[40:], rtol=0, atol=1e-6)
    assert np.allclose(got.quality, coef[:40], rtol=0, atol=1e-6)


def row(entry_id, adjusted, crit=0.0, totals=()):
    return EntryScore(entry_id, adjusted, adjusted, len(totals), 0.0, False, 0,
                      tuple(totals), {"style": crit})


@pytest.mark.parametrize("chain, places", [
    ([], [1, 2, 2, 4]),
    ([("criterion", "style")], [1, 2, 3, 4]),
    ([("fewer_low_marks", 50)], [1, 2, 2, 4]),
    ([("fewer_low_marks", 60), ("criterion", "style")], [1, 2, 3, 4]),
])
def test_apply_tiebreaks_chain(chain, places):
    rows = [row("a", 80), row("b", 70, 6, (60, 80)), row("c", 70, 7, (55, 85)), row("d", 60)]
    placed = apply_tiebreaks(rows, chain)
    assert [p.place for p in placed] == places
    if places == [1, 2, 3, 4] and chain[0][0] == "criterion":
        assert [p.entry.entry_id for p in placed] == ["a", "c", "b", "d"]


def test_apply_tiebreaks_float_noise_is_a_tie():
    placed = apply_tiebreaks([row("x", 70.0000000001), row("y", 70.0), row("z", 10)])
    assert [(p.place, p.entry.entry_id) for p in placed] == [(1, "x"), (1, "y"), (3, "z")]


def test_apply_tiebreaks_unknown_rule_rejected():
    with pytest.raises(ValueError):
        apply_tiebreaks([row("a", 1)], [("coin", None)])


def test_rank_groups_places_within_each_group():
    group = {"e1": "5-8", "e2": "5-8", "e3": "9-11", "e4": "9-11"}
    out = rank_groups(SPLIT, ONE, group.__getitem__, "mean", chain=[("fewer_low_marks", 50)])
    assert list(out) == ["5-8", "9-11"]
    assert [(p.place, p.entry.entry_id) for p in out["5-8"].places] == [(1, "e1"), (2, "e2")]
    assert [(p.place, p.entry.entry_id) for p in out["9-11"].places] == [(1, "e4"), (2, "e3")]
    assert len(out["9-11"].ranking.parts) == 1


def test_rank_groups_matrix_matches_rank_groups():
    """The column path used by the database adapter gives the same result as Review objects."""
    from contest.ranking.core import rank_groups_matrix, score_matrix

    reviews = SPLIT + [rv("x" + r.entry_id, r.juror_id, r.scores["c"]) for r in CONNECTED]
    group_of = {r.entry_id: r.entry_id.startswith("x") for r in reviews}.__getitem__
    expected = rank_groups(reviews, ONE, group_of, chain=[("fewer_low_marks", 50)], disagreement=5)
    got = rank_groups_matrix([r.entry_id for r in reviews], [r.juror_id for r in reviews],
                             score_matrix(reviews, ONE), ONE, group_of,
                             chain=[("fewer_low_marks", 50)], disagreement=5)
    assert list(got) == [False, True]
    assert repr(got) == repr(expected)  # repr: NaN fields (no residual df) compare equal


def test_places_of_many_rows_match_a_plain_sort():
    """Ties on score, then on a criterion, then on low marks, listed by code: the vectorized
    placing gives what sorting the rule keys gives."""
    rng = np.random.default_rng(4)
    rows = [EntryScore(i, 0.0, float(rng.integers(0, 20)) + 1e-9 * rng.random(), 3, 0.0, False, 0,
                       tuple(float(x) for x in rng.integers(0, 100, 3)), {7: float(rng.integers(0, 3))})
            for i in range(2000)]
    codes = {i: f"C-{rng.integers(0, 10**6):07d}-{i}" for i in range(2000)}
    chain = [("criterion", 7), ("fewer_low_marks", 50.0)]
    got = apply_tiebreaks(rows, chain, tie_order=codes.__getitem__)
    key = {r.entry_id: (-round(r.adjusted, 6), -round(r.criterion_means[7], 6), sum(t < 50 for t in r.totals))
           for r in rows}
    expected = sorted(rows, key=lambda r: (key[r.entry_id], codes[r.entry_id]))
    assert [p.entry.entry_id for p in got] == [r.entry_id for r in expected]
    first = {}
    for k, r in enumerate(expected):
        first.setdefault(key[r.entry_id], k + 1)
    places = [first[key[r.entry_id]] for r in expected]
    assert [p.place for p in got] == places
    assert len(set(places)) < len(places)  # ties did occur
