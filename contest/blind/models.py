"""Redaction records: what was removed from each entry, and the organizer's extra terms."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import enum_column, utcnow
from contest.extensions import db


class RedactionStatus(enum.StrEnum):
    PENDING = "pending"  # a re-run is queued: jurors get no text until it is done
    DONE = "done"


class EntryRedaction(db.Model):
    """The last redaction of an entry's current version: spans on its text, doubts, the
    surfaces the organizer restored, and the generation of the last requested run."""

    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("entry_version.id", ondelete="SET NULL"))
    status: Mapped[RedactionStatus] = mapped_column(enum_column(RedactionStatus),
                                                    default=RedactionStatus.PENDING)
    generation: Mapped[int] = mapped_column(default=0)
    keep: Mapped[list[str]] = mapped_column(JSON, default=list)
    spans: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)  # [start, end, rule]
    doubts: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A juror declared a conflict while this redaction was pending: the entry gets its
    # replacement juror when the redaction job is done (see services.defer_refill).
    refill_pending: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RedactionTerm(db.Model):
    """A term the organizer wants removed: for the whole contest (entry_id None) or one entry."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
