"""Bootstrap confidence intervals for ICC(2,1), ICC(2,k) and Krippendorff's alpha.

Method: the percentile bootstrap over entries. Each resample draws as many entries as there
are, with replacement (seeded, so the page shows the same interval every time); a drawn
entry keeps all its reviews, and an entry drawn twice counts as two entries. The interval
is the 2.5th and 97.5th percentile of the statistic over the resamples that give a finite
value. Jurors are not resampled: the interval says how much the figure would move with
other essays read by the same jury.

Speed: a resample is never materialized. Entry draws become integer weights, and every
sum the statistics need is linear in them: alpha from per-entry sums, the ICC (Henderson
III, as `stats.variance_components`) from the weighted jurors' Laplacian, solved once per
resample (jurors x jurors): ~3.5 ms CPU at 10,000 entries x 3 reviews x 300 jurors, which
is why `resamples_for` uses fewer resamples for large designs (bench/ranking_db.py). Above
DENSE_JURORS jurors that solve is by conjugate gradients on the sparse Laplacian instead of
a dense Cholesky (cubic in the jurors: 27 s of CPU for 50 resamples at 3,000 jurors, 1.5 s by
CG, bench/scale.py).
"""

from dataclasses import dataclass

import numpy as np
from scipy import linalg, sparse
from scipy.sparse import csgraph

from contest.ranking import cg

RESAMPLES = 200
MIN_RESAMPLES = 50
FULL_UP_TO = 3_000  # reviews; above this the number of resamples falls in proportion
SEED = 19
DENSE_JURORS = 200  # up to this many jurors a resample's solve is dense (faster there); above, sparse CG
LEVEL = 0.95


def resamples_for(n_reviews: int) -> int:
    """200 resamples up to 3,000 reviews, then proportionally fewer, never below 50, so the
    statistics page stays fast at 10,000 entries: 30,000 reviews get 50 resamples of ~3.5 ms
    CPU each (the jurors x jurors solve dominates, so a category of the same jury costs about
    as much). A large design's interval is narrow, so 50 resamples still place its ends
    within the two decimals shown."""
    return int(max(MIN_RESAMPLES, min(RESAMPLES, RESAMPLES * FULL_UP_TO // max(n_reviews, 1))))


@dataclass(frozen=True)
class Interval:
    """A percentile interval; `resamples` is how many resamples gave a finite value."""

    low: float
    high: float
    resamples: int


@dataclass(frozen=True)
class Intervals:
    icc_single: Interval
    icc_average: Interval
    alpha: Interval
    resamples: int
    level: float


class _Data:
    """Per-entry and per-pair sums of a long-form design, the pieces every resample reuses."""

    def __init__(self, entry_idx, juror_idx, y):
        self.e = np.unique(np.asarray(entry_idx), return_inverse=True)[1]
        self.j = np.unique(np.asarray(juror_idx), return_inverse=True)[1]
        self.y = np.asarray(y, dtype=np.float64)
        self.n_e, self.n_j = int(self.e.max()) + 1, int(self.j.max()) + 1
        self.m = np.bincount(self.e, minlength=self.n_e).astype(np.float64)
        self.s1 = np.bincount(self.e, self.y, self.n_e)
        self.s2 = np.bincount(self.e, self.y * self.y, self.n_e)
        self.ss_e = self.s2 - self.s1 ** 2 / self.m
        # Every ordered pair of reviews of the same entry (a review with itself included):
        # sum_e w_e / m_e over these pairs is B' W D_e^-1 B, flattened jurors x jurors.
        order = np.argsort(self.e, kind="stable")
        starts = np.concatenate([[0], np.cumsum(self.m.astype(np.int64))])
        left, right = [], []
        for size in np.unique(self.m.astype(np.int64)):
            first = starts[:-1][self.m == size]
            a, b = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
            left.append(order[(first[:, None] + a.ravel()[None, :]).ravel()])
            right.append(order[(first[:, None] + b.ravel()[None, :]).ravel()])
        left, right = np.concatenate(left), np.concatenate(right)
        self.pair_entry = self.e[left]
        self.pair_cell = self.j[left] * self.n_j + self.j[right]
        self._pattern = None
        same = self.j[left] == self.j[right]  # b_ej^2 pairs of each juror and entry
        self.same_juror, self.same_entry = self.j[left][same], self.e[left][same]

    def pattern(self):
        """The CSR layout of B' W D_e^-1 B, the same for every resample (only the weights
        change): (each pair's slot, column indices, row pointers, the diagonal's slots)."""
        if self._pattern is None:
            cells, slot = np.unique(self.pair_cell, return_inverse=True)  # row-major: CSR order
            rows, cols = cells // self.n_j, cells % self.n_j
            indptr = np.searchsorted(rows, np.arange(self.n_j + 1))
            self._pattern = slot, cols.astype(np.int32), indptr.astype(np.int32), np.flatnonzero(rows == cols)
        return self._pattern


def _alpha(d: _Data, w: np.ndarray) -> np.ndarray:
    """Interval alpha for each row of entry weights w (resamples x entries)."""
    pair = d.m >= 2
    within = w[:, pair] @ (2.0 * (d.m * d.s2 - d.s1 ** 2) / np.maximum(d.m - 1, 1))[pair]
    n = w[:, pair] @ d.m[pair]
    s1, s2 = w[:, pair] @ d.s1[pair], w[:, pair] @ d.s2[pair]
    total = 2.0 * (n * s2 - s1 ** 2)
    with np.errstate(all="ignore"):
        out = 1.0 - (n - 1.0) * within / total
    return np.where((n >= 2) & (total > 0), out, np.nan)


def _reduction_dense(d: _Data, we: np.ndarray, n_j: np.ndarray, rhs: np.ndarray) -> tuple[float, int, float]:
    """(rhs' S^+ rhs, connected parts, trace of B' W D_e^-1 B) by one dense solve."""
    cross = np.bincount(d.pair_cell, we[d.pair_entry], d.n_j * d.n_j).reshape(d.n_j, d.n_j)
    n_parts, labels = csgraph.connected_components(sparse.csr_array(cross), directed=False)
    trace = float(np.trace(cross))
    # S + P (P: the projector onto each part's constants, 1 on an idle juror), in place.
    system = np.negative(cross)
    if n_parts == 1:
        system += 1.0 / d.n_j
    else:
        size = np.bincount(labels)[labels]
        system += (labels[:, None] == labels[None, :]) / size[:, None]
    system[np.diag_indices(d.n_j)] += n_j
    reduction = float(rhs @ linalg.solve(system, rhs, assume_a="pos", overwrite_a=True, check_finite=False))
    return reduction, n_parts, trace


def _reduction_sparse(d: _Data, we: np.ndarray, n_j: np.ndarray, rhs: np.ndarray
                      ) -> tuple[float, int, float] | None:
    """`_reduction_dense` by conjugate gradients on the sparse Laplacian S (singular, one
    constant per part, but rhs lies in its range, as in `fit.least_squares`); None when CG
    does not converge."""
    slot, cols, indptr, diagonal = d.pattern()
    weights = np.bincount(slot, we[d.pair_entry], cols.size)
    cross = sparse.csr_matrix((weights, cols, indptr), shape=(d.n_j, d.n_j))
    linked = cross.copy()
    linked.eliminate_zeros()  # an essay not drawn links nobody (csgraph counts a stored zero as an edge)
    n_parts = csgraph.connected_components(linked, directed=False)[0]
    scale = float(np.linalg.norm(rhs)) or 1.0
    x, steps = cg.block_cg(lambda v: n_j[:, None] * v - cross @ v, (rhs / scale)[:, None],
                           1.0 / np.where(n_j > 0, n_j, 1.0), 1e-12, 10 * d.n_j)
    if steps is None:
        return None
    return float(rhs @ x[:, 0]) * scale, n_parts, float(weights[diagonal].sum())


def _icc(d: _Data, w: np.ndarray, dense_jurors: int = DENSE_JURORS) -> tuple[float, float]:
    """Henderson III ICC(2,1) and ICC(2,k) of the design with entry weights w."""
    we = w / d.m
    rw = w[d.e]
    n_j = np.bincount(d.j, rw, d.n_j)
    sum_j = np.bincount(d.j, rw * d.y, d.n_j)
    rhs = sum_j - np.bincount(d.j, (we * d.s1)[d.e], d.n_j)
    idle = n_j == 0
    solved = _reduction_sparse(d, we, n_j, rhs) if d.n_j > dense_jurors else None
    reduction, n_parts, cross_trace = solved or _reduction_dense(d, we, n_j, rhs)
    n_parts -= int(idle.sum())
    n_entries, n_reviews, n_jur = float(w.sum()), float(w @ d.m), int((~idle).sum())
    rss_e = float(w @ (d.s2 - d.s1 ** 2 / d.m))
    rss = rss_e - reduction
    df = n_reviews - n_entries - n_jur + n_parts
    used = ~idle
    rss_j = float(rw @ (d.y * d.y) - (sum_j[used] ** 2 / n_j[used]).sum())
    tr_j = float(n_j.sum() - cross_trace)
    b2 = np.bincount(d.same_juror, w[d.same_entry], d.n_j)  # sum_e w_e b_ej^2
    tr_e = float(n_reviews - (b2[used] / n_j[used]).sum())
    if df <= 0 or tr_j <= 0 or tr_e <= 0:
        return float("nan"), float("nan")
    resid = rss / df
    var_j = (rss_e - rss - (n_jur - n_parts) * resid) / tr_j
    var_e = (rss_j - rss - (n_entries - n_parts) * resid) / tr_e
    k = n_entries / float(we.sum())
    try:
        return var_e / (var_e + var_j + resid), var_e / (var_e + (var_j + resid) / k)
    except ZeroDivisionError:
        return float("nan"), float("nan")


def _interval(values: np.ndarray, level: float) -> Interval:
    ok = values[np.isfinite(values)]
    if ok.size < 10:
        return Interval(float("nan"), float("nan"), int(ok.size))
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(ok, [tail, 100 - tail])
    return Interval(float(low), float(high), int(ok.size))


def reliability_intervals(entry_idx, juror_idx, y, *, resamples: int = RESAMPLES, seed: int = SEED,
                          level: float = LEVEL, icc: bool = True,
                          dense_jurors: int = DENSE_JURORS) -> Intervals:
    """Percentile bootstrap intervals over entries (module docstring) for ICC(2,1), ICC(2,k)
    and interval alpha. icc=False skips the ICC (nan intervals), e.g. for a single juror."""
    d = _Data(entry_idx, juror_idx, y)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, d.n_e, size=(resamples, d.n_e))
    w = np.stack([np.bincount(row, minlength=d.n_e) for row in draws]).astype(np.float64)
    alpha = _alpha(d, w)
    single = np.full(resamples, np.nan)
    average = np.full(resamples, np.nan)
    if icc:
        with np.errstate(all="ignore"):
            for r in range(resamples):
                try:
                    single[r], average[r] = _icc(d, w[r], dense_jurors)
                except (linalg.LinAlgError, ValueError):
                    pass
    return Intervals(_interval(single, level), _interval(average, level), _interval(alpha, level),
                     resamples, level)
