"""Jobs for judging: reminder e-mails to jurors who are behind schedule."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from contest.accounts.models import User
from contest.contests.models import Contest
from contest.extensions import db
from contest.jobs import task
from contest.judging.models import JurorReminder
from contest.mail.services import send_email


@task
def send_juror_reminder(*, reminder_id: int) -> None:
    """E-mail one queued reminder in the juror's language; running it twice sends one
    message (the e-mail's dedupe key is the reminder's id)."""
    reminder = db.session.get(JurorReminder, reminder_id)
    if reminder is None:
        return
    juror = db.session.get(User, reminder.juror_id)
    contest = db.session.get(Contest, reminder.contest_id)
    if juror is None or contest is None or not juror.active:
        return
    from contest.accounts.services import external_url

    with force_locale(juror.language):
        body = render_template("mail/juror_reminder.txt", juror=juror, contest=contest,
                               title=contest.title_in(juror.language), url=external_url("judging.dashboard"),
                               **reminder.extra)
        subject = _("Reminder: essays waiting for your review")
    send_email(to=juror.email, subject=subject, body=body, dedupe_key=f"juror-reminder:{reminder.id}")
