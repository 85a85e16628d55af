"""The organizer's individual deadline extensions for one contest."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from contest.accounts.permissions import access
from contest.contests.permissions import Capability, contest_access
from contest.contests.queries import get_contest
from contest.contests.services import to_utc
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.submissions import deadlines
from contest.submissions.extension_models import DeadlineExtension
from contest.submissions.notices import notify_extension

bp = Blueprint("extensions", __name__)


class ExtensionForm(FlaskForm):
    email = StringField(_l("Student's e-mail"), validators=[Optional(), Length(max=254)])
    school = StringField(_l("Or every student of this school"), validators=[Optional(), Length(max=200)])
    until = DateTimeLocalField(_l("New deadline"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=1000)])


def _contest(contest_id: int):
    return get_contest(contest_id) or abort(404)


@bp.route("/contests/<int:contest_id>/extensions", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def index(contest_id: int):
    contest = _contest(contest_id)
    form = ExtensionForm()
    if form.validate_on_submit():
        student = deadlines.find_student(form.email.data) if form.email.data else None
        try:
            if form.email.data and student is None:
                raise DomainError(_l("No student has this e-mail."), field="email")
            extension = deadlines.grant_extension(
                contest=contest, actor=current_user, student=student, school=form.school.data or "",
                until=to_utc(form.until.data, contest.timezone), reason=form.reason.data)
        except DomainError as exc:
            getattr(form, exc.field or "reason").errors.append(str(exc.message))
        else:
            if student is not None:
                notify_extension(contest=contest, student=student, extension=extension)
            db.session.commit()
            flash(_("The deadline was extended."), "success")
            return redirect(url_for("extensions.index", contest_id=contest.id))
    return render_template("submissions/extensions.html", contest=contest, form=form,
                           extensions=deadlines.list_extensions(contest.id))


@bp.route("/contests/<int:contest_id>/extensions/<int:extension_id>/remove", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def remove(contest_id: int, extension_id: int):
    contest = _contest(contest_id)
    extension = db.session.get(DeadlineExtension, extension_id)
    if extension is None or extension.contest_id != contest.id:
        abort(404)
    deadlines.remove_extension(contest=contest, extension=extension, actor=current_user)
    db.session.commit()
    flash(_("The extension was removed."), "success")
    return redirect(url_for("extensions.index", contest_id=contest.id))


@bp.app_context_processor
def _my_extensions():
    def my_extensions():
        """(contest, deadline) for the signed-in student's extended, still running deadlines."""
        if not current_user.is_authenticated or current_user.role != Role.STUDENT:
            return []
        return deadlines.running_extensions(current_user)

    return {"my_extensions": my_extensions}
