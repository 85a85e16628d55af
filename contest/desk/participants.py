"""The contest's people: students (with their entries here) and jurors (with their reviews
here), filtered by region, school and name."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, func, or_, select

from contest.accounts.models import User
from contest.contests.models import ContestJuror
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.submissions.models import Entry

PAGE_SIZE = 50


@dataclass
class Person:
    user: User
    entries: list[Entry] = field(default_factory=list)
    reviews_done: int = 0
    reviews_assigned: int = 0


def _filters(query, region: str, text: str):
    if region:
        query = query.where(User.region == region)
    if text.strip():
        like = f"%{text.strip().lower()}%"
        query = query.where(or_(func.lower(User.full_name).like(like), func.lower(User.school).like(like),
                                func.lower(User.email).like(like)))
    return query


def list_students(contest, *, region: str = "", text: str = "", page: int = 1):
    """(people, total, page, pages): the contest's students by name with their entries here."""
    ids = _filters(select(User.id).where(User.id.in_(select(Entry.student_id).where(
        Entry.contest_id == contest.id))), region, text)
    total = db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    users = list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.full_name, User.id)
                                    .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    people = {u.id: Person(u) for u in users}
    for entry in db.session.scalars(select(Entry).where(Entry.contest_id == contest.id,
                                                        Entry.student_id.in_(people)).order_by(Entry.code)):
        people[entry.student_id].entries.append(entry)
    return list(people.values()), total, page, pages


def list_jurors(contest, *, region: str = "", text: str = "") -> list[Person]:
    """The contest's jury by name with the reviews each has done and been given here."""
    done = func.sum(case((Assignment.status == ReviewStatus.SUBMITTED, 1), else_=0))
    counts = (select(Assignment.juror_id, done.label("done"), func.count(Assignment.id).label("n"))
              .where(Assignment.contest_id == contest.id).group_by(Assignment.juror_id).subquery())
    query = _filters(select(User, func.coalesce(counts.c.done, 0), func.coalesce(counts.c.n, 0))
                     .join(ContestJuror, ContestJuror.user_id == User.id)
                     .outerjoin(counts, counts.c.juror_id == User.id)
                     .where(ContestJuror.contest_id == contest.id), region, text)
    return [Person(user, reviews_done=int(d), reviews_assigned=int(n))
            for user, d, n in db.session.execute(query.order_by(User.full_name))]
