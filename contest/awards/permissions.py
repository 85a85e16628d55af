"""Object-level checks for awards and documents. A forbidden object answers 404 like a missing one.

Blind contests: a juror reaches no document but their own letter of thanks; nothing else
issued after the results names an author to them."""
from __future__ import annotations

from sqlalchemy import select

from contest.awards import queries
from contest.awards.documents import JUROR_THANKS, PROTOCOL
from contest.awards.models import Diploma
from contest.awards.tiers import AWARD, PARTICIPATION
from contest.contests import permissions as contest_permissions
from contest.contests.models import Contest
from contest.enums import Role
from contest.extensions import db
from contest.submissions.models import Entry


def can_manage_awards(user, contest: Contest) -> bool:
    return contest_permissions.can_manage_contest(user, contest)


def can_see_results(user, contest: Contest) -> bool:
    """The public sees results once published; the contest's organizers also see the preview."""
    return (contest_permissions.can_see_results(user, contest)
            or queries.visible_publication(contest) is not None)


def can_see_protocol(user, contest: Contest | int) -> bool:
    """The jury protocol names every author with their score: the contest's owners and its
    jury chair (and site administrators), as contests.permissions.can_sign_protocol says."""
    return contest_permissions.can_sign_protocol(user, contest)


def can_download_diploma(user, diploma: Diploma) -> bool:
    """The contest's organizers: any drawn document, a protocol only with `can_see_protocol`.
    Once the results are published, a student: the documents of their own entry (theirs and
    their supervisor's letter) unless revoked; a juror: their own letter of thanks only."""
    if diploma.stored_name is None or not user.is_authenticated:
        return False
    if diploma.kind == PROTOCOL:
        return can_see_protocol(user, diploma.contest_id)
    if contest_permissions.can_see_results(user, diploma.contest_id):
        return True
    if diploma.revoked_at is not None:
        return False
    contest = db.session.get(Contest, diploma.contest_id)
    if queries.visible_publication(contest) is None:
        return False
    if diploma.kind == JUROR_THANKS:
        return user.role == Role.JUROR and diploma.user_id == user.id
    if user.role not in (Role.STUDENT, Role.COORDINATOR) or diploma.entry_id is None:
        return False
    entry = db.session.get(Entry, diploma.entry_id)
    if entry is not None and user.role == Role.COORDINATOR:  # a school coordinator: their pupils'
        from contest.coordinators.queries import coordinates_student

        return coordinates_student(user, entry.student_id) and (
            diploma.kind in (AWARD, PARTICIPATION) or diploma.slot == f"teacher:{entry.id}")
    return entry is not None and entry.student_id == user.id and (
        diploma.kind in (AWARD, PARTICIPATION) or diploma.slot == f"teacher:{entry.id}")


def diploma_contest(kwargs: dict) -> int | None:
    """The contest of the diploma a route names (for contest_access)."""
    return db.session.scalar(select(Diploma.contest_id).where(Diploma.id == kwargs["diploma_id"]))
