"""The default severity correction (empirical Bayes), the disagreement tolerance and the
order within shared places."""
import math

import numpy as np
import pytest
from scipy import optimize

from contest.ranking import cg, fit, shrink
from contest.ranking.core import Criterion, EntryScore, Review, apply_tiebreaks, rank_entries

ONE = [Criterion("c", 1, 0, 100)]


def design(seed, n_entries=40, n_jurors=8, k=3, sev_sd=8.0, noise_sd=4.0):
    rng = np.random.default_rng(seed)
    e = np.repeat(np.arange(n_entries), k)
    j = np.concatenate([rng.choice(n_jurors, k, replace=False) for _ in range(n_entries)])
    quality, severity = rng.normal(60, 10, n_entries), rng.normal(0, sev_sd, n_jurors)
    y = quality[e] + severity[j] + rng.normal(0, noise_sd, e.size)
    return fit.make_design(e, j, y, n_entries, n_jurors)


def dense_reml(d):
    """REML of y ~ N(X b, sigma^2 I + tau^2 Z Z') by brute force (X entries, Z jurors)."""
    x = np.zeros((d.y.size, d.n_entries))
    x[np.arange(d.y.size), d.entry_idx] = 1
    z = np.zeros((d.y.size, d.n_jurors))
    z[np.arange(d.y.size), d.juror_idx] = 1

    def minus_loglik(log_params):
        s2, t2 = np.exp(log_params)
        v = s2 * np.eye(d.y.size) + t2 * z @ z.T
        vi = np.linalg.inv(v)
        xvx = x.T @ vi @ x
        p = vi - vi @ x @ np.linalg.solve(xvx, x.T @ vi)
        return 0.5 * (np.linalg.slogdet(v)[1] + np.linalg.slogdet(xvx)[1] + d.y @ p @ d.y)

    best = optimize.minimize(minus_loglik, np.log([10.0, 30.0]), method="Nelder-Mead",
                             options={"xatol": 1e-7, "fatol": 1e-10, "maxiter": 2000})
    return np.exp(best.x)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reml_variances_match_brute_force_likelihood(seed):
    d = design(seed, n_entries=24, n_jurors=6)
    s2, t2 = dense_reml(d)
    link = shrink.fit_shrunk(d).linkage
    assert link.noise_sd ** 2 == pytest.approx(s2, rel=2e-3)
    assert link.severity_sd ** 2 == pytest.approx(t2, rel=2e-3)


def test_shrunk_severities_are_the_ridge_solution_with_the_estimated_ratio():
    d = design(4)
    got = shrink.fit_shrunk(d)
    lam = got.linkage.noise_sd ** 2 / got.linkage.severity_sd ** 2
    x = np.zeros((d.y.size + d.n_jurors, d.n_entries + d.n_jurors))
    x[np.arange(d.y.size), d.entry_idx] = 1
    x[np.arange(d.y.size), d.n_entries + d.juror_idx] = 1
    x[d.y.size + np.arange(d.n_jurors), d.n_entries + np.arange(d.n_jurors)] = math.sqrt(lam)
    coef = np.linalg.lstsq(x, np.concatenate([d.y, np.zeros(d.n_jurors)]), rcond=None)[0]
    assert np.allclose(got.severity, coef[d.n_entries:], atol=1e-6)
    assert np.allclose(got.quality, coef[:d.n_entries], atol=1e-6)


def test_exact_data_get_the_full_correction():
    # Juror effects explain every difference: no noise, so nothing to shrink.
    reviews = [Review(e, j, {"c": v}) for e, j, v in (
        ("e1", "A", 80), ("e1", "B", 60), ("e2", "A", 60), ("e2", "B", 40), ("e3", "A", 70),
        ("e3", "C", 30))]
    default = rank_entries(reviews, ONE)
    full = rank_entries(reviews, ONE, "severity_full")
    assert [round(e.adjusted, 6) for e in default.entries] == [round(e.adjusted, 6) for e in full.entries]
    assert default.linkage.share == 1.0


def test_no_severity_differences_give_the_plain_mean():
    # Both jurors read both essays and have the same mean: no sign of any severity.
    reviews = [Review("x", "A", {"c": 70}), Review("x", "B", {"c": 30}),
               Review("y", "A", {"c": 30}), Review("y", "B", {"c": 70})]
    ranking = rank_entries(reviews, ONE)
    assert [j.severity for j in ranking.jurors] == [0.0, 0.0]
    assert {e.entry_id: e.adjusted for e in ranking.entries} == {"x": 50.0, "y": 50.0}
    assert ranking.linkage.severity_sd == 0.0


def test_weak_links_shrink_toward_the_plain_mean_and_name_the_weakest_link():
    # Two panels of three jurors, each reading all 20 of its essays, joined by one swap.
    rng = np.random.default_rng(5)
    readers = np.array([[0, 1, 2]] * 20 + [[3, 4, 5]] * 20)
    readers[0, 0], readers[20, 0] = 3, 0
    e = np.repeat(np.arange(40), 3)
    j = readers.ravel()
    sev = np.array([6.0, 8.0, 7.0, -6.0, -8.0, -7.0])
    y = rng.normal(60, 10, 40)[e] + sev[j] + rng.normal(0, 4, e.size)
    d = fit.make_design(e, j, y, 40, 6)
    default, full, mean = shrink.fit_shrunk(d), fit.fit_severity(d), fit.entry_means(d)
    link = default.linkage
    assert 0 < link.share < shrink.WELL_LINKED
    assert {frozenset(link.side_a), frozenset(link.side_b)} == {frozenset({0, 1, 2}), frozenset({3, 4, 5})}
    assert link.shared_now == 2 and link.shared_needed > 2
    # The panels' correction lies strictly between none (plain mean) and full.
    gap_full = (full.quality - mean)[21:].mean() - (full.quality - mean)[1:20].mean()
    gap_default = (default.quality - mean)[21:].mean() - (default.quality - mean)[1:20].mean()
    assert 0 < gap_default / gap_full < 1


def test_well_mixed_jury_is_corrected_almost_fully():
    d = design(6, n_entries=120, n_jurors=12)
    default, full = shrink.fit_shrunk(d), fit.fit_severity(d)
    assert default.linkage.share > shrink.WELL_LINKED
    assert default.linkage.side_a == ()
    assert np.corrcoef(default.severity, full.severity)[0, 1] > 0.999


def test_spread_at_exactly_the_threshold_is_not_flagged_whatever_the_float_noise():
    # (4, 2) and (2, 7) on these criteria total 58.333... and 33.333...: their difference
    # is 25.000000000000007 in floating point, 25 exactly on paper.
    criteria = [Criterion("a", 3, 1, 5), Criterion("b", 1, 0, 10)]
    high, low = {"a": 4, "b": 2}, {"a": 2, "b": 7}
    reviews = [Review("x", "A", high), Review("x", "B", low), Review("y", "A", low), Review("y", "B", high)]
    at = rank_entries(reviews, criteria, disagreement=25)
    assert at.entries[0].spread == 25.000000000000007
    assert [e.flagged for e in at.entries] == [False, False]
    below = rank_entries(reviews, criteria, disagreement=24.99)
    assert [e.flagged for e in below.entries] == [True, True]
    assert [round(e.corrected_spread, 9) for e in below.entries] == [25.0, 25.0]


def test_shared_places_are_listed_by_the_tie_order_not_the_input_order():
    rows = [EntryScore(eid, 50.0, 50.0, 1, 0.0, False, 0, (50.0,)) for eid in (3, 1, 2)]
    codes = {1: "ZT-0003", 2: "ZT-0001", 3: "ZT-0002"}
    placed = apply_tiebreaks(rows, tie_order=codes.__getitem__)
    assert [(p.place, codes[p.entry.entry_id]) for p in placed] == [
        (1, "ZT-0001"), (1, "ZT-0002"), (1, "ZT-0003")]
    assert [p.entry.entry_id for p in apply_tiebreaks(rows)] == [3, 1, 2]


def linked_groups(seed, n_entries, n_jurors, groups=1, bridges=0, sev_sd=8.0, noise_sd=4.0):
    """Jurors in `groups` randomly mixed groups of equal size, in a chain: `bridges` essays of
    each group also read by a juror of the next group (0: the groups are separate parts)."""
    rng = np.random.default_rng(seed)
    size = n_jurors // groups
    home = np.arange(n_entries) % groups
    j = np.array([rng.choice(size, 3, replace=False) + g * size for g in home])
    for g in range(groups - 1):
        for i in np.flatnonzero(home == g)[:bridges]:
            j[i, 0] = rng.integers(size) + (g + 1) * size
    e = np.repeat(np.arange(n_entries), 3)
    quality, severity = rng.normal(60, 10, n_entries), rng.normal(0, sev_sd, n_jurors)
    y = quality[e] + severity[j.ravel()] + rng.normal(0, noise_sd, e.size)
    return fit.make_design(e, j.ravel(), y, n_entries, n_jurors)


def assert_same_fit(got, exact, tol=1e-5):
    assert np.abs(got.severity - exact.severity).max() < tol
    assert np.abs(got.quality - exact.quality).max() < tol
    assert np.array_equal(np.isnan(got.severity_se), np.isnan(exact.severity_se))
    assert np.nanmax(np.abs(got.severity_se / exact.severity_se - 1)) < tol
    assert (got.rss, got.df, got.n_parts) == pytest.approx((exact.rss, exact.df, exact.n_parts), rel=1e-9)
    a, b = got.linkage, exact.linkage
    assert (a.share, a.severity_sd, a.noise_sd, a.partners) == pytest.approx(
        (b.share, b.severity_sd, b.noise_sd, b.partners), rel=tol, nan_ok=True)
    assert {frozenset(a.side_a), frozenset(a.side_b)} == {frozenset(b.side_a), frozenset(b.side_b)}
    assert (a.shared_now, a.shared_needed) == (b.shared_now, b.shared_needed)


@pytest.mark.parametrize(("groups", "bridges"), [(1, 0), (20, 1), (2, 2), (2, 0)])
def test_large_design_path_matches_the_exact_eigenbasis(groups, bridges):
    """Without the eigendecomposition (Lanczos quadrature for REML, one Cholesky for the
    severities and standard errors, the weakest link from a few directions) the fit is the
    exact one: a well mixed jury, a chain of 20 groups each joined to the next by one essay
    (weakly linked), two groups joined by two essays, two separate groups."""
    d = linked_groups(7, 3000, 300, groups, bridges)
    exact = shrink.fit_shrunk(d, exact_jurors=10_000)
    got = shrink.fit_shrunk(d, exact_jurors=0)
    assert_same_fit(got, exact)
    if groups == 20:
        assert exact.linkage.share < shrink.WELL_LINKED and exact.linkage.side_a


def test_large_part_beside_small_parts_and_lone_jurors():
    """A part above the threshold fitted without eigenbasis beside small parts diagonalized
    exactly, and a juror alone in his part (no standard error)."""
    big = linked_groups(8, 2000, 200)
    small = linked_groups(9, 300, 30, groups=3)
    e = np.concatenate([big.entry_idx, small.entry_idx + 2000, [2300]])
    j = np.concatenate([big.juror_idx, small.juror_idx + 200, [230]])
    y = np.concatenate([big.y, small.y, [55.0]])
    d = fit.make_design(e, j, y, 2301, 231)
    exact = shrink.fit_shrunk(d, exact_jurors=10_000)
    got = shrink.fit_shrunk(d, exact_jurors=100)
    assert got.n_parts == 5 and np.isnan(got.severity_se[230])
    assert_same_fit(got, exact)


def test_designs_up_to_the_threshold_keep_the_exact_path():
    d = linked_groups(10, 1000, 100)
    assert d.n_jurors <= shrink.EXACT_JURORS
    default, exact = shrink.fit_shrunk(d), shrink.fit_shrunk(d, exact_jurors=10_000)
    assert np.array_equal(default.severity, exact.severity)
    assert np.array_equal(default.severity_se, exact.severity_se)
    assert default.linkage == exact.linkage


@pytest.mark.parametrize(("groups", "bridges"), [(1, 0), (20, 1)])
def test_plan_linkage_of_a_large_jury_matches_the_exact_eigenbasis(groups, bridges):
    """The linkage of a plan (no scores yet) part by part, as for the fit."""
    d = linked_groups(11, 3000, 300, groups, bridges)
    pairs = list(zip((d.entry_idx + 1000).tolist(), (d.juror_idx * 7).tolist()))
    exact = shrink.design_linkage(pairs, exact_jurors=10_000)
    got = shrink.design_linkage(pairs, exact_jurors=0)
    assert (got.share, got.severity_sd, got.noise_sd, got.partners) == pytest.approx(
        (exact.share, exact.severity_sd, exact.noise_sd, exact.partners), rel=1e-9)
    sides = {frozenset(got.side_a), frozenset(got.side_b)}
    assert sides == {frozenset(exact.side_a), frozenset(exact.side_b)}
    assert (got.shared_now, got.shared_needed) == (exact.shared_now, exact.shared_needed)
    assert (exact.share < shrink.WELL_LINKED) == (groups == 20)


def test_iterative_path_matches_the_cholesky_on_a_well_mixed_jury():
    """Above DENSE_JURORS a part is solved by conjugate gradients and random probes: the same
    severities and qualities, the same REML estimate, and standard errors within the
    probes' error budget: each has a standard deviation of at most SE_TOL points, so over
    600 jurors the largest error stays within 4 of them, the typical one within one, and
    the errors do not lean one way."""
    d = linked_groups(12, 6000, 600)
    dense = shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=10_000)
    got = shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=0)
    assert np.abs(got.severity - dense.severity).max() < 1e-6
    assert np.abs(got.quality - dense.quality).max() < 1e-6
    error = got.severity_se - dense.severity_se
    assert np.abs(error).max() < 4 * shrink.SE_TOL
    assert np.sqrt(np.mean(error**2)) < shrink.SE_TOL
    assert abs(error.mean()) < shrink.SE_TOL / 10
    assert np.sqrt(np.mean((got.severity_se / dense.severity_se - 1) ** 2)) < 0.005  # measured: 0.13 %
    assert not np.array_equal(got.severity_se, dense.severity_se)  # really the other path
    a, b = got.linkage, dense.linkage
    assert (a.share, a.severity_sd, a.noise_sd, a.partners) == pytest.approx(
        (b.share, b.severity_sd, b.noise_sd, b.partners), rel=1e-6)


def test_iterative_path_finds_a_weakest_link_when_severity_varies_little():
    """Little severity beside the noise keeps a share of the correction below WELL_LINKED
    even in a well mixed jury: the weakest link then comes from the smallest directions of
    the Laplacian (LOBPCG), two disjoint sides with the essays they share."""
    d = linked_groups(13, 6000, 600, sev_sd=0.5)
    dense = shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=10_000)
    got = shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=0)
    a, b = got.linkage, dense.linkage
    assert a.share == pytest.approx(b.share, rel=1e-4) and a.share < shrink.WELL_LINKED
    assert a.side_a and a.side_b and not set(a.side_a) & set(a.side_b)
    assert a.shared_now > 0 and a.shared_needed > a.shared_now


def test_a_weakly_linked_part_falls_back_to_the_cholesky():
    """A chain of groups joined by one essay each: the probes' estimate of the variances is
    too uncertain there (or CG too slow), so the part takes the exact dense path."""
    d = linked_groups(7, 3000, 300, groups=20, bridges=1)
    dense = shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=10_000)
    got = shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=0)
    assert np.array_equal(got.severity_se, dense.severity_se)
    assert got.linkage == dense.linkage and got.linkage.share < shrink.WELL_LINKED


def test_plan_linkage_by_the_iterative_path():
    d = linked_groups(14, 6000, 600)
    pairs = list(zip(d.entry_idx.tolist(), d.juror_idx.tolist()))
    dense = shrink.design_linkage(pairs, exact_jurors=0, dense_jurors=10_000)
    got = shrink.design_linkage(pairs, exact_jurors=0, dense_jurors=0)
    assert got.share == pytest.approx(dense.share, rel=1e-4)
    assert got.partners == dense.partners


def test_block_cg_solves_each_column_or_says_it_did_not_converge():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((40, 40))
    a = a @ a.T + 40 * np.eye(40)
    b = rng.standard_normal((40, 3))
    x, steps = cg.block_cg(lambda z: a @ z, b, 1.0 / np.diag(a), 1e-12, 200)
    assert steps is not None and np.abs(a @ x - b).max() < 1e-9
    again, none = cg.block_cg(lambda z: a @ z, b, 1.0 / np.diag(a), 1e-12, 2)
    assert none is None and np.abs(a @ again - b).max() > 1e-6


@pytest.mark.parametrize("bridging", ["jurors", "entries"])
def test_full_least_squares_of_a_large_jury_matches_the_dense_fit(bridging):
    """The "severity_full" method above DENSE_JURORS: part by part, a large part iteratively;
    two parts (a well mixed jury beside a small panel) and a lone juror, as `fit_severity`."""
    big = linked_groups(15, 6000, 600)
    small = linked_groups(16, 300, 30)
    e = np.concatenate([big.entry_idx, small.entry_idx + 6000, [6300]])
    j = np.concatenate([big.juror_idx, small.juror_idx + 600, [630]])
    d = fit.make_design(e, j, np.concatenate([big.y, small.y + 5.0, [55.0]]), 6301, 631)
    dense = fit.fit_severity(d, bridging)
    got = shrink.fit_full(d, bridging, dense_jurors=100)
    same = shrink.fit_full(d, bridging, dense_jurors=10_000)  # up to the threshold: the dense fit itself
    assert np.array_equal(same.severity_se, dense.severity_se, equal_nan=True)
    assert not np.allclose(got.severity_se[:600], dense.severity_se[:600], rtol=1e-12, atol=0)  # estimated
    assert np.abs(got.severity - dense.severity).max() < 1e-6
    assert np.abs(got.quality - dense.quality).max() < 1e-6
    assert (got.rss, got.df, got.n_parts) == pytest.approx((dense.rss, dense.df, dense.n_parts), rel=1e-9)
    assert np.array_equal(np.isnan(got.severity_se), np.isnan(dense.severity_se))
    error = got.severity_se - dense.severity_se
    assert np.nanmax(np.abs(error)) < 4 * shrink.SE_TOL
    assert np.sqrt(np.nanmean(error**2)) < shrink.SE_TOL


def test_standard_errors_the_probes_cannot_pin_down_come_from_the_cholesky(monkeypatch):
    """Where the probes' spread says a standard error is not known to SE_TOL points (uneven
    loads, weak links), that part is solved again by the Cholesky: here with a tolerance no
    estimate can meet, the exact numbers come out."""
    d = linked_groups(12, 6000, 600)
    dense = shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=10_000)
    monkeypatch.setattr(shrink, "SE_TOL", 1e-12)
    got = shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=0)
    assert np.array_equal(got.severity_se, dense.severity_se)
    full, exact = shrink.fit_full(d, dense_jurors=0), fit.fit_severity(d)
    assert np.abs(full.severity_se / exact.severity_se - 1).max() < 1e-9  # the Cholesky's, not an estimate
