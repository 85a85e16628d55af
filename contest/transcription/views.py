"""The organizer's transcription screen: the page images beside an editor."""
from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import access
from contest.contests.permissions import Capability, contest_access
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.submissions import permissions, queries, storage
from contest.submissions.models import EntryVersion
from contest.transcription import pages, services
from contest.transcription.forms import TranscriptionForm

bp = Blueprint("transcription", __name__)


def _entry_and_version(entry_id: int):
    entry = queries.get_entry(entry_id)
    if entry is None or not permissions.can_view_entry(current_user, entry) or not entry.current_version_id:
        abort(404)
    return entry, db.session.get(EntryVersion, entry.current_version_id)


@bp.route("/organizer/entries/<int:entry_id>/transcribe", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, permissions.entry_contest, post=Capability.MANAGE)
def edit(entry_id: int):
    entry, version = _entry_and_version(entry_id)
    if not services.can_transcribe(entry, version):
        abort(404)
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
            return redirect(url_for("submissions.review", entry_id=entry.id))
    return render_template("transcription/edit.html", entry=entry, version=version, form=form,
                           page_count=pages.count(version), previous=services.latest(version.id),
                           confidence=next((f.get("confidence") for f in version.flags or []
                                            if f.get("code") == "ocr"), None))


@bp.route("/organizer/entries/<int:entry_id>/pages/<int:number>")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, permissions.entry_contest)
def page_image(entry_id: int, number: int):
    """One page of the current version as an image (only for files the sandbox read)."""
    entry, version = _entry_and_version(entry_id)
    if not services.can_transcribe(entry, version) or not 1 <= number <= pages.count(version):
        abort(404)
    data, mimetype = pages.page(storage.read_bytes(version.stored_name), version.format, number)
    response = send_file(io.BytesIO(data), mimetype=mimetype, max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response
