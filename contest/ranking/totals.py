"""Review totals: each criterion rescaled to 0..1 on its own range, weighted, times 100.

Pure: numbers in, numbers out (see `weighted_total` for the rule).
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np


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


def score_matrix(reviews: Sequence, criteria: Sequence[Criterion]) -> np.ndarray:
    """Reviews (core.Review) x criteria scores, NaN where a criterion is not scored."""
    return np.array([[r.scores.get(c.id, np.nan) for c in criteria] for r in reviews],
                    dtype=np.float64).reshape(len(reviews), len(criteria))
