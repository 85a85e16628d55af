"""Writes for the extraction job: claim a version, then record what the sandbox found.

Rules, in order: the sandbox outcome gives the file flags (no text layer, encrypted,
corrupt, too complex, timeout); the contest's rules add too short / too long (within the
soft margin: a warning; beyond it: attention), too many pages and wrong language; the
MinHash signature finds near-duplicates among the contest's other live entries (both are
flagged with the pair and the similarity). Any "attention" flag puts the entry in the
organizer's queue; otherwise it is ready. A replacement that cannot be read at all does
not displace a readable earlier version.
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
from contest.submissions import queries
from contest.submissions.flags import ATTENTION, WARNING, make_flag, needs_attention
from contest.submissions.models import Entry, EntryStatus, EntryVersion

# Outcomes after which the file holds nothing usable for judging.
UNREADABLE = ("encrypted", "corrupt", "too_complex", "timeout", "crashed")
DONE_STATES = ("ok", "no_text", *UNREADABLE, "superseded")


@dataclass(frozen=True)
class Plan:
    """What the job needs once the database transaction is closed."""

    version_id: int
    stored_name: str
    fmt: str
    page_cap: int
    attempts: int


def begin_extraction(*, version_id: int) -> Plan | None:
    """Mark the version (and its entry) as processing; None when there is nothing to do:
    the version is gone, already has its result, or was replaced or withdrawn meanwhile."""
    version = db.session.get(EntryVersion, version_id)
    if version is None or version.extracted_at is not None:
        return None
    entry = db.session.get(Entry, version.entry_id)
    if entry.current_version_id != version.id or entry.status == EntryStatus.WITHDRAWN:
        version.extraction_status, version.extracted_at = "superseded", utcnow()
        return None
    contest = db.session.get(Contest, entry.contest_id)
    version.attempts += 1
    version.extraction_status = "processing"
    if entry.status in (EntryStatus.RECEIVED, EntryStatus.PROCESSING):
        entry.status = EntryStatus.PROCESSING
        entry.updated_at = utcnow()
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
    if language and contest.languages and language not in contest.languages:
        flags.append(make_flag("wrong_language", ATTENTION, language=language))
    return flags


def record_extraction(*, version_id: int, outcome: Outcome, data: bytes) -> EntryVersion | None:
    """Store the result and decide the entry's status; a repeat run changes nothing."""
    version = _claim_result(version_id)
    if version is None:
        return None
    entry = db.session.get(Entry, version.entry_id)
    contest = db.session.get(Contest, entry.contest_id)
    version.extraction_status = outcome.status
    version.extraction_detail = outcome.detail[:400]
    result = outcome.result
    flags = [] if outcome.status in ("ok",) else [make_flag(outcome.status, ATTENTION)]
    if result is not None and outcome.status in ("ok", "no_text"):
        version.text, version.word_count = result.text, result.word_count
        version.page_count, version.language = result.page_count, result.language
        flags += [make_flag("truncated", WARNING)] if "truncated" in result.flags else []
        if outcome.status == "ok":
            flags += rule_flags(contest, result.word_count, result.page_count, result.language)
            version.minhash = similarity.signature(result.text)
        _prepare_juror_copy(version, entry, contest, data)
    version.flags = flags
    db.session.flush()
    if outcome.status in UNREADABLE and _fall_back(entry, version):
        return version
    if version.minhash is not None:
        _flag_near_duplicates(entry, version, contest)
    _settle(entry, version)
    return version


def _settle(entry: Entry, version: EntryVersion) -> None:
    entry.status = EntryStatus.NEEDS_ATTENTION if needs_attention(version.flags) else EntryStatus.READY
    entry.language, entry.word_count = version.language, version.word_count
    entry.organizer_decision = ""
    entry.updated_at = utcnow()
    db.session.flush()


def _fall_back(entry: Entry, version: EntryVersion) -> bool:
    """An unreadable replacement leaves the last readable version current."""
    previous = [v for v in entry.versions if v.number < version.number and v.extraction_status == "ok"]
    if not previous:
        return False
    keep = max(previous, key=lambda v: v.number)
    version.flags = [*version.flags, make_flag("replacement_unreadable", WARNING)]
    entry.current_version_id = keep.id
    accepted = entry.organizer_decision == "accepted"
    entry.status = (EntryStatus.NEEDS_ATTENTION if needs_attention(keep.flags) and not accepted
                    else EntryStatus.READY)
    entry.updated_at = utcnow()
    db.session.flush()
    return True


def _flag_near_duplicates(entry: Entry, version: EntryVersion, contest: Contest) -> None:
    threshold = current_app.config["NEAR_DUPLICATE_THRESHOLD"]
    for other_id, other_code, other_sig in queries.other_signatures(contest.id, entry.id):
        score = round(similarity.similarity(version.minhash, other_sig), 3)
        if score < threshold:
            continue
        version.flags = [*version.flags, make_flag("near_duplicate", ATTENTION, other_entry_id=other_id,
                                                   other_code=other_code, similarity=score)]
        other = db.session.get(Entry, other_id)
        current = db.session.get(EntryVersion, other.current_version_id)
        kept = [f for f in current.flags if f.get("other_entry_id") != entry.id]
        current.flags = [*kept, make_flag("near_duplicate", ATTENTION, other_entry_id=entry.id,
                                          other_code=entry.code, similarity=score)]
        if other.status == EntryStatus.READY:
            other.status, other.organizer_decision, other.updated_at = (
                EntryStatus.NEEDS_ATTENTION, "", utcnow())
    db.session.flush()


def _prepare_juror_copy(version: EntryVersion, entry: Entry, contest: Contest, data: bytes) -> None:
    """What jurors get of this version: redacted text and a generated PDF when blind (see
    contest.blind.services.prepare_juror_copy)."""
    blind_services.prepare_juror_copy(version=version, entry=entry, contest=contest)


def final_crash(version_id: int, detail: str) -> EntryVersion | None:
    """After the last attempt: the file is flagged, never left in processing."""
    return record_extraction(version_id=version_id, outcome=Outcome("crashed", detail=detail), data=b"")
