"""Object-level checks for entries. Views answer 404 when a check fails, as for a missing id."""
from __future__ import annotations

from sqlalchemy import select

from contest.contests.permissions import can_see_entries
from contest.coordinators.queries import coordinates_student
from contest.enums import Role
from contest.extensions import db
from contest.submissions.models import Entry


def is_owner(user, entry: Entry) -> bool:
    return bool(user.is_authenticated and entry.student_id == user.id)


def can_view_entry(user, entry: Entry) -> bool:
    """Students see their own entries; a school coordinator their pupils' (also once claimed);
    organizers those of the contests they may see entries of; jurors nothing here."""
    return (is_owner(user, entry) or can_see_entries(user, entry.contest_id)
            or coordinates_student(user, entry.student_id))


def can_change_entry(user, entry: Entry) -> bool:
    """Only the author replaces or withdraws (the contest window is a business rule in services)."""
    return is_owner(user, entry) and user.role == Role.STUDENT


def entry_contest(kwargs: dict) -> int | None:
    """The contest of the entry a route names (for contest_access)."""
    return db.session.scalar(select(Entry.contest_id).where(Entry.id == kwargs["entry_id"]))
