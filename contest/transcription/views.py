"""The transcription queue and screen: the page images beside an editor.

Open to every role holding TRANSCRIBE in the entry's contest (owners, co-organizers and the
transcribers they name). A transcriber sees only this: entry codes, page images, the text;
links back to the entry's review page are for those who may see entries.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import access
from contest.contests import queries as contest_queries
from contest.contests.permissions import Capability, can_see_entries, contest_access
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.submissions import permissions, queries
from contest.submissions.models import EntryVersion
from contest.transcription import pages, services
from contest.transcription import queries as transcription_queries
from contest.transcription.forms import TranscriptionForm

bp = Blueprint("transcription", __name__)


@bp.app_template_global()
def my_transcription_queues():
    """The dashboard's list for a transcriber: their contests and what waits in each."""
    return transcription_queries.transcriber_contests(current_user)


def _entry_and_version(entry_id: int):
    """The entry and its current version; contest_access has checked the contest."""
    entry = queries.get_entry(entry_id)
    if entry is None or not entry.current_version_id:
        abort(404)
    return entry, db.session.get(EntryVersion, entry.current_version_id)


@bp.route("/organizer/contests/<int:contest_id>/transcription")
@access(Role.ORGANIZER)
@contest_access(Capability.TRANSCRIBE)
def queue(contest_id: int):
    contest = contest_queries.get_contest(contest_id) or abort(404)
    return render_template("transcription/queue.html", contest=contest,
                           waiting=transcription_queries.waiting(contest_id),
                           done=transcription_queries.done(contest_id))


@bp.route("/organizer/entries/<int:entry_id>/transcribe", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.TRANSCRIBE, permissions.entry_contest)
def edit(entry_id: int):
    entry, version = _entry_and_version(entry_id)
    if not services.can_transcribe(entry, version):
        abort(404)
    sees_entry = can_see_entries(current_user, entry.contest_id)
    form = TranscriptionForm(data={"text": version.text or "", "state_version": entry.state_version})
    if form.validate_on_submit():
        try:
            services.save_transcription(organizer=current_user, entry=entry, text=form.text.data,
                                        state_version=form.state_version.data)
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The text of %(code)s was saved.", code=entry.code), "success")
            if sees_entry:
                return redirect(url_for("submissions.review", entry_id=entry.id))
            return redirect(url_for(".queue", contest_id=entry.contest_id))
    return render_template("transcription/edit.html", entry=entry, version=version, form=form,
                           page_count=pages.count(version), previous=services.latest(version.id),
                           sees_entry=sees_entry,
                           confidence=next((f.get("confidence") for f in version.flags or []
                                            if f.get("code") == "ocr"), None))


@bp.route("/organizer/entries/<int:entry_id>/pages/<int:number>")
@access(Role.ORGANIZER)
@contest_access(Capability.TRANSCRIBE, permissions.entry_contest)
def page_image(entry_id: int, number: int):
    """One page of the current version as an image (only for files the sandbox read)."""
    entry, version = _entry_and_version(entry_id)
    if not services.can_transcribe(entry, version) or not 1 <= number <= pages.count(version):
        abort(404)
    return pages.page_response(version, number)
