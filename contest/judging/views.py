"""Juror pages: the dashboard, the reading view with the rubric, autosave, submit,
the juror's copy of the file and the declaration of a conflict of interest."""
from __future__ import annotations

from pathlib import Path

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import access
from contest.contests.models import localized
from contest.db import begin_writes, reads_first, utcnow
from contest.enums import Role
from contest.errors import Conflict, DomainError
from contest.extensions import db
from contest.judging import permissions, queries, services
from contest.judging.blueprint import bp
from contest.judging.dashboard import dashboard_rows
from contest.judging.forms import ConflictForm, ReviewForm, quick_review_input
from contest.transcription import pages


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _assignment_or_404(assignment_id: int):
    return permissions.visible_assignment(current_user, assignment_id) or abort(404)


def _form_data(assignment) -> dict:
    data = {"version": str(assignment.version), "private_comment": assignment.private_comment,
            "feedback": assignment.feedback}
    data.update({f"score_{k}": f"{v:g}" for k, v in (assignment.scores or {}).items()})
    data.update({f"comment_{k}": v for k, v in (assignment.criterion_comments or {}).items()})
    return data


def _render_review(assignment_id: int, form=None, status: int = 200):
    """The reading view; on a refused post, what the juror typed and the errors."""
    view = queries.reading_view(current_user.id, assignment_id) or abort(404)
    values = form.data if form is not None else _form_data(view.assignment)
    errors = {name: " ".join(str(e) for e in errs) for name, errs in (form.errors if form else {}).items()}
    # Page images of a scan: only in an open contest (looked up only there, and only for scans).
    scan_pages = view.from_scan and not view.contest.blind
    page_count = pages.for_juror(view.contest, view.entry.id)[1] if scan_pages else 0
    return render_template("judging/review.html", view=view, values=values, errors=errors,
                           rubric=_rubric(view.criteria), page_count=page_count,
                           editable=permissions.can_score(view.assignment, view.contest)), status


def _rubric(criteria) -> list[dict]:
    """Display data per criterion, prepared once in Python rather than in template filters."""
    lang = str(get_locale())
    return [{"id": c.id, "name": localized(c.name, lang), "description": localized(c.description, lang),
             "min": f"{c.min_score:g}", "max": f"{c.max_score:g}", "step": f"{c.step:g}",
             "weight": f"{c.weight:g}",
             "levels": [(f"{float(level.get('score', 0)):g}", localized(level.get("text"), lang))
                        for level in c.levels or ()]} for c in criteria]


def _refused(exc: DomainError, form, assignment_id: int):
    """A refused save: JSON for the autosave (409 when stale), else the page again."""
    db.session.rollback()
    status = 409 if isinstance(exc, Conflict) else 400
    if _wants_json():
        return jsonify(ok=False, error=str(exc.message), field=exc.field, code=exc.code), status
    if isinstance(exc, Conflict) or exc.field not in form:
        flash(str(exc.message), "error")
    if isinstance(exc, Conflict):
        return redirect(url_for("judging.review", assignment_id=assignment_id))
    if exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, str(exc.message)]
    return _render_review(assignment_id, form, status)


def _review_input(assignment_id: int):
    """(assignment, contest, criteria, form) for a posted review, or an error response."""
    assignment, contest, criteria = permissions.review_to_score(current_user, assignment_id) or abort(404)
    return assignment, contest, criteria, ReviewForm.for_criteria(criteria)


def _invalid(form, assignment_id: int):
    if _wants_json():
        return jsonify(ok=False, error=_("Check the highlighted fields."), errors=form.field_errors()), 400
    return _render_review(assignment_id, form, 400)


@bp.route("/")
@access(Role.JUROR)
def dashboard():
    contests, inbox = queries.juror_dashboard(current_user.id)
    return render_template("judging/dashboard.html", contests=contests, inbox=inbox, now=utcnow(),
                           dashboard_rows=dashboard_rows)


@bp.route("/review/<int:assignment_id>")
@access(Role.JUROR)
def review(assignment_id: int):
    return _render_review(assignment_id)


@bp.route("/review/<int:assignment_id>/<any(previous, next):direction>")
@access(Role.JUROR)
def step(assignment_id: int, direction: str):
    """The reading view's "Previous" and "Next": the neighbour by entry code is looked up
    only when asked for; at either end the juror stays on this essay with a word why."""
    visible, other_id = queries.neighbour(current_user.id, assignment_id, later=direction == "next")
    if not visible:
        abort(404)
    if other_id is None:
        flash(_("This is the last of your essays in this contest.") if direction == "next"
              else _("This is the first of your essays in this contest."), "info")
        other_id = assignment_id
    return redirect(url_for("judging.review", assignment_id=other_id))


@bp.route("/review/<int:assignment_id>/save", methods=["POST"])
@access(Role.JUROR)
@reads_first  # the draft is written by a conditional UPDATE on its version
def save(assignment_id: int):
    assignment, contest, criteria = permissions.review_to_score(current_user, assignment_id) or abort(404)
    form, data = None, quick_review_input(criteria) if _wants_json() else None  # an autosave
    if data is None:
        form = ReviewForm.for_criteria(criteria)
        if not form.validate():
            return _invalid(form, assignment_id)
        data = form.to_input()
    begin_writes(db.session())
    try:
        services.save_draft(assignment=assignment, contest=contest, actor=current_user, data=data,
                            criteria=criteria)
    except DomainError as exc:
        return _refused(exc, form, assignment_id)
    if _wants_json():  # built before the commit, which would expire what it reads
        saved = jsonify(ok=True, version=assignment.version, status=assignment.status.value,
                        saved_at=assignment.updated_at.isoformat(), message=_("Draft saved"))
        db.session.commit()
        return saved
    db.session.commit()
    flash(_("Draft saved."), "success")
    return redirect(url_for("judging.review", assignment_id=assignment_id))


@bp.route("/review/<int:assignment_id>/submit", methods=["POST"])
@access(Role.JUROR)
def submit(assignment_id: int):
    assignment, contest, criteria, form = _review_input(assignment_id)
    if not form.validate():
        return _invalid(form, assignment_id)
    try:
        fresh = services.submit_review(assignment=assignment, contest=contest, actor=current_user,
                                       data=form.to_input(), criteria=criteria)
    except DomainError as exc:
        return _refused(exc, form, assignment_id)
    db.session.commit()
    flash(_("Review submitted. Thank you!") if fresh else _("This review was already submitted."), "success")
    next_id = queries.next_pending(current_user.id, contest.id)
    return redirect(url_for("judging.review", assignment_id=next_id) if next_id
                    else url_for("judging.dashboard"))


@bp.route("/review/<int:assignment_id>/file")
@access(Role.JUROR)
def original_file(assignment_id: int):
    view = queries.reading_view(current_user.id, assignment_id) or abort(404)
    if not view.file_name:
        abort(404)
    ext = Path(view.file_name).suffix.lstrip(".").lower() or view.file_format
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    if not (folder / view.file_name).is_file():
        abort(404)
    return send_from_directory(folder, view.file_name, as_attachment=True,
                               download_name=f"{view.entry.code}.{ext}")


@bp.route("/review/<int:assignment_id>/pages/<int:number>")
@access(Role.JUROR)
def page_image(assignment_id: int, number: int):
    """A page image of the essay of an assignment the juror may open: only in an open contest,
    for text read from images (pages.for_juror); 404 in a blind one, as for a missing page."""
    assignment, contest = permissions.visible_review(current_user, assignment_id) or abort(404)
    version, count = pages.for_juror(contest, assignment.entry_id)
    if not 1 <= number <= count:
        abort(404)
    return pages.page_response(version, number)


@bp.route("/review/<int:assignment_id>/conflict", methods=["POST"])
@access(Role.JUROR)
def declare_conflict(assignment_id: int):
    assignment = _assignment_or_404(assignment_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        flash(_("Say briefly why you have a conflict of interest."), "error")
        return redirect(url_for("judging.review", assignment_id=assignment_id))
    services.declare_conflict(assignment=assignment, actor=current_user, reason=form.reason.data)
    db.session.commit()
    flash(_("Thank you. The essay was taken off your list and will be given to another juror."), "success")
    return redirect(url_for("judging.dashboard"))

