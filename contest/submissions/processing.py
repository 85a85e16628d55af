"""Writes for the extraction job: claim a version, then record what the sandbox found.

Rules, in order: the sandbox outcome gives the file flags (no text layer, encrypted,
corrupt, too complex, timeout); the contest's rules add too short / too long (within the
soft margin: a warning; beyond it: attention), too many pages and wrong language; the
MinHash signature finds near-duplicates among the contest's other live entries (only the
later upload of a pair is flagged, see duplicates.py). Any "attention" flag puts the entry
in the organizer's queue; otherwise it is ready. A replacement that cannot be read at all
does not displace a readable earlier version. The result is always stored on its version;
what it does to the entry is decided by the entry's lifecycle (lifecycle.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update

from contest.blind import services as blind_services
from contest.contests.models import Contest
from contest.db import utcnow
from contest.extensions import db
from contest.extraction import similarity
from contest.extraction.sandbox import Outcome
from contest.submissions import duplicates, lifecycle
from contest.submissions.flags import ATTENTION, STICKY, WARNING, make_flag, needs_attention
from contest.submissions.models import Entry, EntryStatus, EntryVersion

# Outcomes after which the file holds nothing usable for judging.
UNREADABLE = lifecycle.UNREADABLE
DONE_STATES = ("ok", "no_text", "empty", *UNREADABLE, "superseded")


@dataclass(frozen=True)
class Plan:
    """What the job needs once the database transaction is closed."""

    version_id: int
    stored_name: str
    fmt: str
    page_cap: int
    attempts: int
    languages: tuple[str, ...] = ()  # the contest's: they choose the OCR models


def _numbered(entry_id: int) -> list[tuple[int, str]]:
    """(number, extraction_status) of every version of the entry, as committed now."""
    return [tuple(r) for r in db.session.execute(
        select(EntryVersion.number, EntryVersion.extraction_status).where(EntryVersion.entry_id == entry_id))]


def begin_extraction(*, version_id: int) -> Plan | None:
    """Mark the version (and its entry) as processing; None when there is nothing to do:
    the version is gone, already has its result, its entry was withdrawn, or a newer
    version was already read fine (then this one can never be judged: "superseded")."""
    version = db.session.get(EntryVersion, version_id)
    if version is None or version.extracted_at is not None:
        return None
    entry = db.session.get(Entry, version.entry_id)
    if entry.status not in lifecycle.LIVE or not lifecycle.may_become_current(
            version.number, _numbered(entry.id)):
        version.extraction_status, version.extracted_at = "superseded", utcnow()
        return None
    contest = db.session.get(Contest, entry.contest_id)
    version.attempts += 1
    version.extraction_status = "processing"
    lifecycle.apply(entry, lambda e: lifecycle.Change("extraction_started", EntryStatus.PROCESSING)
                    if e.current_version_id == version.id and e.status in lifecycle.IN_WORK else None)
    db.session.flush()
    return Plan(version.id, version.stored_name, "txt" if version.format == "text" else version.format,
                page_cap=max(2 * contest.max_pages, contest.max_pages + 20), attempts=version.attempts)


def _claim_result(version_id: int) -> EntryVersion | None:
    """Exactly one run records a result: the first to set extracted_at."""
    claimed = db.session.execute(
        update(EntryVersion).where(EntryVersion.id == version_id, EntryVersion.extracted_at.is_(None))
        .values(extracted_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        return None
    return db.session.scalar(select(EntryVersion).where(EntryVersion.id == version_id)
                             .execution_options(populate_existing=True))


def rule_flags(contest: Contest, words: int, pages: int | None, language: str | None) -> list[dict]:
    """The contest's rules on an extracted text (the soft margin turns a miss into a warning)."""
    flags, margin = [], contest.soft_margin_pct / 100
    if contest.min_words and words < contest.min_words:
        level = WARNING if words >= contest.min_words * (1 - margin) and margin else ATTENTION
        flags.append(make_flag("too_short", level, words=words, limit=contest.min_words))
    if contest.max_words and words > contest.max_words:
        level = WARNING if words <= contest.max_words * (1 + margin) and margin else ATTENTION
        flags.append(make_flag("too_long", level, words=words, limit=contest.max_words))
    if pages and contest.max_pages and pages > contest.max_pages:
        flags.append(make_flag("too_many_pages", ATTENTION, pages=pages, limit=contest.max_pages))
    if words and contest.languages and language not in contest.languages:  # None: not recognised
        flags.append(make_flag("wrong_language", ATTENTION, language=language))
    return flags


def record_extraction(*, version_id: int, outcome: Outcome, data: bytes) -> EntryVersion | None:
    """Store the result on the version, then let the entry's lifecycle decide what it means
    for the entry (nothing, when the version is no longer current or the entry was
    withdrawn meanwhile). A repeat run changes nothing."""
    version = _claim_result(version_id)
    if version is None:
        return None
    entry = db.session.get(Entry, version.entry_id)
    contest = db.session.get(Contest, entry.contest_id)
    version.extraction_status = outcome.status
    version.extraction_detail = outcome.detail[:400]
    version.extraction_seconds = (version.extraction_seconds or 0.0) + outcome.elapsed_s
    result = outcome.result
    flags = [f for f in version.flags or [] if f.get("code") in STICKY]
    flags += [] if outcome.status in ("ok",) else [make_flag(outcome.status, ATTENTION)]
    if result is not None and outcome.status in ("ok", "no_text", "empty"):
        version.text, version.word_count = result.text, result.word_count
        version.page_count, version.language = result.page_count, result.language
        version.language_shares = dict(result.language_shares)
        version.margin_text = result.margin_text or None  # DOCX headers/footers: for redaction only
        flags += result_flags(result)
        transcribe = ocr_flags(result)
        flags += transcribe
        if outcome.status == "ok":
            if not needs_attention(transcribe):  # the rules judge a text that was read well
                flags += rule_flags(contest, result.word_count, result.page_count, result.language)
            version.minhash = similarity.signature(result.text)
        _prepare_juror_copy(version, entry, contest, data)
    version.flags = flags
    earlier_copies_of = duplicates.flag_later_copy(entry, version, contest) if version.minhash else []
    db.session.flush()
    change = lifecycle.apply(entry, _outcome_change)
    if change is not None and change.event != "extracted":  # an earlier version stays or becomes current
        newest = db.session.scalar(select(EntryVersion).where(EntryVersion.entry_id == entry.id)
                                   .order_by(EntryVersion.number.desc()).limit(1))
        if not any(f.get("code") == "replacement_unreadable" for f in newest.flags):
            newest.flags = [*newest.flags, make_flag("replacement_unreadable", WARNING)]
    if change is not None and change.event == "extracted" and entry.current_version_id == version.id:
        duplicates.flag_later_entries(entry, version, earlier_copies_of)
    db.session.flush()
    return version


def result_flags(result) -> list[dict]:
    """Warnings the reader itself raises: text cut, characters it could not decode,
    footnotes and endnotes read but left out of the word count."""
    flags = [make_flag("truncated", WARNING)] if "truncated" in result.flags else []
    if result.bad_chars:
        flags.append(make_flag("bad_chars", WARNING, count=result.bad_chars))
    if result.notes_word_count:
        flags.append(make_flag("notes", WARNING, words=result.notes_word_count))
    return flags


def ocr_flags(result) -> list[dict]:
    """A text read by OCR carries its mean word confidence ("ocr", a warning); below
    OCR_MIN_CONFIDENCE, or with no word read, it needs a person to transcribe it (attention:
    the organizer's queue, never the jury)."""
    if result.ocr_confidence is None:
        return []
    confidence = result.ocr_confidence
    flags = [make_flag("ocr", WARNING, confidence=confidence)]
    if result.word_count == 0 or confidence < current_app.config["OCR_MIN_CONFIDENCE"]:
        flags.append(make_flag("needs_transcription", ATTENTION, confidence=confidence))
    return flags


def _outcome_change(entry: Entry) -> lifecycle.Change | None:
    """What the versions read so far mean for the entry as it is now: nothing when it was
    withdrawn or rejected, or when the version it should show is not read yet."""
    if entry.status not in lifecycle.LIVE:
        return None  # withdrawn or rejected meanwhile: results stay on their versions
    number = lifecycle.choose_current(_numbered(entry.id))
    target = db.session.scalar(select(EntryVersion).where(EntryVersion.entry_id == entry.id,
                                                          EntryVersion.number == number))
    if target.extracted_at is None or target.extraction_status == "processing":
        return None  # the newest upload is still to be read
    if target.id == entry.current_version_id and entry.status not in lifecycle.IN_WORK:
        return None  # already settled on it
    status = EntryStatus.NEEDS_ATTENTION if needs_attention(target.flags) else EntryStatus.READY
    values = {"current_version_id": target.id, "language": target.language, "word_count": target.word_count,
              "organizer_decision": ""}
    if target.id == entry.current_version_id:
        return lifecycle.Change("extracted", status, values)
    if entry.status in lifecycle.IN_WORK:  # an unreadable replacement: the last readable version stays
        if entry.organizer_decision == "accepted":
            status, values["organizer_decision"] = EntryStatus.READY, "accepted"
        return lifecycle.Change("fell_back", status, values)
    return lifecycle.Change("newer_version_read", status, values)


def _prepare_juror_copy(version: EntryVersion, entry: Entry, contest: Contest, data: bytes) -> None:
    """What jurors get of this version: redacted text and a generated PDF when blind (see
    contest.blind.services.prepare_juror_copy)."""
    blind_services.prepare_juror_copy(version=version, entry=entry, contest=contest)


def final_crash(version_id: int, detail: str) -> EntryVersion | None:
    """After the last attempt: the file is flagged, never left in processing."""
    return record_extraction(version_id=version_id, outcome=Outcome("crashed", detail=detail), data=b"")
