"""The one place where an entry's state changes.

Rule: every change (a replacement, a withdrawal, extraction starting, its outcome, the
fall-back to an earlier readable version, an organizer's decision) is an event with the
states it may start from. It is written as one UPDATE that compares the status and the
`state_version` the caller read and bumps the version (compare-and-set), in the caller's
transaction. When another transaction changed the entry in between, the row no longer
matches: the entry is read again and the caller decides again on what is there now.

So an extraction result computed for version 2 can never undo a withdrawal or a newer
upload committed while the file was being read: by the time it is written, the decision
is taken again against the entry as it is, and it finds version 2 no longer current (or
the entry withdrawn) and changes nothing on the entry.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from contest.db import utcnow
from contest.extensions import db
from contest.submissions.models import Entry, EntryStatus

S = EntryStatus
LIVE = frozenset({S.RECEIVED, S.PROCESSING, S.READY, S.NEEDS_ATTENTION})
IN_WORK = frozenset({S.RECEIVED, S.PROCESSING})
DECIDED = frozenset({S.READY, S.NEEDS_ATTENTION, S.REJECTED})

# event -> the states it may start from
ALLOWED: dict[str, frozenset[EntryStatus]] = {
    "replaced": LIVE,
    "withdrawn": LIVE,
    "extraction_started": IN_WORK,
    "extracted": IN_WORK,
    "fell_back": IN_WORK,
    "newer_version_read": frozenset({S.READY, S.NEEDS_ATTENTION}),
    "flagged_as_later_copy": frozenset({S.READY}),
    "organizer_decided": DECIDED,
    "transcribed": frozenset({S.READY, S.NEEDS_ATTENTION}),  # a person typed the text (transcription)
}
MAX_TRIES = 5


class IllegalTransition(Exception):
    """The event cannot happen from the entry's current state."""

    def __init__(self, event: str, status: EntryStatus):
        super().__init__(f"{event} from {status.value}")
        self.event, self.status = event, status


class StaleEntry(Exception):
    """The entry kept changing under us (MAX_TRIES compare-and-sets failed)."""


@dataclass(frozen=True)
class Change:
    """What to write: the event, the new status and other entry columns."""

    event: str
    to: EntryStatus
    values: dict[str, Any] = field(default_factory=dict)


def _compare_and_set(entry: Entry, change: Change) -> bool:
    values = {"status": change.to, "state_version": entry.state_version + 1, "updated_at": utcnow(),
              **change.values}
    written = db.session.execute(
        update(Entry).where(Entry.id == entry.id, Entry.status == entry.status,
                            Entry.state_version == entry.state_version)
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if written != 1:
        return False
    for key, value in values.items():
        set_committed_value(entry, key, value)
    if "current_version_id" in values:
        db.session.expire(entry, ["current_version"])
    return True


def reload(entry_id: int) -> Entry:
    """The entry as the database has it now (what this transaction can see)."""
    return db.session.scalar(select(Entry).where(Entry.id == entry_id)
                             .execution_options(populate_existing=True))


def apply(entry: Entry, decide: Callable[[Entry], Change | None]) -> Change | None:
    """Decide on the entry as read and write the change with a compare-and-set; on a
    conflict read the entry again and decide again. Returns the change made, or None when
    `decide` wanted none. Raises IllegalTransition or StaleEntry."""
    db.session.flush()  # pending ORM changes first: the UPDATE below must see them
    for attempt in range(MAX_TRIES):
        if attempt:
            entry = reload(entry.id)
        change = decide(entry)
        if change is None:
            return None
        if entry.status not in ALLOWED[change.event]:
            raise IllegalTransition(change.event, entry.status)
        if _compare_and_set(entry, change):
            return change
    raise StaleEntry(f"entry {entry.id}")


READABLE = ("ok", "no_text", "empty")
UNREADABLE = ("encrypted", "corrupt", "too_complex", "timeout", "crashed")


def choose_current(versions: list[tuple[int, str]]) -> int | None:
    """Which version should be current, from (number, extraction_status) pairs.

    Rule: the newest upload, unless it could not be read at all; then the newest version
    that was read fine ("ok"); when there is none, still the newest (its flag tells the
    student why). A version never read because a newer one replaced it ("superseded")
    is never chosen. Returns the version number, or None without versions.
    """
    if not versions:
        return None
    newest = max(versions)
    if newest[1] not in UNREADABLE:
        return newest[0]
    ok = [number for number, status in versions if status == "ok"]
    return max(ok) if ok else newest[0]


def may_become_current(number: int, versions: list[tuple[int, str]]) -> bool:
    """Whether version `number` can still be chosen whatever the unread versions turn out
    to be: no newer version has been read fine (else it is superseded, never read)."""
    return not any(n > number and status in READABLE for n, status in versions)


def is_assignable(entry: Entry) -> bool:
    """What the assignment planner relies on: ready and never withdrawn."""
    return entry.status == S.READY and entry.withdrawn_at is None
