"""Object-level checks for entries. Views answer 404 when a check fails, as for a missing id."""
from __future__ import annotations

from contest.enums import Role
from contest.submissions.models import Entry


def is_owner(user, entry: Entry) -> bool:
    return bool(user.is_authenticated and entry.student_id == user.id)


def can_view_entry(user, entry: Entry) -> bool:
    """Students see their own entries; organizers see all; jurors nothing here."""
    return is_owner(user, entry) or bool(user.is_authenticated and user.role == Role.ORGANIZER)


def can_change_entry(user, entry: Entry) -> bool:
    """Only the author replaces or withdraws (the contest window is a business rule in services)."""
    return is_owner(user, entry) and user.role == Role.STUDENT
