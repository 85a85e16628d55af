"""One way to send e-mail: `send_email` queues it; the `deliver_email` job sends it once."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from contest.db import utcnow
from contest.errors import InvalidInput
from contest.extensions import db
from contest.jobs import enqueue_after_commit, task
from contest.mail.models import OutgoingEmail


def _check_header(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise InvalidInput("e-mail header values must not contain line breaks")
    return value


def send_email(*, to: str, subject: str, body: str, dedupe_key: str | None = None) -> OutgoingEmail:
    """Record a message and queue its delivery after commit. Callers render the body in
    the recipient's language (flask_babel.force_locale)."""
    _check_header(to)
    _check_header(subject)
    if dedupe_key:
        existing = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    message = OutgoingEmail(to=to, subject=subject, body=body, dedupe_key=dedupe_key)
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(deliver_email, email_id=message.id, dedupe_key=f"mail:{message.id}")
    return message


def _build(message: OutgoingEmail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = message.to
    msg["Subject"] = message.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=str(message.id))
    msg.set_content(message.body)
    return msg


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
    msg = _build(message)
    cfg = current_app.config
    if cfg.get("MAIL_SERVER"):
        with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=30) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(msg)
    else:
        outbox = Path(cfg["OUTBOX_FOLDER"])
        outbox.mkdir(parents=True, exist_ok=True)
        (outbox / f"{message.id:08d}.eml").write_bytes(bytes(msg))
