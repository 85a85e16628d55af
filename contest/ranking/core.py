"""Ranking core: entry scores by method, juror statistics, disagreement, groups.

Pure: plain dataclasses in, dataclasses out. The numeric work is in `fit` (plain mean,
z-scores, full least squares) and `shrink` (the default, empirical-Bayes severity);
review totals are in `totals`, places and tie-breaks in `places`.
"""

import gc
from collections.abc import Callable, Hashable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from contest.ranking import fit, shrink
from contest.ranking.places import TIEBREAK_RULES, Placed, apply_tiebreaks
from contest.ranking.totals import Criterion, review_totals, score_matrix, weighted_total

METHODS = ("mean", "zscore", "severity", "severity_full")
# Spreads within this many points of the threshold are not "more than" it: float noise
# (25.000000000000007 for a spread of 25) must not decide a flag.
SPREAD_TOLERANCE = 1e-6
__all__ = ["Criterion", "Placed", "TIEBREAK_RULES", "apply_tiebreaks", "review_totals",
           "score_matrix", "weighted_total"]


@dataclass(frozen=True)
class Review:
    """One juror's scores for one entry: criterion id -> value."""

    entry_id: Hashable
    juror_id: Hashable
    scores: Mapping[Hashable, float]


@dataclass(frozen=True)
class EntryScore:
    """An entry's result: raw mean and method score of its review totals (0..100).

    spread: max - min of its review totals; corrected_spread: the same after removing
    each juror's estimated severity (what `flagged` is decided on)."""

    entry_id: Hashable
    raw_mean: float
    adjusted: float
    n_reviews: int
    spread: float
    flagged: bool
    part: int
    totals: tuple[float, ...]
    criterion_means: Mapping[Hashable, float] = field(default_factory=dict)
    corrected_spread: float = float("nan")


@dataclass(frozen=True)
class JurorStat:
    """A juror's severity (negative = harsh), its standard error, spread and load."""

    juror_id: Hashable
    severity: float
    se: float
    spread: float
    n_reviews: int
    part: int


@dataclass(frozen=True)
class Part:
    """A connected part of the juror-entry graph."""

    index: int
    entry_ids: tuple[Hashable, ...]
    juror_ids: tuple[Hashable, ...]


@dataclass(frozen=True)
class Ranking:
    """Scores of all entries and statistics of all jurors for one group of reviews.

    `entries` is ordered by adjusted score, best first (ties in first-seen order);
    use `apply_tiebreaks` for places. `bridging` matters only when len(parts) > 1.
    `linkage` (shrink.Linkage) says how much severity correction the default applied and
    why; None for "severity_full".
    """

    method: str
    bridging: str
    entries: tuple[EntryScore, ...]
    jurors: tuple[JurorStat, ...]
    parts: tuple[Part, ...]
    residual_sd: float
    linkage: shrink.Linkage | None = None


def rank_entries(
    reviews: Sequence[Review],
    criteria: Sequence[Criterion],
    method: str = "severity",
    *,
    bridging: str = "jurors",
    disagreement: float | None = None,
    ridge: float = 1e-9,
) -> Ranking:
    """Score every reviewed entry by `method` and describe every juror.

    Methods: "mean" = plain mean of totals; "zscore" = per-juror standardized totals
    mapped back to the scale (see `fit.zscore_scores`; unreliable when allocation is
    not random); "severity" (default) = total = quality + severity with severity a
    random effect, corrected as far as the links between jurors support it (see
    `shrink.fit_shrunk`); "severity_full" = the same model by plain least squares, the
    full correction however weak the links (see `fit.fit_severity`, which also documents
    `bridging`, and `shrink.fit_full`). Juror severities and standard errors come from
    "severity_full" for that method and from the default otherwise. An entry is flagged when max - min of its
    totals, each less its juror's severity, exceeds `disagreement` by more than
    SPREAD_TOLERANCE points.
    """
    matrix = score_matrix(reviews, criteria)
    return rank_matrix([r.entry_id for r in reviews], [r.juror_id for r in reviews], matrix, criteria,
                       method, bridging=bridging, disagreement=disagreement, ridge=ridge)


def rank_matrix(
    entry_keys: Sequence[Hashable],
    juror_keys: Sequence[Hashable],
    matrix: np.ndarray,
    criteria: Sequence[Criterion],
    method: str = "severity",
    *,
    bridging: str = "jurors",
    disagreement: float | None = None,
    ridge: float = 1e-9,
) -> Ranking:
    """`rank_entries` on parallel columns, for callers that load many reviews at once:
    review r is juror_keys[r] scoring entry_keys[r] with matrix[r] (a row of scores in
    `criteria` order, NaN = missing). Same rules and result."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}")
    if not len(entry_keys):
        return Ranking(method, bridging, (), (), (), float("nan"))
    entry_ids, e_idx = _index(entry_keys)
    juror_ids, j_idx = _index(juror_keys)
    totals = review_totals(matrix, criteria)
    d = fit.make_design(e_idx, j_idx, totals, len(entry_ids), len(juror_ids))
    sev = (shrink.fit_full(d, bridging, ridge) if method == "severity_full"
           else shrink.fit_shrunk(d, bridging))
    raw = fit.entry_means(d)
    if method == "zscore":
        score = fit.zscore_scores(d)
    else:
        score = raw if method == "mean" else sev.quality
    entries = _entry_rows(d, entry_ids, raw, score, sev, matrix, criteria, disagreement)
    order = np.argsort(-score, kind="stable").tolist()  # best first, ties in first-seen order
    return Ranking(
        method,
        bridging,
        tuple(entries[i] for i in order),
        _juror_rows(d, juror_ids, sev),
        _parts(entry_ids, juror_ids, sev),
        float(np.sqrt(sev.residual_var)),
        sev.linkage,
    )


@contextmanager
def collector_paused():
    """A ranking makes a few objects per entry (100,000 entries: ~400,000), none in a cycle;
    the cyclic garbage collector would walk them again and again as they are made (a
    third of the time). Paused meanwhile; reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _index(ids) -> tuple[list, np.ndarray]:
    """Map ids to 0..n-1 in first-seen order (integer ids by numpy, others by a dict)."""
    keys = np.asarray(ids) if len(ids) else np.zeros(0, dtype=np.int64)
    if keys.ndim == 1 and keys.dtype.kind in "iu":
        uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")  # unique ids by first appearance
        rank = np.empty(order.size, dtype=np.int64)
        rank[order] = np.arange(order.size)
        return uniq[order].tolist(), rank[inverse.ravel()]
    seen: dict = {}
    idx = [seen.setdefault(i, len(seen)) for i in ids]
    return list(seen), np.array(idx, dtype=np.int64)


def _entry_rows(d, entry_ids, raw, score, sev, matrix, criteria, disagreement):
    order = np.argsort(d.entry_idx, kind="stable")
    starts = np.searchsorted(d.entry_idx[order], np.arange(d.n_entries))
    counts = np.bincount(d.entry_idx, minlength=d.n_entries)
    sorted_y = d.y[order]
    spread = np.maximum.reduceat(sorted_y, starts) - np.minimum.reduceat(sorted_y, starts)
    net = (d.y - sev.severity[d.juror_idx])[order]
    corrected = np.maximum.reduceat(net, starts) - np.minimum.reduceat(net, starts)
    crit_sum = np.stack(
        [np.bincount(d.entry_idx, matrix[:, k], d.n_entries) for k in range(len(criteria))]
    ) if criteria else np.zeros((0, d.n_entries))
    crit_mean = (crit_sum / counts).T.tolist()
    ids = [c.id for c in criteria]
    no_flags = np.zeros(d.n_entries, dtype=bool)
    flagged = (no_flags if disagreement is None
               else corrected - disagreement > SPREAD_TOLERANCE).tolist()
    ys, first, n = sorted_y.tolist(), starts.tolist(), counts.tolist()
    return [
        EntryScore(eid, r, a, c, sp, f, p, tuple(ys[s : s + c]), dict(zip(ids, cm)), cs)
        for eid, r, a, c, sp, f, p, s, cm, cs in zip(
            entry_ids, raw.tolist(), score.tolist(), n, spread.tolist(), flagged,
            sev.entry_part.tolist(), first, crit_mean, corrected.tolist())
    ]


def _juror_rows(d, juror_ids, sev) -> tuple[JurorStat, ...]:
    n = np.bincount(d.juror_idx, minlength=d.n_jurors)
    mean = np.bincount(d.juror_idx, d.y, d.n_jurors) / n
    dev = d.y - mean[d.juror_idx]
    ss = np.bincount(d.juror_idx, dev * dev, d.n_jurors)
    spread = np.where(n > 1, np.sqrt(ss / np.maximum(n - 1, 1)), np.nan)
    return tuple(
        map(JurorStat, juror_ids, sev.severity.tolist(), sev.severity_se.tolist(), spread.tolist(),
            n.tolist(), sev.juror_part.tolist()))


def _parts(entry_ids, juror_ids, sev) -> tuple[Part, ...]:
    entries: list[list] = [[] for _ in range(sev.n_parts)]
    jurors: list[list] = [[] for _ in range(sev.n_parts)]
    for eid, p in zip(entry_ids, sev.entry_part.tolist()):
        entries[p].append(eid)
    for jid, p in zip(juror_ids, sev.juror_part.tolist()):
        jurors[p].append(jid)
    return tuple(Part(p, tuple(entries[p]), tuple(jurors[p])) for p in range(sev.n_parts))


@dataclass(frozen=True)
class GroupResult:
    """The ranking of one group (category, or category and topic) and its places."""

    group: Hashable
    ranking: Ranking
    places: tuple[Placed, ...]


def rank_groups(
    reviews: Sequence[Review],
    criteria: Sequence[Criterion],
    group_of: Callable[[Hashable], Hashable],
    method: str = "severity",
    *,
    chain: Sequence[tuple[str, object]] = (),
    tie_order: Callable[[Hashable], object] | None = None,
    **options,
) -> dict[Hashable, GroupResult]:
    """Rank within each group: group_of(entry_id) -> key such as (category, topic).

    Each group is fitted on its own reviews (a juror's severity or spread is
    estimated per group), because age groups differ in level and a per-juror
    standardization across them would mix level with severity. `tie_order` orders
    entries within a shared place (see `apply_tiebreaks`); `options` are passed to
    `rank_entries`. Groups come back in first-seen order.
    """
    matrix = score_matrix(reviews, criteria)
    return rank_groups_matrix([r.entry_id for r in reviews], [r.juror_id for r in reviews], matrix,
                              criteria, group_of, method, chain=chain, tie_order=tie_order,
                              **options)


def rank_groups_matrix(
    entry_keys: Sequence[Hashable],
    juror_keys: Sequence[Hashable],
    matrix: np.ndarray,
    criteria: Sequence[Criterion],
    group_of: Callable[[Hashable], Hashable],
    method: str = "severity",
    *,
    chain: Sequence[tuple[str, object]] = (),
    tie_order: Callable[[Hashable], object] | None = None,
    **options,
) -> dict[Hashable, GroupResult]:
    """`rank_groups` on parallel columns (see `rank_matrix`)."""
    with collector_paused():
        return _rank_groups(entry_keys, juror_keys, matrix, criteria, group_of, method, chain, tie_order,
                            options)


def _rank_groups(entry_keys, juror_keys, matrix, criteria, group_of, method, chain, tie_order, options):
    entry_ids, e_idx = _index(entry_keys)
    keys, g_of_entry = _index([group_of(e) for e in entry_ids])  # group_of once per entry
    g_idx = g_of_entry[e_idx]
    order = np.argsort(g_idx, kind="stable")  # each group's reviews in their original order
    bounds = np.searchsorted(g_idx[order], np.arange(len(keys) + 1))
    entry_arr, juror_arr = _column(entry_keys), _column(juror_keys)
    out = {}
    for g, key in enumerate(keys):
        idx = order[bounds[g]:bounds[g + 1]]
        ranking = rank_matrix(_take(entry_keys, entry_arr, idx), _take(juror_keys, juror_arr, idx),
                              matrix[idx], criteria, method, **options)
        out[key] = GroupResult(key, ranking, apply_tiebreaks(ranking.entries, chain, tie_order=tie_order))
    return out


def _column(keys):
    """keys as an integer array when they all are integers (fast slicing), else None."""
    arr = np.asarray(keys) if len(keys) else None
    return arr if arr is not None and arr.ndim == 1 and arr.dtype.kind in "iu" else None


def _take(keys, arr, idx: np.ndarray):
    return arr[idx] if arr is not None else [keys[r] for r in idx.tolist()]
