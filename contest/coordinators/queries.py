"""Reads for coordinators: their pupils, the entries they may see, who coordinates an entry.

Imports no other domain's services, so submissions, awards and the desk can ask these
questions without an import cycle.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.coordinators.models import CoordinatorLimit, Pupil
from contest.enums import Role
from contest.extensions import db


def is_coordinator(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.COORDINATOR)


def list_pupils(coordinator_id: int) -> list[tuple[Pupil, User]]:
    """The coordinator's pupils with their records, by name."""
    return list(db.session.execute(
        select(Pupil, User).join(User, User.id == Pupil.user_id)
        .where(Pupil.coordinator_id == coordinator_id).order_by(User.full_name, Pupil.id)))


def get_pupil(coordinator_id: int, pupil_id: int) -> tuple[Pupil, User] | None:
    """One of the coordinator's pupils; None for anyone else's (the view answers 404)."""
    row = db.session.execute(
        select(Pupil, User).join(User, User.id == Pupil.user_id)
        .where(Pupil.id == pupil_id, Pupil.coordinator_id == coordinator_id)).first()
    return tuple(row) if row else None


def pupil_of_user(user_id: int) -> Pupil | None:
    return db.session.scalar(select(Pupil).where(Pupil.user_id == user_id))


def coordinates_student(user, student_id: int) -> bool:
    """Is `user` the coordinator who entered this student (claimed or not)?"""
    if not is_coordinator(user):
        return False
    return db.session.scalar(select(Pupil.id).where(
        Pupil.user_id == student_id, Pupil.coordinator_id == user.id)) is not None


def may_act_for(user, student_id: int) -> bool:
    """The coordinator submits, replaces and withdraws only until the pupil claims the record."""
    if not is_coordinator(user):
        return False
    return db.session.scalar(select(Pupil.id).where(
        Pupil.user_id == student_id, Pupil.coordinator_id == user.id, Pupil.claimed_at.is_(None))) is not None


def mail_recipient(student: User) -> tuple[str, str]:
    """(address, language) for mail about a student's entry: the student's own, unless they are a
    pupil who has not claimed their record or has not agreed to e-mails; then their coordinator's."""
    return mail_recipients([student])[student.id]


def mail_recipients(students) -> dict[int, tuple[str, str]]:
    """`mail_recipient` for many students in one query, by student id. Every e-mail about a
    student goes through it: an unclaimed pupil's address is a placeholder, and a pupil who
    withdrew consent to e-mails must not get any."""
    students = list(students)
    redirected = {}
    for start in range(0, len(students), 500):  # bound the statement's parameters
        rows = db.session.execute(
            select(Pupil.user_id, Pupil.claimed_at, Pupil.email_consent, User.email, User.language)
            .join(User, User.id == Pupil.coordinator_id)
            .where(Pupil.user_id.in_([s.id for s in students[start:start + 500]])))
        redirected.update({pupil: (email, language) for pupil, claimed_at, consent, email, language in rows
                           if claimed_at is None or not consent})
    return {s.id: redirected.get(s.id, (s.email, s.language)) for s in students}


def limits(contest_id: int) -> tuple[int, int]:
    """(pupils, entries) one coordinator may submit in this contest."""
    row = db.session.get(CoordinatorLimit, contest_id)
    cfg = current_app.config
    if row is None:
        return cfg["COORDINATOR_MAX_PUPILS"], cfg["COORDINATOR_MAX_ENTRIES"]
    return row.max_pupils, row.max_entries


def usage(coordinator_id: int, contest_id: int) -> tuple[int, int]:
    """(pupils with an entry, entries) not withdrawn that this coordinator's pupils hold in the contest."""
    from contest.submissions.models import Entry, EntryStatus

    pupils = select(Pupil.user_id).where(Pupil.coordinator_id == coordinator_id)
    row = db.session.execute(
        select(func.count(func.distinct(Entry.student_id)), func.count(Entry.id))
        .where(Entry.contest_id == contest_id, Entry.student_id.in_(pupils),
               Entry.status != EntryStatus.WITHDRAWN)).one()
    return int(row[0]), int(row[1])


def usage_of_pupil(student_id: int, contest_id: int) -> int:
    """Entries not withdrawn this pupil holds in the contest."""
    from contest.submissions.models import Entry, EntryStatus

    return db.session.scalar(select(func.count(Entry.id)).where(
        Entry.contest_id == contest_id, Entry.student_id == student_id,
        Entry.status != EntryStatus.WITHDRAWN)) or 0


def coordinators_in_contest(contest_id: int) -> list[tuple[str, str, int, int]]:
    """(coordinator, school, pupils, entries) with entries not withdrawn in the contest, by school."""
    from contest.submissions.models import Entry, EntryStatus

    return [tuple(r) for r in db.session.execute(
        select(User.full_name, User.school, func.count(func.distinct(Entry.student_id)), func.count(Entry.id))
        .select_from(Entry).join(Pupil, Pupil.user_id == Entry.student_id)
        .join(User, User.id == Pupil.coordinator_id)
        .where(Entry.contest_id == contest_id, Entry.status != EntryStatus.WITHDRAWN)
        .group_by(User.id, User.full_name, User.school).order_by(User.school, User.full_name))]


def count_records(coordinator_id: int) -> int:
    return db.session.scalar(select(func.count(Pupil.id)).where(Pupil.coordinator_id == coordinator_id)) or 0


def pupil_entries(user_ids: list[int]) -> dict[int, list]:
    """Entries per pupil (user id), newest first, with their contest."""
    from contest.contests.models import Contest
    from contest.submissions.models import Entry

    out: dict[int, list] = {uid: [] for uid in user_ids}
    if not user_ids:
        return out
    rows = db.session.execute(select(Entry, Contest).join(Contest, Contest.id == Entry.contest_id)
                              .where(Entry.student_id.in_(user_ids)).order_by(Entry.id.desc()))
    for entry, contest in rows:
        out[entry.student_id].append((entry, contest))
    return out


def coordinator_names(student_ids: list[int]) -> dict[int, str]:
    """The coordinator's name per student id (students not entered by a coordinator are absent)."""
    if not student_ids:
        return {}
    return dict(db.session.execute(
        select(Pupil.user_id, User.full_name).join(User, User.id == Pupil.coordinator_id)
        .where(Pupil.user_id.in_(student_ids))))


def coordinator_name_of(student_id_column):
    """A scalar subquery: the name of the coordinator who entered the student in
    `student_id_column` (NULL if none), for the registry's statement (one index lookup per row
    instead of a second statement)."""
    from sqlalchemy.orm import aliased

    coordinator = aliased(User)
    return (select(coordinator.full_name).select_from(Pupil)
            .join(coordinator, coordinator.id == Pupil.coordinator_id)
            .where(Pupil.user_id == student_id_column).scalar_subquery())


def students_of_coordinators_named_param(name: str):
    """A subquery of student ids whose coordinator's name is like the bound parameter `name`
    (lower case, with %: the registry's filter), so its statement is built once."""
    from sqlalchemy import bindparam

    return (select(Pupil.user_id).join(User, User.id == Pupil.coordinator_id)
            .where(func.lower(User.full_name).like(bindparam(name))))
