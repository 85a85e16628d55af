"""Pupils a coordinator (a teacher) enters and submits for, and the per-contest caps.

A pupil is backed by a User row (role student) so that entries, ranking, documents and
conflicts of interest work unchanged: the row has no password, cannot sign in and carries a
placeholder address under the reserved `.invalid` domain until the pupil claims it. The
consent to publish the name lives on that User (publish_name_consent, is_minor,
guardian_consent, as for a self-registered student); what only a pupil has is here.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import TimestampMixin
from contest.extensions import db

PLACEHOLDER_DOMAIN = "pupils.invalid"  # RFC 2606: never deliverable, never a real address


class Pupil(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    coordinator_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    # The pupil's own address, if they have one: where the claim link goes.
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # May the contest e-mail the pupil themselves? Without it their mail goes to the coordinator.
    email_consent: Mapped[bool] = mapped_column(default=False)
    # Who gave the parent's or guardian's consent for a minor (name as written by the coordinator).
    guardian_name: Mapped[str] = mapped_column(String(200), default="")
    consent_recorded_at: Mapped[datetime | None]
    consent_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None]


class CoordinatorLimit(db.Model):
    """Per contest: how many pupils and entries one coordinator may submit (None: the default)."""

    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True)
    max_pupils: Mapped[int]
    max_entries: Mapped[int]
