"""Ranking core: weighted review totals, entry scores by method, tie-breaks, groups.

Pure: plain dataclasses in, dataclasses out. The numeric work is in `fit`.
"""

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from contest.ranking import fit

METHODS = ("mean", "zscore", "severity")
TIEBREAK_RULES = ("criterion", "fewer_low_marks")


@dataclass(frozen=True)
class Criterion:
    """A rubric criterion: scores run from `min` to `max`, counted with `weight`."""

    id: Hashable
    weight: float
    min: float
    max: float

    def __post_init__(self):
        if not self.max > self.min:
            raise ValueError(f"criterion {self.id!r}: max must exceed min")
        if not self.weight >= 0:
            raise ValueError(f"criterion {self.id!r}: weight must be >= 0")


@dataclass(frozen=True)
class Review:
    """One juror's scores for one entry: criterion id -> value."""

    entry_id: Hashable
    juror_id: Hashable
    scores: Mapping[Hashable, float]


@dataclass(frozen=True)
class EntryScore:
    """An entry's result: raw mean and method score of its review totals (0..100)."""

    entry_id: Hashable
    raw_mean: float
    adjusted: float
    n_reviews: int
    spread: float
    flagged: bool
    part: int
    totals: tuple[float, ...]
    criterion_means: Mapping[Hashable, float] = field(default_factory=dict)


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
    """

    method: str
    bridging: str
    entries: tuple[EntryScore, ...]
    jurors: tuple[JurorStat, ...]
    parts: tuple[Part, ...]
    residual_sd: float


@dataclass(frozen=True)
class Placed:
    """An entry with its place; tied entries share a place (1, 2, 2, 4)."""

    place: int
    entry: EntryScore


def weighted_total(scores: Mapping[Hashable, float], criteria: Sequence[Criterion]) -> float:
    """Review total on 0..100: each score rescaled to 0..1 on its own criterion's
    range, (x - min) / (max - min), then the weight-weighted mean of those, times 100.

    Every criterion must be scored and lie within its range (ValueError otherwise).
    """
    total_weight = sum(c.weight for c in criteria)
    if total_weight <= 0:
        raise ValueError("criteria weights must sum to a positive number")
    acc = 0.0
    for c in criteria:
        if c.id not in scores:
            raise ValueError(f"missing score for criterion {c.id!r}")
        x = float(scores[c.id])
        if not c.min <= x <= c.max:
            raise ValueError(f"score {x} for criterion {c.id!r} outside {c.min}..{c.max}")
        acc += c.weight * (x - c.min) / (c.max - c.min)
    return 100.0 * acc / total_weight


def review_totals(matrix: np.ndarray, criteria: Sequence[Criterion]) -> np.ndarray:
    """`weighted_total` of each row of a reviews x criteria score matrix (NaN = missing),
    vectorized; raises ValueError naming the first review with a missing or
    out-of-range score."""
    lo = np.array([c.min for c in criteria], dtype=np.float64)
    hi = np.array([c.max for c in criteria], dtype=np.float64)
    w = np.array([c.weight for c in criteria], dtype=np.float64)
    if w.sum() <= 0:
        raise ValueError("criteria weights must sum to a positive number")
    bad = ~((matrix >= lo) & (matrix <= hi)).all(axis=1)
    if bad.any():
        raise ValueError(f"review #{int(np.argmax(bad))} has a missing or out-of-range score")
    return 100.0 * (((matrix - lo) / (hi - lo)) @ w) / w.sum()


def score_matrix(reviews: Sequence[Review], criteria: Sequence[Criterion]) -> np.ndarray:
    """Reviews x criteria scores, NaN where a criterion is not scored."""
    return np.array([[r.scores.get(c.id, np.nan) for c in criteria] for r in reviews],
                    dtype=np.float64).reshape(len(reviews), len(criteria))


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
    not random); "severity" (default) = least-squares quality in total = quality +
    severity (see `fit.fit_severity`, which also documents `bridging`).
    Juror severities and their standard errors always come from the severity model.
    An entry is flagged when max - min of its totals exceeds `disagreement`.
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
    sev = fit.fit_severity(d, bridging, ridge)
    raw = fit.entry_means(d)
    if method == "zscore":
        score = fit.zscore_scores(d)
    else:
        score = raw if method == "mean" else sev.quality
    entries = _entry_rows(d, entry_ids, raw, score, sev, matrix, criteria, disagreement)
    order = sorted(range(len(entries)), key=lambda i: -score[i])
    return Ranking(
        method,
        bridging,
        tuple(entries[i] for i in order),
        _juror_rows(d, juror_ids, sev),
        _parts(entry_ids, juror_ids, sev),
        float(np.sqrt(sev.residual_var)),
    )


def _index(ids) -> tuple[list, np.ndarray]:
    """Map ids to 0..n-1 in first-seen order."""
    seen: dict = {}
    idx = [seen.setdefault(i, len(seen)) for i in ids]
    return list(seen), np.array(idx, dtype=np.int64)


def _entry_rows(d, entry_ids, raw, score, sev, matrix, criteria, disagreement):
    order = np.argsort(d.entry_idx, kind="stable")
    starts = np.searchsorted(d.entry_idx[order], np.arange(d.n_entries))
    counts = np.bincount(d.entry_idx, minlength=d.n_entries)
    sorted_y = d.y[order]
    spread = np.maximum.reduceat(sorted_y, starts) - np.minimum.reduceat(sorted_y, starts)
    crit_sum = np.stack(
        [np.bincount(d.entry_idx, matrix[:, k], d.n_entries) for k in range(len(criteria))]
    ) if criteria else np.zeros((0, d.n_entries))
    crit_mean = (crit_sum / counts).T.tolist()
    ids = [c.id for c in criteria]
    no_flags = np.zeros(d.n_entries, dtype=bool)
    flagged = (no_flags if disagreement is None else spread > disagreement).tolist()
    ys, first, n = sorted_y.tolist(), starts.tolist(), counts.tolist()
    return [
        EntryScore(eid, r, a, c, sp, f, p, tuple(ys[s : s + c]), dict(zip(ids, cm)))
        for eid, r, a, c, sp, f, p, s, cm in zip(
            entry_ids, raw.tolist(), score.tolist(), n, spread.tolist(), flagged,
            sev.entry_part.tolist(), first, crit_mean)
    ]


def _juror_rows(d, juror_ids, sev) -> tuple[JurorStat, ...]:
    n = np.bincount(d.juror_idx, minlength=d.n_jurors)
    mean = np.bincount(d.juror_idx, d.y, d.n_jurors) / n
    dev = d.y - mean[d.juror_idx]
    ss = np.bincount(d.juror_idx, dev * dev, d.n_jurors)
    spread = np.where(n > 1, np.sqrt(ss / np.maximum(n - 1, 1)), np.nan)
    return tuple(
        JurorStat(jid, float(sev.severity[k]), float(sev.severity_se[k]), float(spread[k]),
                  int(n[k]), int(sev.juror_part[k]))
        for k, jid in enumerate(juror_ids)
    )


def _parts(entry_ids, juror_ids, sev) -> tuple[Part, ...]:
    entries: list[list] = [[] for _ in range(sev.n_parts)]
    jurors: list[list] = [[] for _ in range(sev.n_parts)]
    for eid, p in zip(entry_ids, sev.entry_part.tolist()):
        entries[p].append(eid)
    for jid, p in zip(juror_ids, sev.juror_part.tolist()):
        jurors[p].append(jid)
    return tuple(Part(p, tuple(entries[p]), tuple(jurors[p])) for p in range(sev.n_parts))


def apply_tiebreaks(
    rows: Sequence[EntryScore], chain: Sequence[tuple[str, object]] = (), ndigits: int = 6
) -> tuple[Placed, ...]:
    """Place entries by adjusted score (higher first), then by each rule of `chain`:

    ("criterion", cid): higher mean score on that criterion wins;
    ("fewer_low_marks", threshold): fewer review totals strictly below threshold wins.
    Scores are compared rounded to `ndigits` decimals so float noise never breaks a
    tie. Entries equal on everything share a place; the next place skips
    ("competition" ranking 1, 2, 2, 4). Shared places keep the input order.
    """
    keys = [_tiebreak_key(r, chain, ndigits) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: keys[i])
    placed, place = [], 0
    for pos, i in enumerate(order):
        if pos == 0 or keys[i] != keys[order[pos - 1]]:
            place = pos + 1
        placed.append(Placed(place, rows[i]))
    return tuple(placed)


def _tiebreak_key(row: EntryScore, chain, ndigits: int) -> tuple:
    key = [-round(row.adjusted, ndigits)]
    for rule, arg in chain:
        if rule == "criterion":
            key.append(-round(row.criterion_means[arg], ndigits))
        elif rule == "fewer_low_marks":
            key.append(sum(1 for t in row.totals if t < arg))
        else:
            raise ValueError(f"unknown tie-break rule {rule!r}; known: {TIEBREAK_RULES}")
    return tuple(key)


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
    **options,
) -> dict[Hashable, GroupResult]:
    """Rank within each group: group_of(entry_id) -> key such as (category, topic).

    Each group is fitted on its own reviews (a juror's severity or spread is
    estimated per group), because age groups differ in level and a per-juror
    standardization across them would mix level with severity. `options` are
    passed to `rank_entries`. Groups come back in first-seen order.
    """
    matrix = score_matrix(reviews, criteria)
    return rank_groups_matrix([r.entry_id for r in reviews], [r.juror_id for r in reviews], matrix,
                              criteria, group_of, method, chain=chain, **options)


def rank_groups_matrix(
    entry_keys: Sequence[Hashable],
    juror_keys: Sequence[Hashable],
    matrix: np.ndarray,
    criteria: Sequence[Criterion],
    group_of: Callable[[Hashable], Hashable],
    method: str = "severity",
    *,
    chain: Sequence[tuple[str, object]] = (),
    **options,
) -> dict[Hashable, GroupResult]:
    """`rank_groups` on parallel columns (see `rank_matrix`)."""
    rows: dict[Hashable, list[int]] = {}
    for r, entry_id in enumerate(entry_keys):
        rows.setdefault(group_of(entry_id), []).append(r)
    out = {}
    for g, idx in rows.items():
        ranking = rank_matrix([entry_keys[r] for r in idx], [juror_keys[r] for r in idx],
                              matrix[np.asarray(idx, dtype=np.int64)], criteria, method, **options)
        out[g] = GroupResult(g, ranking, apply_tiebreaks(ranking.entries, chain))
    return out
