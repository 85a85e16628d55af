"""How an organizer-entered entry came in, and who claimed it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import utcnow
from contest.extensions import db


class PaperEntry(db.Model):
    """An entry the organizer entered for a pupil. Until the pupil claims it, the entry belongs
    to a placeholder account (no password, no real e-mail) holding the pupil's details."""

    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # paper | email
    contact: Mapped[str] = mapped_column(String(254), default="")  # optional, for the organizers
    claim_key: Mapped[str] = mapped_column(String(16))  # printed on the slip with the entry code
    entered_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None]
