"""The organizer's rounds page: set up the final round, close the first, the shortlist."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from contest.accounts.models import User
from contest.accounts.permissions import access
from contest.contests.models import Contest, ContestJuror, localized
from contest.contests.permissions import Capability, contest_access
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.forms_common import choices
from contest.ranking import store
from contest.rounds import queries, services
from contest.rounds.forms import (
    CloseRoundForm,
    ConfirmShortlistForm,
    OverrideForm,
    ReopenRoundForm,
    RoundSetupForm,
    RubricForm,
    ShortlistRuleForm,
)

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


@bp.app_context_processor
def _round_helpers() -> dict:
    """`judging_round_of(contest_id)` -> (current round, number of rounds), for pages that
    say which round they show (the ranking's)."""
    return {"judging_round_of": lambda contest_id: (queries.current_round_no(contest_id),
                                                    queries.round_count(contest_id))}


def _contest(contest_id: int) -> Contest:
    return db.session.get(Contest, contest_id) or abort(404)


def _jury(contest: Contest) -> list:
    return choices(tuple(r) for r in db.session.execute(
        select(User.id, User.full_name).join(ContestJuror, ContestJuror.user_id == User.id)
        .where(ContestJuror.contest_id == contest.id).order_by(User.full_name)))


def _back(contest: Contest):
    return redirect(url_for("rounds.page", contest_id=contest.id))


def _run(contest: Contest, done: str, write) -> object:
    """Call one service; commit and flash `done`, or roll back and flash its message.
    Refused because the contest's ranking is being updated: its refresh stays queued."""
    try:
        write()
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        if store.refresh_after_refusal(exc, contest):
            db.session.commit()
    else:
        db.session.commit()
        flash(done, "success")
    return _back(contest)


@bp.route("/contests/<int:contest_id>")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def page(contest_id: int):
    contest = _contest(contest_id)
    rounds = queries.list_rounds(contest.id)
    final = rounds[1] if len(rounds) > 1 else None
    setup = RoundSetupForm()
    setup.juror_ids.choices = _jury(contest)
    if final is not None:
        setup.mode.data = final.mode.value
        setup.reviews_per_entry.data = final.reviews_per_entry
        setup.juror_ids.data = list(final.juror_ids)
        setup.previous_weight.data = round(final.previous_weight * 100)
    rule = ShortlistRuleForm()
    if final is not None and final.shortlist_rule:
        rule.kind.data = final.shortlist_rule["kind"]
        rule.value.data = f"{final.shortlist_rule['value']:g}"
    names = {c.id: c.name for c in contest.categories}
    own = [c for c in queries.criteria_for(contest.id, 2) if c.round_no == 2] if final else []
    rubric = RubricForm()
    rubric.lines.data = "\n".join(f"{localized(c.name, str(get_locale()))} | {c.max_score:g} | {c.weight:g}"
                                   for c in own)
    return render_template("rounds/page.html", contest=contest, rounds=rounds, final=final, setup=setup,
                           close=CloseRoundForm(), reopen=ReopenRoundForm(), rule=rule,
                           override=OverrideForm(), confirm=ConfirmShortlistForm(), names=names,
                           rubric=rubric, own_rubric=own,
                           cuts=queries.cut_view(final.id) if final else [],
                           progress=queries.round_progress(contest.id))


@bp.route("/contests/<int:contest_id>/setup", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def setup(contest_id: int):
    contest = _contest(contest_id)
    form = RoundSetupForm()
    form.juror_ids.choices = _jury(contest)
    if not form.validate_on_submit():
        flash(_("Check the final round's settings."), "error")
        return _back(contest)
    return _run(contest, _("The final round is set up."), lambda: services.setup_rounds(
        contest=contest, actor=current_user, mode=form.mode.data,
        reviews_per_entry=form.reviews_per_entry.data,
        juror_ids=form.juror_ids.data or [], previous_weight=form.previous_weight.data / 100))


@bp.route("/contests/<int:contest_id>/rounds/<int:number>/close", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def close(contest_id: int, number: int):
    contest = _contest(contest_id)
    form = CloseRoundForm()
    if not form.validate_on_submit():
        abort(400)
    return _run(contest, _("The round is closed."), lambda: services.close_round(
        contest=contest, round_no=number, actor=current_user, reason=form.reason.data or ""))


@bp.route("/contests/<int:contest_id>/rounds/<int:number>/reopen", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def reopen(contest_id: int, number: int):
    contest = _contest(contest_id)
    form = ReopenRoundForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for reopening the round."), "error")
        return _back(contest)
    return _run(contest, _("The round is open again."), lambda: services.reopen_round(
        contest=contest, round_no=number, actor=current_user, reason=form.reason.data))


@bp.route("/contests/<int:contest_id>/shortlist", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def propose(contest_id: int):
    contest = _contest(contest_id)
    form = ShortlistRuleForm()
    value = form.number() if form.validate_on_submit() else None
    if value is None:
        flash(_("Give the rule a number."), "error")
        return _back(contest)
    return _run(contest, _("The shortlist is proposed. Check the cut line, then confirm."),
                lambda: services.propose_shortlist(contest=contest, kind=form.kind.data, value=value,
                                                   actor=current_user))


@bp.route("/contests/<int:contest_id>/shortlist/entry", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def override(contest_id: int):
    contest = _contest(contest_id)
    form = OverrideForm()
    if not form.validate_on_submit() or not form.entry_id.data.isdigit():
        flash(_("Give a reason for changing the shortlist."), "error")
        return _back(contest)
    return _run(contest, _("The shortlist is changed."), lambda: services.override_shortlist(
        contest=contest, entry_id=int(form.entry_id.data), selected=form.selected.data == "1",
        reason=form.reason.data, actor=current_user))


@bp.route("/contests/<int:contest_id>/shortlist/confirm", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def confirm(contest_id: int):
    contest = _contest(contest_id)
    form = ConfirmShortlistForm()
    if not form.validate_on_submit():
        abort(400)
    return _run(contest, _("The shortlist is confirmed: the final round has started. Assign its jurors."),
                lambda: services.confirm_shortlist(contest=contest, actor=current_user,
                                                   notify=bool(form.notify.data)))


@bp.route("/contests/<int:contest_id>/rubric", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def rubric(contest_id: int):
    contest = _contest(contest_id)
    form = RubricForm()
    criteria = form.criteria(str(get_locale())) if form.validate_on_submit() else None
    if criteria is None:
        flash(_("Write each criterion on its own line as: name | maximum score | weight."), "error")
        return _back(contest)
    return _run(contest, _("The final round's rubric is saved."), lambda: services.set_round_rubric(
        contest=contest, round_no=2, criteria=criteria, actor=current_user))
