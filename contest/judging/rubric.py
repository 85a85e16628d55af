"""The rubric of an assignment's round read in the statement that reads the assignment.

A draft save needs the assignment, its contest and the rubric; so does the reading view. As a
statement of its own the rubric cost a PostgreSQL round trip and the parsing of three JSON
columns per criterion on every autosave and every view. Here it is one more column of the
assignment's statement: the criteria of the assignment's round and of the first round (a later
round without its own rubric uses the first round's) as one JSON text, which the database
builds from the rows it reads, so it is never older than the assignment read with it. The text
is parsed once per process and kept by its value: a rubric that changes is another text, read
and parsed anew; nothing needs to be invalidated.
"""
from __future__ import annotations

import json
from functools import cache, lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Text, cast, func, or_, select

from contest.contests.models import Criterion
from contest.judging.models import Assignment


class RubricCriterion(NamedTuple):
    """A criterion with the attributes judging uses, shared by the requests that read the
    same rubric: read-only (its name, description and levels are never changed in place)."""

    id: int
    name: dict[str, str]
    description: dict[str, str]
    min_score: float
    max_score: float
    step: float
    weight: float
    levels: list[dict[str, Any]]


@cache
def rubric_column(dialect: str):
    """A scalar subquery on the outer statement's assignment: a JSON text of [round_no,
    position, id, name, description, min_score, max_score, step, weight, levels] per criterion
    of its round and of round 1 (NULL or "[]" for none). PostgreSQL writes the numbers in their
    shortest exact form; SQLite's JSON keeps 15 digits, so there they are quote()d text, which
    is exact."""
    c = Criterion
    if dialect == "postgresql":
        item = func.json_build_array(c.round_no, c.position, c.id, c.name, c.description, c.min_score,
                                     c.max_score, c.step, c.weight, c.levels)
        rubric = cast(func.json_agg(item), Text)
    else:
        item = func.json_array(c.round_no, c.position, c.id, func.json(c.name), func.json(c.description),
                               func.quote(c.min_score), func.quote(c.max_score), func.quote(c.step),
                               func.quote(c.weight), func.json(c.levels))
        rubric = func.json_group_array(item, type_=Text)
    return (select(rubric).where(c.contest_id == Assignment.contest_id,
                                 or_(c.round_no == Assignment.round_no, c.round_no == 1))
            .scalar_subquery())


@lru_cache(maxsize=256)
def parse_rubric(text: str | None, round_no: int) -> tuple[RubricCriterion, ...]:
    """The round's criteria (else the first round's) in their order (position, then id), from
    a `rubric_column` text; as `queries.get_criteria` reads them."""
    items = json.loads(text) if text else []
    own = [i for i in items if i[0] == round_no] or [i for i in items if i[0] == 1]
    own.sort(key=lambda i: (i[1], i[2]))
    return tuple(RubricCriterion(i[2], i[3], i[4], float(i[5]), float(i[6]), float(i[7]), float(i[8]), i[9])
                 for i in own)
