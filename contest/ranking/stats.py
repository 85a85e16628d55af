"""Inter-rater reliability and score distributions.

Ratings matrices are entries (rows) x jurors (columns); NaN marks a missing rating.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from contest.ranking import fit


@dataclass(frozen=True)
class Icc:
    """Shrout & Fleiss (1979) case 2 (two-way random effects, absolute agreement)."""

    single: float
    average: float
    bms: float
    jms: float
    ems: float
    n: int
    k: int


@dataclass(frozen=True)
class VarianceComponents:
    """Variance of entry quality, juror severity and residual noise, with the ICCs
    they imply for one rating (`single`) and for the mean of `k` ratings (`average`)."""

    entry: float
    juror: float
    residual: float
    single: float
    average: float
    k: float


@dataclass(frozen=True)
class Histogram:
    """Counts of values in equal bins; edges has len(counts) + 1 items."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]


def icc_two_way(ratings) -> Icc:
    """ICC(2,1) and ICC(2,k) of a complete n targets x k judges matrix.

    From the two-way ANOVA mean squares (BMS targets, JMS judges, EMS residual):
    ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n),
    ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n).
    """
    x = np.asarray(ratings, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2 or np.isnan(x).any():
        raise ValueError("need a complete matrix with at least 2 targets and 2 judges")
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * float(((x.mean(axis=1) - grand) ** 2).sum())
    ss_cols = n * float(((x.mean(axis=0) - grand) ** 2).sum())
    ss_err = float(((x - grand) ** 2).sum()) - ss_rows - ss_cols
    bms, jms, ems = ss_rows / (n - 1), ss_cols / (k - 1), ss_err / ((n - 1) * (k - 1))
    single = (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n)
    average = (bms - ems) / (bms + (jms - ems) / n)
    return Icc(single, average, bms, jms, ems, n, k)


def variance_components(entry_idx, juror_idx, y) -> VarianceComponents:
    """Variance components of y = entry + juror + residual when each juror rated a subset.

    Method: Henderson's method III (fitting constants), which allows missing ratings.
    The residual variance is RSS / df of the additive least-squares fit; the juror
    variance comes from the reduction in RSS due to jurors after entries,
    E[R(J|E)] = tr(S) var_juror + (jurors - parts) var_residual, S = D_j - B' D_e^-1 B;
    the entry variance symmetrically from R(E|J). Estimates are not truncated at zero.
    single = entry / (entry + juror + residual); average = the same for the mean of
    k ratings, with k the harmonic mean of ratings per entry. On a complete matrix
    these equal ICC(2,1) and ICC(2,k) exactly.
    """
    e = np.unique(np.asarray(entry_idx), return_inverse=True)[1]
    j = np.unique(np.asarray(juror_idx), return_inverse=True)[1]
    d = fit.make_design(e, j, y, int(e.max()) + 1, int(j.max()) + 1)
    sev = fit.least_squares(d)
    b = fit.incidence(d)
    n_e = np.asarray(b.sum(axis=1)).ravel()
    n_j = np.asarray(b.sum(axis=0)).ravel()
    sq = b.multiply(b)
    rss_e = _within_ss(d.entry_idx, d.y, d.n_entries)
    rss_j = _within_ss(d.juror_idx, d.y, d.n_jurors)
    tr_j = float(n_j.sum() - (sparse.diags(1.0 / n_e) @ sq).sum())
    tr_e = float(n_e.sum() - (sq @ sparse.diags(1.0 / n_j)).sum())
    resid = sev.residual_var
    var_j = (rss_e - sev.rss - (d.n_jurors - sev.n_parts) * resid) / tr_j
    var_e = (rss_j - sev.rss - (d.n_entries - sev.n_parts) * resid) / tr_e
    k = float(d.n_entries / (1.0 / n_e).sum())
    single = var_e / (var_e + var_j + resid)
    average = var_e / (var_e + (var_j + resid) / k)
    return VarianceComponents(var_e, var_j, resid, single, average, k)


def icc_incomplete(ratings) -> VarianceComponents:
    """`variance_components` of an entries x jurors matrix with NaN for missing."""
    x = np.asarray(ratings, dtype=np.float64)
    rows, cols = np.nonzero(~np.isnan(x))
    return variance_components(rows, cols, x[rows, cols])


def _within_ss(idx, y, n) -> float:
    """Sum of squared deviations of y from its group means."""
    counts = np.bincount(idx, minlength=n)
    mean = np.bincount(idx, y, n) / np.maximum(counts, 1)
    dev = y - mean[idx]
    return float(np.dot(dev, dev))


def krippendorff_alpha_interval(ratings) -> float:
    """Krippendorff's alpha, interval metric, units (rows) x coders (columns), NaN missing.
    See `alpha_interval_long` for the rule."""
    x = np.asarray(ratings, dtype=np.float64)
    rows, _ = np.nonzero(~np.isnan(x))
    return alpha_interval_long(rows, x[~np.isnan(x)])


def alpha_interval_long(unit_idx, values) -> float:
    """Krippendorff's alpha, interval metric, from one (unit, value) pair per rating.

    alpha = 1 - D_o / D_e with squared differences: D_o averages within-unit pairs
    (each unit's pairs weighted 1 / (m_u - 1)), D_e all pairs of pairable values.
    Only units with at least two values are pairable (Krippendorff 2011). Which coder
    gave a value does not enter the interval alpha. nan when nothing varies.
    """
    u = np.unique(np.asarray(unit_idx), return_inverse=True)[1]
    v = np.asarray(values, dtype=np.float64)
    m = np.bincount(u).astype(np.float64)
    s1, s2 = np.bincount(u, v), np.bincount(u, v * v)
    keep = m >= 2
    m, s1, s2 = m[keep], s1[keep], s2[keep]
    within = float((2.0 * (m * s2 - s1 * s1) / (m - 1)).sum())
    n = float(m.sum())
    total = 2.0 * (n * float(s2.sum()) - float(s1.sum()) ** 2)
    if n < 2 or total <= 0:
        return float("nan")
    return 1.0 - (n - 1.0) * within / total


def histogram(values, bins: int = 10, lo: float = 0.0, hi: float = 100.0) -> Histogram:
    """Counts of values in `bins` equal bins over [lo, hi]; the last bin includes hi.
    Values outside [lo, hi] are not counted."""
    counts, edges = np.histogram(np.asarray(values, dtype=np.float64), bins=bins, range=(lo, hi))
    return Histogram(tuple(float(e) for e in edges), tuple(int(c) for c in counts))
