"""Jurors in bulk: upload a CSV/XLSX file, see each line's problems, then send invitations."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

from contest.accounts.permissions import access
from contest.contests import juror_import_services as services
from contest.contests import queries
from contest.contests.import_models import JurorImport
from contest.contests.permissions import Capability, contest_access
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db

bp = Blueprint("juror_import", __name__)
MAX_BYTES = 5 * 1024 * 1024


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])


def _contest(contest_id: int):
    return queries.get_contest(contest_id) or abort(404)


@bp.route("/contests/<int:contest_id>/jury/import", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def upload(contest_id: int):
    contest = _contest(contest_id)
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read(MAX_BYTES + 1)
        try:
            if len(data) > MAX_BYTES:
                raise DomainError(_l("The file is larger than %(mb)s MB.", mb=5), field="file")
            imp = services.preview_import(contest=contest, filename=form.file.data.filename or "",
                                          data=data, actor=current_user)
        except DomainError as exc:
            form.file.errors.append(str(exc.message))
        else:
            db.session.commit()
            return redirect(url_for("juror_import.show", contest_id=contest.id, import_id=imp.id))
    return render_template("contests/jury_import.html", contest=contest, form=form, imp=None)


@bp.route("/contests/<int:contest_id>/jury/import/<int:import_id>")
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def show(contest_id: int, import_id: int):
    contest = _contest(contest_id)
    imp = db.session.get(JurorImport, import_id)
    if imp is None or imp.contest_id != contest.id:
        abort(404)
    return render_template("contests/jury_import.html", contest=contest, form=None, imp=imp,
                           valid=len(services.valid_rows(imp)))


@bp.route("/contests/<int:contest_id>/jury/import/<int:import_id>/send", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def send(contest_id: int, import_id: int):
    contest = _contest(contest_id)
    imp = db.session.get(JurorImport, import_id)
    if imp is None or imp.contest_id != contest.id:
        abort(404)
    try:
        count = services.confirm_import(imp=imp, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("%(n)s invitations are being sent.", n=count), "success")
    return redirect(url_for("juror_import.show", contest_id=contest.id, import_id=imp.id))
