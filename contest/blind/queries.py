"""Reads for blind judging: redaction progress, doubtful redactions, one entry's marks."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from contest.blind.models import EntryRedaction, RedactionStatus, RedactionTerm
from contest.extensions import db
from contest.submissions.models import Entry, EntryStatus


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def running(self) -> bool:
        return self.done < self.total


def redaction_progress(contest_id: int) -> Progress:
    """Entries whose last requested redaction is done, out of all with a record."""
    rows = dict(db.session.execute(
        select(EntryRedaction.status, func.count()).where(EntryRedaction.contest_id == contest_id)
        .group_by(EntryRedaction.status)).all())
    done = rows.get(RedactionStatus.DONE, 0)
    return Progress(done, done + rows.get(RedactionStatus.PENDING, 0))


LEFT_OUT = (EntryStatus.WITHDRAWN, EntryStatus.REJECTED)  # never judged: their doubts do not matter


def list_doubtful(contest_id: int) -> list[tuple[Entry, list[str]]]:
    """Live entries whose redaction is doubtful (see redaction.py), in code order."""
    rows = db.session.execute(
        select(Entry, EntryRedaction.doubts).join(EntryRedaction, EntryRedaction.entry_id == Entry.id)
        .where(EntryRedaction.contest_id == contest_id, Entry.status.not_in(LEFT_OUT))
        .order_by(Entry.code)).all()
    return [(entry, doubts) for entry, doubts in rows if doubts]


def doubtful_counts() -> dict[int, int]:
    """Per contest, the live entries whose redaction is doubtful (for the cross-contest
    needs-attention page). json_array_length exists on SQLite and PostgreSQL alike."""
    rows = db.session.execute(
        select(EntryRedaction.contest_id, func.count()).join(Entry, Entry.id == EntryRedaction.entry_id)
        .where(Entry.status.not_in(LEFT_OUT), func.json_array_length(EntryRedaction.doubts) > 0)
        .group_by(EntryRedaction.contest_id))
    return dict(rows.all())


def redaction_pending(entry_id: int) -> bool:
    """The entry's redaction is queued or running: its juror text is withheld meanwhile."""
    return db.session.scalar(select(EntryRedaction.status).where(
        EntryRedaction.entry_id == entry_id)) == RedactionStatus.PENDING


def list_terms(contest_id: int, entry_id: int | None = None) -> list[RedactionTerm]:
    query = select(RedactionTerm).where(RedactionTerm.contest_id == contest_id)
    own = RedactionTerm.entry_id.is_(None) if entry_id is None else RedactionTerm.entry_id == entry_id
    query = query.where(own)
    return list(db.session.scalars(query.order_by(RedactionTerm.id)))


def marked_pieces(text: str, spans: list) -> list[tuple[str, tuple | None]]:
    """The text cut into (piece, span or None) for the organizer's marked view."""
    pieces, pos = [], 0
    for start, end, rule in sorted(spans):
        if start < pos or end > len(text):
            continue
        pieces += [(text[pos:start], None), (text[start:end], (start, end, rule))]
        pos = end
    return [*pieces, (text[pos:], None)]


def term_contest(term_id: int) -> int | None:
    """The contest of the term a route names (for contest_access)."""
    return db.session.scalar(select(RedactionTerm.contest_id).where(RedactionTerm.id == term_id))
