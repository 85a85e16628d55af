"""The organizer's redaction pages: one entry with its removed passages marked (add a term,
restore a passage, re-run), and the contest's terms with progress and doubtful entries."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import access
from contest.blind import forms, queries, services
from contest.blind.models import EntryRedaction, RedactionTerm
from contest.contests.permissions import Capability, contest_access
from contest.contests.queries import get_contest
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.submissions.models import Entry, EntryVersion
from contest.submissions.permissions import entry_contest

bp = Blueprint("blind", __name__, url_prefix="/organizer/redaction")
DOUBTS = {"intro_no_match": "The essay says “my name is” but what follows is not the registered name.",
          "ocr": "The text was read from an image: names may be misspelt and missed.",
          "margin_name": "The file's header or footer names someone who is not the registered author. "
                         "Jurors never receive it: check the essay for that name."}


def _entry_or_404(entry_id: int) -> Entry:
    return db.session.get(Entry, entry_id) or abort(404)


def _done(message: str, target: str):
    db.session.commit()
    flash(message, "success")
    return redirect(target)


@bp.app_template_global()
def redaction_progress(contest_id: int):
    return queries.redaction_progress(contest_id)


@bp.app_template_global()
def doubtful_redactions(contest_id: int):
    return queries.list_doubtful(contest_id)


@bp.app_template_global()
def doubt_label(code: str) -> str:
    return _(DOUBTS.get(code, code))


@bp.route("/entries/<int:entry_id>")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, entry_contest)
def entry(entry_id: int):
    entry = _entry_or_404(entry_id)
    version = db.session.get(EntryVersion, entry.current_version_id) if entry.current_version_id else None
    record = db.session.get(EntryRedaction, entry.id)
    pieces = queries.marked_pieces(version.text or "", record.spans) if version and record else []
    return render_template("blind/entry.html", entry=entry, contest=get_contest(entry.contest_id),
                           margin=(version.margin_text or "") if version else "",
                           record=record, pieces=pieces, terms=queries.list_terms(entry.contest_id, entry.id),
                           term_form=forms.TermForm(), action_form=forms.ActionForm())


@bp.route("/entries/<int:entry_id>/terms", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE, entry_contest)
def add_entry_term(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = forms.TermForm()
    target = url_for(".entry", entry_id=entry.id)
    try:
        if not form.validate_on_submit():
            raise DomainError(_("Give a word or phrase of at most 200 characters."))
        services.add_term(contest=get_contest(entry.contest_id), term=form.term.data, actor=current_user,
                          entry=entry)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(target)
    return _done(_("Added. The entry is being redacted again."), target)


@bp.route("/entries/<int:entry_id>/restore", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE, entry_contest)
def restore(entry_id: int):
    entry = _entry_or_404(entry_id)
    form = forms.RestoreForm()
    target = url_for(".entry", entry_id=entry.id)
    try:
        if not form.validate_on_submit():
            raise DomainError(_("That removed passage is no longer there. Look again."))
        services.restore_span(entry=entry, start=form.start.data, end=form.end.data, actor=current_user)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(target)
    return _done(_("Restored. The entry is being redacted again."), target)


@bp.route("/entries/<int:entry_id>/rerun", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE, entry_contest)
def rerun(entry_id: int):
    entry = _entry_or_404(entry_id)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    services.rerun(entry=entry, actor=current_user)
    return _done(_("The entry is being redacted again."), url_for(".entry", entry_id=entry.id))


@bp.route("/contests/<int:contest_id>", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, post=Capability.MANAGE)
def contest_terms(contest_id: int):
    contest = get_contest(contest_id) or abort(404)
    form = forms.TermForm()
    if form.validate_on_submit():
        try:
            services.add_term(contest=contest, term=form.term.data, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            return _done(_("Added. Every entry is being redacted again."), url_for(".contest_terms",
                                                                                   contest_id=contest.id))
    return render_template("blind/contest.html", contest=contest, form=form, action_form=forms.ActionForm(),
                           terms=queries.list_terms(contest.id),
                           progress=queries.redaction_progress(contest.id),
                           doubtful=queries.list_doubtful(contest.id))


@bp.route("/terms/<int:term_id>/remove", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE, lambda kwargs: queries.term_contest(kwargs["term_id"]))
def remove_term(term_id: int):
    term = db.session.get(RedactionTerm, term_id) or abort(404)
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    target = (url_for(".entry", entry_id=term.entry_id) if term.entry_id
              else url_for(".contest_terms", contest_id=term.contest_id))
    services.remove_term(term=term, actor=current_user)
    return _done(_("Removed. The affected entries are being redacted again."), target)
