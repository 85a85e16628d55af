"""Awards from tiers: the pure rule that turns places and scores into proposed awards.

Input: the ranked entries, each with its category, its place in its group (the group is a
category, or a category and a topic when the contest ranks per topic; places are
competition ranking: tied entries share a place and the next place skips, 1, 2, 2, 4) and
its score; and the contest's tiers. Places are per group, so every count below is too:

1. The tiers that apply to an entry are those of its category and those for every category
   (category None), taken in order of (position, id): the first is the best.
2. A *count* tier covers the next `count` places after the count tiers before it: with
   counts 1, 2, 3 the tiers cover places 1, 2-3 and 4-6. An entry qualifies when its place
   is at most the running total of counts up to and including that tier.
   Ties at a boundary: qualification depends on the place alone, so every entry sharing the
   boundary place gets the tier. Places 1, 1, 3 with "top 1" and "next 2" give both
   first places the first tier and the entry in place 3 the second; places 1, 2, 2, 2 with
   "top 1" and "next 2" give all three entries in place 2 the second tier. A tie can widen a
   tier beyond its count, never push a better-placed entry out of it.
3. A *threshold* tier takes every entry whose score (rounded to 6 decimals, so float noise
   never decides) is at least `min_score`.
4. Each entry gets the first tier it qualifies for, and only that one.
5. When participation certificates are enabled, every other entry gets a participation
   certificate; its tier is the first *participation* tier that applies to the entry's
   category, or None (a certificate with the default title). Participation tiers are
   ignored when certificates are disabled, and never compete with count or threshold tiers.
   Tiers whose count or min_score is missing award nothing.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

AWARD = "award"
PARTICIPATION = "participation"
RULES = ("count", "threshold", "participation")


@dataclass(frozen=True)
class Tier:
    """An award rule as set up on the contest."""

    id: int
    rule: str
    category_id: int | None = None
    count: int | None = None
    min_score: float | None = None
    position: int = 0

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown tier rule {self.rule!r}; known: {RULES}")

    def applies_to(self, category_id: int) -> bool:
        return self.category_id is None or self.category_id == category_id


@dataclass(frozen=True)
class Candidate:
    """A ranked entry: its category, its place in its group and its score."""

    entry_id: Hashable
    category_id: int
    place: int
    score: float


@dataclass(frozen=True)
class Proposal:
    """The proposed outcome for one entry: kind is AWARD, PARTICIPATION or None."""

    entry_id: Hashable
    tier_id: int | None
    kind: str | None


def kind_of(rule: str | None, participation: bool) -> str | None:
    """What an entry holding a tier with `rule` (None: no tier) receives."""
    if rule in ("count", "threshold"):
        return AWARD
    return PARTICIPATION if participation else None


def propose_awards(
    candidates: Iterable[Candidate], tiers: Sequence[Tier], *, participation: bool = False
) -> dict[Hashable, Proposal]:
    """Proposals for every candidate, keyed by entry id, by the rule in this module's docstring."""
    ordered = sorted(tiers, key=lambda t: (t.position, t.id))
    out: dict[Hashable, Proposal] = {}
    for c in candidates:
        applicable = [t for t in ordered if t.applies_to(c.category_id)]
        tier = _best_tier(c, applicable)
        if tier is not None:
            out[c.entry_id] = Proposal(c.entry_id, tier.id, AWARD)
        elif participation:
            fallback = next((t.id for t in applicable if t.rule == "participation"), None)
            out[c.entry_id] = Proposal(c.entry_id, fallback, PARTICIPATION)
        else:
            out[c.entry_id] = Proposal(c.entry_id, None, None)
    return out


def _best_tier(c: Candidate, applicable: Sequence[Tier]) -> Tier | None:
    cutoff = 0
    for tier in applicable:
        if tier.rule == "count" and (tier.count or 0) > 0:
            cutoff += tier.count
            if c.place <= cutoff:
                return tier
        elif tier.rule == "threshold" and tier.min_score is not None:
            if round(c.score, 6) >= tier.min_score:
                return tier
    return None
