"""Writes for submissions: submit, replace, withdraw, and the organizer's decisions.

Every check happens before anything is stored: a refused upload leaves no file, no row
and no job. Services flush, never commit; the view commits once, and only then are the
extraction job and the receipt e-mail handed to Redis.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from contest.accounts.models import User
from contest.accounts.services import external_url
from contest.audit.services import record_event
from contest.contests.models import Contest, Phase
from contest.coordinators.queries import mail_recipient
from contest.db import utcnow
from contest.errors import InvalidInput, NotAllowed
from contest.extensions import db
from contest.extraction.filetype import FileTypeError, image_kind, safe_display_name, sniff_format
from contest.extraction.ocr import bundle_images
from contest.jobs import enqueue_after_commit
from contest.mail.services import format_when, send_email
from contest.submissions import lifecycle, queries, storage
from contest.submissions.models import Entry, EntryStatus, EntryVersion

MB = 1024 * 1024
MAX_PASTED_CHARS = 200_000
FILETYPE_MESSAGES = {
    "empty": _l("The file is empty."),
    "unsupported": _l("This kind of file is not accepted. Upload a PDF, DOCX or TXT file."),
    "mismatch": _l("The file's content does not match its name (for example a program or web page "
                   "renamed to .pdf). Upload the real PDF, DOCX or TXT file."),
    "not_zip_docx": _l("This .docx file is not a real Word document. Save it again from your editor."),
    "not_docx": _l("This .docx file is not a real Word document. Save it again from your editor."),
    "macro_docx": _l("This is a macro-enabled Word document (.docm). Open it in Word, choose Save As "
                     "\"Word Document (.docx)\" and upload that file."),
    "legacy_doc": _l("Old Word files (.doc) are not accepted. Save it as .docx or PDF and upload again."),
    "binary_txt": _l("This .txt file does not contain plain text. Upload a PDF, DOCX or TXT file."),
    "not_image": _l("This file is not a real JPEG, PNG or HEIC photo. Take the photo again or save it as "
                   "JPEG."),
}
FORMAT_LABELS = {"pdf": "PDF", "docx": "DOCX", "txt": "TXT", "text": _l("pasted text"),
                 "image": _l("photos (JPEG, PNG, HEIC)")}
MAX_PHOTOS = 30


@dataclass(frozen=True)
class Upload:
    """What a student sent: a file (name and bytes) or pasted text."""

    filename: str = ""
    data: bytes = b""
    text: str = ""
    pages: tuple[tuple[str, bytes], ...] = ()  # further photos after the first: pages in order


def check_window(contest: Contest, student=None) -> None:
    """Submitting, replacing and withdrawing happen only while the contest is open, until
    the student's effective deadline (theirs if the organizer extended it), in UTC."""
    from contest.submissions.deadlines import effective_deadline

    now = utcnow()
    if contest.phase in (Phase.JUDGING, Phase.PUBLISHED, Phase.ARCHIVED):
        raise NotAllowed(_l("Submissions for this contest are closed; entries can no longer be changed."))
    if contest.phase != Phase.OPEN or (contest.opens_at and now < contest.opens_at):
        raise NotAllowed(_l("Submissions for this contest are not open yet."))
    deadline = effective_deadline(contest, student)
    if deadline and now >= deadline:
        raise NotAllowed(_l("The deadline has passed; entries can no longer be submitted or changed."))


def check_fair_use(student, contest: Contest, *, replacing: bool) -> None:
    """One student cannot keep the worker busy: at most REPLACEMENTS_PER_HOUR replacements
    in any hour, and at most WORKER_SECONDS_PER_STUDENT of extraction time per contest."""
    cfg = current_app.config
    if queries.worker_seconds(contest.id, student.id) >= cfg["WORKER_SECONDS_PER_STUDENT"]:
        raise NotAllowed(_l("Your files in this contest have used up the reading time allowed for one "
                            "participant. Contact the organizers if you need to upload again."))
    if not replacing:
        return
    now, limit = utcnow(), cfg["REPLACEMENTS_PER_HOUR"]
    times = queries.replacement_times(student.id, now - timedelta(hours=1))
    if len(times) >= limit:
        wait = times[len(times) - limit] + timedelta(hours=1) - now
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        raise NotAllowed(_l("You have replaced your essay %(n)s times in the last hour. You can upload "
                            "again in %(minutes)s minutes.", n=len(times), minutes=minutes))


def _validate(contest: Contest, upload: Upload) -> tuple[bytes, str, str]:
    """(bytes to store, format, display name), or InvalidInput with a clear message."""
    if upload.data or upload.filename:
        limit = contest.max_file_mb * MB
        if len(upload.data) > limit:
            raise InvalidInput(_l("The file is larger than %(mb)s MB.", mb=contest.max_file_mb), field="file")
        files = [(upload.filename, upload.data), *upload.pages]
        if sum(len(d) for _, d in files) > limit:
            raise InvalidInput(_l("The file is larger than %(mb)s MB.", mb=contest.max_file_mb), field="file")
        kinds = [_sniff(data, name) for name, data in files]
        if len(files) > 1 and set(kinds) != {"image"}:
            raise InvalidInput(_l("Several files can only be photos of the pages (JPEG, PNG or HEIC)."),
                               field="file")
        if len(files) > MAX_PHOTOS:
            raise InvalidInput(_l("Send at most %(n)s photos.", n=MAX_PHOTOS), field="file")
        fmt = kinds[0]
        if fmt not in contest.formats:
            allowed = ", ".join(str(FORMAT_LABELS[f]) for f in contest.formats if f in FORMAT_LABELS)
            raise InvalidInput(_l("This contest accepts only: %(formats)s.", formats=allowed), field="file")
        data = bundle_images([d for _, d in files]) if len(files) > 1 else upload.data
        return data, fmt, safe_display_name(upload.filename)
    text = (upload.text or "").strip()
    if "text" not in contest.formats:
        raise InvalidInput(_l("Choose a file to upload."), field="file")
    if not text:
        raise InvalidInput(_l("Choose a file to upload or paste your essay."), field="text")
    if len(text) > MAX_PASTED_CHARS:
        raise InvalidInput(_l("The pasted text is too long."), field="text")
    return text.encode("utf-8"), "text", ""


def _sniff(data: bytes, filename: str) -> str:
    try:
        return sniff_format(data, filename)
    except FileTypeError as exc:
        raise InvalidInput(FILETYPE_MESSAGES.get(exc.reason, FILETYPE_MESSAGES["mismatch"]),
                           field="file") from None


def stored_extension(data: bytes, fmt: str) -> str:
    """The extension a version's file is stored under."""
    if fmt == "text":
        return "txt"
    if fmt == "image":
        return image_kind(data) or "zip"
    return fmt


def _next_code(contest: Contest) -> str:
    """The next receipt code, never shared by two entries.

    On PostgreSQL the counter is taken in a short transaction of its own: the contest row
    is locked for that one statement, not for the rest of the submission (storing the file
    and the version, the jobs, the receipt e-mail, the audit event and the commit), which
    made every upload of a contest wait for the one before it (at 30 uploads a second, most
    of an upload's time). The price: a submission that fails after this point leaves its
    number unused (a gap; numbers stay unique and increasing). On SQLite the request
    already holds the database's write lock, so the counter is taken in its transaction."""
    statement = (update(Contest).where(Contest.id == contest.id)
                 .values(entry_counter=Contest.entry_counter + 1).returning(Contest.entry_counter))
    if db.session.get_bind().dialect.name == "postgresql":
        with db.engine.begin() as own:
            number = own.execute(statement).scalar_one()
    else:
        number = db.session.execute(statement.execution_options(synchronize_session=False)).scalar_one()
    return f"{contest.code_prefix}-{contest.year}-{number:04d}"


def _add_version(entry: Entry, valid: tuple[bytes, str, str], contest: Contest,
                 submit_key: str | None, *, notify: bool = True) -> EntryVersion:
    """Store the file, add the version and make it current (a replacement goes through the
    entry's lifecycle, so a concurrent withdrawal wins), then queue its extraction."""
    data, fmt, display = valid
    stored_name, digest = storage.store_bytes(data, stored_extension(data, fmt))
    number = max((v.number for v in entry.versions), default=0) + 1
    version = EntryVersion(number=number, original_name=display, stored_name=stored_name, sha256=digest,
                           size=len(data), format=fmt, submit_key=submit_key, flags=[])
    entry.versions.append(version)
    db.session.flush()
    if number == 1:  # a new entry starts received with its first version
        entry.current_version_id = version.id
        db.session.flush()
    else:
        try:
            lifecycle.apply(entry, lambda e: lifecycle.Change(
                "replaced", EntryStatus.RECEIVED, {"current_version_id": version.id}))
        except lifecycle.IllegalTransition:
            raise NotAllowed(_l("This entry was withdrawn or rejected and cannot be changed.")) from None
    from contest.submissions.tasks import extract_version  # tasks import this module

    enqueue_after_commit(extract_version, dedupe_key=f"extract:{version.id}", version_id=version.id)
    if notify:  # an entry the organizer typed in for a pupil gets a printed slip instead
        _send_receipt(entry, version, contest)
    return version


# Used by contest.paper (entries the organizer enters for a pupil): the same checks, receipt
# numbers and versions as a pupil's own upload.
validate_upload = _validate
next_code = _next_code
add_version = _add_version


def _first_result_after_lock(student, submit_key: str) -> EntryVersion | None:
    """Take the student's own row lock, then look for the key again: a double click's first
    request holds the lock until it commits, so the second one finds its version here
    (instead of "maximum entries reached" or a duplicate key at the flush). Other students'
    uploads do not wait for it."""
    db.session.execute(select(User.id).where(User.id == student.id).with_for_update())
    return queries.find_version_by_submit_key(student.id, submit_key)


def submit_entry(*, student, contest: Contest, topic_id: int, category_id: int, upload: Upload,
                 submit_key: str, supervisor: str = "") -> EntryVersion:
    """A new entry with its first version. A repeated submit_key returns the first result.
    `supervisor` is the teacher who guided the student (optional; printed on the documents)."""
    existing = queries.find_version_by_submit_key(student.id, submit_key)
    if existing is not None:
        return existing
    check_window(contest, student)
    if topic_id not in {t.id for t in contest.topics}:
        raise InvalidInput(_l("Choose a topic of this contest."), field="topic")
    if category_id not in {c.id for c in contest.categories}:
        raise InvalidInput(_l("Choose a category of this contest."), field="category")
    check_fair_use(student, contest, replacing=False)
    valid = _validate(contest, upload)  # refuse before taking a receipt number
    repeated = _first_result_after_lock(student, submit_key)
    if repeated is not None:
        return repeated
    # Under the student's lock: the count cannot race the same student's other submission.
    if queries.count_active_entries(contest.id, student.id) >= contest.entries_per_student:
        raise NotAllowed(_l("You have already submitted the maximum number of entries (%(n)s) for this "
                            "contest. You can replace your entry instead.", n=contest.entries_per_student))
    code = _next_code(contest)  # after every refusal: a refused upload takes no number
    entry = Entry(contest_id=contest.id, student_id=student.id, topic_id=topic_id,
                  category_id=category_id, code=code, supervisor=" ".join((supervisor or "").split())[:200])
    db.session.add(entry)
    db.session.flush()
    version = _add_version(entry, valid, contest, submit_key)
    record_event(action="entry.submitted", actor=student, obj=entry, contest_id=contest.id,
                 new={"code": code, "version": 1, "sha256": version.sha256, "format": version.format})
    return version


def replace_entry(*, student, entry: Entry, upload: Upload, submit_key: str) -> EntryVersion:
    """A new version that becomes current; earlier versions are kept."""
    existing = queries.find_version_by_submit_key(student.id, submit_key)
    if existing is not None:
        return existing
    contest = db.session.get(Contest, entry.contest_id)
    check_window(contest, student)
    if entry.status in (EntryStatus.WITHDRAWN, EntryStatus.REJECTED):
        raise NotAllowed(_l("This entry was withdrawn or rejected and cannot be changed."))
    check_fair_use(student, contest, replacing=True)
    valid = _validate(contest, upload)
    old = entry.current_version
    version = _add_version(entry, valid, contest, submit_key)
    record_event(action="entry.replaced", actor=student, obj=entry, contest_id=contest.id,
                 old={"version": old.number if old else None},
                 new={"version": version.number, "sha256": version.sha256, "format": version.format})
    return version


def withdraw_entry(*, student, entry: Entry) -> None:
    """Withdraw for good; an extraction still running finds the entry withdrawn when it ends."""
    contest = db.session.get(Contest, entry.contest_id)
    check_window(contest, student)
    old = entry.status
    try:
        change = lifecycle.apply(entry, lambda e: None if e.status == EntryStatus.WITHDRAWN else
                                 lifecycle.Change("withdrawn", EntryStatus.WITHDRAWN,
                                                  {"withdrawn_at": utcnow()}))
    except lifecycle.IllegalTransition:
        raise NotAllowed(_l("This entry was withdrawn or rejected and cannot be changed.")) from None
    if change is not None:
        record_event(action="entry.withdrawn", actor=student, obj=entry, contest_id=contest.id,
                     old={"status": old.value}, new={"status": "withdrawn"})
    db.session.flush()


def _status_link(entry: Entry) -> str:
    return external_url("submissions.status", entry_id=entry.id)


def _send_receipt(entry: Entry, version: EntryVersion, contest: Contest) -> None:
    student = db.session.get(User, entry.student_id)
    to, language = mail_recipient(student)
    with force_locale(language):
        subject = _("Receipt %(code)s: your essay was received", code=entry.code)
        body = render_template("mail/receipt.txt", entry=entry, version=version, contest=contest,
                               student=student, link=_status_link(entry),
                               received_at=format_when(version.uploaded_at, contest.timezone, language))
        send_email(to=to, subject=subject, body=body, dedupe_key=f"receipt:{version.id}",
                   contest=contest)


# --- organizer decisions ------------------------------------------------------------

def _decide(entry: Entry, organizer, *, status: EntryStatus, decision: str, note: str, action: str) -> None:
    old = {"status": entry.status.value, "decision": entry.organizer_decision}
    try:
        lifecycle.apply(entry, lambda e: lifecycle.Change(
            "organizer_decided", status, {"organizer_decision": decision, "organizer_note": note}))
    except lifecycle.IllegalTransition:
        raise InvalidInput(_l("This entry cannot be decided on now (it is withdrawn or still being read).")) \
            from None
    record_event(action=action, actor=organizer, obj=entry, contest_id=entry.contest_id, old=old,
                 new={"status": status.value, "decision": decision}, reason=note)
    db.session.flush()


def _require_open_case(entry: Entry) -> None:
    if entry.status in (EntryStatus.WITHDRAWN, EntryStatus.RECEIVED, EntryStatus.PROCESSING):
        raise InvalidInput(_l("This entry cannot be decided on now (it is withdrawn or still being read)."))


def accept_entry(*, organizer, entry: Entry, note: str = "") -> None:
    """Accept a flagged entry for judging as it is."""
    _require_open_case(entry)
    _decide(entry, organizer, status=EntryStatus.READY, decision="accepted", note=note,
            action="entry.accepted")


def request_reupload(*, organizer, entry: Entry, message: str) -> None:
    """Ask the student to upload again; the entry stays in the queue until they do."""
    _require_open_case(entry)
    if not message.strip():
        raise InvalidInput(_l("Write a message for the student."), field="message")
    _decide(entry, organizer, status=EntryStatus.NEEDS_ATTENTION, decision="reupload",
            note=message.strip(), action="entry.reupload_requested")
    _notify(entry, "mail/reupload.txt", lambda: _("Please upload your essay %(code)s again", code=entry.code))


def reject_entry(*, organizer, entry: Entry, reason: str) -> None:
    _require_open_case(entry)
    if not reason.strip():
        raise InvalidInput(_l("Give the reason for rejecting."), field="reason")
    _decide(entry, organizer, status=EntryStatus.REJECTED, decision="rejected", note=reason.strip(),
            action="entry.rejected")
    _notify(entry, "mail/rejected.txt", lambda: _("Your essay %(code)s was not accepted", code=entry.code))


def decide_entry(*, organizer, entry: Entry, action: str, text: str) -> None:
    """The organizer's decision from the review page: accept, reupload or reject."""
    if action == "accept":
        accept_entry(organizer=organizer, entry=entry, note=text)
    elif action == "reupload":
        request_reupload(organizer=organizer, entry=entry, message=text)
    elif action == "reject":
        reject_entry(organizer=organizer, entry=entry, reason=text)
    else:
        raise InvalidInput(_l("Choose what to do with this entry."))


def _notify(entry: Entry, template: str, subject: Callable[[], str]) -> None:
    """E-mail the student in their language; each decision is its own message."""
    student = db.session.get(User, entry.student_id)
    contest = db.session.get(Contest, entry.contest_id)
    to, language = mail_recipient(student)
    with force_locale(language):
        body = render_template(template, entry=entry, contest=contest, student=student,
                               link=_status_link(entry))
        send_email(to=to, subject=subject(), body=body, contest=contest)
