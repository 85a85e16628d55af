"""Jurors in bulk: a file is read and checked into a preview (nothing is sent); once the
organizer confirms, the worker creates or updates each juror, puts them on the jury and
e-mails the invitation. Each line is committed with its outcome, so a re-run after a crash
skips the lines already done, and every e-mail has a dedupe key."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.accounts.models import TokenPurpose, User
from contest.audit.services import record_event
from contest.contests import jurors
from contest.contests.import_models import ImportStatus, JurorImport
from contest.contests.juror_import import TableError, check_table, read_table
from contest.contests.models import Contest, ContestJuror
from contest.db import utcnow
from contest.enums import Role
from contest.errors import DomainError, InvalidInput
from contest.extensions import db


def table_error(code: str, value: str = ""):
    """Why a whole file cannot be used, in the organizer's language."""
    return {
        "format": _l("Upload a .csv or .xlsx file."),
        "encoding": _l("The CSV file is not in UTF-8 or Windows-1251 encoding."),
        "unreadable": _l("The spreadsheet cannot be read. Save it again as .xlsx or .csv."),
        "empty": _l("The file is empty."),
        "columns": _l("The first row must name the columns; missing: %(value)s.", value=value),
        "too_many": _l("At most %(value)s jurors per file.", value=value),
    }[code]


def preview_import(*, contest: Contest, filename: str, data: bytes, actor) -> JurorImport:
    """Read and check a file into a stored preview; nothing is created or sent."""
    try:
        rows = read_table(filename, data)
        emails = sorted({cell.lower() for row in rows[1:] for cell in row if "@" in cell})[:5000]
        taken = {u.email: u.role.value
                 for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
        categories = {c.id: [n for n in (c.name or {}).values() if n] for c in contest.categories}
        checked = check_table(rows, categories=categories, taken=taken)
    except TableError as exc:
        raise InvalidInput(table_error(exc.code, exc.value), field="file") from None
    imp = JurorImport(contest_id=contest.id, filename=filename[-200:], rows=checked, created_by_id=actor.id)
    db.session.add(imp)
    db.session.flush()
    return imp


def valid_rows(imp: JurorImport) -> list[dict]:
    return [row for row in imp.rows if not row["problems"]]


def confirm_import(*, imp: JurorImport, actor) -> int:
    """Queue the invitations of the lines without problems; returns their number."""
    from contest.contests.tasks import run_juror_import
    from contest.jobs import enqueue_after_commit

    if imp.status != ImportStatus.PREVIEW:
        raise InvalidInput(_l("This import has already been sent."))
    count = len(valid_rows(imp))
    if not count:
        raise InvalidInput(_l("No line can be imported; fix the file and upload it again."))
    imp.status = ImportStatus.QUEUED
    record_event(action="jury.import_confirmed", actor=actor, obj=imp, contest_id=imp.contest_id,
                 new={"lines": len(imp.rows), "invited": count, "file": imp.filename})
    enqueue_after_commit(run_juror_import, import_id=imp.id, dedupe_key=f"juror-import:{imp.id}")
    return count


def run_import(import_id: int) -> None:
    """The job: each valid line not yet done, committed one by one with its outcome."""
    imp = db.session.get(JurorImport, import_id)
    if imp is None or imp.status != ImportStatus.QUEUED:
        return
    contest = db.session.get(Contest, imp.contest_id)
    actor = db.session.get(User, imp.created_by_id) if imp.created_by_id else None
    for index, row in enumerate(imp.rows):
        if row["problems"] or row.get("outcome"):
            continue
        error = ""
        try:
            with db.session.begin_nested():
                outcome = import_line(contest, row, actor, imp.id)
        except DomainError as exc:  # e.g. the account was made an organizer since the preview
            outcome, error = "failed", str(exc.message)[:300]
        rows = list(imp.rows)
        rows[index] = {**row, "outcome": outcome, "error": error}
        imp.rows = rows  # a new list: the JSON column sees the change
        db.session.commit()
    imp.status, imp.finished_at = ImportStatus.DONE, utcnow()
    db.session.commit()


def import_line(contest: Contest, row: dict, actor, import_id: int) -> str:
    """Create or update one juror, attach them, e-mail them; returns "invited" or "added"."""
    from contest.accounts.services import external_url, hash_password, issue_token

    user = db.session.scalar(select(User).where(User.email == row["email"]))
    created = user is None
    if created:
        user = User(email=row["email"], full_name=row["name"], role=Role.JUROR, active=True,
                    language=(row["languages"] or ["kk"])[0],
                    password_hash=hash_password(secrets.token_urlsafe(24)))  # unusable until they set one
        db.session.add(user)
        db.session.flush()
        record_event(action="user.created", actor=actor, obj=user, new={"role": "juror", "import": import_id})
    jurors.update_juror_profile(juror=user, actor=actor or user, languages=row["languages"],
                                school=row["school"], region=row["region"], capacity=row["capacity"],
                                set_capacity=True)
    link = db.session.scalar(select(ContestJuror).where(ContestJuror.contest_id == contest.id,
                                                        ContestJuror.user_id == user.id))
    if link is None:
        jurors.attach_juror(contest=contest, juror=user, category_ids=row["category_ids"],
                            capacity=row["capacity"], actor=actor or user)
    else:
        jurors.update_contest_juror(contest=contest, link=link, category_ids=row["category_ids"],
                                    capacity=row["capacity"], actor=actor or user)
    url = external_url("accounts.login")
    days = current_app.config["INVITE_TOKEN_DAYS"]
    if created:
        _token, raw = issue_token(purpose=TokenPurpose.RESET, ttl=timedelta(days=days), user=user,
                                  email=user.email, created_by=actor)
        url = external_url("accounts.reset", token=raw)
    _send_invitation(contest, user, url=url, days=days, new_account=created, import_id=import_id)
    return "invited" if created else "added"


def _send_invitation(contest: Contest, user: User, *, url: str, days: int, new_account: bool,
                     import_id: int) -> None:
    from contest.mail.services import format_when, institution_name, send_email

    lang = user.language
    with force_locale(lang):
        body = render_template("mail/jury_invitation.txt", user=user, title=contest.title_in(lang),
                               institution=institution_name(contest, lang), url=url, days=days,
                               new_account=new_account,
                               ends=format_when(contest.judging_ends_at, contest.timezone, lang))
        subject = _("Invitation to the jury of \"%(title)s\"", title=contest.title_in(lang))
        send_email(to=user.email, subject=subject, body=body, contest=contest, language=lang,
                   dedupe_key=f"jury-invite:{import_id}:{user.id}")
