"""Array-level numeric core: plain means, per-juror z-scores and the juror-severity model.

Everything here works on integer index arrays (one element per review) and a float
array of review totals, so it can run on 10,000 entries without Python loops.

BLAS: the solves here are small (jurors x jurors). Multi-threaded BLAS made them
15-35x slower and erratic on 2 cores, so the worker and web processes should set
OPENBLAS_NUM_THREADS=1 and OMP_NUM_THREADS=1 (or MKL_NUM_THREADS=1) before numpy loads.
"""

from dataclasses import dataclass

import numpy as np
from scipy import linalg, sparse
from scipy.sparse import csgraph
from scipy.sparse import linalg as sparse_linalg

BRIDGINGS = ("jurors", "entries")


@dataclass(frozen=True)
class Design:
    """Reviews as parallel arrays: review r is juror_idx[r] scoring entry_idx[r] with y[r]."""

    entry_idx: np.ndarray
    juror_idx: np.ndarray
    y: np.ndarray
    n_entries: int
    n_jurors: int


@dataclass(frozen=True)
class SeverityFit:
    """Least-squares fit of total = quality[entry] + severity[juror] + noise."""

    quality: np.ndarray
    severity: np.ndarray
    severity_se: np.ndarray
    entry_part: np.ndarray
    juror_part: np.ndarray
    n_parts: int
    rss: float
    df: int
    residual_var: float
    linkage: object = None  # shrink.Linkage for the default (shrunk) fit


@dataclass(frozen=True)
class NormalEquations:
    """The juror block left after eliminating entries: Laplacian `lap` (S = D_j - B' D_e^-1 B)
    and right-hand side `rhs` (juror sums net of their entries' means), with what the fits
    need to recover qualities: incidence `b`, entry counts and sums, parts, and the
    within-entry sum of squares (the RSS of a model with entries only)."""

    b: sparse.csr_matrix
    n_e: np.ndarray
    n_j: np.ndarray
    sum_e: np.ndarray
    lap: np.ndarray | sparse.csr_matrix
    rhs: np.ndarray
    n_parts: int
    e_part: np.ndarray
    j_part: np.ndarray
    rss_entries: float


def make_design(entry_idx, juror_idx, y, n_entries: int, n_jurors: int) -> Design:
    """Pack index arrays and totals; every entry and juror index must occur at least once."""
    e = np.asarray(entry_idx, dtype=np.int64)
    j = np.asarray(juror_idx, dtype=np.int64)
    v = np.asarray(y, dtype=np.float64)
    if not (e.shape == j.shape == v.shape):
        raise ValueError("entry_idx, juror_idx and y must have the same length")
    if np.bincount(e, minlength=n_entries).min(initial=1) == 0:
        raise ValueError("every entry needs at least one review")
    if np.bincount(j, minlength=n_jurors).min(initial=1) == 0:
        raise ValueError("every juror needs at least one review")
    return Design(e, j, v, n_entries, n_jurors)


def incidence(d: Design) -> sparse.csr_matrix:
    """Entries x jurors matrix of review counts (a juror scoring an entry twice counts 2)."""
    ones = np.ones(d.y.shape[0])
    return sparse.csr_matrix((ones, (d.entry_idx, d.juror_idx)), shape=(d.n_entries, d.n_jurors))


def components(d: Design, inc: sparse.csr_matrix | None = None) -> tuple[int, np.ndarray, np.ndarray]:
    """Connected parts of the bipartite juror-entry graph: (n_parts, entry_part, juror_part).

    Two jurors are comparable only through chains of shared entries; scores in
    different parts cannot be compared from the data alone.
    """
    b = incidence(d) if inc is None else inc
    graph = sparse.bmat([[None, b], [b.T, None]], format="csr")
    n, labels = csgraph.connected_components(graph, directed=False)
    return int(n), labels[: d.n_entries], labels[d.n_entries :]


def entry_means(d: Design) -> np.ndarray:
    """Plain mean of each entry's review totals."""
    counts = np.bincount(d.entry_idx, minlength=d.n_entries)
    return np.bincount(d.entry_idx, d.y, d.n_entries) / counts


def zscore_scores(d: Design) -> np.ndarray:
    """Entry score = mean over its reviews of (juror z-score * pooled sd + pooled mean).

    A juror's z-score uses his own mean and population sd (ddof=0). The pooled sd is
    sqrt(sum of squared deviations from each juror's own mean / number of reviews),
    the pooled mean is the mean of all totals. A juror with one review or no spread
    gets z = 0 for his reviews (they map to the pooled mean).

    Warning: this assumes every juror read a random sample of the same population.
    When allocation is not random (stronger essays sent to some jurors) it fails
    badly: a juror who read only strong essays has them pushed down to the middle.
    """
    j, y = d.juror_idx, d.y
    n_j = np.bincount(j, minlength=d.n_jurors)
    dev = y - (np.bincount(j, y, d.n_jurors) / n_j)[j]
    sd_j = np.sqrt(np.bincount(j, dev * dev, d.n_jurors) / n_j)
    sd_r = sd_j[j]
    spread_ok = sd_r > 1e-12 * max(1.0, float(np.abs(y).max(initial=0.0)))
    z = np.divide(dev, sd_r, out=np.zeros_like(dev), where=spread_ok)
    pooled_sd = float(np.sqrt(np.dot(dev, dev) / y.shape[0]))
    mapped = z * pooled_sd + float(y.mean())
    counts = np.bincount(d.entry_idx, minlength=d.n_entries)
    return np.bincount(d.entry_idx, mapped, d.n_entries) / counts


def fit_severity(d: Design, bridging: str = "jurors", ridge: float = 1e-9) -> SeverityFit:
    """Fit total = quality[entry] + severity[juror] by least squares.

    Identification: severities sum to zero within each connected part. Across parts
    the data say nothing, so an assumption bridges them: "jurors" keeps each part's
    severities summing to zero (jurors equally severe on average in every part);
    "entries" shifts parts so that their mean entry quality is equal (entries
    equally good on average in every part), then re-centres so all severities sum
    to zero. Both agree when the graph is connected.

    Solution: the entry block is eliminated analytically (Schur complement), leaving
    the jurors x jurors Laplacian S = D_j - B' D_e^-1 B. It is solved with
    (S + ridge*mean_load*I + P), P the projector onto per-part constants, so the
    system is defined on any design and yields the per-part sum-to-zero solution.
    Standard errors: residual variance * diag(S^+), the pseudo-inverse taken from the
    same factorization; nan for a juror alone in his part (fixed by assumption).
    """
    if bridging not in BRIDGINGS:
        raise ValueError(f"bridging must be one of {BRIDGINGS}")
    ne = normal_equations(d)
    b, n_parts, e_part, j_part = ne.b, ne.n_parts, ne.e_part, ne.j_part
    n_e, n_j, sum_e, lap, rhs = ne.n_e, ne.n_j, ne.sum_e, ne.lap, ne.rhs
    lam = ridge * float(n_j.mean())
    part_size = np.bincount(j_part, minlength=n_parts)[j_part]
    same_part = j_part[:, None] == j_part[None, :]
    m_inv = linalg.inv(lap + lam * np.eye(d.n_jurors) + same_part / part_size[:, None])
    sev = m_inv @ rhs
    qual = (sum_e - b @ sev) / n_e
    resid = d.y - qual[d.entry_idx] - sev[d.juror_idx]
    rss = float(np.dot(resid, resid))
    df = int(d.y.shape[0] - d.n_entries - d.n_jurors + n_parts)
    var = rss / df if df > 0 else float("nan")
    diag = np.diag(m_inv) - 1.0 / ((1.0 + lam) * part_size)
    se = np.where(part_size > 1, np.sqrt(np.clip(var * diag, 0.0, None)), np.nan)
    qual, sev = bridge(qual, sev, e_part, j_part, n_parts, bridging)
    return SeverityFit(qual, sev, se, e_part, j_part, n_parts, rss, df, var)


@dataclass(frozen=True)
class LeastSquares:
    """The additive least-squares fit without standard errors: what the ICC needs."""

    rss: float
    df: int
    n_parts: int
    residual_var: float


def least_squares(d: Design) -> LeastSquares:
    """RSS of total = quality[entry] + severity[juror], from a sparse solve.

    The jurors' Laplacian S is sparse (two jurors are linked only through shared
    essays), so conjugate gradients on S s = r cost a few sparse products per
    iteration, linear in the reviews; the dense path (`fit_severity`) is cubic in the
    jurors because it also inverts S for the standard errors. S is singular (one
    constant per part), but r lies in its range, so CG converges to a solution and the
    fitted values, hence the RSS, do not depend on which one. Falls back to the dense
    fit if CG does not converge.
    """
    b = incidence(d)
    n_parts, _e_part, _j_part = components(d, b)
    n_e = np.asarray(b.sum(axis=1)).ravel()
    n_j = np.asarray(b.sum(axis=0)).ravel()
    sum_e = np.bincount(d.entry_idx, d.y, d.n_entries)
    sum_j = np.bincount(d.juror_idx, d.y, d.n_jurors)
    lap = (sparse.diags(n_j) - b.T @ (sparse.diags(1.0 / n_e) @ b)).tocsr()
    rhs = sum_j - b.T @ (sum_e / n_e)
    scale = float(np.linalg.norm(rhs)) or 1.0
    sev, info = sparse_linalg.cg(lap, rhs / scale, rtol=1e-12, atol=0.0, maxiter=10 * d.n_jurors,
                                 M=sparse.diags(1.0 / n_j))
    df = int(d.y.shape[0] - d.n_entries - d.n_jurors + n_parts)
    if info != 0:
        full = fit_severity(d)
        return LeastSquares(full.rss, full.df, full.n_parts, full.residual_var)
    sev = sev * scale
    qual = (sum_e - b @ sev) / n_e
    resid = d.y - qual[d.entry_idx] - sev[d.juror_idx]
    rss = float(np.dot(resid, resid))
    return LeastSquares(rss, df, n_parts, rss / df if df > 0 else float("nan"))


def normal_equations(d: Design, dense: bool = True) -> NormalEquations:
    """The Schur complement of the entry block (see `fit_severity`); `lap` is a sparse CSR
    matrix when not `dense` (a large design fitted part by part, `shrink`)."""
    b = incidence(d)
    n_parts, e_part, j_part = components(d, b)
    n_e = np.asarray(b.sum(axis=1)).ravel()
    n_j = np.asarray(b.sum(axis=0)).ravel()
    sum_e = np.bincount(d.entry_idx, d.y, d.n_entries)
    sum_j = np.bincount(d.juror_idx, d.y, d.n_jurors)
    scaled = sparse.diags(1.0 / n_e) @ b
    if dense:
        lap = np.diag(n_j) - (b.T @ scaled).toarray()
    else:
        lap = (sparse.diags(n_j) - b.T @ scaled).tocsr()
    rhs = sum_j - b.T @ (sum_e / n_e)
    dev = d.y - (sum_e / n_e)[d.entry_idx]
    return NormalEquations(b, n_e, n_j, sum_e, lap, rhs, n_parts, e_part, j_part,
                           float(np.dot(dev, dev)))


def bridge(qual, sev, e_part, j_part, n_parts, bridging):
    """Apply the cross-part assumption; shifting a part by c keeps its fitted values."""
    jurors_per = np.bincount(j_part, minlength=n_parts)
    shift = -np.bincount(j_part, sev, n_parts) / jurors_per
    if bridging == "entries":
        q_bar = np.bincount(e_part, qual, n_parts) / np.bincount(e_part, minlength=n_parts)
        q_now = q_bar - shift
        target = float(np.dot(jurors_per, q_now) / jurors_per.sum())
        shift = shift + (q_now - target)
    return qual - shift[e_part], sev + shift[j_part]
