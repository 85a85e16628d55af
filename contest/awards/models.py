"""Awards decided per entry, result publications (frozen rankings) and issued diplomas."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import utcnow
from contest.extensions import db


class Publication(db.Model):
    """A frozen ranking and award list; a revision adds a new one and keeps the old."""

    __table_args__ = (UniqueConstraint("contest_id", "revision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(default=1)
    ranking: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    # What the jury protocol prints besides the ranking, frozen with it: the jury, the
    # ranking method and the entries not ranked (awards.protocol.snapshot).
    frozen: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class Award(db.Model):
    """The award an entry holds (proposed from tiers, or overridden with a reason)."""

    __table_args__ = (UniqueConstraint("entry_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    tier_id: Mapped[int | None] = mapped_column(ForeignKey("award_tier.id", ondelete="SET NULL"))
    place: Mapped[int | None]
    score: Mapped[float | None]
    overridden: Mapped[bool] = mapped_column(default=False)
    override_reason: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Diploma(db.Model):
    """An issued document: a student's diploma or participation certificate, a thank-you
    letter (to a juror or a supervising teacher) or a jury protocol. `slot` says what it is
    for ("entry:12", "teacher:12", "juror:7", "protocol:2:kk"); one row per slot, so the code
    is created once and survives regeneration."""

    __table_args__ = (UniqueConstraint("contest_id", "slot"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    slot: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    holder: Mapped[str] = mapped_column(String(200), default="")  # a teacher's name (no account)
    award_id: Mapped[int | None] = mapped_column(ForeignKey("award.id", ondelete="SET NULL"))
    # award | participation | juror_thanks | teacher_thanks | protocol
    kind: Mapped[str] = mapped_column(String(16), default="award")
    language: Mapped[str] = mapped_column(String(8), default="kk")  # kk, ru, en or kk+ru
    stored_name: Mapped[str | None] = mapped_column(String(128))  # file in the diplomas folder
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoke_reason: Mapped[str] = mapped_column(String(1000), default="")
