"""Writes and reads for roles in a contest (owner, co-organizer, observer, jury chair,
transcriber).

Roles are held by organizer accounts. A contest always keeps at least one owner: the last
owner can be neither removed nor demoted. Every change is audited.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.contests.models import Contest, ContestMember, ContestRole
from contest.enums import Role
from contest.errors import InvalidInput, NotFound
from contest.extensions import db

ROLE_LABELS = {
    ContestRole.OWNER: _l("Owner"),
    ContestRole.CO_ORGANIZER: _l("Co-organizer"),
    ContestRole.OBSERVER: _l("Observer (read only)"),
    ContestRole.JURY_CHAIR: _l("Jury chair"),
    ContestRole.TRANSCRIBER: _l("Transcriber (types scanned pages)"),
}


def list_members(contest: Contest) -> list[tuple[ContestMember, User]]:
    return list(db.session.execute(
        select(ContestMember, User).join(User, User.id == ContestMember.user_id)
        .where(ContestMember.contest_id == contest.id).order_by(ContestMember.role, User.full_name)).all())


def list_candidates(contest: Contest) -> list[User]:
    """Active organizer accounts without a role in this contest."""
    holders = select(ContestMember.user_id).where(ContestMember.contest_id == contest.id)
    return list(db.session.scalars(select(User).where(
        User.role == Role.ORGANIZER, User.active.is_(True), User.id.not_in(holders))
        .order_by(User.full_name)))


def _owners(contest_id: int) -> int:
    return db.session.scalar(select(func.count(ContestMember.id)).where(
        ContestMember.contest_id == contest_id, ContestMember.role == ContestRole.OWNER)) or 0


def grant_role(*, contest: Contest, user_id: int, role: ContestRole, actor) -> ContestMember:
    """Give an organizer a role in the contest, or change the one they hold."""
    user = db.session.get(User, user_id)
    if user is None or user.role != Role.ORGANIZER:
        raise InvalidInput(_l("Roles in a contest are for organizer accounts."), field="user_id")
    member = db.session.scalar(select(ContestMember).where(
        ContestMember.contest_id == contest.id, ContestMember.user_id == user_id))
    old = member.role.value if member else None
    if member is None:
        member = ContestMember(contest_id=contest.id, user_id=user_id, role=role)
        db.session.add(member)
    else:
        if member.role == ContestRole.OWNER and role != ContestRole.OWNER and _owners(contest.id) <= 1:
            raise InvalidInput(_l("A contest needs at least one owner."))
        member.role = role
    db.session.flush()
    record_event(action="contest.role_granted", actor=actor, obj=member, contest_id=contest.id,
                 old={"user_id": user_id, "role": old} if old else None,
                 new={"user_id": user_id, "role": role.value})
    return member


def remove_role(*, contest: Contest, member_id: int, actor) -> None:
    member = db.session.scalar(select(ContestMember).where(
        ContestMember.id == member_id, ContestMember.contest_id == contest.id))
    if member is None:
        raise NotFound(_l("No such member."))
    if member.role == ContestRole.OWNER and _owners(contest.id) <= 1:
        raise InvalidInput(_l("A contest needs at least one owner."))
    record_event(action="contest.role_removed", actor=actor, obj=member, contest_id=contest.id,
                 old={"user_id": member.user_id, "role": member.role.value})
    db.session.delete(member)
    db.session.flush()


def make_owner(*, contest: Contest, user) -> None:
    """The creator of a contest (or of its copy) owns it."""
    db.session.add(ContestMember(contest_id=contest.id, user_id=user.id, role=ContestRole.OWNER))
    db.session.flush()
