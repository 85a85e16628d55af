"""An organizer's message and its recipients (one row each: the unit of idempotent sending)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import enum_column, utcnow
from contest.extensions import db


class Audience(enum.StrEnum):
    STUDENTS = "students"  # every student with an entry in the contest
    CATEGORY = "category"  # students with an entry in one category
    ATTENTION = "attention"  # students whose entry needs attention
    NO_ENTRY = "no_entry"  # registered students without an entry in this contest yet
    JURORS = "jurors"  # the contest's jury
    UNFINISHED = "unfinished"  # jurors with reviews still to submit
    WINNERS = "winners"  # students holding an award (only once results are published)


JUROR_AUDIENCES = (Audience.JURORS, Audience.UNFINISHED)


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    DONE = "done"


class RecipientStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Message(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    audience: Mapped[Audience] = mapped_column(enum_column(Audience))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))
    subject: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # {"kk": ..., "ru": ..., "en": ...}
    body: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus), default=MessageStatus.QUEUED)
    total: Mapped[int] = mapped_column(default=0)
    sent: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class MessageRecipient(db.Model):
    """One recipient of one message; the unique key means nobody is listed (or sent) twice."""

    __table_args__ = (UniqueConstraint("message_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[RecipientStatus] = mapped_column(enum_column(RecipientStatus),
                                                    default=RecipientStatus.PENDING, index=True)
    language: Mapped[str] = mapped_column(String(2), default="")
    error: Mapped[str] = mapped_column(String(300), default="")
    email_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_email.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime | None]
