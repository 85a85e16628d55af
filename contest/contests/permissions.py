"""Object-level predicates for contests; views answer 404 when they say no."""
from __future__ import annotations

from contest.accounts.permissions import is_organizer
from contest.contests.models import Contest, Phase


def can_view_contest(user, contest: Contest | None) -> bool:
    """Drafts exist only for organizers (who preview them); every other phase is public."""
    return contest is not None and (contest.phase != Phase.DRAFT or is_organizer(user))


def can_edit_juror_profile(user, juror) -> bool:
    """A juror edits their own profile; organizers edit any juror's."""
    return juror is not None and user.is_authenticated and (is_organizer(user) or user.id == juror.id)
