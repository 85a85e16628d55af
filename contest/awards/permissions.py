"""Object-level checks for awards and documents. A forbidden object answers 404 like a missing one.

Blind contests: a juror reaches no document but their own letter of thanks; nothing else
issued after the results names an author to them."""
from __future__ import annotations

from contest.accounts.permissions import is_organizer
from contest.awards import queries
from contest.awards.documents import JUROR_THANKS, PROTOCOL
from contest.awards.models import Diploma
from contest.awards.tiers import AWARD, PARTICIPATION
from contest.contests.models import Contest
from contest.enums import Role
from contest.extensions import db
from contest.submissions.models import Entry


def can_manage_awards(user) -> bool:
    return is_organizer(user)


def can_see_results(user, contest: Contest) -> bool:
    """The public sees results once published; organizers also see the preview before."""
    return is_organizer(user) or queries.visible_publication(contest) is not None


def can_see_protocol(user, contest: Contest | int) -> bool:
    """The jury protocol names every author with their score: the contest's organizers only.
    The one place to widen when per-contest roles add the jury chair."""
    return is_organizer(user)


def can_download_diploma(user, diploma: Diploma) -> bool:
    """Organizers: any drawn document; a protocol only with `can_see_protocol`. Once the
    results are published, a student: the documents of their own entry (theirs and their
    supervisor's letter) unless revoked; a juror: their own letter of thanks, nothing else."""
    if diploma.stored_name is None or not user.is_authenticated:
        return False
    if diploma.kind == PROTOCOL:
        return can_see_protocol(user, diploma.contest_id)
    if is_organizer(user):
        return True
    if diploma.revoked_at is not None:
        return False
    contest = db.session.get(Contest, diploma.contest_id)
    if queries.visible_publication(contest) is None:
        return False
    if diploma.kind == JUROR_THANKS:
        return user.role == Role.JUROR and diploma.user_id == user.id
    if user.role != Role.STUDENT or diploma.entry_id is None:
        return False
    entry = db.session.get(Entry, diploma.entry_id)
    return entry is not None and entry.student_id == user.id and (
        diploma.kind in (AWARD, PARTICIPATION) or diploma.slot == f"teacher:{entry.id}")
