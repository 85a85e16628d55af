"""Schools: found or added when someone registers or edits a profile; merged by an organizer.

A merge moves everyone from the duplicates to the kept school and writes the kept name on
them, so "same school" conflicts of interest (compared on that name) now see them as one school;
assignments that have become conflicts are returned for the organizer to look at.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.errors import InvalidInput
from contest.extensions import db
from contest.schools import regions
from contest.schools.models import School
from contest.schools.names import clean_name, school_key


def find_or_add_school(*, region: str, name: str) -> School | None:
    """The school with this name in the region, added when new; None for an empty name."""
    key = school_key(name)
    if not key:
        return None
    region = region if region in regions.codes() else ""
    school = db.session.scalar(select(School).where(School.region == region, School.key == key))
    if school is None:
        school = School(region=region, name=clean_name(name), key=key)
        db.session.add(school)
        db.session.flush()
    return school


def set_school(user: User, *, region: str, name: str) -> None:
    """Point the user at the school (added when new) and write its name and the region on them."""
    school = find_or_add_school(region=region, name=name)
    user.region = region
    user.school_id = school.id if school else None
    user.school = school.name if school else ""


def merge_schools(*, keep: School, duplicates: list[School], actor) -> list:
    """Move everyone from `duplicates` to `keep` and delete the duplicates. Returns the open
    assignments whose juror and author are now at the same school."""
    duplicates = [d for d in duplicates if d.id != keep.id]
    if not duplicates:
        raise InvalidInput(_l("Choose at least one other school to merge into this one."))
    ids = [d.id for d in duplicates]
    people = list(db.session.scalars(select(User).where(User.school_id.in_(ids))))
    for user in people:
        user.school_id, user.school = keep.id, keep.name
    record_event(action="school.merged", actor=actor, obj=keep,
                 old={"schools": [{"id": d.id, "name": d.name, "region": d.region} for d in duplicates]},
                 new={"school": keep.name, "people_moved": len(people)})
    for duplicate in duplicates:
        db.session.delete(duplicate)
    db.session.flush()
    return new_conflicts(keep)


def new_conflicts(school: School) -> list:
    """Assignments not yet submitted whose juror and author are both at this school."""
    from sqlalchemy.orm import aliased

    from contest.judging.models import Assignment, ReviewStatus
    from contest.submissions.models import Entry

    juror, author = aliased(User), aliased(User)
    return list(db.session.execute(
        select(Assignment.id, Entry.id, Entry.code, juror.full_name)
        .join(Entry, Entry.id == Assignment.entry_id).join(author, author.id == Entry.student_id)
        .join(juror, juror.id == Assignment.juror_id)
        .where(author.school_id == school.id, juror.school_id == school.id,
               Assignment.status != ReviewStatus.SUBMITTED)).all())
