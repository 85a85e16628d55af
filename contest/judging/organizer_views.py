"""Organizer pages for judging: contests, progress, the assignment plan, one entry's jurors,
reopening reviews and reminders."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import access
from contest.contests.models import Contest
from contest.contests.permissions import Capability, contest_access
from contest.db import utcnow
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.judging import assign_services, permissions, plan_save, queries, services
from contest.judging.blueprint import bp
from contest.judging.dashboard import review_status_label
from contest.judging.forms import AddJurorForm, FindEntryForm, PlanForm, ReasonForm, RemoveForm
from contest.judging.models import Assignment
from contest.judging.permissions import assignment_contest
from contest.submissions.models import Entry
from contest.submissions.permissions import entry_contest


def _contest_or_404(contest_id: int) -> Contest:
    return db.session.get(Contest, contest_id) or abort(404)


def _flash_error(exc: DomainError) -> None:
    db.session.rollback()
    flash(str(exc.message), "error")


@bp.route("/contests")
@access(Role.ORGANIZER)
def contests():
    return render_template("judging/contests.html", contests=queries.list_contests(current_user))


@bp.route("/contests/<int:contest_id>/progress")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def progress(contest_id: int):
    contest = _contest_or_404(contest_id)
    find = FindEntryForm(request.args)
    if request.args.get("code") and find.validate():
        entry = queries.find_entry(contest.id, find.code.data)
        if entry is not None:
            return redirect(url_for("judging.entry", entry_id=entry.id))
        flash(_("No entry with this code in this contest."), "error")
    categories, jurors = queries.progress_by_category(contest.id), queries.progress_by_juror(contest.id)
    return render_template("judging/progress.html", contest=contest, find=find, categories=categories,
                           jurors=jurors, short=queries.short_entry_count(contest), now=utcnow(),
                           behind={lag.juror_id for lag in services.jurors_behind(contest, utcnow())})


@bp.route("/contests/<int:contest_id>/assign", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def assign(contest_id: int):
    contest = _contest_or_404(contest_id)
    form = PlanForm()
    if form.validate_on_submit():
        try:
            saved = assign_services.save_plan(contest=contest, actor=current_user,
                                              fingerprint=form.fingerprint.data)
        except DomainError as exc:
            _flash_error(exc)
        else:
            db.session.commit()  # a queued save reaches the worker
            if saved.job is not None:
                return redirect(url_for("judging.assign", contest_id=contest.id,
                                        saving=form.fingerprint.data))
            flash(_("%(n)s new assignments saved.", n=saved.new), "success")
            return redirect(url_for("judging.progress", contest_id=contest.id))
    saving = _saving(contest)
    if saving is not None:
        return saving
    waiting_for = request.args.get("wait", "")[:64] if request.method == "GET" else None
    state = assign_services.open_preview(contest=contest, waiting_for=waiting_for)
    db.session.commit()  # a queued preview job reaches the worker
    preview = state.summary
    form.fingerprint.data = state.digest.key
    shown = ([eid for g in preview.groups for eid in g.entry_ids] + [i[0] for i in preview.issues]
             if preview else [])
    return render_template("judging/assign.html", contest=contest, state=state, preview=preview, form=form,
                           linkage=preview.linkage(str(get_locale())) if preview else None,
                           codes=queries.entry_codes(shown), message=assign_services.shortfall_message,
                           label=assign_services.ineligibility_label,
                           can_plan=contest.phase in assign_services.PLANNING_PHASES, round_no=state.round_no)


def _saving(contest: Contest):
    """The page of a plan being saved by a worker (it refreshes itself), or, once the save
    the URL names has ended, its outcome: saved goes to the progress page like an inline
    save; refused or failed is flashed over the preview. None: show the preview."""
    saving = plan_save.save_state(contest=contest, fingerprint=request.args.get("saving", "")[:64])
    if saving is None:
        return None
    if saving.pending:
        return render_template("judging/assign_saving.html", contest=contest, saving=saving)
    if saving.state == "saved":
        flash(_("%(n)s new assignments saved.", n=saving.added), "success")
        return redirect(url_for("judging.progress", contest_id=contest.id))
    if saving.message:
        flash(str(saving.message), "error")
    return None


@bp.route("/contests/<int:contest_id>/assign/retry", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def retry_preview(contest_id: int):
    contest = _contest_or_404(contest_id)
    assign_services.retry_preview(contest=contest)
    db.session.commit()
    return redirect(url_for("judging.assign", contest_id=contest.id))


@bp.route("/contests/<int:contest_id>/remind", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def remind(contest_id: int):
    contest = _contest_or_404(contest_id)
    if contest.judging_ends_at is None:
        flash(_("Set the judging deadline in the contest settings first: reminders count down to it."),
              "error")
        return redirect(url_for("judging.progress", contest_id=contest.id))
    created = services.queue_reminders(contest=contest)
    db.session.commit()
    flash(_("%(n)s reminders queued.", n=len(created)), "success")
    return redirect(url_for("judging.progress", contest_id=contest.id))


@bp.route("/entries/<int:entry_id>")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES, entry_contest)
def entry(entry_id: int):
    data = queries.entry_judging(entry_id) or abort(404)
    add = AddJurorForm()
    add.juror_id.choices = [(u.id, u.full_name) for u, _why in data.candidates]
    return render_template("judging/entry.html", data=data, add=add, remove=RemoveForm(), reopen=ReasonForm(),
                           label=assign_services.ineligibility_label, can_reopen=permissions.can_reopen,
                           review_status_label=review_status_label)


@bp.route("/entries/<int:entry_id>/jurors", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE, entry_contest)
def add_juror(entry_id: int):
    entry = db.session.get(Entry, entry_id) or abort(404)
    form = AddJurorForm()
    if not form.validate_on_submit():
        flash(_("Choose a juror."), "error")
        return redirect(url_for("judging.entry", entry_id=entry.id))
    try:
        assign_services.add_juror(entry=entry, juror_id=form.juror_id.data, actor=current_user,
                                  reason=form.reason.data or "")
    except DomainError as exc:
        _flash_error(exc)
    else:
        db.session.commit()
        flash(_("Juror assigned."), "success")
    return redirect(url_for("judging.entry", entry_id=entry.id))


@bp.route("/assignments/<int:assignment_id>/remove", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE, assignment_contest)
def remove(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    entry_id, form = assignment.entry_id, RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        assign_services.remove_assignment(assignment=assignment, actor=current_user,
                                          confirm=form.confirm.data, reason=form.reason.data or "")
    except DomainError as exc:
        _flash_error(exc)
    else:
        db.session.commit()
        flash(_("Juror removed from this entry."), "success")
    return redirect(url_for("judging.entry", entry_id=entry_id))


@bp.route("/assignments/<int:assignment_id>/reopen", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE, assignment_contest)
def reopen(assignment_id: int):
    assignment = db.session.get(Assignment, assignment_id) or abort(404)
    form = ReasonForm()
    try:
        services.reopen_review(assignment=assignment, actor=current_user,
                               reason=form.reason.data if form.validate_on_submit() else "")
    except DomainError as exc:
        _flash_error(exc)
    else:
        db.session.commit()
        flash(_("The review is open again; the juror can change and resubmit it."), "success")
    return redirect(url_for("judging.entry", entry_id=assignment.entry_id))
