"""A later submission deadline for one student, or for every student of one school."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import utcnow
from contest.extensions import db


class DeadlineExtension(db.Model):
    """Exactly one of student_id and school is set. The school is matched as users type it
    today (case and spacing ignored)."""

    __table_args__ = (UniqueConstraint("contest_id", "student_id", name="uq_deadline_extension_student"),
                      UniqueConstraint("contest_id", "school", name="uq_deadline_extension_school"))
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    school: Mapped[str | None] = mapped_column(String(200))
    until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(1000))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
