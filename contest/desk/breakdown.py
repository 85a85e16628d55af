"""Participation statistics: entries, ready, judged and winners per region, school, grade,
language and category. Pure: rows in, counted groups out (no Flask, no database).

An entry counts as "ready" once it is ready for judging or has been judged, "judged" when
it has as many submitted reviews as the contest asks for, and a "winner" when it holds an
award. Groups are ordered by entries, largest first, then by name; an empty value is its
own group ("not given")."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DIMENSIONS = ("region", "school", "grade", "language", "category")


@dataclass(frozen=True)
class EntryFacts:
    region: str
    school: str
    grade: str
    language: str
    category: int | str
    ready: bool
    judged: bool
    winner: bool


@dataclass
class Group:
    key: object
    entries: int = 0
    ready: int = 0
    judged: int = 0
    winners: int = 0


def breakdown(facts: Iterable[EntryFacts], dimension: str) -> list[Group]:
    """Counts per value of `dimension`, largest group first."""
    groups: dict[object, Group] = {}
    for f in facts:
        key = getattr(f, dimension) or ""
        group = groups.setdefault(key, Group(key))
        group.entries += 1
        group.ready += f.ready
        group.judged += f.judged
        group.winners += f.winner
    return sorted(groups.values(), key=lambda g: (-g.entries, str(g.key)))


def totals(groups: list[Group]) -> Group:
    whole = Group("")
    for g in groups:
        whole.entries += g.entries
        whole.ready += g.ready
        whole.judged += g.judged
        whole.winners += g.winners
    return whole
