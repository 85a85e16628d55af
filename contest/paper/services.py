"""Writes for organizer-entered entries: enter one for a pupil, and the pupil's claim.

Rules. Entering: only while the contest is open (the paper may have arrived by post after
the online deadline: the organizer decides, so no deadline check); the pupil's name,
school, region, grade and language are required, a contact is optional; the file goes
through the same checks as a pupil's upload (photos and scans are read by OCR), or the
organizer types the text. The entry belongs to a placeholder account holding those details
(no password, an address under PLACEHOLDER_DOMAIN that is never a real mailbox), gets its
receipt code like any entry, no receipt e-mail (the printed slip is the receipt), the
"organizer_entered" flag (shown in the registry) and an audit event.
Claiming: a signed-in pupil gives the entry code and the claim key printed on the slip;
a match moves the entry to the pupil's account (once: a claimed entry cannot be claimed
again); any mismatch answers the same message and changes nothing. Audited.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.contests.models import Contest, Phase
from contest.db import utcnow
from contest.enums import Role
from contest.errors import InvalidInput, NotAllowed
from contest.extensions import db
from contest.paper.models import PaperEntry
from contest.submissions import services as submissions
from contest.submissions.flags import WARNING, make_flag
from contest.submissions.models import Entry, EntryVersion

PLACEHOLDER_DOMAIN = "paper.invalid"
KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
KEY_LENGTH = 8
CHANNELS = ("paper", "email")


@dataclass(frozen=True)
class Pupil:
    full_name: str
    school: str
    region: str
    grade: str
    language: str
    contact: str = ""


def _key() -> str:
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


def enter_entry(*, organizer, contest: Contest, pupil: Pupil, channel: str, topic_id: int,
                category_id: int, upload: submissions.Upload) -> tuple[Entry, PaperEntry]:
    if contest.phase != Phase.OPEN:
        raise NotAllowed(_l("Entries can be entered only while the contest is open."))
    if channel not in CHANNELS:
        raise InvalidInput(_l("Choose how the essay was received."), field="channel")
    if topic_id not in {t.id for t in contest.topics}:
        raise InvalidInput(_l("Choose a topic of this contest."), field="topic")
    if category_id not in {c.id for c in contest.categories}:
        raise InvalidInput(_l("Choose a category of this contest."), field="category")
    name = " ".join(pupil.full_name.split())
    if not name:
        raise InvalidInput(_l("Enter the pupil's full name."), field="full_name")
    valid = _typed(upload) or submissions.validate_upload(contest, upload)
    placeholder = User(email=f"paper-{secrets.token_hex(8)}@{PLACEHOLDER_DOMAIN}", password_hash=None,
                       full_name=name[:200], role=Role.STUDENT, language=pupil.language,
                       school=pupil.school.strip()[:200], region=pupil.region.strip()[:120],
                       grade=pupil.grade.strip()[:50])
    db.session.add(placeholder)
    db.session.flush()
    entry = Entry(contest_id=contest.id, student_id=placeholder.id, topic_id=topic_id,
                  category_id=category_id, code=submissions.next_code(contest))
    db.session.add(entry)
    db.session.flush()
    version = submissions.add_version(entry, valid, contest, None, notify=False)
    version.flags = [make_flag("organizer_entered", WARNING, channel=channel)]
    paper = PaperEntry(entry_id=entry.id, contest_id=contest.id, channel=channel,
                       contact=pupil.contact.strip()[:254], claim_key=_key(), entered_by=organizer.id)
    db.session.add(paper)
    record_event(action="entry.entered_by_organizer", actor=organizer, obj=entry, contest_id=contest.id,
                 new={"code": entry.code, "channel": channel, "format": version.format,
                      "sha256": version.sha256})
    db.session.flush()
    return entry, paper


def _typed(upload: submissions.Upload) -> tuple[bytes, str, str] | None:
    """The organizer may type the text whatever formats the contest takes from pupils."""
    if upload.data or upload.filename or not (upload.text or "").strip():
        return None
    if len(upload.text) > submissions.MAX_PASTED_CHARS:
        raise InvalidInput(_l("The pasted text is too long."), field="text")
    return upload.text.strip().encode("utf-8"), "text", ""


def claim_entry(*, student, code: str, key: str) -> Entry:
    """Move an organizer-entered entry to the signed-in pupil's account (see the module rule)."""
    wrong = InvalidInput(_l("No unclaimed entry matches this code and key. Check both on your slip."))
    code, key = " ".join(code.split()).upper(), "".join(key.split()).upper()
    row = db.session.execute(
        select(PaperEntry, Entry).join(Entry, Entry.id == PaperEntry.entry_id)
        .where(func.upper(Entry.code) == code, PaperEntry.claimed_at.is_(None)).with_for_update()).first()
    if row is None or not secrets.compare_digest(row[0].claim_key, key):
        raise wrong
    paper, entry = row
    placeholder = db.session.get(User, entry.student_id)
    entry.student_id = student.id
    paper.claimed_by, paper.claimed_at = student.id, utcnow()
    if placeholder is not None and placeholder.email.endswith("@" + PLACEHOLDER_DOMAIN):
        placeholder.active = False  # nothing of the pupil's lives there any more
    record_event(action="entry.claimed", actor=student, obj=entry, contest_id=entry.contest_id,
                 old={"student_id": placeholder.id if placeholder else None}, new={"student_id": student.id})
    db.session.flush()
    return entry


def slip_facts(entry: Entry) -> tuple[PaperEntry, User, EntryVersion | None, Contest]:
    paper = db.session.get(PaperEntry, entry.id)
    return (paper, db.session.get(User, entry.student_id),
            db.session.get(EntryVersion, entry.current_version_id) if entry.current_version_id else None,
            db.session.get(Contest, entry.contest_id))
