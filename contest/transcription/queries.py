"""Reads for the transcription queue of a contest: what waits to be typed, what was typed.

Only what a transcriber needs: entry codes, pages, OCR confidence, who saved last and when.
Never an author's name, school or region, a score or a rank.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from contest.accounts.models import User
from contest.contests.models import Contest, ContestMember, ContestRole, Phase
from contest.extensions import db
from contest.submissions.models import Entry, EntryStatus
from contest.transcription.models import Transcription

MAX_DONE = 200  # typed entries shown, newest first


@dataclass(frozen=True)
class Waiting:
    entry_id: int
    code: str
    pages: int | None
    confidence: float | None


@dataclass(frozen=True)
class Done:
    entry_id: int
    code: str
    saved_by: str
    saved_at: datetime
    editable: bool  # still with the organizers (not yet with the jury): the text may be corrected


def waiting(contest_id: int) -> list[Waiting]:
    """Entries whose current version carries "needs_transcription", oldest first. They wait
    in the organizer's queue (needs attention), a small set even in a large contest."""
    entries = db.session.scalars(
        select(Entry).where(Entry.contest_id == contest_id, Entry.status == EntryStatus.NEEDS_ATTENTION)
        .options(selectinload(Entry.current_version)).order_by(Entry.id))
    out = []
    for entry in entries:
        version = entry.current_version
        flag = next((f for f in (version.flags if version else None) or []
                     if f.get("code") == "needs_transcription"), None)
        if flag is not None:
            out.append(Waiting(entry.id, entry.code, version.page_count, flag.get("confidence")))
    return out


def done(contest_id: int) -> list[Done]:
    """Entries typed by a person, with the last save's author and time, newest first."""
    last = (select(Transcription.entry_id, func.max(Transcription.id).label("id"))
            .join(Entry, Entry.id == Transcription.entry_id).where(Entry.contest_id == contest_id)
            .group_by(Transcription.entry_id).subquery())
    rows = db.session.execute(
        select(Entry.id, Entry.code, User.full_name, Transcription.created_at, Entry.status)
        .join(last, last.c.entry_id == Entry.id).join(Transcription, Transcription.id == last.c.id)
        .outerjoin(User, User.id == Transcription.created_by)
        .order_by(Transcription.id.desc()).limit(MAX_DONE))
    return [Done(entry_id, code, name or "—", at, status in (EntryStatus.READY, EntryStatus.NEEDS_ATTENTION))
            for entry_id, code, name, at, status in rows]


def transcriber_contests(user) -> list[tuple[Contest, int]]:
    """The contests where the user holds the transcriber role, with how many entries wait."""
    contests = db.session.scalars(
        select(Contest).join(ContestMember, ContestMember.contest_id == Contest.id)
        .where(ContestMember.user_id == user.id, ContestMember.role == ContestRole.TRANSCRIBER,
               Contest.phase != Phase.ARCHIVED).order_by(Contest.year.desc(), Contest.id.desc()))
    return [(contest, len(waiting(contest.id))) for contest in contests]
