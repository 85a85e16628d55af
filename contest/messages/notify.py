"""One recipient's copy of a message: the e-mail, in their language."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from contest.db import utcnow
from contest.errors import DomainError
from contest.messages.models import RecipientStatus


def email_recipient(message, contest, recipient, user, address: tuple[str, str] | None = None) -> None:
    """Queue the e-mail (dedupe key per message and user) and record the outcome on the row.
    `address` is coordinators.queries.mail_recipient's answer for a student: a pupil who has not
    claimed their record or agreed to e-mails is reached through their coordinator, who gets
    one copy of the message however many of their pupils it is for."""
    from contest.accounts.services import external_url
    from contest.mail.services import send_email
    from contest.messages.services import text_for

    to, language = address or ((user.email, user.language) if user is not None else ("", ""))
    redirected = user is not None and to != user.email
    if user is None or not to or not (user.active or redirected):
        recipient.status, recipient.error = RecipientStatus.FAILED, "no active account"
        return
    lang = language if language in ("kk", "ru", "en") else "kk"
    subject, body = text_for(message, lang)
    with force_locale(lang):
        text = render_template("mail/message.txt", user=user, body=body,
                               url=external_url("public.dashboard"))
        try:
            key = f"message:{message.id}:to:{to}"[:200] if redirected else f"message:{message.id}:{user.id}"
            email = send_email(to=to, subject=subject, body=text, contest=contest, language=lang,
                               dedupe_key=key)
        except DomainError as exc:
            recipient.status, recipient.error = RecipientStatus.FAILED, str(exc.message)[:300]
            return
    recipient.status, recipient.language = RecipientStatus.SENT, lang
    recipient.email_id, recipient.sent_at = email.id, utcnow()
