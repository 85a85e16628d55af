"""Where an entry stands in its contest's calendar: one word that decides which actions its
author is offered and which message the status page shows. Pure: no Flask, no database.

Rule: a withdrawn or rejected entry stays so; otherwise the contest's phase decides
(published or archived -> "published", judging -> "judging"); in the open phase the
entry is "open" until the student's effective deadline and "closed" from then on.
Only an "open" entry can be replaced or withdrawn.
"""
from __future__ import annotations

from datetime import datetime

OPEN, CLOSED, JUDGING, PUBLISHED, WITHDRAWN, REJECTED = (
    "open", "closed", "judging", "published", "withdrawn", "rejected")


def entry_stage(*, phase: str, status: str, now: datetime, deadline: datetime | None) -> str:
    if status in (WITHDRAWN, REJECTED):
        return status
    if phase in ("published", "archived"):
        return PUBLISHED
    if phase == "judging":
        return JUDGING
    if phase == "open" and (deadline is None or now < deadline):
        return OPEN
    return CLOSED


def can_change(stage: str) -> bool:
    """Replacing and withdrawing: only while the entry is open."""
    return stage == OPEN
