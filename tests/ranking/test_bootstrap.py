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
def test_weighted_statistics_equal_those_of_the_materialized_resample(seed):
    e, j, y = design(seed)
    data = bootstrap._Data(e, j, y)
    weights = np.bincount(np.random.default_rng(seed).integers(0, 30, 30), minlength=30).astype(float)
    me, mj, my = materialize(e, j, y, weights)
    vc = variance_components(me, mj, my)
    single, average = bootstrap._icc(data, weights)
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
