"""School coordinators' pages: register, pupils and their consent, entries for pupils, claim
links; the pupil's claim and consent pages; the organizer's caps per contest. Another
coordinator's pupil or entry answers 404, like a missing one."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy.exc import IntegrityError

from contest.accounts.models import User
from contest.accounts.permissions import PUBLIC, access
from contest.contests.permissions import Capability, contest_access
from contest.coordinators import forms, queries, services
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.submissions import queries as entry_queries
from contest.submissions.services import MB

bp = Blueprint("coordinators", __name__)


def _pupil_or_404(pupil_id: int):
    return queries.get_pupil(current_user.id, pupil_id) or abort(404)


def _entry_or_404(entry_id: int):
    entry = entry_queries.get_entry(entry_id)
    if entry is None or not queries.coordinates_student(current_user, entry.student_id):
        abort(404)
    return entry, db.session.get(User, entry.student_id)


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"  # static/js/uploads.js


def _go(url: str):
    return jsonify(redirect=url) if _wants_json() else redirect(url)


def _show_error(form, exc: DomainError | None, template: str, **context):
    """The form again with the reason (or the form's own errors); nothing was stored."""
    db.session.rollback()
    if exc is not None:
        target = getattr(form, exc.field or "", None)
        (target.errors.append(str(exc.message)) if target is not None else flash(str(exc.message), "error"))
    if _wants_json():
        messages = [m for errors in form.errors.values() for m in errors] or [str(exc.message)]
        return jsonify(errors=messages), 400
    return render_template(template, form=form, **context), 400


@bp.app_context_processor
def _helpers():
    from contest.accounts.forms import GRADE_CHOICES

    grades = {c.value: c.label for c in GRADE_CHOICES}
    return {"coordinator_may_act": lambda entry: queries.may_act_for(current_user, entry.student_id),
            "grade_label": lambda code: grades.get(code, code), "claimed_pupil": _claimed_pupil}


def _claimed_pupil() -> bool:
    """Is the signed-in student a pupil who took over the record a coordinator made?"""
    pupil = queries.pupil_of_user(current_user.id) if current_user.is_authenticated else None
    return pupil is not None and pupil.claimed_at is not None


@bp.route("/coordinator/register", methods=["GET", "POST"])
@access(PUBLIC)
def register():
    form = forms.CoordinatorRegistrationForm(data={"language": str(get_locale())})
    if form.validate_on_submit():
        try:
            services.register_coordinator(**{k: v for k, v in form.data.items() if k != "csrf_token"},
                                          client=request.remote_addr)
        except DomainError as exc:  # TooManyMails too
            return _show_error(form, exc, "coordinators/register.html")
        db.session.commit()
        return render_template("accounts/check_mail.html", email=form.email.data)
    return render_template("coordinators/register.html", form=form)


@bp.route("/coordinator")
@access(Role.COORDINATOR)
def home():
    pupils = queries.list_pupils(current_user.id)
    return render_template("coordinators/home.html", pupils=pupils,
                           entries=queries.pupil_entries([u.id for _p, u in pupils]),
                           contests=entry_queries.list_open_contests(None))


@bp.route("/coordinator/pupils/new", methods=["GET", "POST"])
@access(Role.COORDINATOR)
def add_pupil():
    form = forms.PupilForm(data={"language": str(get_locale()), "is_minor": True})
    if form.validate_on_submit():
        try:
            pupil = services.add_pupil(coordinator=current_user, **_pupil_data(form))
        except DomainError as exc:
            return _show_error(form, exc, "coordinators/pupil_form.html", pupil=None)
        db.session.commit()
        flash(_("The pupil was added."), "success")
        return redirect(url_for(".pupil", pupil_id=pupil.id))
    return render_template("coordinators/pupil_form.html", form=form, pupil=None)


def _pupil_data(form) -> dict:
    return {k: v for k, v in form.data.items() if k != "csrf_token"}


@bp.route("/coordinator/pupils/<int:pupil_id>", methods=["GET", "POST"])
@access(Role.COORDINATOR)
def pupil(pupil_id: int):
    pupil, record = _pupil_or_404(pupil_id)
    data = None
    if request.method == "GET":
        data = {"full_name": record.full_name, "grade": record.grade, "language": record.language,
                "contact_email": pupil.contact_email, "guardian_name": pupil.guardian_name,
                "is_minor": record.is_minor, "guardian_consent": record.guardian_consent,
                "publish_consent": record.publish_name_consent, "email_consent": pupil.email_consent}
    form = forms.PupilForm(data=data)
    if form.validate_on_submit():
        try:
            services.update_pupil(coordinator=current_user, pupil=pupil, record=record, **_pupil_data(form))
        except DomainError as exc:
            return _show_error(form, exc, "coordinators/pupil.html", **_pupil_page(pupil, record))
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".pupil", pupil_id=pupil_id))
    return render_template("coordinators/pupil.html", form=form, **_pupil_page(pupil, record))


def _pupil_page(pupil, record) -> dict:
    from contest.awards.published import student_results

    return {"pupil": pupil, "record": record, "entries": queries.pupil_entries([record.id])[record.id],
            "results": student_results(record), "contests": entry_queries.list_open_contests(record)}


@bp.route("/coordinator/pupils/<int:pupil_id>/contests/<int:contest_id>/submit", methods=["GET", "POST"])
@access(Role.COORDINATOR)
def submit(pupil_id: int, contest_id: int):
    pupil, record = _pupil_or_404(pupil_id)
    contest = entry_queries.get_contest(contest_id)
    if contest not in entry_queries.list_open_contests(record):
        abort(404)
    form = forms.PupilSubmitForm()
    form.fill_choices(contest, str(get_locale()))
    context = {"pupil": pupil, "record": record, "contest": contest}
    if not form.is_submitted():
        return render_template("coordinators/submit.html", form=form, **context)
    if not form.validate():
        return _show_error(form, None, "coordinators/submit.html", **context)
    try:
        version = services.submit_for(
            coordinator=current_user, record=record, contest=contest, topic_id=form.topic.data,
            category_id=form.category.data, upload=form.upload(contest.max_file_mb * MB),
            submit_key=form.submit_key.data, supervisor=form.supervisor.data or "")
        db.session.commit()
    except DomainError as exc:
        return _show_error(form, exc, "coordinators/submit.html", **context)
    except IntegrityError:  # a double click: the first request's version
        db.session.rollback()
        version = entry_queries.find_version_by_submit_key(record.id, form.submit_key.data) or abort(409)
    return _go(url_for("submissions.receipt", entry_id=version.entry_id, number=version.number))


@bp.route("/coordinator/entries/<int:entry_id>/replace", methods=["GET", "POST"])
@access(Role.COORDINATOR)
def replace(entry_id: int):
    entry, record = _entry_or_404(entry_id)
    contest = entry_queries.get_contest(entry.contest_id)
    form = forms.PupilReplaceForm()
    context = {"entry": entry, "record": record, "contest": contest}
    if not form.is_submitted():
        return render_template("coordinators/replace.html", form=form, **context)
    if not form.validate():
        return _show_error(form, None, "coordinators/replace.html", **context)
    try:
        version = services.replace_for(coordinator=current_user, record=record, entry=entry,
                                       upload=form.upload(contest.max_file_mb * MB),
                                       submit_key=form.submit_key.data)
        db.session.commit()
    except DomainError as exc:
        return _show_error(form, exc, "coordinators/replace.html", **context)
    except IntegrityError:
        db.session.rollback()
        version = entry_queries.find_version_by_submit_key(record.id, form.submit_key.data) or abort(409)
    return _go(url_for("submissions.receipt", entry_id=version.entry_id, number=version.number))


@bp.route("/coordinator/entries/<int:entry_id>/withdraw", methods=["POST"])
@access(Role.COORDINATOR)
def withdraw(entry_id: int):
    entry, record = _entry_or_404(entry_id)
    try:
        services.withdraw_for(coordinator=current_user, record=record, entry=entry)
        db.session.commit()
        flash(_("The entry %(code)s was withdrawn.", code=entry.code), "success")
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    return redirect(url_for("submissions.status", entry_id=entry_id))


@bp.route("/coordinator/pupils/<int:pupil_id>/claim-link", methods=["POST"])
@access(Role.COORDINATOR)
def send_claim_link(pupil_id: int):
    pupil, record = _pupil_or_404(pupil_id)
    try:
        services.send_claim_link(coordinator=current_user, pupil=pupil, record=record)
        db.session.commit()
        flash(_("The link was sent to %(email)s.", email=pupil.contact_email), "success")
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    return redirect(url_for(".pupil", pupil_id=pupil_id))


@bp.route("/claim/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def claim(token: str):
    form = forms.ClaimForm()
    if form.validate_on_submit():
        try:
            user = services.claim_record(raw_token=token, password=form.password.data,
                                         publish_consent=form.publish_consent.data,
                                         email_consent=form.email_consent.data)
        except DomainError as exc:
            db.session.rollback()
            return render_template("accounts/token_error.html", message=exc.message), 400
        db.session.commit()
        login_user(user)
        flash(_("Your account is ready. Your entries are now yours to follow."), "success")
        return redirect(url_for("submissions.choose_contest"))
    return render_template("coordinators/claim.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/account/consent", methods=["GET", "POST"])
@access(Role.STUDENT)
def consent():
    pupil = queries.pupil_of_user(current_user.id)
    if pupil is None or pupil.claimed_at is None:
        abort(404)
    form = forms.ConsentForm(data={"publish_consent": current_user.publish_name_consent,
                                   "email_consent": pupil.email_consent} if request.method == "GET" else None)
    if form.validate_on_submit():
        services.change_own_consent(pupil_user=current_user, publish_consent=form.publish_consent.data,
                                    email_consent=form.email_consent.data)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".consent"))
    return render_template("coordinators/consent.html", form=form, pupil=pupil)


@bp.route("/organizer/contests/<int:contest_id>/coordinators", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, post=Capability.MANAGE)
def limits(contest_id: int):
    contest = entry_queries.get_contest(contest_id) or abort(404)
    max_pupils, max_entries = queries.limits(contest_id)
    form = forms.LimitsForm(data={"max_pupils": max_pupils, "max_entries": max_entries}
                            if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.set_limits(organizer=current_user, contest=contest, max_pupils=form.max_pupils.data,
                                max_entries=form.max_entries.data)
        except DomainError as exc:
            return _show_error(form, exc, "coordinators/limits.html", contest=contest, rows=[])
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".limits", contest_id=contest_id))
    return render_template("coordinators/limits.html", form=form, contest=contest,
                           rows=queries.coordinators_in_contest(contest_id))
