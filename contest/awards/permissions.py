"""Object-level checks for awards and diplomas. A forbidden object answers 404 like a missing one."""
from __future__ import annotations

from contest.accounts.permissions import is_organizer
from contest.awards import queries
from contest.awards.models import Diploma
from contest.contests.models import Contest
from contest.extensions import db
from contest.submissions.models import Entry


def can_manage_awards(user) -> bool:
    return is_organizer(user)


def can_see_results(user, contest: Contest) -> bool:
    """The public sees results once published; organizers also see the preview before."""
    return is_organizer(user) or queries.visible_publication(contest) is not None


def can_download_diploma(user, diploma: Diploma) -> bool:
    """Organizers: any drawn diploma. A student: their own, not revoked, once the results are
    published."""
    if diploma.stored_name is None or not user.is_authenticated:
        return False
    if is_organizer(user):
        return True
    entry = db.session.get(Entry, diploma.entry_id)
    contest = db.session.get(Contest, diploma.contest_id)
    return (entry is not None and entry.student_id == user.id and diploma.revoked_at is None
            and queries.visible_publication(contest) is not None)
