"""Writes for blind judging: redact an entry, re-run redaction for a contest, the organizer's
terms and restorations, and the blind setting's consequences. Services flush, never commit."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.blind.models import EntryRedaction, RedactionStatus, RedactionTerm
from contest.contests.models import Contest, Phase
from contest.db import utcnow
from contest.errors import InvalidInput
from contest.extensions import db
from contest.extraction.juror_pdf import juror_pdf
from contest.extraction.redaction import Author, margin_doubts, redact_text
from contest.jobs import enqueue_after_commit
from contest.submissions import storage
from contest.submissions.models import Entry, EntryStatus, EntryVersion

MAX_TERM = 200
SKIPPED = (EntryStatus.WITHDRAWN, EntryStatus.REJECTED)  # never redacted again


def author_of(entry: Entry, *, keep: list[str] | None = None) -> Author:
    """The author's record, the supervising teacher named on the entry, and the organizer's
    terms (contest-wide and for this entry)."""
    student = db.session.get(User, entry.student_id)
    terms = db.session.scalars(select(RedactionTerm.term).where(
        RedactionTerm.contest_id == entry.contest_id,
        (RedactionTerm.entry_id.is_(None)) | (RedactionTerm.entry_id == entry.id)).order_by(RedactionTerm.id))
    return Author(full_name=student.full_name, school=student.school or "", email=student.email,
                  region=student.region or "", extra_terms=tuple(terms), keep=tuple(keep or ()),
                  others=(entry.supervisor,) if entry.supervisor else ())


def _record(entry: Entry) -> EntryRedaction:
    record = db.session.get(EntryRedaction, entry.id)
    if record is None:
        record = EntryRedaction(entry_id=entry.id, contest_id=entry.contest_id, keep=[], spans=[], doubts=[],
                                generation=0, status=RedactionStatus.PENDING, refill_pending=False)
        db.session.add(record)
    return record


def prepare_juror_copy(*, version: EntryVersion, entry: Entry, contest: Contest) -> None:
    """What jurors read of this version. Not blind: the text and (if allowed) the original
    file. Blind: the redacted text and (if jurors may open files) a PDF typeset from it,
    never the original; no text means no file."""
    if not contest.blind:
        version.juror_text = version.text
        version.juror_file_name = version.stored_name if contest.jurors_may_open_files else None
        return
    record = _record(entry)
    ocr = (any(f.get("code") == "ocr" for f in version.flags or [])
           or "ocr" in (version.extraction_detail or ""))
    author = author_of(entry, keep=record.keep)
    result = redact_text(version.text or "", author, ocr=ocr)
    margin = margin_doubts(version.margin_text or "", author)  # headers/footers never reach jurors
    version.juror_text = result.text if version.text else None
    version.juror_file_name = None
    if contest.jurors_may_open_files and version.format != "text" and (version.text or "").strip():
        version.juror_file_name = storage.store_bytes(juror_pdf(result.text, entry.code), "pdf")[0]
    record.version_id, record.status, record.updated_at = version.id, RedactionStatus.DONE, utcnow()
    record.spans = [[s.start, s.end, s.rule] for s in result.spans]
    record.doubts = list(dict.fromkeys([*result.doubts, *margin]))
    db.session.flush()


def redact_entry(*, entry_id: int, generation: int | None = None) -> bool:
    """Re-run redaction of one entry's current version (the job's body). Idempotent: the
    same inputs give the same text and file; a run for an older generation does nothing."""
    entry = db.session.get(Entry, entry_id)
    record = db.session.get(EntryRedaction, entry_id)
    if entry is None or (generation is not None and record is not None and record.generation != generation):
        return False
    version = db.session.get(EntryVersion, entry.current_version_id) if entry.current_version_id else None
    if version is None or version.extraction_status in ("pending", "processing"):  # extraction redacts it
        _record(entry).status = RedactionStatus.DONE
        db.session.flush()
        return False
    prepare_juror_copy(version=version, entry=entry, contest=db.session.get(Contest, entry.contest_id))
    if _take_refill(entry.id):  # a juror declared a conflict meanwhile: the entry gets its new juror now
        from contest.judging.assign_services import reassign_entry

        reassign_entry(entry=entry, actor=None)
    return True


def defer_refill(entry: Entry) -> bool:
    """True if the entry's redaction is pending (queued or running): then it must reach no new
    juror yet, and the redaction job gives it its replacement juror when done. One UPDATE
    that matches only a pending record, so a job finishing at the same moment either sees
    the request or has already finished (then this returns False and the caller refills)."""
    return bool(db.session.execute(
        update(EntryRedaction).where(EntryRedaction.entry_id == entry.id,
                                     EntryRedaction.status == RedactionStatus.PENDING)
        .values(refill_pending=True).execution_options(synchronize_session=False)).rowcount)


def _take_refill(entry_id: int) -> bool:
    """Consume a waiting refill request (after this run marked the redaction done)."""
    db.session.flush()
    return bool(db.session.execute(
        update(EntryRedaction).where(EntryRedaction.entry_id == entry_id, EntryRedaction.refill_pending)
        .values(refill_pending=False).execution_options(synchronize_session=False)).rowcount)


def schedule_redaction(*, contest: Contest, entry_ids: list[int] | None = None) -> int:
    """Queue a re-run (one job per entry) for the contest's live entries, or the given ones.
    Until its job is done an entry's juror text is withheld, so nothing stale is shown."""
    from contest.blind.tasks import redact_entry_job

    query = select(Entry).where(Entry.contest_id == contest.id, Entry.status.not_in(SKIPPED))
    if entry_ids is not None:
        query = query.where(Entry.id.in_(entry_ids))
    entries = list(db.session.scalars(query))
    for entry in entries:
        record = _record(entry)
        record.generation = (record.generation or 0) + 1
        record.status, record.updated_at = RedactionStatus.PENDING, utcnow()
        db.session.flush()
        enqueue_after_commit(redact_entry_job, dedupe_key=f"redact:{entry.id}:{record.generation}",
                             entry_id=entry.id, generation=record.generation)
    if entries:
        db.session.execute(update(EntryVersion).where(EntryVersion.id.in_(
            [e.current_version_id for e in entries if e.current_version_id]))
            .values(juror_text=None, juror_file_name=None).execution_options(synchronize_session=False))
    db.session.flush()
    return len(entries)


def judging_started(contest: Contest) -> bool:
    """Judging has started once the contest is in judging (or later) or anyone is assigned."""
    from contest.judging.models import Assignment

    if contest.phase in (Phase.JUDGING, Phase.PUBLISHED, Phase.ARCHIVED):
        return True
    first = db.session.scalar(select(Assignment.id).where(Assignment.contest_id == contest.id).limit(1))
    return first is not None


def blind_change_error(*, contest: Contest, blind: bool, reason: str) -> str | None:
    """Why the blind setting may not change this way, or None."""
    if contest.blind and not blind and judging_started(contest) and not reason.strip():
        return _l("Judging has started: give a reason for turning blind judging off. It will be logged.")
    return None


def after_settings_change(*, contest: Contest, actor, old_blind: bool, old_files: bool, reason: str) -> None:
    """Consequences of saving the editor: every change of the blind setting is logged, and
    turning blind on (or letting jurors open files in a blind contest) re-runs redaction."""
    if contest.id is None:
        return
    if old_blind != contest.blind:
        record_event(action="contest.blind", actor=actor, obj=contest, contest_id=contest.id,
                     old={"blind": old_blind}, new={"blind": contest.blind}, reason=reason.strip())
    if contest.blind and (not old_blind or old_files != contest.jurors_may_open_files):
        schedule_redaction(contest=contest)


def add_term(*, contest: Contest, term: str, actor, entry: Entry | None = None) -> RedactionTerm:
    """One more term to remove (contest-wide or for one entry); the affected entries re-run."""
    term = " ".join(term.split())
    if not term or len(term) > MAX_TERM:
        raise InvalidInput(_l("Give a term of 1 to %(n)s characters.", n=MAX_TERM), field="term")
    row = RedactionTerm(contest_id=contest.id, entry_id=entry.id if entry else None, term=term)
    db.session.add(row)
    db.session.flush()
    record_event(action="redaction.term_added", actor=actor, obj=entry or contest, contest_id=contest.id,
                 new={"term": term, "entry": entry.code if entry else None})
    if contest.blind:
        schedule_redaction(contest=contest, entry_ids=[entry.id] if entry else None)
    return row


def remove_term(*, term: RedactionTerm, actor) -> None:
    contest = db.session.get(Contest, term.contest_id)
    record_event(action="redaction.term_removed", actor=actor, obj=contest, contest_id=contest.id,
                 old={"term": term.term})
    entry_ids = [term.entry_id] if term.entry_id else None
    db.session.delete(term)
    db.session.flush()
    if contest.blind:
        schedule_redaction(contest=contest, entry_ids=entry_ids)


def restore_span(*, entry: Entry, start: int, end: int, actor) -> None:
    """Keep what the span covers (the same words anywhere in this entry) and re-run."""
    record = db.session.get(EntryRedaction, entry.id)
    version = db.session.get(EntryVersion, entry.current_version_id) if entry.current_version_id else None
    if record is None or version is None or [start, end] not in [s[:2] for s in record.spans]:
        raise InvalidInput(_l("That removed passage is no longer there. Look again."))
    surface = (version.text or "")[start:end]
    record.keep = [*record.keep, surface]
    record_event(action="redaction.restored", actor=actor, obj=entry, contest_id=entry.contest_id,
                 new={"start": start, "end": end})
    schedule_redaction(contest=db.session.get(Contest, entry.contest_id), entry_ids=[entry.id])


def rerun(*, entry: Entry, actor) -> None:
    """Re-run one entry's redaction (also forgets nothing: restorations and terms stay)."""
    record_event(action="redaction.rerun", actor=actor, obj=entry, contest_id=entry.contest_id)
    schedule_redaction(contest=db.session.get(Contest, entry.contest_id), entry_ids=[entry.id])
