"""Reading a contest's audit log: filters by person, action, object and time; before/after
per changed key; pages, and the whole filtered log for the CSV export."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from contest.accounts.models import User
from contest.audit.models import AuditEvent
from contest.extensions import db

PAGE_SIZE = 100


@dataclass
class AuditFilters:
    actor_id: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 1


@dataclass
class Change:
    key: str
    before: str  # the stored value as text (JSON for lists and mappings)
    after: str
    raw_before: object = None  # the stored value itself (audit_fields makes it readable)
    raw_after: object = None


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def changes(old: dict | None, new: dict | None) -> list[Change]:
    """Each key of either side with its value before and after (unchanged keys left out when
    both sides are given)."""
    old, new = old or {}, new or {}
    keys = sorted(set(old) | set(new))
    both = bool(old) and bool(new)
    return [Change(k, _text(old.get(k)), _text(new.get(k)), old.get(k), new.get(k)) for k in keys
            if not both or old.get(k) != new.get(k)]


def _conditions(contest, f: AuditFilters) -> list:
    zone = ZoneInfo(contest.timezone or "Asia/Almaty")
    out = [AuditEvent.contest_id == contest.id]
    if f.actor_id:
        out.append(AuditEvent.actor_id == f.actor_id)
    if f.action:
        out.append(AuditEvent.action == f.action)
    if f.object_type:
        out.append(AuditEvent.object_type == f.object_type)
    if f.object_id:
        out.append(AuditEvent.object_id == f.object_id.strip())
    if f.since:
        out.append(AuditEvent.at >= datetime.combine(f.since, time(0), tzinfo=zone))
    if f.until:
        out.append(AuditEvent.at < datetime.combine(f.until + timedelta(days=1), time(0), tzinfo=zone))
    return out


def list_events(contest, f: AuditFilters, *, everything: bool = False):
    """(rows of (event, actor name), total, page, pages), newest first."""
    conditions = _conditions(contest, f)
    total = db.session.scalar(select(func.count(AuditEvent.id)).where(*conditions)) or 0
    query = (select(AuditEvent, User.full_name).outerjoin(User, User.id == AuditEvent.actor_id)
             .where(*conditions).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    if everything:
        return list(db.session.execute(query).all()), total, 1, 1
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, f.page), pages)
    rows = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return list(rows), total, page, pages


def filter_choices(contest) -> dict[str, list]:
    """The people, actions and object types found in this contest's log."""
    base = AuditEvent.contest_id == contest.id
    actors = db.session.execute(select(User.id, User.full_name).where(
        User.id.in_(select(AuditEvent.actor_id).where(base))).order_by(User.full_name)).all()
    actions = db.session.scalars(select(AuditEvent.action).where(base).distinct().order_by(AuditEvent.action))
    types = db.session.scalars(select(AuditEvent.object_type).where(base, AuditEvent.object_type != "")
                               .distinct().order_by(AuditEvent.object_type))
    return {"actors": [tuple(a) for a in actors], "actions": list(actions), "types": list(types)}
