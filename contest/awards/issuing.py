"""Issuing published results: document rows and their PDF (and DOCX) files.

Used by the `issue_results` job in three steps so the slow one holds no database lock:
`prepare_diplomas` (rows, codes; committed), `draw_diplomas` (files only, no database),
`mark_drawn` (then the e-mails of awards.delivery; committed by the job).
"""
from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from contest.accounts.models import User
from contest.audit.services import record_event
from contest.awards import queries
from contest.awards.documents import (
    JUROR_THANKS,
    PROTOCOL,
    TEACHER_THANKS,
    DocumentSettings,
    Recipient,
    content_for,
)
from contest.awards.models import Award, Diploma, Publication
from contest.awards.protocol import protocol_content
from contest.awards.published import results_date
from contest.contests.models import Contest
from contest.db import utcnow
from contest.diplomas import DiplomaContent, LogoError, new_verification_code, render_diplomas, validate_logo
from contest.diplomas.protocol import ProtocolContent, render_protocol
from contest.diplomas.protocol_docx import render_protocol_docx
from contest.extensions import db
from contest.submissions.models import Entry

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drawing:
    diploma_id: int
    file_name: str
    content: DiplomaContent | ProtocolContent


@dataclass(frozen=True)
class Wanted:
    """One document the publication calls for: its slot, the row's links and what it says."""

    slot: str
    who: Recipient
    language: str
    entry_id: int | None = None
    user_id: int | None = None


def diploma_path(file_name: str) -> Path:
    return Path(current_app.config["DIPLOMA_FOLDER"]) / file_name


def docx_path(file_name: str) -> Path:
    return diploma_path(file_name).with_suffix(".docx")


def file_name_for(diploma: Diploma, content: DiplomaContent | ProtocolContent | None = None) -> str:
    """A generated name, never built from user text: the same on every run for the same
    content, so a rerun after a killed worker skips what is already drawn, and a document
    whose content changed (a revision, a new setting) is drawn under a new name."""
    key = f"{diploma.id}:{diploma.code}"
    if content is not None:
        key += ":" + _content_key(content)
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return f"{diploma.contest_id}-{diploma.id:08d}-{digest}.pdf"


def _content_key(content: DiplomaContent | ProtocolContent) -> str:
    logo = getattr(content, "logo", None)
    if logo:  # the logo by its digest: repr of its bytes would cost more than the page
        content = replace(content, logo=hashlib.sha256(logo).digest())
    return hashlib.sha256(repr(content).encode()).hexdigest()


def language_of(user: User) -> str:
    return user.language if user.language in current_app.config["LANGUAGES"] else "kk"


def wanted_documents(contest: Contest, publication: Publication) -> list[Wanted]:
    """Every document a publication calls for (protocols aside): the students' diplomas and
    participation certificates, and the letters of thanks to supervisors and jurors that the
    organizer asked for; each in the language the settings say."""
    settings = DocumentSettings.of(contest)
    tiers = {t.id: t for t in contest.award_tiers}
    rows = [row for row in publication.ranking if row["kind"]]
    if contest.participation_certificates and settings.participation == "accepted":
        rows += queries.unjudged_rows(contest, {row["entry_id"] for row in publication.ranking})
    entries = {e.id: e for e in db.session.scalars(select(Entry).where(
        Entry.id.in_([row["entry_id"] for row in rows])))}
    students = queries.students_of(list(entries))
    out: list[Wanted] = []
    for row in rows:
        entry, user = entries[row["entry_id"]], students[row["entry_id"]]
        language = settings.language_for(language_of(user))
        who = Recipient(row["kind"], user.full_name, tiers.get(row["tier_id"]), entry.category_id,
                        entry.topic_id, entry.supervisor)
        out.append(Wanted(f"entry:{entry.id}", who, language, entry_id=entry.id))
        if settings.thank_teachers and entry.supervisor.strip():
            letter = Recipient(TEACHER_THANKS, entry.supervisor, student=user.full_name)
            out.append(Wanted(f"teacher:{entry.id}", letter, language, entry_id=entry.id))
    if settings.thank_jurors:
        jury = [j for j in (publication.frozen or {}).get("jury", []) if j["reviews"] > 0]
        people = {u.id: u for u in db.session.scalars(
            select(User).where(User.id.in_([j["user_id"] for j in jury])))}
        for juror in jury:
            user = people.get(juror["user_id"])
            if user is not None:
                who = Recipient(JUROR_THANKS, user.full_name, essays=juror["reviews"])
                out.append(Wanted(f"juror:{user.id}", who, settings.language_for(language_of(user)),
                                  user_id=user.id))
    return out


def prepare_diplomas(contest: Contest, publication: Publication) -> list[Drawing]:
    """Make the document rows match the publication: one per slot, its code created once and
    kept; a document no longer called for is revoked (protocols of earlier revisions stay, they
    are the record of those revisions). Returns what to draw (revoked ones are not redrawn)."""
    existing = {d.slot: d for d in db.session.scalars(
        select(Diploma).where(Diploma.contest_id == contest.id))}
    award_ids = dict(db.session.execute(
        select(Award.entry_id, Award.id).where(Award.contest_id == contest.id)).all())
    date, logo, drawings, held = results_date(contest.id), usable_logo(contest), [], set()
    for item in wanted_documents(contest, publication):
        held.add(item.slot)
        diploma = _row_for(contest, existing, item.slot, item.who.kind, item.language)
        if diploma is None:
            continue
        diploma.entry_id, diploma.user_id = item.entry_id, item.user_id
        diploma.holder = item.who.name[:200]
        diploma.award_id = award_ids.get(item.entry_id) if item.slot.startswith("entry:") else None
        content = content_for(contest, item.who, item.language, code=diploma.code, date=date, logo=logo)
        drawings.append(Drawing(diploma.id, file_name_for(diploma, content), content))
    for variant in DocumentSettings.of(contest).protocol_languages(contest):
        slot = f"protocol:{publication.revision}:{variant}"
        held.add(slot)
        diploma = _row_for(contest, existing, slot, PROTOCOL, variant)
        if diploma is not None:
            content = protocol_content(contest, publication, variant, code=diploma.code)
            drawings.append(Drawing(diploma.id, file_name_for(diploma, content), content))
    for slot, diploma in existing.items():
        if slot not in held and not slot.startswith("protocol:") and diploma.revoked_at is None:
            diploma.revoked_at = utcnow()
            diploma.revoke_reason = f"not held in revision {publication.revision}"
            record_event(action="diploma.revoke", obj=diploma, contest_id=contest.id,
                         old={"status": "genuine"}, new={"status": "revoked"}, reason=diploma.revoke_reason)
    db.session.flush()
    return drawings


def _row_for(contest: Contest, existing: dict[str, Diploma], slot: str, kind: str,
             language: str) -> Diploma | None:
    """The slot's row (created with a fresh code on first need); None when it was revoked."""
    diploma = existing.get(slot)
    if diploma is None:
        diploma = Diploma(code=_fresh_code(), contest_id=contest.id, slot=slot)
        db.session.add(diploma)
        db.session.flush()
        existing[slot] = diploma
    if diploma.revoked_at is not None:
        return None
    diploma.kind, diploma.language = kind, language
    return diploma


def _fresh_code() -> str:
    while True:  # 80 random bits: a repeat is practically impossible, but cheap to rule out
        code = new_verification_code()
        if db.session.scalar(select(Diploma.id).where(Diploma.code == code)) is None:
            return code


def usable_logo(contest: Contest) -> bytes | None:
    if not contest.logo:
        return None
    try:
        validate_logo(contest.logo)
    except LogoError as exc:
        log.warning("contest %s: logo left off the diplomas: %s", contest.id, exc)
        return None
    return contest.logo


def draw_diplomas(drawings: list[Drawing]) -> None:
    """Write each PDF (and a protocol's DOCX) under its generated name, atomically (a reader
    never sees half a file); a file already there has this very content and is kept, so a
    rerun after a killed worker carries on where it stopped. Touches no database."""
    if not drawings:
        return
    folder = diploma_path("x").parent
    folder.mkdir(parents=True, exist_ok=True)
    drawings = [d for d in drawings if not (folder / d.file_name).is_file()
                or (isinstance(d.content, ProtocolContent) and not docx_path(d.file_name).is_file())]
    pages = [d for d in drawings if isinstance(d.content, DiplomaContent)]
    for drawing, pdf in zip(pages, render_diplomas(d.content for d in pages)):
        _write(folder / drawing.file_name, pdf)
    for drawing in drawings:
        if isinstance(drawing.content, ProtocolContent):
            _write(folder / drawing.file_name, render_protocol(drawing.content))
            _write(docx_path(drawing.file_name), render_protocol_docx(drawing.content))


def _write(target: Path, data: bytes) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    os.replace(partial, target)


def mark_drawn(drawings: list[Drawing]) -> list[str]:
    """Point each row at its file; returns the files they pointed at before and no longer
    do, to remove once this is committed."""
    old = dict(db.session.execute(select(Diploma.id, Diploma.stored_name).where(
        Diploma.id.in_([d.diploma_id for d in drawings]))).all()) if drawings else {}
    for drawing in drawings:
        db.session.execute(update(Diploma).where(Diploma.id == drawing.diploma_id)
                           .values(stored_name=drawing.file_name))
    db.session.flush()
    return [old[d.diploma_id] for d in drawings if old.get(d.diploma_id) not in (None, d.file_name)]


def remove_files(names: list[str]) -> None:
    """Delete replaced files (and a protocol's DOCX beside them)."""
    for name in names:
        for path in (diploma_path(name), docx_path(name)):
            path.unlink(missing_ok=True)


