"""Juries: organizers attach jurors to a contest (categories, capacity); a juror's profile
(languages read, school and region, default capacity) is kept by the juror and organizers."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.models import User
from contest.accounts.permissions import access, is_organizer
from contest.contests import forms, jurors, queries
from contest.contests.models import localized
from contest.contests.permissions import Capability, can_edit_juror_profile, contest_access
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.forms_common import choices

bp = Blueprint("contest_jurors", __name__)


def _jury_form(contest, *, attachable=None, **data) -> forms.JuryForm:
    form = forms.JuryForm(**data)
    lang = str(get_locale())
    form.category_ids.choices = choices((c.id, localized(c.name, lang)) for c in contest.categories)
    if attachable is None:
        del form.user_id
    else:
        form.user_id.choices = choices((u.id, f"{u.full_name} <{u.email}>") for u in attachable)
    return form


def _contest(contest_id: int):
    contest = queries.get_contest(contest_id)
    if contest is None:
        abort(404)
    return contest


@bp.route("/contests/<int:contest_id>/jury", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def jury(contest_id):
    contest = _contest(contest_id)
    form = _jury_form(contest, attachable=queries.list_attachable_jurors(contest))
    if form.validate_on_submit():
        try:
            jurors.attach_juror(contest=contest, juror=queries.get_juror(form.user_id.data) or abort(404),
                                category_ids=form.category_ids.data, capacity=form.capacity.data,
                                actor=current_user)
        except DomainError as exc:
            if not forms.attach_errors(form, exc):
                flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The juror was added to the jury."), "success")
            return redirect(url_for("contest_jurors.jury", contest_id=contest.id))
    return render_template("contests/jury.html", contest=contest, form=form, jury=queries.list_jury(contest))


@bp.route("/contests/<int:contest_id>/jury/<int:link_id>", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def jury_member(contest_id, link_id):
    contest = _contest(contest_id)
    link = queries.get_jury_link(contest, link_id) or abort(404)
    form = _jury_form(contest, obj=link)
    if form.validate_on_submit():
        try:
            jurors.update_contest_juror(contest=contest, link=link, category_ids=form.category_ids.data,
                                        capacity=form.capacity.data, actor=current_user)
        except DomainError as exc:
            forms.attach_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("contest_jurors.jury", contest_id=contest.id))
    return render_template("contests/jury_member.html", contest=contest, form=form, link=link,
                           juror=db.session.get(User, link.user_id))


@bp.route("/contests/<int:contest_id>/jury/<int:link_id>/remove", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def remove_jury_member(contest_id, link_id):
    contest = _contest(contest_id)
    link = queries.get_jury_link(contest, link_id) or abort(404)
    jurors.detach_juror(contest=contest, link=link, actor=current_user)
    db.session.commit()
    flash(_("The juror was removed from this jury."), "success")
    return redirect(url_for("contest_jurors.jury", contest_id=contest.id))


@bp.route("/jurors/me")
@access(Role.JUROR)
def my_profile():
    return redirect(url_for("contest_jurors.profile", user_id=current_user.id))


@bp.route("/jurors/<int:user_id>/profile", methods=["GET", "POST"])
@access(Role.JUROR, Role.ORGANIZER)
def profile(user_id):
    juror = queries.get_juror(user_id)
    if not can_edit_juror_profile(current_user, juror):
        abort(404)
    stored = queries.get_profile(juror)
    form = forms.JurorProfileForm(data={"languages": stored.languages if stored else [],
                                        "capacity": stored.capacity if stored else None,
                                        "school": juror.school, "region": juror.region})
    if not is_organizer(current_user):
        del form.capacity
    if form.validate_on_submit():
        try:
            jurors.update_juror_profile(juror=juror, actor=current_user, languages=form.languages.data,
                                        school=form.school.data or "", region=form.region.data or "",
                                        capacity=form.capacity.data if "capacity" in form else None,
                                        set_capacity="capacity" in form)
        except DomainError as exc:
            forms.attach_errors(form, exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("contest_jurors.profile", user_id=juror.id))
    return render_template("contests/juror_profile.html", juror=juror, profile=stored, form=form,
                           contests=queries.list_juror_contests(juror))
