"""Handing documents out: the e-mails sent with the results (with a link to each person's
documents) and the ZIP archives the organizers download."""

from __future__ import annotations

import re
import tempfile
import zipfile
from typing import IO

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from contest.accounts.models import User
from contest.accounts.services import external_url
from contest.awards import queries
from contest.awards.documents import JUROR_THANKS, PROTOCOL, TEACHER_THANKS
from contest.awards.issuing import diploma_path, language_of
from contest.awards.models import Diploma, Publication
from contest.awards.tiers import AWARD, PARTICIPATION
from contest.contests.models import Contest
from contest.coordinators.queries import mail_recipients
from contest.extensions import db
from contest.mail.services import send_email
from contest.submissions.models import Entry, EntryStatus


def _issued(contest_id: int) -> dict[str, Diploma]:
    return {
        d.slot: d
        for d in db.session.scalars(
            select(Diploma).where(
                Diploma.contest_id == contest_id,
                Diploma.revoked_at.is_(None),
                Diploma.stored_name.is_not(None),
            )
        )
    }


def _link(diploma: Diploma | None) -> str:
    return external_url("awards.download", diploma_id=diploma.id) if diploma is not None else ""


def notify_participants(contest: Contest, publication: Publication) -> int:
    """E-mail every participant (each entry not withdrawn) their result in their language, with
    links to their document and to their supervisor's letter; a revision e-mails only those
    whose outcome changed. Deduplicated: one e-mail per entry per revision however often this
    runs. Returns how many messages were recorded."""
    rows = {row["entry_id"]: row for row in publication.ranking}
    before = None
    if publication.revision > 1:
        previous = db.session.scalar(
            select(Publication).where(
                Publication.contest_id == contest.id, Publication.revision == publication.revision - 1
            )
        )
        before = {row["entry_id"]: row for row in previous.ranking} if previous else {}
    people = db.session.execute(
        select(Entry, User)
        .join(User, User.id == Entry.student_id)
        .where(Entry.contest_id == contest.id, Entry.status != EntryStatus.WITHDRAWN)
        .order_by(Entry.id)
    ).all()
    feedback = queries.submitted_feedback([e.id for e, _u in people]) if contest.share_feedback else {}
    issued, sent = _issued(contest.id), 0
    addresses = mail_recipients(user for _entry, user in people)
    for entry, user in people:
        row = rows.get(entry.id)
        if before is not None and _outcome(before.get(entry.id)) == _outcome(row):
            continue
        document, letter = issued.get(f"entry:{entry.id}"), issued.get(f"teacher:{entry.id}")
        to, lang = addresses[user.id]  # an unclaimed pupil's results go to their coordinator
        lang = lang if lang in current_app.config["LANGUAGES"] else language_of(user)
        with force_locale(lang):
            subject = _("Results of %(contest)s", contest=contest.title_in(lang))
            body = render_template(
                "mail/results.txt",
                user=user,
                entry=entry,
                row=row,
                contest_title=contest.title_in(lang),
                award=queries.award_title(row["tier_name"], row["kind"], lang) if row and row["kind"] else "",
                feedback=feedback.get(entry.id, []),
                revision=publication.revision,
                document=document,
                document_url=_link(document),
                letter_url=_link(letter),
                supervisor=entry.supervisor,
                dashboard_url=external_url("public.dashboard"),
                results_url=external_url("awards.results", contest_id=contest.id),
            )
        send_email(
            to=to,
            subject=" ".join(subject.split())[:200],
            body=body,
            dedupe_key=f"results:{contest.id}:{publication.revision}:{entry.id}",
            contest=contest,
            language=lang,
        )
        sent += 1
    return sent


def notify_jurors(contest: Contest) -> int:
    """E-mail each juror holding a letter of thanks a link to it, once per contest."""
    letters = [d for d in _issued(contest.id).values() if d.kind == JUROR_THANKS]
    people = {
        u.id: u for u in db.session.scalars(select(User).where(User.id.in_([d.user_id for d in letters])))
    }
    for letter in letters:
        user = people[letter.user_id]
        lang = language_of(user)
        with force_locale(lang):
            subject = _("Thank you for judging %(contest)s", contest=contest.title_in(lang))
            body = render_template(
                "mail/juror_thanks.txt",
                user=user,
                contest_title=contest.title_in(lang),
                letter_url=_link(letter),
            )
        send_email(
            to=user.email,
            subject=" ".join(subject.split())[:200],
            body=body,
            dedupe_key=f"thanks:{contest.id}:{user.id}",
            contest=contest,
            language=lang,
        )
    return len(letters)


def _outcome(row: dict | None) -> tuple:
    return (row["tier_id"], row["kind"]) if row else (None, None)


SUFFIXES = {
    PARTICIPATION: "certificate",
    TEACHER_THANKS: "supervisor-letter",
    JUROR_THANKS: "letter",
    PROTOCOL: "protocol",
}


def archive_name(diploma: Diploma, entry_code: str | None, extension: str = "pdf") -> str:
    """The name a document is downloaded under, from the app's receipt code (cleaned to
    letters, digits and hyphens all the same) or ids, never from user text: e.g.
    ZT-2026-0042-diploma.pdf, juror-7-letter.pdf, protocol-2-kk+ru.pdf."""
    suffix = SUFFIXES.get(diploma.kind, "diploma")
    if diploma.kind == PROTOCOL:
        variant = diploma.slot.partition(":")[2].replace(":", "-")  # "2:kk+ru" -> "2-kk+ru"
        return f"protocol-{re.sub(r'[^A-Za-z0-9+-]', '', variant)}.{extension}"
    if diploma.kind == JUROR_THANKS:
        return f"juror-{diploma.user_id}-{suffix}.{extension}"
    safe = re.sub(r"[^A-Za-z0-9-]", "", entry_code or "") or f"document-{diploma.id}"
    return f"{safe}-{suffix}.{extension}"


def build_archive(
    documents: list[tuple[Diploma, Entry | None, str]],
    *,
    kind: str | None = None,
    category_id: int | None = None,
) -> IO[bytes]:
    """One ZIP of the drawn, unrevoked documents of one kind (default: the students' diplomas
    and certificates), of one category when given (letters to jurors and protocols belong to
    no category); names from `archive_name`."""
    out = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for diploma, entry, _holder in documents:
            if diploma.kind not in ((kind,) if kind else (AWARD, PARTICIPATION)):
                continue
            if category_id is not None and (entry is None or entry.category_id != category_id):
                continue
            if diploma.revoked_at is None and diploma.stored_name:
                path = diploma_path(diploma.stored_name)
                if path.is_file():
                    archive.write(path, archive_name(diploma, entry.code if entry else None))
    out.seek(0)
    return out
