"""One way to send e-mail: `send_email` queues it; the `deliver_email` job sends it once.

Every message names who sends it: the contest (when there is one) and the organizing
institution close the body, and the institution is the From display name on
MAIL_DEFAULT_SENDER. Times in e-mails go through `format_when` (the contest's time zone,
the recipient's language)."""
from __future__ import annotations

import smtplib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_datetime
from babel.dates import get_timezone_location
from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from contest.db import utcnow
from contest.errors import InvalidInput
from contest.extensions import db
from contest.i18n import tidy
from contest.jobs import enqueue_after_commit, task
from contest.mail.compose import build_message, sender_address
from contest.mail.models import OutgoingEmail

FALLBACK_ORDER = ("kk", "ru", "en")


def _check_header(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise InvalidInput("e-mail header values must not contain line breaks")
    return value


def _pick(texts, lang: str) -> str:
    """A configured name: a plain string, or {"kk": ..., "ru": ..., "en": ...} with fallback."""
    if isinstance(texts, str):
        return texts
    texts = texts or {}
    return texts.get(lang) or next((texts[c] for c in FALLBACK_ORDER if texts.get(c)), "")


def institution_name(contest, lang: str) -> str:
    """The organizing institution: the contest's issuer, else INSTITUTION_NAME, else a
    generic name in `lang`."""
    name = _pick(getattr(contest, "issuer", None), lang) if contest is not None else ""
    name = name or _pick(current_app.config.get("INSTITUTION_NAME"), lang)
    if not name:
        with force_locale(lang):
            name = _("Essay contest platform")
    return " ".join(str(name).split())


def format_when(moment: datetime | None, timezone: str | None, lang: str) -> str:
    """An aware UTC time as the reader expects it: their language, the contest's time zone."""
    if moment is None:
        return ""
    zone = timezone or current_app.config["BABEL_DEFAULT_TIMEZONE"]
    text = babel_datetime(moment, "d MMMM y, HH:mm", tzinfo=ZoneInfo(zone), locale=lang)
    try:
        city = get_timezone_location(zone, locale=lang, return_city=True)
    except LookupError:
        city = zone
    return f"{text} ({city})"


def signature(contest, lang: str) -> str:
    """The lines that close every e-mail: the contest's title and the institution."""
    lines = ["--"]
    if contest is not None:
        lines.append(contest.title_in(lang))
    lines.append(institution_name(contest, lang))
    return "\n".join(line for line in lines if line)


def send_email(*, to: str, subject: str, body: str, dedupe_key: str | None = None, contest=None,
               language: str | None = None) -> OutgoingEmail:
    """Record a message and queue its delivery after commit. Callers render the body in
    the recipient's language (flask_babel.force_locale) and pass the contest it is about."""
    _check_header(to)
    _check_header(subject)
    if dedupe_key:
        existing = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    lang = language or str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    message = OutgoingEmail(to=to, subject=tidy(str(subject)), dedupe_key=dedupe_key,
                            body=f"{str(body).rstrip()}\n\n{signature(contest, lang)}\n",
                            sender_name=institution_name(contest, lang)[:200])
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(deliver_email, email_id=message.id, dedupe_key=f"mail:{message.id}")
    return message


def render_message(message: OutgoingEmail) -> bytes:
    cfg = current_app.config
    sender = sender_address(cfg["MAIL_DEFAULT_SENDER"], message.sender_name)
    domain = sender.rpartition("@")[2].rstrip(">") or None
    return build_message(sender=sender, to=message.to, subject=message.subject, body=message.body,
                         when=utcnow(), domain=domain)


@task
def deliver_email(*, email_id: int) -> None:
    """Send one stored message exactly once: the row is claimed before sending."""
    claimed = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == email_id, OutgoingEmail.sent_at.is_(None))
        .values(sent_at=utcnow())
    ).rowcount
    if not claimed:
        return
    message = db.session.get(OutgoingEmail, email_id)
    if message.to.lower().endswith(".invalid"):  # RFC 2606: a placeholder, never deliverable
        return
    data = render_message(message)
    cfg = current_app.config
    if cfg.get("MAIL_SERVER"):
        from email.utils import parseaddr

        with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=30) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.sendmail(parseaddr(cfg["MAIL_DEFAULT_SENDER"])[1], [message.to], data)
    else:
        outbox = Path(cfg["OUTBOX_FOLDER"])
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / f"{message.id:08d}.eml").write_bytes(data)
