"""Entries and their versions. The database is the source of truth for an entry's status."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest.db import enum_column, utcnow
from contest.extensions import db


class EntryStatus(enum.StrEnum):
    RECEIVED = "received"
    PROCESSING = "processing"
    READY = "ready"
    NEEDS_ATTENTION = "needs_attention"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Entry(db.Model):
    """A student's essay in a contest; `code` is the receipt code (e.g. ZT-2026-0042)."""

    # (contest_id, id): a contest's entries in id order for any contest size, from the one
    # generic plan PostgreSQL keeps for the registry's page (migration s6_entry_contest_id_index).
    __table_args__ = (UniqueConstraint("contest_id", "code"),
                      Index("ix_entry_contest_id_id", "contest_id", "id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    status: Mapped[EntryStatus] = mapped_column(
        enum_column(EntryStatus), default=EntryStatus.RECEIVED, index=True)
    # Copied from the current version once extracted, for assignment and ranking queries.
    language: Mapped[str | None] = mapped_column(String(2))
    word_count: Mapped[int | None]
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("entry_version.id", use_alter=True, ondelete="SET NULL"))
    organizer_note: Mapped[str] = mapped_column(Text, default="")
    supervisor: Mapped[str] = mapped_column(String(200), default="")  # the teacher, printed on documents
    # The organizer's last decision on a flagged entry: "" | accepted | reupload | rejected.
    organizer_decision: Mapped[str] = mapped_column(String(16), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    # Bumped by every change of state (contest.submissions.lifecycle): the compare-and-set token.
    state_version: Mapped[int] = mapped_column(default=0)

    versions: Mapped[list[EntryVersion]] = relationship(
        back_populates="entry", foreign_keys="EntryVersion.entry_id", order_by="EntryVersion.number")
    current_version: Mapped[EntryVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True)


class EntryVersion(db.Model):
    """One uploaded file (or pasted text) and what the worker extracted from it."""

    __table_args__ = (UniqueConstraint("entry_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    original_name: Mapped[str] = mapped_column(String(255), default="")  # display only, cleaned
    stored_name: Mapped[str] = mapped_column(String(128))  # content-addressed: <sha256>.<ext>
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    format: Mapped[str] = mapped_column(String(8))  # pdf | docx | txt | text
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    extraction_status: Mapped[str] = mapped_column(String(20), default="pending")
    extraction_detail: Mapped[str] = mapped_column(String(400), default="")  # for organizers
    attempts: Mapped[int] = mapped_column(default=0)  # extraction runs started
    # The upload form's one-time key: a double-clicked submit finds the first version.
    submit_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    text: Mapped[str | None] = mapped_column(Text)
    juror_text: Mapped[str | None] = mapped_column(Text)  # redacted copy for blind judging
    juror_file_name: Mapped[str | None] = mapped_column(String(128))  # metadata-stripped copy
    # DOCX headers and footers: never shown to jurors, searched by redaction for its doubts.
    margin_text: Mapped[str | None] = mapped_column(Text, deferred=True)
    page_count: Mapped[int | None]
    word_count: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(String(2))
    flags: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    minhash: Mapped[bytes | None]
    extracted_at: Mapped[datetime | None]
    extraction_seconds: Mapped[float] = mapped_column(default=0.0)  # worker time
    # Share of each language in the text, e.g. {"kk": 0.62, "ru": 0.38}.
    language_shares: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)

    entry: Mapped[Entry] = relationship(back_populates="versions", foreign_keys=[entry_id])
