"""Bootstrap intervals: the weighted shortcut equals statistics of materialized resamples."""
import numpy as np
import pytest

from contest.ranking import bootstrap
from contest.ranking.stats import alpha_interval_long, variance_components


def design(seed, n_entries=30, n_jurors=6):
    rng = np.random.default_rng(seed)
    e = np.repeat(np.arange(n_entries), 3)
    j = np.concatenate([rng.choice(n_jurors, 3, replace=False) for _ in range(n_entries)])
    y = rng.normal(60, 10, n_entries)[e] + rng.normal(0, 6, n_jurors)[j] + rng.normal(0, 4, e.size)
    return e, j, y


def materialize(e, j, y, weights):
    """The resample as a design of its own: an entry drawn twice becomes two entries."""
    rows, new_e = [], []
    next_id = 0
    for entry, copies in enumerate(weights.astype(int)):
        for _ in range(copies):
            idx = np.flatnonzero(e == entry)
            rows.extend(idx)
            new_e.extend([next_id] * idx.size)
            next_id += 1
    rows = np.array(rows)
    return np.array(new_e), j[rows], y[rows]


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("dense_jurors", [bootstrap.DENSE_JURORS, 0])
def test_weighted_statistics_equal_those_of_the_materialized_resample(seed, dense_jurors):
    """Both solves: the dense one, and conjugate gradients on the sparse Laplacian (the path
    of more than DENSE_JURORS jurors)."""
    e, j, y = design(seed)
    data = bootstrap._Data(e, j, y)
    weights = np.bincount(np.random.default_rng(seed).integers(0, 30, 30), minlength=30).astype(float)
    me, mj, my = materialize(e, j, y, weights)
    vc = variance_components(me, mj, my)
    single, average = bootstrap._icc(data, weights, dense_jurors)
    assert (single, average) == pytest.approx((vc.single, vc.average), abs=1e-9)
    alpha = bootstrap._alpha(data, weights[None, :])[0]
    assert alpha == pytest.approx(alpha_interval_long(me, my), abs=1e-12)


def test_unit_weights_give_the_point_estimates():
    e, j, y = design(3)
    data = bootstrap._Data(e, j, y)
    vc = variance_components(e, j, y)
    assert bootstrap._icc(data, np.ones(30)) == pytest.approx((vc.single, vc.average), abs=1e-9)


def test_intervals_are_seeded_and_contain_the_estimate():
    e, j, y = design(4, n_entries=80, n_jurors=10)
    first = bootstrap.reliability_intervals(e, j, y, resamples=100)
    again = bootstrap.reliability_intervals(e, j, y, resamples=100)
    assert first == again
    vc = variance_components(e, j, y)
    assert first.icc_single.low < vc.single < first.icc_single.high
    assert first.icc_average.low < vc.average < first.icc_average.high
    alpha = alpha_interval_long(e, y)
    assert first.alpha.low < alpha < first.alpha.high
    assert first.icc_single.resamples == 100 and first.level == 0.95
    other = bootstrap.reliability_intervals(e, j, y, resamples=100, seed=7)
    assert other.alpha != first.alpha


def test_too_few_finite_resamples_give_no_interval():
    e, j, y = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([50.0, 50.0, 50.0, 50.0])
    got = bootstrap.reliability_intervals(e, j, y, resamples=50)
    assert np.isnan(got.alpha.low) and np.isnan(got.icc_single.high)


@pytest.mark.parametrize("reviews, resamples", [
    (300, 200), (3_000, 200), (6_000, 100), (12_000, 50), (30_000, 50)])
def test_large_designs_use_fewer_resamples(reviews, resamples):
    assert bootstrap.resamples_for(reviews) == resamples


def test_intervals_of_a_large_jury_by_sparse_solves_equal_the_dense_ones():
    e, j, y = design(9, n_entries=3000, n_jurors=300)
    sparse_way = bootstrap.reliability_intervals(e, j, y, resamples=20, dense_jurors=0)
    dense_way = bootstrap.reliability_intervals(e, j, y, resamples=20, dense_jurors=10_000)
    for got, exact in ((sparse_way.icc_single, dense_way.icc_single),
                       (sparse_way.icc_average, dense_way.icc_average)):
        assert got.resamples == exact.resamples == 20
        assert (got.low, got.high) == pytest.approx((exact.low, exact.high), abs=1e-9)


def test_sparse_solve_with_a_juror_whose_essays_were_not_drawn():
    e, j, y = design(4)
    data = bootstrap._Data(e, j, y)
    weights = np.ones(30)
    weights[np.unique(e[j == 0])] = 0.0  # juror 0 reads nothing in this resample
    assert np.bincount(data.j, weights[data.e], data.n_j)[0] == 0
    dense = bootstrap._icc(data, weights, dense_jurors=10_000)
    vc = variance_components(*materialize(e, j, y, weights))
    assert dense == pytest.approx((vc.single, vc.average), abs=1e-9)
    assert bootstrap._icc(data, weights, dense_jurors=0) == pytest.approx(dense, abs=1e-9)
