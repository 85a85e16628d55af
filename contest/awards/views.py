"""Awards pages: the organizer's awards and diplomas, the public results, diploma downloads
and verification."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import PUBLIC, SIGNED_IN, access
from contest.awards import delivery, issuing, previews, published, queries, services
from contest.awards.documents import KINDS, PROTOCOL, kind_name
from contest.awards.forms import OverrideForm, PublishForm, RevokeForm, VerifyForm
from contest.awards.models import Diploma
from contest.awards.permissions import (
    can_download_diploma,
    can_see_protocol,
    can_see_results,
    diploma_contest,
)
from contest.contests.models import Contest, localized
from contest.contests.permissions import Capability, contest_access
from contest.diplomas import normalize_code
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.ranking import store
from contest.submissions.models import Entry

bp = Blueprint("awards", __name__)


@bp.app_template_filter("l10n")
def l10n(texts: dict[str, str] | None) -> str:
    """A multilingual JSON text in the page's language."""
    return localized(texts, str(get_locale()))


bp.add_app_template_global(queries.award_title, "award_title")


@bp.app_template_filter("day")
def day(value) -> str:
    """A date without the time, in the page's language (e.g. 23 November 2026)."""
    return format_date(value, "long") if value else ""


@bp.app_template_global()
def my_results():
    """The signed-in student's published results, for the dashboard section."""
    return published.student_results(current_user) if current_user.is_authenticated else []


@bp.app_template_global()
def my_letters():
    """The signed-in juror's letters of thanks of published contests."""
    return published.juror_letters(current_user) if current_user.is_authenticated else []


@bp.app_template_global()
def award_contests():
    return queries.contests_with_results(current_user) if current_user.is_authenticated else []


def _contest(contest_id: int) -> Contest:
    return db.session.get(Contest, contest_id) or abort(404)


def _apply(action: Callable[[], object], done: str, form=None, contest: Contest | None = None) -> bool:
    """Run one service after the form's shape checks; commit and flash, or flash why not.
    Refused because the contest's ranking is being updated: its refresh stays queued."""
    if form is not None and not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
        return False
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        if contest is not None and store.refresh_after_refusal(exc, contest):
            db.session.commit()
        return False
    db.session.commit()
    flash(done, "success")
    return True


@bp.route("/contests/<int:contest_id>/awards")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def manage(contest_id: int):
    contest = _contest(contest_id)
    overview = queries.awards_overview(contest)
    if overview["stored"] is not None and overview["stored"].queued:
        db.session.commit()  # the ranking's refresh job is pushed once committed
    kinds = [k for k in previews.PREVIEW_KINDS if k != PROTOCOL or can_see_protocol(current_user, contest)]
    return render_template("awards/manage.html", publish_form=PublishForm(), preview_kinds=kinds,
                           preview_languages=previews.preview_languages(contest), kind_name=kind_name,
                           **overview)


@bp.route("/contests/<int:contest_id>/awards/override", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def override(contest_id: int):
    contest, form = _contest(contest_id), OverrideForm()
    _apply(lambda: services.override_award(contest=contest, entry_id=form.entry_id.data,
                                           choice=form.choice.data, reason=form.reason.data,
                                           actor=current_user),
           _("The award is changed."), form, contest)
    return redirect(url_for("awards.manage", contest_id=contest.id, _anchor=f"entry-{form.entry_id.data}"))


@bp.route("/contests/<int:contest_id>/awards/publish", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def publish(contest_id: int):
    contest, form = _contest(contest_id), PublishForm()
    _apply(lambda: services.publish_results(contest=contest, actor=current_user, reason=form.reason.data),
           _("The results are published. Diplomas and e-mails are on their way."), form, contest)
    return redirect(url_for("awards.manage", contest_id=contest.id))


@bp.route("/contests/<int:contest_id>/results")
@access(PUBLIC)
def results(contest_id: int):
    contest, publication = queries.results_head(contest_id)  # the publication visible to all
    if contest is None:
        abort(404)
    if publication is None and not can_see_results(current_user, contest):
        abort(404)
    try:
        rows = published.awarded_rows(publication) if publication else queries.build_results(contest)
        incomplete = None
    except DomainError as exc:
        rows, incomplete = [], exc.message
        db.session.rollback()
        if store.refresh_after_refusal(exc, contest):
            db.session.commit()
    return render_template("awards/results.html", contest=contest, publication=publication,
                           groups=published.winners(contest, rows), incomplete=incomplete)


@bp.route("/contests/<int:contest_id>/diplomas")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def diplomas(contest_id: int):
    contest = _contest(contest_id)
    return render_template("awards/diplomas.html", contest=contest, form=RevokeForm(),
                           diplomas=published.contest_diplomas(contest.id), kind_name=kind_name,
                           zip_kinds=[k for k in KINDS
                                      if k != PROTOCOL or can_see_protocol(current_user, contest)])


@bp.route("/contests/<int:contest_id>/diplomas.zip")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def diplomas_zip(contest_id: int):
    contest = _contest(contest_id)
    archive = delivery.build_archive(published.contest_diplomas(contest.id))
    return send_file(archive, mimetype="application/zip", as_attachment=True,
                     download_name=f"diplomas-{contest.id}.zip")


@bp.route("/diplomas/<int:diploma_id>/revoke", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE, diploma_contest)
def revoke(diploma_id: int):
    diploma, form = db.session.get(Diploma, diploma_id) or abort(404), RevokeForm()
    _apply(lambda: services.revoke_diploma(diploma=diploma, reason=form.reason.data, actor=current_user),
           _("The diploma is revoked."), form)
    return redirect(url_for("awards.diplomas", contest_id=diploma.contest_id))


@bp.route("/diplomas/<int:diploma_id>/download")
@access(SIGNED_IN)
def download(diploma_id: int):
    diploma = db.session.get(Diploma, diploma_id)
    if diploma is None or not can_download_diploma(current_user, diploma):
        abort(404)
    path = issuing.diploma_path(diploma.stored_name)
    if not path.is_file():
        abort(404)
    entry = db.session.get(Entry, diploma.entry_id) if diploma.entry_id else None
    name = delivery.archive_name(diploma, entry.code if entry else None)
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=name, max_age=0)


@bp.route("/verify")
@access(PUBLIC)
def verify():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        code = normalize_code(form.code.data)
        if code:
            return redirect(url_for("awards.verify_code", code=code))
        form.code.errors.append(_("This is not a verification code. Check it and try again."))
    return render_template("awards/verify_form.html", form=form)


@bp.route("/verify/<code>")
@access(PUBLIC)
def verify_code(code: str):
    normalized = normalize_code(code)
    if normalized and normalized != code:
        return redirect(url_for("awards.verify_code", code=normalized))
    result = published.verify(normalized)
    return render_template("awards/verify.html", result=result, code=normalized), 200 if result else 404
