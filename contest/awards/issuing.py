"""Issuing published results: diploma rows and PDF files, and the participants' e-mails.

Used by the `issue_results` job in three steps so the slow one holds no database lock:
`prepare_diplomas` (rows, codes; committed), `draw_diplomas` (files only, no database),
`mark_drawn` and `notify_participants` (committed by the job).
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select, update

from contest.accounts.models import User
from contest.accounts.services import external_url
from contest.audit.services import record_event
from contest.awards import queries
from contest.awards.models import Award, Diploma, Publication
from contest.awards.published import results_date
from contest.awards.tiers import AWARD
from contest.contests.models import Contest, localized
from contest.db import utcnow
from contest.diplomas import DiplomaContent, LogoError, new_verification_code, render_diplomas, validate_logo
from contest.extensions import db
from contest.mail.services import send_email
from contest.submissions.models import Entry, EntryStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drawing:
    diploma_id: int
    file_name: str
    content: DiplomaContent


def diploma_path(file_name: str) -> Path:
    return Path(current_app.config["DIPLOMA_FOLDER"]) / file_name


def file_name_for(diploma: Diploma) -> str:
    """A generated name, the same on every run (no orphan files), never built from user text."""
    digest = hashlib.sha256(f"{diploma.id}:{diploma.code}".encode()).hexdigest()[:20]
    return f"{diploma.contest_id}-{diploma.id:08d}-{digest}.pdf"


def language_of(user: User) -> str:
    return user.language if user.language in current_app.config["LANGUAGES"] else "kk"


def prepare_diplomas(contest: Contest, publication: Publication) -> list[Drawing]:
    """Make the diploma rows match the publication: one per entry holding an award or a
    participation certificate, its code created once and kept; diplomas of entries that no
    longer hold anything are revoked. Returns what to draw (revoked diplomas are not redrawn)."""
    rows = [row for row in publication.ranking if row["kind"]]
    existing = {d.entry_id: d for d in db.session.scalars(
        select(Diploma).where(Diploma.contest_id == contest.id))}
    students = queries.students_of([row["entry_id"] for row in rows])
    award_ids = dict(db.session.execute(
        select(Award.entry_id, Award.id).where(Award.contest_id == contest.id)).all())
    date, logo, drawings = results_date(contest.id), _usable_logo(contest), []
    for row in rows:
        diploma = existing.get(row["entry_id"])
        if diploma is None:
            diploma = Diploma(code=_fresh_code(), contest_id=contest.id, entry_id=row["entry_id"])
            db.session.add(diploma)
            db.session.flush()
        if diploma.revoked_at is not None:
            continue
        user = students[row["entry_id"]]
        diploma.kind, diploma.language = row["kind"], language_of(user)
        diploma.award_id = award_ids.get(row["entry_id"])
        content = diploma_content(contest, row, user, diploma.code, date, logo)
        drawings.append(Drawing(diploma.id, file_name_for(diploma), content))
    held = {row["entry_id"] for row in rows}
    for entry_id, diploma in existing.items():
        if entry_id not in held and diploma.revoked_at is None:
            diploma.revoked_at = utcnow()
            diploma.revoke_reason = f"not held in revision {publication.revision}"
            record_event(action="diploma.revoke", obj=diploma, contest_id=contest.id,
                         old={"status": "genuine"}, new={"status": "revoked"}, reason=diploma.revoke_reason)
    db.session.flush()
    return drawings


def _fresh_code() -> str:
    while True:  # 80 random bits: a repeat is practically impossible, but cheap to rule out
        code = new_verification_code()
        if db.session.scalar(select(Diploma.id).where(Diploma.code == code)) is None:
            return code


def _usable_logo(contest: Contest) -> bytes | None:
    if not contest.logo:
        return None
    try:
        validate_logo(contest.logo)
    except LogoError as exc:
        log.warning("contest %s: logo left off the diplomas: %s", contest.id, exc)
        return None
    return contest.logo


def diploma_content(contest: Contest, row: dict, user: User, code: str, date,
                    logo: bytes | None) -> DiplomaContent:
    """Everything printed on one diploma, in the holder's language."""
    lang = language_of(user)
    with force_locale(lang):
        award = row["kind"] == AWARD
        labels = {
            "awarded_to": _("This diploma is awarded to") if award else _("This certificate is awarded to"),
            "category": _("Category"), "topic": _("Topic"), "date": _("Date"),
            "code": _("Verification code"), "verify_at": _("Verify this diploma at"),
        }
        return DiplomaContent(
            issuer=localized(contest.issuer, lang), contest_title=contest.title_in(lang),
            award_title=queries.award_title(row["tier_name"], row["kind"], lang),
            category=next((localized(c.name, lang) for c in contest.categories
                           if c.id == row["category_id"]), ""),
            topic=next((localized(t.title, lang) for t in contest.topics if t.id == row["topic_id"]), ""),
            holder_name=user.full_name, date_text=format_date(date, "long") if date else "",
            signatories=tuple((s.name, localized(s.title, lang)) for s in contest.signatories[:3]),
            verification_code=code, verification_url=external_url("awards.verify_code", code=code),
            heading=_("Diploma") if award else _("Certificate"), labels=labels, logo=logo,
        )


def draw_diplomas(drawings: list[Drawing]) -> None:
    """Write each PDF under its generated name, atomically (a reader never sees half a file).
    Touches no database, so it may take its time."""
    if not drawings:
        return
    folder = diploma_path("x").parent
    folder.mkdir(parents=True, exist_ok=True)
    for drawing, pdf in zip(drawings, render_diplomas(d.content for d in drawings)):
        target = folder / drawing.file_name
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        partial.write_bytes(pdf)
        os.replace(partial, target)


def mark_drawn(drawings: list[Drawing]) -> None:
    for drawing in drawings:
        db.session.execute(update(Diploma).where(Diploma.id == drawing.diploma_id)
                           .values(stored_name=drawing.file_name))
    db.session.flush()


def notify_participants(contest: Contest, publication: Publication) -> int:
    """E-mail every participant (each entry not withdrawn) their result in their language; a
    revision e-mails only those whose outcome changed. Deduplicated: one e-mail per entry per
    revision however often this runs. Returns how many messages were recorded."""
    rows = {row["entry_id"]: row for row in publication.ranking}
    before = None
    if publication.revision > 1:
        previous = db.session.scalar(select(Publication).where(
            Publication.contest_id == contest.id, Publication.revision == publication.revision - 1))
        before = {row["entry_id"]: row for row in previous.ranking} if previous else {}
    people = db.session.execute(
        select(Entry, User).join(User, User.id == Entry.student_id)
        .where(Entry.contest_id == contest.id, Entry.status != EntryStatus.WITHDRAWN)
        .order_by(Entry.id)).all()
    feedback = queries.submitted_feedback([e.id for e, _u in people]) if contest.share_feedback else {}
    sent = 0
    for entry, user in people:
        row = rows.get(entry.id)
        if before is not None and _outcome(before.get(entry.id)) == _outcome(row):
            continue
        lang = language_of(user)
        with force_locale(lang):
            subject = _("Results of %(contest)s", contest=contest.title_in(lang))
            body = render_template(
                "mail/results.txt", user=user, entry=entry, row=row, contest_title=contest.title_in(lang),
                award=queries.award_title(row["tier_name"], row["kind"], lang) if row and row["kind"] else "",
                feedback=feedback.get(entry.id, []), revision=publication.revision,
                dashboard_url=external_url("public.dashboard"),
                results_url=external_url("awards.results", contest_id=contest.id))
        send_email(to=user.email, subject=" ".join(subject.split())[:200], body=body,
                   dedupe_key=f"results:{contest.id}:{publication.revision}:{entry.id}", contest=contest,
                   language=lang)
        sent += 1
    return sent


def _outcome(row: dict | None) -> tuple:
    return (row["tier_id"], row["kind"]) if row else (None, None)


def archive_name(diploma: Diploma, entry_code: str) -> str:
    """The name a diploma is downloaded under: from the app's receipt code (cleaned to letters,
    digits and hyphens all the same), e.g. ZT-2026-0042-diploma.pdf; never from user text."""
    safe = re.sub(r"[^A-Za-z0-9-]", "", entry_code) or f"diploma-{diploma.id}"
    suffix = "certificate" if diploma.kind == "participation" else "diploma"
    return f"{safe}-{suffix}.pdf"


def build_archive(diplomas: list[tuple[Diploma, Entry, User]]) -> IO[bytes]:
    """One ZIP of every drawn, unrevoked diploma; entry names generated by `archive_name`."""
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for diploma, entry, _user in diplomas:
            if diploma.revoked_at is None and diploma.stored_name:
                path = diploma_path(diploma.stored_name)
                if path.is_file():
                    archive.write(path, archive_name(diploma, entry.code))
    out.seek(0)
    return out
