"""The outgoing e-mail record."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import utcnow
from contest.extensions import db


class OutgoingEmail(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # The From display name (the organizing institution, in the recipient's language).
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    # The same message asked for twice (e.g. a retried job) is stored and sent once.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
