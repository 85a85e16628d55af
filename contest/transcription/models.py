"""One saved transcription of a version's text (each save is a row: the history is kept)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import utcnow
from contest.extensions import db


class Transcription(db.Model):
    """The text a person saved for a version, and the text OCR had read (kept as it was)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("entry_version.id", ondelete="CASCADE"), index=True)
    ocr_text: Mapped[str] = mapped_column(Text, default="")  # what the machine read, before any person
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
