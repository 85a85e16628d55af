"""A school (college, university) in a region; people point at it through User.school_id."""
from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import TimestampMixin
from contest.extensions import db


class School(TimestampMixin, db.Model):
    """`key` is the folded name (schools.names.school_key): one row per region and key."""

    __table_args__ = (UniqueConstraint("region", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(40), default="", index=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200))
