"""Judging rounds and the shortlist between them.

A contest without JudgingRound rows has one round (number 1) and behaves as before.
Assignments and rubric criteria carry a round number (default 1); round n > 1 starts
only when the shortlist leading to it is confirmed.
"""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import TimestampMixin, enum_column
from contest.extensions import db


class RoundMode(enum.StrEnum):
    K_PER_ENTRY = "k"  # the planner: k distinct jurors per entry, loads balanced
    FULL_PANEL = "panel"  # every eligible juror of the round reads every entry


class RoundState(enum.StrEnum):
    PENDING = "pending"  # waits for the shortlist
    OPEN = "open"
    CLOSED = "closed"


class JudgingRound(TimestampMixin, db.Model):
    __tablename__ = "judging_round"
    __table_args__ = (UniqueConstraint("contest_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    mode: Mapped[RoundMode] = mapped_column(enum_column(RoundMode), default=RoundMode.K_PER_ENTRY)
    reviews_per_entry: Mapped[int | None]  # None: the contest's k
    juror_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # empty: every contest juror
    state: Mapped[RoundState] = mapped_column(enum_column(RoundState), default=RoundState.OPEN)
    closed_reason: Mapped[str] = mapped_column(String(1000), default="")
    # Final round only: the previous round's share in the combined score (0: this round alone).
    previous_weight: Mapped[float] = mapped_column(default=0.0)
    # The shortlist that leads into this round: {"kind": "top_n"|"top_pct"|"min_score", "value": x}.
    shortlist_rule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    shortlist_confirmed_at: Mapped[datetime | None]


class ShortlistEntry(db.Model):
    """One ranked entry of the previous round, in or out of the shortlist for `round_id`;
    `by_rule` is what the rule said, `selected` what the organizer decided."""

    __table_args__ = (UniqueConstraint("round_id", "entry_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("judging_round.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int]
    place: Mapped[int]
    score: Mapped[float]
    by_rule: Mapped[bool] = mapped_column(default=False)
    selected: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    notified_at: Mapped[datetime | None]
