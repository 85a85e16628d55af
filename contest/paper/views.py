"""Organizer-entered entries: the entry form, the printable slip, and the pupil's claim."""
from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts import throttle
from contest.accounts.permissions import access
from contest.accounts.services import external_url
from contest.contests.models import localized
from contest.contests.permissions import Capability, contest_access
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.paper import services
from contest.paper.forms import ClaimForm, PaperEntryForm
from contest.paper.slip import slip_pdf
from contest.schools import regions
from contest.submissions import permissions, queries
from contest.submissions.services import MB, Upload

bp = Blueprint("paper", __name__)


@bp.route("/organizer/contests/<int:contest_id>/paper-entries/new", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, post=Capability.MANAGE)
def new(contest_id: int):
    contest = queries.get_contest(contest_id) or abort(404)
    form = PaperEntryForm()
    form.fill_choices(contest, str(get_locale()))
    if form.validate_on_submit():
        files = form.upload_files(contest.max_file_mb * MB)
        upload = Upload(filename=files[0][0], data=files[0][1], pages=tuple(files[1:])) if files else \
            Upload(text=form.text.data or "")
        pupil = services.Pupil(form.full_name.data, form.school.data, form.region.data, form.grade.data,
                               form.language.data, form.contact.data or "")
        try:
            entry, _paper = services.enter_entry(organizer=current_user, contest=contest, pupil=pupil,
                                                 channel=form.channel.data, topic_id=form.topic.data,
                                                 category_id=form.category.data, upload=upload)
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("Entry %(code)s was entered. Print the slip for the pupil.", code=entry.code), "success")
            return redirect(url_for(".entered", entry_id=entry.id))
    return render_template("paper/new.html", contest=contest, form=form)


@bp.route("/organizer/paper-entries/<int:entry_id>")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, permissions.entry_contest)
def entered(entry_id: int):
    entry = queries.get_entry(entry_id) or abort(404)
    paper, pupil, version, contest = services.slip_facts(entry)
    if paper is None:
        abort(404)
    return render_template("paper/entered.html", entry=entry, paper=paper, pupil=pupil, contest=contest)


@bp.route("/organizer/paper-entries/<int:entry_id>/slip.pdf")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, permissions.entry_contest)
def slip(entry_id: int):
    """The receipt slip, in the pupil's language."""
    entry = queries.get_entry(entry_id) or abort(404)
    paper, pupil, version, contest = services.slip_facts(entry)
    if paper is None:
        abort(404)
    lang = pupil.language if pupil.language in ("kk", "ru", "en") else "kk"
    with force_locale(lang):
        data = slip_pdf(
            heading=_("Receipt: your essay was received"), contest=localized(contest.title, lang),
            rows=[(_("Name"), pupil.full_name), (_("School"), pupil.school),
                  (_("Region or city"), regions.label(pupil.region, lang) or pupil.region),
                  (_("Grade"), pupil.grade), (_("Received"), format_date(paper.created_at, "long"))],
            code=entry.code, key=paper.claim_key, code_label=_("Entry code"), key_label=_("Claim key"),
            how_to_claim=_("To follow your essay and download your diploma, create an account with your "
                           "e-mail at %(url)s, then enter the entry code and the claim key.",
                           url=external_url("paper.claim")))
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{entry.code}-slip.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/entries/claim", methods=["GET", "POST"])
@access(Role.STUDENT)
def claim():
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            attempt = throttle.begin_code_attempt(
                purpose="paper-claim", user_id=current_user.id,
                message=lambda s: ngettext("Too many wrong codes. Try again in %(num)s second.",
                                           "Too many wrong codes. Try again in %(num)s seconds.", s))
        except throttle.TooManyAttempts as exc:
            flash(str(exc.message), "error")
            return render_template("paper/claim.html", form=form), 429, {"Retry-After": str(exc.seconds)}
        try:
            entry = services.claim_entry(student=current_user, code=form.code.data, key=form.key.data)
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            throttle.succeeded(attempt)
            flash(_("Entry %(code)s is now in your account.", code=entry.code), "success")
            return redirect(url_for("submissions.status", entry_id=entry.id))
    elif request.method == "POST":
        flash(_("Enter the entry code and the claim key from your slip."), "error")
    return render_template("paper/claim.html", form=form)
