"""Writing audit events. Callers pass only what may be kept forever: never passwords or essay text."""
from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select

from contest.audit.models import AuditEvent
from contest.db import utcnow
from contest.extensions import db

FORBIDDEN_KEYS = {"password", "password_hash", "text", "token", "essay_text"}
_INSERT = insert(AuditEvent.__table__)


def event_values(
    *,
    action: str,
    actor=None,
    obj=None,
    contest_id: int | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """The columns of one audit event; refuses secret-looking keys."""
    for values in (old or {}, new or {}):
        leaked = FORBIDDEN_KEYS.intersection(values)
        if leaked:
            raise ValueError(f"audit values must not contain {sorted(leaked)}")
    return {
        "at": utcnow(),
        "action": action,
        "actor_id": getattr(actor, "id", None),
        "object_type": type(obj).__name__.lower() if obj is not None else "",
        "object_id": str(getattr(obj, "id", "")) if obj is not None else "",
        "contest_id": contest_id,
        "old": old,
        "new": new,
        "reason": reason[:1000],
    }


def record_event(**event: Any) -> None:
    """Append one audit event (written now, not committed): `event_values`' keyword arguments,
    which refuses secret-looking keys.

    A plain INSERT rather than an ORM object and its flush (an autosave that changes scores
    writes one). Pending ORM changes are flushed first, as before, so the event sees the ids
    and rows it describes."""
    write_event(event_values(**event))


def write_event(values: dict[str, Any]) -> None:
    """Append the event `event_values` made (written now, not committed)."""
    db.session.flush()
    db.session.connection().execute(_INSERT, values)


EVENT_PARAMETER = "event_{}".format  # the bind parameter of an event's column in insert_for_each


def insert_for_each(source):
    """INSERT ... SELECT: one audit event per row of `source` (a CTE of a data-modifying
    statement with RETURNING, on PostgreSQL), its columns in bind parameters named
    EVENT_PARAMETER(column) (give them `event_values`' values). Its row count is the number of
    rows `source` changed, so a write and the event that records it are one statement."""
    table = AuditEvent.__table__
    names = ["at", "action", "actor_id", "object_type", "object_id", "contest_id", "old", "new", "reason"]
    values = select(*[bindparam(EVENT_PARAMETER(name), type_=table.c[name].type) for name in names])
    return insert(table).from_select(names, values.select_from(source))


def record_changes(*, action: str, before: dict[str, Any], after: dict[str, Any], actor=None, obj=None,
                   contest_id: int | None = None, reason: str = "") -> bool:
    """One event with the old and new values of exactly the keys that changed; nothing (False)
    when nothing changed. `before`/`after` are snapshots of the same object as plain JSON values
    (a key missing on one side is None there)."""
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if not keys:
        return False
    record_event(action=action, actor=actor, obj=obj, contest_id=contest_id,
                 old={k: before.get(k) for k in keys}, new={k: after.get(k) for k in keys}, reason=reason)
    return True
