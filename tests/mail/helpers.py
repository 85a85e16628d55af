"""Reading what was sent: deliver the stored e-mails and parse the .eml files with `email`."""
from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from contest.extensions import db
from contest.mail.models import OutgoingEmail
from contest.mail.services import deliver_email


def deliver_all() -> None:
    for email_id in db.session.scalars(select(OutgoingEmail.id).where(OutgoingEmail.sent_at.is_(None))):
        deliver_email(email_id=email_id)
    db.session.commit()


def outbox(app) -> list[EmailMessage]:
    """Every .eml in the outbox, parsed as a mail reader would (the default policy)."""
    folder = Path(app.config["OUTBOX_FOLDER"])
    files = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]


def text_of(message: EmailMessage) -> str:
    return message.get_content()
