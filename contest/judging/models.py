"""Assignments of entries to jurors and the jurors' reviews."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import enum_column, utcnow
from contest.extensions import db


class ReviewStatus(enum.StrEnum):
    NEW = "new"
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Assignment(db.Model):
    """Entry x juror. Its review lives on the same row: one review per assignment."""

    __table_args__ = (
        UniqueConstraint("entry_id", "juror_id", "round_no"),
        # Covers a round's loads of chosen jurors (a reassignment), the round's pairs (the
        # plan's input fingerprint) and the counts of reviews by state on the organizer's
        # pages without reading the table (on SQLite a table lookup per review, scattered).
        Index("ix_assignment_contest_round_juror_status", "contest_id", "round_no", "juror_id", "entry_id",
              "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # The judging round (contest.rounds): 1 unless the contest judges in rounds.
    round_no: Mapped[int] = mapped_column(default=1, server_default="1")
    status: Mapped[ReviewStatus] = mapped_column(enum_column(ReviewStatus), default=ReviewStatus.NEW)
    # Optimistic locking: a save names the version it started from; a stale one is refused.
    version: Mapped[int] = mapped_column(default=0)
    scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)  # criterion id -> score
    criterion_comments: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    private_comment: Mapped[str] = mapped_column(Text, default="")
    feedback: Mapped[str] = mapped_column(Text, default="")
    total: Mapped[float | None]  # weighted 0..100, set on submit
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class DeclaredConflict(db.Model):
    __table_args__ = (UniqueConstraint("entry_id", "juror_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JurorReminder(db.Model):
    """At most one reminder per juror per day: the unique key makes a second one fail."""

    __table_args__ = (UniqueConstraint("juror_id", "contest_id", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    day: Mapped[str] = mapped_column(String(10))
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
