"""Organizer pages: the ranking, its rules, disagreements, statistics and exports.

Organizers see every contest; a missing contest (or an entry of another contest) is 404.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import access
from contest.contests.models import localized
from contest.contests.permissions import Capability, contest_access
from contest.db import utcnow
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.i18n import signed
from contest.ranking import exports, queries, services, store, summary
from contest.ranking.forms import MethodForm, PreviewForm, RulesForm

bp = Blueprint("ranking", __name__, url_prefix="/contests/<int:contest_id>/ranking")
ROW_LIMIT = 300  # rows per group shown unless ?all=1; the exports have everything


bp.add_app_template_filter(signed, "signed")


def _contest(contest_id: int):
    contest = queries.get_contest(contest_id)
    if contest is None:
        abort(404)
    return contest


def _choice(contest) -> tuple[str, str]:
    """The method and bridging asked for in the query string, else the contest's."""
    form = PreviewForm(request.args, method=contest.ranking_method, bridging=contest.ranking_bridging)
    if not form.validate():
        return contest.ranking_method, contest.ranking_bridging
    return form.method.data, form.bridging.data


@bp.route("")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def index(contest_id):
    contest = _contest(contest_id)
    method, bridging = _choice(contest)
    form = PreviewForm(formdata=None, method=method, bridging=bridging)
    limit = None if request.args.get("all") == "1" else ROW_LIMIT
    stored = None
    try:  # rows past the limit are not shown: not built (flagged entries all are)
        stored = store.ranking_for(contest, method=method, bridging=bridging)
        groups = (summary.ranking_groups(contest, method=method, bridging=bridging, lang=str(get_locale()),
                                         result=stored.result, limit=limit)
                  if stored.result is not None else [])
    except ValueError:
        groups = None
    if stored is not None and stored.queued:
        db.session.commit()  # the refresh job is pushed once committed
    return render_template("ranking/index.html", contest=contest, groups=groups, form=form,
                           method=method, bridging=bridging, limit=limit, stored=stored,
                           flagged=summary.flagged_rows(groups or []),
                           unranked=queries.unranked_entries(contest.id),
                           save_form=MethodForm(formdata=None, method=method, bridging=bridging))


@bp.route("/method", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def save_method(contest_id):
    contest = _contest(contest_id)
    form = MethodForm()
    if not form.validate_on_submit():
        flash(_("Choose a ranking method."), "error")
        return redirect(url_for(".index", contest_id=contest.id))
    try:
        services.set_ranking_method(contest=contest, method=form.method.data,
                                    bridging=form.bridging.data, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("The ranking method is saved for this contest."), "success")
    return redirect(url_for(".index", contest_id=contest.id))


@bp.route("/rules", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def rules(contest_id):
    contest = _contest(contest_id)
    form = RulesForm(data=None if request.method == "POST" else _rules_data(contest))
    form.set_criteria([(c.id, localized(c.name, str(get_locale())) or str(c.id))
                       for c in contest.criteria])
    if form.validate_on_submit():
        try:
            services.set_ranking_rules(contest=contest, chain=form.chain(), actor=current_user,
                                       threshold=float(form.disagreement_threshold.data),
                                       rank_by_topic=form.rank_by_topic.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("Tie-break rules saved."), "success")
            return redirect(url_for(".rules", contest_id=contest.id))
    return render_template("ranking/rules.html", contest=contest, form=form)


def _rules_data(contest) -> dict:
    rows = [{"rule": rule, "criterion": arg if rule == "criterion" else None,
             "threshold": arg if rule == "fewer_low_marks" else None}
            for rule, arg in contest.tiebreaks or []]
    return {"tiebreaks": rows, "disagreement_threshold": contest.disagreement_threshold,
            "rank_by_topic": contest.rank_by_topic}


@bp.route("/entries/<int:entry_id>/add-juror", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def add_juror(contest_id, entry_id):
    contest = _contest(contest_id)
    entry = queries.get_entry(contest, entry_id)
    if entry is None:
        abort(404)
    try:
        assignment = services.add_extra_juror(contest=contest, entry=entry, actor=current_user)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        name = queries.user_names([assignment.juror_id])[assignment.juror_id]
        db.session.commit()
        flash(_("%(juror)s will review %(code)s as well.", juror=name, code=entry.code), "success")
    return redirect(url_for(".index", contest_id=contest.id) + "#disagreements")


@bp.route("/statistics")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def statistics(contest_id):
    contest = _contest(contest_id)
    stored = None
    try:
        stored = store.statistics_for(contest)
        page = (summary.statistics_page(contest, str(get_locale()), stored.result)
                if stored.result is not None else {})
    except ValueError:
        page = None
    if stored is not None and stored.queued:
        db.session.commit()  # the refresh job is pushed once committed
    return render_template("ranking/statistics.html", contest=contest, page=page, stored=stored)


@bp.route("/export/<kind>.<fmt>")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def export(contest_id, kind, fmt):
    contest = _contest(contest_id)
    if kind not in ("ranking", "scores") or fmt not in exports.MIMETYPES:
        abort(404)
    method, bridging = _choice(contest)
    lang = str(get_locale())
    batch = current_app.config["EXPORT_BATCH_ROWS"]
    if kind == "scores":
        header, rows = exports.scores_batches(contest, lang=lang, batch_size=batch)
    else:
        try:
            stored = store.ranking_for(contest, method=method, bridging=bridging)
        except ValueError:
            flash(str(store.INCOMPLETE), "error")
            return redirect(url_for(".index", contest_id=contest.id))
        if stored.state != store.FRESH:  # a large contest's ranking is being (re)computed by a worker
            if stored.queued:
                db.session.commit()
            flash(_("The ranking is being updated. Download it again in a minute."), "info")
            return redirect(url_for(".index", contest_id=contest.id, method=method, bridging=bridging))
        header = exports.ranking_header()
        rows = exports.ranking_batches(contest, stored.result, lang=lang, batch_size=batch,
                                       awards_from_result=(method, bridging) == (contest.ranking_method,
                                                                                 contest.ranking_bridging))
    sheet = _("Ranking") if kind == "ranking" else _("All scores")
    return exports.stream_response(header, rows, fmt=fmt, title=sheet,
                                   filename=exports.file_name(contest, kind, fmt, utcnow()))
