"""Places from scores: tie-break rules, shared places, and a stable order within them.

Pure: works on anything with `adjusted`, `criterion_means`, `totals` and `entry_id`
(core.EntryScore).
"""

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

TIEBREAK_RULES = ("criterion", "fewer_low_marks")


@dataclass(frozen=True)
class Placed:
    """An entry with its place; tied entries share a place (1, 2, 2, 4)."""

    place: int
    entry: Any


def apply_tiebreaks(
    rows: Sequence[Any], chain: Sequence[tuple[str, object]] = (), ndigits: int = 6,
    tie_order: Callable[[Hashable], Any] | None = None,
) -> tuple[Placed, ...]:
    """Place entries by adjusted score (higher first), then by each rule of `chain`:

    ("criterion", cid): higher mean score on that criterion wins;
    ("fewer_low_marks", threshold): fewer review totals strictly below threshold wins.
    Scores are compared rounded to `ndigits` decimals so float noise never breaks a
    tie. Entries equal on everything share a place; the next place skips
    ("competition" ranking 1, 2, 2, 4). Within a shared place entries are listed by
    tie_order(entry_id) (e.g. the entry code), so the order never depends on the order
    the database returned the reviews in; without tie_order the input order is kept.
    """
    keys = ([_tiebreak_key(r, chain, ndigits) for r in rows] if chain
            else [(-round(r.adjusted, ndigits),) for r in rows])
    listing = ([tie_order(r.entry_id) for r in rows] if tie_order is not None
               else list(range(len(rows))))
    fast = _places_by_numpy(keys, listing)
    if fast is not None:
        return tuple(map(Placed, fast[1].tolist(), [rows[i] for i in fast[0].tolist()]))
    order = sorted(range(len(rows)), key=list(zip(keys, listing)).__getitem__)
    placed, place = [], 0
    for pos, i in enumerate(order):
        if pos == 0 or keys[i] != keys[order[pos - 1]]:
            place = pos + 1
        placed.append(Placed(place, rows[i]))
    return tuple(placed)


def _places_by_numpy(keys: list[tuple], listing: list):
    """(order, places) as `apply_tiebreaks` makes them, by a stable lexicographic sort of
    the key columns (a national contest has 100,000 rows); None when a key or the listing
    is not plain numbers (or strings for the listing), or is NaN."""
    if not keys:
        return None
    try:
        cols = np.array(keys, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    listed = np.asarray(listing)
    if cols.ndim != 2 or np.isnan(cols).any() or listed.ndim != 1 or listed.dtype.kind not in "iuU":
        return None
    order = np.lexsort((listed, *cols.T[::-1]))  # the last key sorts first; stable
    ranked = cols[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (ranked[1:] != ranked[:-1]).any(axis=1)
    places = np.maximum.accumulate(np.where(new, np.arange(1, len(order) + 1), 0))
    return order, places


def _tiebreak_key(row: Any, chain, ndigits: int) -> tuple:
    key = [-round(row.adjusted, ndigits)]
    for rule, arg in chain:
        if rule == "criterion":
            key.append(-round(row.criterion_means[arg], ndigits))
        elif rule == "fewer_low_marks":
            key.append(sum(1 for t in row.totals if t < arg))
        else:
            raise ValueError(f"unknown tie-break rule {rule!r}; known: {TIEBREAK_RULES}")
    return tuple(key)
