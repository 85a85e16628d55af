"""Jobs for judging: reminder e-mails to jurors with reviews still to do, and the
assignment preview of a large contest and the save of its plan."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from contest.accounts.models import User
from contest.contests.models import Contest, Phase
from contest.extensions import db
from contest.jobs import task
from contest.judging.models import JurorReminder
from contest.mail.services import format_when, send_email


@task
def send_juror_reminder(*, reminder_id: int) -> None:
    """E-mail one queued reminder in the juror's language; running it twice sends one
    message (the e-mail's dedupe key is the reminder's id). A reminder whose job runs after
    judging has closed (the contest left the judging phase) is dropped."""
    reminder = db.session.get(JurorReminder, reminder_id)
    if reminder is None:
        return
    juror = db.session.get(User, reminder.juror_id)
    contest = db.session.get(Contest, reminder.contest_id)
    if juror is None or contest is None or not juror.active or contest.phase != Phase.JUDGING:
        return
    from contest.accounts.services import external_url

    lang = juror.language
    with force_locale(lang):
        extra = {"done": 0, "assigned": 0, "days_left": None, **reminder.extra}
        extra.pop("slot", None)
        body = render_template("mail/juror_reminder.txt", juror=juror, contest=contest,
                               title=contest.title_in(lang), url=external_url("judging.dashboard"),
                               ends=format_when(contest.judging_ends_at, contest.timezone, lang), **extra)
        subject = _("Reminder: essays waiting for your review in \"%(title)s\"", title=contest.title_in(lang))
        send_email(to=juror.email, subject=subject, body=body, dedupe_key=f"juror-reminder:{reminder.id}",
                   contest=contest, language=lang)


@task
def compute_assignment_preview(*, contest_id: int, round_no: int, language: str | None = None) -> None:
    """Compute the round's assignment preview into the preview cache (the organizer's page
    waits for it), stored first with the linkage note in `language` (the page's, when the
    job was queued), then with every language's; the stage reached is kept beside it for
    the page to show."""
    from contest.judging import assign_services, preview_cache

    contest = db.session.get(Contest, contest_id)
    if contest is None:
        return

    def progress(digest, stage: str) -> None:
        preview_cache.set_stage(contest_id, round_no, digest.key, stage, digest.entries, digest.jurors)

    assign_services.preview_plan(contest=contest, round_no=round_no, progress=progress,
                                 first_language=language)


@task
def save_assignment_plan(*, contest_id: int, round_no: int, fingerprint: str, actor_id: int) -> None:
    """Save a large previewed plan the organizer confirmed (assign_services.save_queued_plan:
    checked again, inserted in batches, refused if its inputs changed; a second run adds
    nothing)."""
    from contest.judging import assign_services

    assign_services.save_queued_plan(contest_id=contest_id, round_no=round_no, fingerprint=fingerprint,
                                     actor_id=actor_id)
