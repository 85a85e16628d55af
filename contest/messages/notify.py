"""One recipient's copy of a message: the e-mail, in their language."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from contest.db import utcnow
from contest.errors import DomainError
from contest.messages.models import RecipientStatus


def email_recipient(message, contest, recipient, user) -> None:
    """Queue the e-mail (dedupe key per message and user) and record the outcome on the row."""
    from contest.accounts.services import external_url
    from contest.mail.services import send_email
    from contest.messages.services import text_for

    if user is None or not user.active or not user.email:
        recipient.status, recipient.error = RecipientStatus.FAILED, "no active account"
        return
    lang = user.language if user.language in ("kk", "ru", "en") else "kk"
    subject, body = text_for(message, lang)
    with force_locale(lang):
        text = render_template("mail/message.txt", user=user, body=body,
                               url=external_url("public.dashboard"))
        try:
            email = send_email(to=user.email, subject=subject, body=text, contest=contest, language=lang,
                               dedupe_key=f"message:{message.id}:{user.id}")
        except DomainError as exc:
            recipient.status, recipient.error = RecipientStatus.FAILED, str(exc.message)[:300]
            return
    recipient.status, recipient.language = RecipientStatus.SENT, lang
    recipient.email_id, recipient.sent_at = email.id, utcnow()
