"""Who receives a message: each audience as a query of user ids (reads only)."""
from __future__ import annotations

from sqlalchemy import Select, exists, func, or_, select

from contest.accounts.models import User
from contest.awards.models import Award
from contest.contests.models import AwardTier, Contest, ContestJuror, Phase
from contest.coordinators.models import Pupil
from contest.enums import Role
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.messages.models import Audience
from contest.submissions.models import Entry, EntryStatus

_GONE = (EntryStatus.WITHDRAWN, EntryStatus.REJECTED)
PUBLISHED = (Phase.PUBLISHED, Phase.ARCHIVED)


def audience_ids(contest: Contest, audience: Audience, category_id: int | None = None) -> Select:
    """SELECT user.id of the audience's active users (distinct)."""
    live = (Entry.contest_id == contest.id, Entry.status.not_in(_GONE))
    if audience == Audience.STUDENTS:
        where = exists().where(Entry.student_id == User.id, *live)
    elif audience == Audience.CATEGORY:
        where = exists().where(Entry.student_id == User.id, Entry.category_id == category_id, *live)
    elif audience == Audience.ATTENTION:
        where = exists().where(Entry.student_id == User.id, Entry.contest_id == contest.id,
                               Entry.status == EntryStatus.NEEDS_ATTENTION)
    elif audience == Audience.NO_ENTRY:
        where = (User.role == Role.STUDENT) & ~exists().where(Entry.student_id == User.id, *live)
    elif audience == Audience.JURORS:
        where = exists().where(ContestJuror.user_id == User.id, ContestJuror.contest_id == contest.id)
    elif audience == Audience.UNFINISHED:
        where = exists().where(Assignment.juror_id == User.id, Assignment.contest_id == contest.id,
                               Assignment.status != ReviewStatus.SUBMITTED,
                               Assignment.entry_id == Entry.id, Entry.status.not_in(_GONE))
    elif audience == Audience.WINNERS:
        if contest.phase not in PUBLISHED:
            where = User.id.is_(None)  # before publication nobody may learn of an award
        else:
            where = exists().where(Entry.student_id == User.id, *live, Award.entry_id == Entry.id,
                                   Award.tier_id == AwardTier.id, AwardTier.rule != "participation")
    else:
        raise ValueError(audience)
    # A pupil a coordinator entered has no account of their own until they claim it: they are
    # reached through the coordinator (notify.email_recipient).
    reachable = or_(User.active.is_(True), exists().where(Pupil.user_id == User.id))
    return select(User.id).where(reachable, where).order_by(User.id)


def count_audience(contest: Contest, audience: Audience, category_id: int | None = None) -> int:
    ids = audience_ids(contest, audience, category_id).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(ids)) or 0


def sample_audience(contest: Contest, audience: Audience, category_id: int | None = None,
                    limit: int = 50) -> list[User]:
    """The first recipients by id, for the preview."""
    ids = audience_ids(contest, audience, category_id).limit(limit).subquery()
    return list(db.session.scalars(
        select(User).where(User.id.in_(select(ids.c.id))).order_by(User.full_name)))
