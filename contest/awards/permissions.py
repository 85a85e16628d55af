"""Object-level checks for awards and diplomas. A forbidden object answers 404 like a missing one."""
from __future__ import annotations

from sqlalchemy import select

from contest.awards import queries
from contest.awards.models import Diploma
from contest.contests import permissions as contest_permissions
from contest.contests.models import Contest
from contest.extensions import db
from contest.submissions.models import Entry


def can_manage_awards(user, contest: Contest) -> bool:
    return contest_permissions.can_manage_contest(user, contest)


def can_see_results(user, contest: Contest) -> bool:
    """The public sees results once published; the contest's organizers also see the preview."""
    return (contest_permissions.can_see_results(user, contest)
            or queries.visible_publication(contest) is not None)


def can_download_diploma(user, diploma: Diploma) -> bool:
    """The contest's organizers: any drawn diploma. A student: their own, not revoked, once the
    results are published."""
    if diploma.stored_name is None or not user.is_authenticated:
        return False
    if contest_permissions.can_see_results(user, diploma.contest_id):
        return True
    entry = db.session.get(Entry, diploma.entry_id)
    contest = db.session.get(Contest, diploma.contest_id)
    return (entry is not None and entry.student_id == user.id and diploma.revoked_at is None
            and queries.visible_publication(contest) is not None)


def diploma_contest(kwargs: dict) -> int | None:
    """The contest of the diploma a route names (for contest_access)."""
    return db.session.scalar(select(Diploma.contest_id).where(Diploma.id == kwargs["diploma_id"]))
