"""Contest set-up models. Multilingual texts are JSON maps {"kk": ..., "ru": ..., "en": ...}
read through `localized()` so a missing language falls back to another one."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from contest.db import TimestampMixin, enum_column
from contest.extensions import db

FALLBACK_ORDER = ("kk", "ru", "en")


def localized(texts: dict[str, str] | None, lang: str) -> str:
    """The text in `lang`, else the first non-empty one in kk, ru, en order, else ""."""
    texts = texts or {}
    if texts.get(lang):
        return texts[lang]
    return next((texts[code] for code in FALLBACK_ORDER if texts.get(code)), "")


class Phase(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    JUDGING = "judging"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Contest(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code_prefix: Mapped[str] = mapped_column(String(8))  # receipts: ZT-2026-0042
    year: Mapped[int]
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    rules: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    phase: Mapped[Phase] = mapped_column(enum_column(Phase), default=Phase.DRAFT, index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Almaty")
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    judging_ends_at: Mapped[datetime | None]
    # Days before judging_ends_at on which jurors with unfinished reviews are reminded.
    reminder_days: Mapped[list[int] | None] = mapped_column(JSON, default=lambda: [3, 1])
    formats: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["pdf", "docx", "txt"])
    max_file_mb: Mapped[int] = mapped_column(default=10)
    max_pages: Mapped[int] = mapped_column(default=30)
    min_words: Mapped[int] = mapped_column(default=0)
    max_words: Mapped[int] = mapped_column(default=0)  # 0: no maximum
    soft_margin_pct: Mapped[int] = mapped_column(default=0)  # e.g. 10: up to 110% with a flag
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["kk", "ru", "en"])
    entries_per_student: Mapped[int] = mapped_column(default=1)
    reviews_per_entry: Mapped[int] = mapped_column(default=3)
    blind: Mapped[bool] = mapped_column(default=True)
    jurors_may_open_files: Mapped[bool] = mapped_column(default=False)
    same_region_conflict: Mapped[bool] = mapped_column(default=False)
    show_rubric: Mapped[bool] = mapped_column(default=True)
    share_feedback: Mapped[bool] = mapped_column(default=True)
    ranking_method: Mapped[str] = mapped_column(String(20), default="severity")
    # When the juror-entry graph splits: "jurors" (equally severe on average per part)
    # or "entries" (equally good on average per part); see ranking.fit.fit_severity.
    ranking_bridging: Mapped[str] = mapped_column(String(10), default="jurors")
    rank_by_topic: Mapped[bool] = mapped_column(default=False)
    tiebreaks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    disagreement_threshold: Mapped[float] = mapped_column(default=25.0)
    rubric_locked: Mapped[bool] = mapped_column(default=False)
    participation_certificates: Mapped[bool] = mapped_column(default=False)
    issuer: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Documents after the results (awards.documents.DocumentSettings reads it): language,
    # participation scope, thank-you letters, the protocol's place and jury officers.
    documents: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_mime: Mapped[str] = mapped_column(String(40), default="")
    entry_counter: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    topics: Mapped[list[Topic]] = relationship(
        back_populates="contest", order_by="Topic.position", cascade="all, delete-orphan")
    categories: Mapped[list[Category]] = relationship(
        back_populates="contest", order_by="Category.position", cascade="all, delete-orphan")
    # The first round's rubric (every round's, unless a later round has its own: round_no > 1).
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="contest", order_by="Criterion.position", cascade="all, delete-orphan",
        primaryjoin="and_(Contest.id == Criterion.contest_id, Criterion.round_no == 1)")
    award_tiers: Mapped[list[AwardTier]] = relationship(
        back_populates="contest", order_by="AwardTier.position", cascade="all, delete-orphan")
    signatories: Mapped[list[Signatory]] = relationship(
        back_populates="contest", order_by="Signatory.position", cascade="all, delete-orphan")

    def title_in(self, lang: str) -> str:
        return localized(self.title, lang)


class Topic(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    contest: Mapped[Contest] = relationship(back_populates="topics")


class Category(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    contest: Mapped[Contest] = relationship(back_populates="categories")


class Criterion(db.Model):
    """A rubric criterion: score range and step, weight, optional level descriptors
    [{"score": 5, "text": {"kk": ..., "ru": ..., "en": ...}}, ...]."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    min_score: Mapped[float] = mapped_column(default=0)
    max_score: Mapped[float] = mapped_column(default=10)
    step: Mapped[float] = mapped_column(default=1)
    weight: Mapped[float] = mapped_column(default=1)
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    round_no: Mapped[int] = mapped_column(default=1, server_default="1")  # a later round's own rubric
    contest: Mapped[Contest] = relationship(back_populates="criteria")

    def values(self) -> list[float]:
        """Every score a juror may give: min to max by step (the editor keeps this whole)."""
        count = round((self.max_score - self.min_score) / self.step) if self.step > 0 else 0
        return [round(self.min_score + i * self.step, 6) for i in range(count + 1)]


class AwardTier(db.Model):
    """An award rule per category (category_id None: every category): the top `count`
    entries, or every entry scoring at least `min_score`; or a participation certificate."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    name: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    rule: Mapped[str] = mapped_column(String(16), default="count")  # count | threshold | participation
    count: Mapped[int | None]
    min_score: Mapped[float | None]
    position: Mapped[int] = mapped_column(default=0)
    # The printed document's title per language ("Құрмет грамотасы", "Почётная грамота");
    # empty: "Diploma" for an award, "Certificate" for participation.
    document_title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    contest: Mapped[Contest] = relationship(back_populates="award_tiers")


class Signatory(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    names: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # spelling per language
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)
    contest: Mapped[Contest] = relationship(back_populates="signatories")

    def name_in(self, lang: str) -> str:
        """The name as spelt in `lang` (Сәрсенбаева / Сарсенбаева), else the one spelling."""
        return (self.names or {}).get(lang) or self.name


class JurorProfile(db.Model):
    """What assignment needs to know of a juror (school and region live on the user)."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None]  # max essays per contest; None: no limit


class ContestJuror(db.Model):
    """A juror attached to a contest, with the categories they judge there."""

    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    category_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    capacity: Mapped[int | None]


class ContestRole(enum.StrEnum):
    """An organizer's role in one contest; what each may do is in contests.permissions.GRANTS."""

    OWNER = "owner"
    CO_ORGANIZER = "co_organizer"
    OBSERVER = "observer"
    JURY_CHAIR = "jury_chair"
    TRANSCRIBER = "transcriber"  # types the text of pages OCR could not read, nothing else


class ContestMember(TimestampMixin, db.Model):
    """An organizer account holding a role in a contest (one role per person and contest)."""

    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[ContestRole] = mapped_column(enum_column(ContestRole))
