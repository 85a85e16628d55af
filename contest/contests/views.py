"""Public contest pages, and the organizer's contest editor: settings, phases, rubric
preview and lock, diploma, cloning. Parts (topics...) are in item_views, juries in jury_views."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format_datetime
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import PUBLIC, access
from contest.contests import forms, phases, queries, services
from contest.contests.models import Phase
from contest.contests.permissions import Capability, can_view_contest, contest_access
from contest.db import utcnow
from contest.desk import counts
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db

bp = Blueprint("contests", __name__, url_prefix="/contests")


@bp.app_template_filter("in_zone")
def _in_zone(moment, timezone="Asia/Almaty"):
    """A UTC time as wall-clock time in the contest's zone, in the visitor's language."""
    if moment is None:
        return ""
    return babel_format_datetime(moment, "d MMMM y, HH:mm", tzinfo=ZoneInfo(timezone), locale=get_locale())


def _editable(contest_id: int):
    contest = queries.get_contest(contest_id)
    if contest is None:
        abort(404)
    return contest


@bp.route("")
@access(PUBLIC)
def index():
    return render_template("contests/list.html", contests=queries.list_public_contests())


@bp.route("/<int:contest_id>")
@access(PUBLIC)
def page(contest_id):
    contest = queries.get_contest(contest_id)
    if not can_view_contest(current_user, contest):
        abort(404)
    return render_template("contests/page.html", contest=contest, now=utcnow())


@bp.route("/<int:contest_id>/logo")
@access(PUBLIC)
def logo(contest_id):
    contest = queries.get_contest(contest_id)
    if not can_view_contest(current_user, contest) or not contest.logo:
        abort(404)
    return Response(contest.logo, mimetype=contest.logo_mime,
                    headers={"Content-Disposition": "inline; filename=logo", "Cache-Control": "private"})


@bp.route("/manage")
@access(Role.ORGANIZER)
def manage():
    return render_template("contests/manage_list.html",
                           contests=queries.list_contests_for_organizers(current_user))


@bp.route("/new", methods=["GET", "POST"])
@access(Role.ORGANIZER)
def new():
    form = forms.ContestForm(data={"year": utcnow().year, "code_prefix": "EC",
                                   "formats": ["pdf", "docx", "txt"], "languages": ["kk", "ru", "en"],
                                   "max_file_mb": 10, "max_pages": 30, "min_words": 0, "max_words": 0,
                                   "soft_margin_pct": 0, "entries_per_student": 1, "reviews_per_entry": 3,
                                   "blind": True, "show_rubric": True, "share_feedback": True,
                                   "reminder_days": "3, 1"})
    if form.validate_on_submit():
        try:
            contest = services.create_contest(settings=form.settings(), actor=current_user)
        except DomainError as exc:
            forms.attach_errors(form, exc)
        else:
            db.session.commit()
            flash(_("The contest was created as a draft."), "success")
            return redirect(url_for("contests.overview", contest_id=contest.id))
    return render_template("contests/settings.html", form=form, contest=None)


@bp.route("/<int:contest_id>/manage")
@access(Role.ORGANIZER)
@contest_access(Capability.VIEW)
def overview(contest_id):
    contest = _editable(contest_id)
    target = phases.NEXT.get(contest.phase)
    found = phases.guards(contest, target) if target else None
    return render_template("contests/overview.html", contest=contest, target=target, guards=found,
                           form=forms.PhaseForm(target=target.value if target else ""),
                           labels=phases.PHASE_LABELS, counts=counts.contest_counts(contest))


@bp.route("/<int:contest_id>/edit", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def edit(contest_id):
    contest = _editable(contest_id)
    form = forms.ContestForm(obj=contest)
    if not form.is_submitted():
        _fill_settings(form, contest)
    if form.validate_on_submit():
        try:
            services.update_contest(contest=contest, settings=form.settings(), actor=current_user)
        except DomainError as exc:
            forms.attach_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("contests.edit", contest_id=contest.id))
    return render_template("contests/settings.html", form=form, contest=contest)


def _fill_settings(form: forms.ContestForm, contest) -> None:
    for prefix in ("title", "description", "rules"):
        form.fill_texts(prefix, getattr(contest, prefix))
    form.opens_at.data = services.to_local(contest.opens_at, contest.timezone)
    form.closes_at.data = services.to_local(contest.closes_at, contest.timezone)
    form.judging_ends_at.data = services.to_local(contest.judging_ends_at, contest.timezone)
    form.reminder_days.data = ", ".join(str(d) for d in contest.reminder_days or (3, 1))


@bp.route("/<int:contest_id>/phase", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def change_phase(contest_id):
    contest = _editable(contest_id)
    form = forms.PhaseForm()
    if form.validate_on_submit() and form.target.data in set(Phase):
        try:
            phases.change_phase(contest=contest, target=Phase(form.target.data), actor=current_user,
                                force=form.force.data, reason=form.reason.data or "")
        except DomainError as exc:
            for problem in getattr(exc, "problems", [exc.message]):
                flash(str(problem), "error")
        else:
            db.session.commit()
            flash(_("The contest is now: %(phase)s.", phase=phases.PHASE_LABELS[contest.phase]), "success")
    return redirect(url_for("contests.overview", contest_id=contest.id))


@bp.route("/<int:contest_id>/clone", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def clone(contest_id):
    contest = _editable(contest_id)
    copy = services.clone_contest(source=contest, actor=current_user)
    db.session.commit()
    flash(_("A copy was created as a new draft. Check its dates and texts."), "success")
    return redirect(url_for("contests.edit", contest_id=copy.id))


@bp.route("/<int:contest_id>/rubric/preview")
@access(Role.ORGANIZER)
@contest_access(Capability.VIEW)
def rubric_preview(contest_id):
    return render_template("contests/rubric_preview.html", contest=_editable(contest_id))


@bp.route("/<int:contest_id>/rubric/unlock", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def unlock_rubric(contest_id):
    contest = _editable(contest_id)
    form = forms.UnlockForm()
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Give a reason for unlocking the rubric."))
        services.unlock_rubric(contest=contest, actor=current_user, reason=form.reason.data)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("The rubric is unlocked. The reason was logged."), "success")
    return redirect(url_for("contest_items.index", contest_id=contest.id, kind="criteria"))


@bp.route("/<int:contest_id>/diploma", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def diploma(contest_id):
    contest = _editable(contest_id)
    form = forms.DiplomaForm()
    if not form.is_submitted():
        form.fill_texts("issuer", contest.issuer)
    if form.validate_on_submit():
        logo = form.logo.data.read(services.LOGO_MAX_BYTES + 1) if form.logo.data else None
        try:
            services.update_diploma(contest=contest, issuer=form.texts("issuer"), logo=logo,
                                    remove_logo=form.remove_logo.data, actor=current_user)
        except DomainError as exc:
            forms.attach_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("contests.diploma", contest_id=contest.id))
    return render_template("contests/diploma.html", contest=contest, form=form)
