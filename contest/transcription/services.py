"""Writes for transcription: save a person's text as the entry's text.

Rule: only the current version of a live, decided entry whose text was read by OCR (or
that has no text layer) can be transcribed. The text is normalised like extracted text and
must hold at least one word. The first save keeps what OCR had read in the row
(`ocr_text`); the version's text, word count, language, near-duplicate signature, rule
flags and the jurors' (redacted) copy are computed again from the typed text; the
"needs transcription" and "no text" flags go, a "transcribed" warning comes. The entry
becomes ready, or stays with the organizer if another attention flag remains. The form
carries the entry's state_version: when the entry changed since the page was opened, the
save is refused and nothing changes. Every save is an audit event (who, when, word counts;
never the text).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.audit.services import record_event
from contest.blind import services as blind_services
from contest.contests.models import Contest
from contest.errors import InvalidInput
from contest.extensions import db
from contest.extraction import languages, similarity
from contest.extraction.text import count_words, normalize_text
from contest.submissions import duplicates, lifecycle, processing
from contest.submissions.flags import WARNING, make_flag, needs_attention
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from contest.transcription.models import Transcription

REPLACED_FLAGS = {"needs_transcription", "no_text", "too_short", "too_long", "too_many_pages",
                  "wrong_language", "near_duplicate", "transcribed", "truncated"}
MAX_CHARS = 200_000


def can_transcribe(entry: Entry, version: EntryVersion | None) -> bool:
    """The entry's current version was read from images (or has no text layer), and the entry
    is live and out of the worker's hands."""
    if version is None or entry.status not in (EntryStatus.READY, EntryStatus.NEEDS_ATTENTION):
        return False
    return version.extraction_status == "no_text" or any(f.get("code") == "ocr" for f in version.flags or [])


def latest(version_id: int) -> Transcription | None:
    return db.session.scalar(select(Transcription).where(Transcription.version_id == version_id)
                             .order_by(Transcription.id.desc()).limit(1))


def save_transcription(*, organizer, entry: Entry, text: str, state_version: int) -> Transcription:
    version = db.session.get(EntryVersion, entry.current_version_id) if entry.current_version_id else None
    if not can_transcribe(entry, version):
        raise InvalidInput(_l("This entry's text cannot be transcribed now."))
    if entry.state_version != state_version:
        raise InvalidInput(_l("This entry changed while you were typing (someone else saved it, or the "
                              "student uploaded again). Copy your text, reload the page and check."))
    clean, _cut = normalize_text(text or "", max_chars=MAX_CHARS)
    words = count_words(clean)
    if not words:
        raise InvalidInput(_l("Type the essay's text before saving."), field="text")
    previous = latest(version.id)
    row = Transcription(entry_id=entry.id, version_id=version.id, text=clean, created_by=organizer.id,
                        ocr_text=previous.ocr_text if previous else (version.text or ""))
    db.session.add(row)
    old_words = version.word_count
    contest = db.session.get(Contest, entry.contest_id)
    _apply_text(version, entry, contest, clean, words)
    status = EntryStatus.NEEDS_ATTENTION if needs_attention(version.flags) else EntryStatus.READY
    values = {"word_count": version.word_count, "language": version.language, "organizer_decision": ""}
    lifecycle.apply(entry, lambda e: _change(e, state_version, status, values))
    record_event(action="entry.transcribed", actor=organizer, obj=entry, contest_id=entry.contest_id,
                 old={"words": old_words, "status": "transcription" if previous else "ocr"},
                 new={"words": words, "version": version.number, "status": status.value})
    db.session.flush()
    return row


def _change(entry: Entry, expected: int, status: EntryStatus, values: dict) -> lifecycle.Change:
    if entry.state_version != expected:  # another transaction changed it after we read it
        raise InvalidInput(_l("This entry changed while you were typing (someone else saved it, or the "
                              "student uploaded again). Copy your text, reload the page and check."))
    return lifecycle.Change("transcribed", status, values)


def _apply_text(version: EntryVersion, entry: Entry, contest: Contest, text: str, words: int) -> None:
    """The version's text and everything computed from it, as if the worker had read it."""
    language, shares = languages.analyze(text)
    version.text, version.word_count, version.language = text, words, language
    version.language_shares = dict(shares)
    version.minhash = similarity.signature(text)
    kept = [f for f in version.flags or [] if f.get("code") not in REPLACED_FLAGS]
    version.flags = [*kept, make_flag("transcribed", WARNING),
                     *processing.rule_flags(contest, words, version.page_count, language)]
    later = duplicates.flag_later_copy(entry, version, contest)
    db.session.flush()
    blind_services.prepare_juror_copy(version=version, entry=entry, contest=contest)
    if later:
        duplicates.flag_later_entries(entry, version, later)
