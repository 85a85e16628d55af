import math

import numpy as np
import pytest

from contest.ranking.stats import (
    alpha_interval_long,
    histogram,
    icc_incomplete,
    icc_two_way,
    krippendorff_alpha_interval,
    variance_components,
)

# Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges.
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9],
                 [6, 2, 4, 7]]

N = math.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
# 4 observers (rows) x 12 units (columns), missing values as NaN.
KRIPPENDORFF = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]).T


def test_icc_two_way_reproduces_shrout_fleiss_table_4():
    icc = icc_two_way(SHROUT_FLEISS)
    assert (round(icc.single, 2), round(icc.average, 2)) == (0.29, 0.62)
    # Table 3 mean squares: between targets 11.24, judges 32.49, residual 1.02
    assert (round(icc.bms, 2), round(icc.jms, 2), round(icc.ems, 2)) == (11.24, 32.49, 1.02)
    assert (icc.n, icc.k) == (6, 4)


@pytest.mark.parametrize("ratings", [[[1, 2]], [[1], [2]], [[1, 2], [3, N]]])
def test_icc_two_way_rejects_too_small_or_incomplete(ratings):
    with pytest.raises(ValueError):
        icc_two_way(ratings)


def test_icc_incomplete_equals_shrout_fleiss_on_complete_data():
    vc = icc_incomplete(SHROUT_FLEISS)
    icc = icc_two_way(SHROUT_FLEISS)
    assert round(vc.single, 10) == round(icc.single, 10)
    assert round(vc.average, 10) == round(icc.average, 10)
    assert vc.k == 4.0
    assert round(vc.residual, 10) == round(icc.ems, 10)


def dense_henderson(rows, cols, y):
    """Henderson III from explicit design matrices and lstsq, as an independent check."""
    ne, nj = rows.max() + 1, cols.max() + 1
    ze = np.eye(ne)[rows]
    zj = np.eye(nj)[cols]

    def rss(x):
        beta = np.linalg.lstsq(x, y, rcond=None)[0]
        return float(((y - x @ beta) ** 2).sum())

    def annihilator(x):
        return np.eye(len(y)) - x @ np.linalg.pinv(x)

    full = np.hstack([ze, zj])
    resid = rss(full) / (len(y) - np.linalg.matrix_rank(full))
    var_j = (rss(ze) - rss(full) - (nj - 1) * resid) / np.trace(zj.T @ annihilator(ze) @ zj)
    var_e = (rss(zj) - rss(full) - (ne - 1) * resid) / np.trace(ze.T @ annihilator(zj) @ ze)
    return var_e, var_j, resid


def test_variance_components_with_missing_ratings_match_dense_computation():
    rng = np.random.default_rng(7)
    rows = np.repeat(np.arange(30), 3)
    cols = np.concatenate([rng.choice(6, 3, replace=False) for _ in range(30)])
    y = rng.normal(0, 1, 30)[rows] + rng.normal(0, 0.5, 6)[cols] + rng.normal(0, 0.7, 90)
    vc = variance_components(rows, cols, y)
    expected = dense_henderson(rows, cols, y)
    assert [round(v, 9) for v in (vc.entry, vc.juror, vc.residual)] == [
        round(v, 9) for v in expected]
    assert round(vc.single, 9) == round(vc.entry / (vc.entry + vc.juror + vc.residual), 9)


def test_icc_incomplete_matrix_with_nan_uses_only_present_ratings():
    x = np.array(SHROUT_FLEISS, dtype=float)
    x[0, 1] = N
    x[3, 2] = N
    vc = icc_incomplete(x)
    rows, cols = np.nonzero(~np.isnan(x))
    assert vc == variance_components(rows, cols, x[rows, cols])
    assert round(vc.k, 9) == round(6 / (4 * (1 / 4) + 2 * (1 / 3)), 9)


def test_krippendorff_alpha_interval_reproduces_worked_example():
    assert round(krippendorff_alpha_interval(KRIPPENDORFF), 3) == 0.849


@pytest.mark.parametrize("ratings, expected", [
    ([[1, 1], [3, 3], [5, 5]], 1.0),
    ([[1, 1, N], [3, N, 3], [N, 5, 5], [7, N, N]], 1.0),  # single-value unit ignored
    ([[1, 2], [2, 1]], -0.5),  # within-unit sums 4, all pairs 8, n 4: 1 - 3 * 4 / 8
])
def test_krippendorff_alpha_interval_small_cases(ratings, expected):
    assert krippendorff_alpha_interval(ratings) == expected


def test_alpha_interval_long_matches_matrix_form():
    rows, cols = np.nonzero(~np.isnan(KRIPPENDORFF))
    values = KRIPPENDORFF[rows, cols]
    assert alpha_interval_long(rows, values) == krippendorff_alpha_interval(KRIPPENDORFF)
    assert alpha_interval_long(rows * 10 + 3, values) == krippendorff_alpha_interval(KRIPPENDORFF)


def test_krippendorff_alpha_interval_without_variation_is_nan():
    assert math.isnan(krippendorff_alpha_interval([[2, 2], [2, 2]]))


def test_histogram_counts_equal_bins_with_last_bin_closed():
    h = histogram([0, 9.99, 10, 55, 100, 101, -1], bins=10)
    assert h.counts == (2, 1, 0, 0, 0, 1, 0, 0, 0, 1)
    assert h.edges == tuple(float(x) for x in range(0, 101, 10))


@pytest.mark.parametrize("seed", range(6))
def test_sparse_least_squares_matches_the_dense_fit(seed):
    """The ICC's sparse solve gives the dense fit's RSS, connected or in several parts."""
    from contest.ranking import fit

    rng = np.random.default_rng(seed)
    n_e, n_j = 120, 12
    parts = 1 + seed % 3  # jurors and entries split into disconnected groups
    e, j = [], []
    for entry in range(n_e):
        group = entry % parts
        pool = [x for x in range(n_j) if x % parts == group]
        for juror in rng.choice(pool, size=min(3, len(pool)), replace=False):
            e.append(entry)
            j.append(int(juror))
    y = rng.normal(60, 10, len(e)) + np.array(j) * 2.0
    d = fit.make_design(e, j, y, n_e, n_j)
    dense, sparse_fit = fit.fit_severity(d), fit.least_squares(d)
    assert sparse_fit.n_parts == dense.n_parts == parts
    assert sparse_fit.df == dense.df
    assert sparse_fit.rss == pytest.approx(dense.rss, rel=1e-9)
