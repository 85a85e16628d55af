"""Contest reads: public lists, editor pages, juries. Pages that list parts eager-load them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from contest.accounts.models import User
from contest.contests.models import Contest, ContestJuror, JurorProfile, Phase
from contest.db import utcnow
from contest.enums import Role
from contest.extensions import db

_PARTS = (selectinload(Contest.topics), selectinload(Contest.categories), selectinload(Contest.criteria),
          selectinload(Contest.award_tiers), selectinload(Contest.signatories))


def get_contest(contest_id: int) -> Contest | None:
    """A contest with all its parts loaded (any phase: callers check visibility)."""
    return db.session.scalar(select(Contest).where(Contest.id == contest_id).options(*_PARTS))


def list_contests_for_organizers(user) -> list[Contest]:
    """The contests the organizer holds a role in (every contest for a site administrator)."""
    from contest.contests.permissions import scope_contests

    query = scope_contests(select(Contest), user)
    return list(db.session.scalars(query.order_by(Contest.year.desc(), Contest.id.desc())))


@dataclass
class PublicContests:
    open_now: list[Contest]
    upcoming: list[Contest]
    closed: list[Contest]


def list_public_contests(now: datetime | None = None) -> PublicContests:
    """Open contests accepting entries now, open ones whose window is still ahead, and those
    being judged or with results. Drafts and archived contests never appear."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(Contest).where(Contest.phase.in_([Phase.OPEN, Phase.JUDGING, Phase.PUBLISHED]))
        .order_by(Contest.closes_at, Contest.id).options(selectinload(Contest.categories))
    ).all()
    result = PublicContests([], [], [])
    for contest in rows:
        if contest.phase != Phase.OPEN or (contest.closes_at and contest.closes_at <= now):
            result.closed.append(contest)
        elif contest.opens_at and contest.opens_at > now:
            result.upcoming.append(contest)
        else:
            result.open_now.append(contest)
    return result


@dataclass
class JuryMember:
    link: ContestJuror
    user: User
    profile: JurorProfile | None


def list_jury(contest: Contest) -> list[JuryMember]:
    rows = db.session.execute(
        select(ContestJuror, User, JurorProfile).join(User, User.id == ContestJuror.user_id)
        .outerjoin(JurorProfile, JurorProfile.user_id == User.id)
        .where(ContestJuror.contest_id == contest.id).order_by(User.full_name)
    ).all()
    return [JuryMember(*row) for row in rows]


def list_attachable_jurors(contest: Contest) -> list[User]:
    """Active jurors not yet on this contest's jury."""
    attached = select(ContestJuror.user_id).where(ContestJuror.contest_id == contest.id)
    return list(db.session.scalars(
        select(User).where(User.role == Role.JUROR, User.active.is_(True), User.id.not_in(attached))
        .order_by(User.full_name)))


def get_jury_link(contest: Contest, link_id: int) -> ContestJuror | None:
    return db.session.scalar(select(ContestJuror).where(ContestJuror.id == link_id,
                                                        ContestJuror.contest_id == contest.id))


def get_juror(user_id: int) -> User | None:
    return db.session.scalar(select(User).where(User.id == user_id, User.role == Role.JUROR))


def get_profile(user: User) -> JurorProfile | None:
    return db.session.get(JurorProfile, user.id)


def list_juror_contests(user: User) -> list[tuple[ContestJuror, Contest]]:
    return list(db.session.execute(
        select(ContestJuror, Contest).join(Contest, Contest.id == ContestJuror.contest_id)
        .where(ContestJuror.user_id == user.id).order_by(Contest.year.desc())).all())
