"""A bulk import of jurors: the parsed lines (previewed first), then their outcomes."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from contest.db import enum_column, utcnow
from contest.extensions import db


class ImportStatus(enum.StrEnum):
    PREVIEW = "preview"  # parsed and shown; nothing sent
    QUEUED = "queued"  # confirmed: the worker creates accounts and sends invitations
    DONE = "done"


class JurorImport(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus), default=ImportStatus.PREVIEW)
    # [{"line": 2, "name": ..., "email": ..., "languages": [...], "category_ids": [...], "school": ...,
    #   "region": ..., "capacity": 10, "problems": [{"code": ..., "value": ...}], "outcome": ...}]
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
