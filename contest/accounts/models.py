"""User and single-use token models."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import TimestampMixin, enum_column, utcnow
from contest.enums import Role
from contest.extensions import db


class User(UserMixin, TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.STUDENT)
    language: Mapped[str] = mapped_column(String(2), default="kk")
    school: Mapped[str] = mapped_column(String(200), default="")  # the school's name, for display
    # No ON DELETE: a school is deleted only by a merge, which first moves its people.
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    grade: Mapped[str] = mapped_column(String(50), default="")
    region: Mapped[str] = mapped_column(String(120), default="")  # a code of schools/regions.json
    is_minor: Mapped[bool] = mapped_column(default=False)
    guardian_consent: Mapped[bool] = mapped_column(default=False)
    publish_name_consent: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # A site administrator (an organizer) sees and manages every contest; other organizers
    # only the contests they hold a role in (contests.models.ContestMember).
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Bumped on logout and password change: old session/remember cookies stop working.
    session_version: Mapped[int] = mapped_column(default=0)
    last_login_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class TokenPurpose(enum.StrEnum):
    SETUP = "setup"
    INVITE = "invite"
    RESET = "reset"
    CONFIRM = "confirm"
    CLAIM = "claim"  # a pupil takes over the record a coordinator made (contest.coordinators)


class Token(db.Model):
    """A single-use, expiring secret sent by e-mail or printed; only its hash is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    role: Mapped[Role | None] = mapped_column(enum_column(Role))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    language: Mapped[str] = mapped_column(String(2), default="")  # of the e-mail, for a resend

    def is_usable(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and now < self.expires_at
