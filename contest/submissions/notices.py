"""E-mails to students about their deadline."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from contest.accounts.services import external_url
from contest.coordinators.queries import mail_recipient
from contest.mail.services import format_when, send_email


def notify_extension(*, contest, student, extension) -> None:
    """Tell one student their new deadline, in their language and the contest's time zone."""
    to, lang = mail_recipient(student)  # an unclaimed pupil's news goes to their coordinator
    with force_locale(lang):
        body = render_template("mail/extension.txt", student=student, title=contest.title_in(lang),
                               until=format_when(extension.until, contest.timezone, lang),
                               link=external_url("submissions.choose_contest"))
        subject = _("Your deadline in \"%(title)s\" was extended", title=contest.title_in(lang))
        send_email(to=to, subject=subject, body=body, contest=contest, language=lang,
                   dedupe_key=f"extension:{extension.id}:{extension.until.isoformat()}")
