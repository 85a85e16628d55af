"""Reads for schools: suggestions while typing, and the organizer's list with head counts."""
from __future__ import annotations

from sqlalchemy import func, select

from contest.accounts.models import User
from contest.extensions import db
from contest.schools.models import School
from contest.schools.names import school_key

SUGGESTIONS = 10


def suggest(region: str, text: str) -> list[str]:
    """Up to ten school names of the region containing the typed text (folded like keys)."""
    key = school_key(text)
    if len(key) < 2:
        return []
    query = select(School.name).where(School.region == region, School.key.contains(key, autoescape=True))
    return list(db.session.scalars(query.order_by(School.name).limit(SUGGESTIONS)))


def list_schools(region: str, text: str = "", limit: int = 500) -> list[tuple[School, int]]:
    """The region's schools (matching the text) with how many people point at each."""
    people = (select(User.school_id, func.count(User.id).label("n")).where(User.school_id.is_not(None))
              .group_by(User.school_id).subquery())
    query = (select(School, func.coalesce(people.c.n, 0)).outerjoin(people, people.c.school_id == School.id)
             .where(School.region == region))
    key = school_key(text)
    if key:
        query = query.where(School.key.contains(key, autoescape=True))
    return [(school, n) for school, n in db.session.execute(query.order_by(School.key).limit(limit))]


def get_schools(ids: list[int]) -> list[School]:
    return list(db.session.scalars(select(School).where(School.id.in_(ids))))
