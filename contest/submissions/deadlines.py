"""A student's effective deadline, and the organizer's individual extensions.

`effective_deadline` is the one rule every submission check uses: the contest's closing
time, or the latest extension given to the student or to their school if that is later.
Nothing changes for anyone else."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.contests.models import Contest
from contest.enums import Role
from contest.errors import InvalidInput
from contest.extensions import db
from contest.submissions.extension_models import DeadlineExtension


def school_key(school: str | None) -> str:
    """Schools compare as typed today, ignoring case and spacing."""
    return " ".join((school or "").split()).casefold()


def latest(closes_at: datetime | None, extensions: list[datetime]) -> datetime | None:
    """Pure rule: no closing time means no deadline; an extension only ever moves it later."""
    if closes_at is None:
        return None
    return max([closes_at, *extensions])


def extensions_for(contest_id: int, student) -> list[DeadlineExtension]:
    """The extensions that apply to this student: their own and their school's."""
    if student is None or not getattr(student, "id", None):
        return []
    rows = db.session.scalars(select(DeadlineExtension).where(
        DeadlineExtension.contest_id == contest_id,
        or_(DeadlineExtension.student_id == student.id, DeadlineExtension.school.is_not(None))))
    key = school_key(getattr(student, "school", ""))
    return [e for e in rows if e.student_id == student.id or (key and school_key(e.school) == key)]


def effective_deadline(contest: Contest, student) -> datetime | None:
    """The moment after which this student can no longer submit, replace or withdraw (UTC)."""
    return latest(contest.closes_at, [e.until for e in extensions_for(contest.id, student)])


def list_extensions(contest_id: int) -> list[tuple[DeadlineExtension, User | None]]:
    rows = db.session.execute(
        select(DeadlineExtension, User).outerjoin(User, User.id == DeadlineExtension.student_id)
        .where(DeadlineExtension.contest_id == contest_id).order_by(DeadlineExtension.until.desc()))
    return [(e, u) for e, u in rows]


def find_student(email: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.email == email.strip().lower(), User.role == Role.STUDENT))


def grant_extension(*, contest: Contest, actor, until: datetime, reason: str, student: User | None = None,
                    school: str = "") -> DeadlineExtension:
    """Give one student (or every student of one school) a later deadline; a second grant
    for the same student or school replaces the first. Logged with old and new values."""
    school = " ".join((school or "").split())
    reason = " ".join((reason or "").split())
    if (student is None) == (not school):
        raise InvalidInput(_l("Choose one student or one school."), field="email")
    if student is not None and student.role != Role.STUDENT:
        raise InvalidInput(_l("No student has this e-mail."), field="email")
    if not reason:
        raise InvalidInput(_l("Give the reason for the extension."), field="reason")
    if contest.closes_at is None or until <= contest.closes_at:
        raise InvalidInput(_l("The new deadline must be later than the contest's deadline."), field="until")
    where = (DeadlineExtension.student_id == student.id) if student else DeadlineExtension.school.is_not(None)
    existing = [e for e in db.session.scalars(select(DeadlineExtension).where(
        DeadlineExtension.contest_id == contest.id, where))
        if student is not None or school_key(e.school) == school_key(school)]
    extension = existing[0] if existing else DeadlineExtension(
        contest_id=contest.id, student_id=student.id if student else None, school=school or None)
    old = {"until": extension.until.isoformat(), "reason": extension.reason} if existing else None
    extension.until, extension.reason, extension.created_by_id = until, reason[:1000], actor.id
    db.session.add(extension)
    db.session.flush()
    record_event(action="deadline.extended", actor=actor, obj=extension, contest_id=contest.id, old=old,
                 new={"until": until.isoformat(), "student_id": extension.student_id,
                      "school": extension.school},
                 reason=reason)
    return extension


def remove_extension(*, contest: Contest, extension: DeadlineExtension, actor) -> None:
    record_event(action="deadline.extension_removed", actor=actor, obj=extension, contest_id=contest.id,
                 old={"until": extension.until.isoformat(), "student_id": extension.student_id,
                      "school": extension.school})
    db.session.delete(extension)
    db.session.flush()


def running_extensions(student) -> list[tuple[Contest, datetime]]:
    """Open contests where this student's own deadline is later than everyone's and ahead."""
    from contest.contests.models import Phase
    from contest.db import utcnow

    now = utcnow()
    found = []
    for contest in db.session.scalars(select(Contest).where(Contest.phase == Phase.OPEN)):
        deadline = effective_deadline(contest, student)
        if deadline and contest.closes_at and deadline > contest.closes_at and deadline > now:
            found.append((contest, deadline))
    return found
