"""Object-level rules for judging, used by views and templates alike.

A juror reaches an assignment only if it is theirs, they declared no conflict with the
entry, the entry is not withdrawn or rejected and the contest is in a readable phase
(queries.juror_assignment_filter); anything else answers 404, like a missing id.
"""
from __future__ import annotations

from contest.contests.models import Contest
from contest.judging import queries
from contest.judging.models import Assignment, ReviewStatus
from contest.judging.services import SCORING_PHASES


def visible_assignment(user, assignment_id: int) -> Assignment | None:
    """The user's own assignment when they may open it, else None."""
    found = visible_review(user, assignment_id)
    return found[0] if found else None


def visible_review(user, assignment_id: int) -> tuple[Assignment, Contest] | None:
    """(assignment, its contest) when the user may open the assignment, else None."""
    if not user.is_authenticated:
        return None
    return queries.get_visible_assignment(user.id, assignment_id)


def review_to_score(user, assignment_id: int) -> tuple[Assignment, Contest, tuple] | None:
    """visible_review with the rubric of the assignment's round (queries.get_review_to_score)."""
    if not user.is_authenticated:
        return None
    return queries.get_review_to_score(user.id, assignment_id)


def can_score(assignment: Assignment, contest: Contest) -> bool:
    """The juror may still change the review: not submitted, and judging is on."""
    return assignment.status != ReviewStatus.SUBMITTED and contest.phase in SCORING_PHASES


def can_reopen(assignment: Assignment) -> bool:
    return assignment.status == ReviewStatus.SUBMITTED


def assignment_contest(kwargs: dict) -> int | None:
    """The contest of the assignment a route names (for contest_access)."""
    from sqlalchemy import select

    from contest.extensions import db

    return db.session.scalar(select(Assignment.contest_id).where(Assignment.id == kwargs["assignment_id"]))
