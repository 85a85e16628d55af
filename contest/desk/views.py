"""The organizer's desk for one contest: the team (roles), the entries registry and its export,
the audit-log viewer."""
from __future__ import annotations

import json
from collections import OrderedDict

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from contest import spreadsheet
from contest.accounts.permissions import access
from contest.awards.queries import award_title
from contest.contests import queries as contest_queries
from contest.contests import roles
from contest.contests.models import ContestRole, Phase, localized
from contest.contests.permissions import GRANTS, Capability, can, contest_access, contest_role, is_site_admin
from contest.db import utcnow
from contest.desk import audit_fields, audit_log, counts, exports, registry
from contest.desk import labels as desk_labels
from contest.desk import participants as participant_queries
from contest.desk import statistics as desk_statistics
from contest.desk.forms import AuditForm, RegistryQuery, TeamForm, read_registry, registry_choices
from contest.desk.registry_rows import filter_fields, registry_rows, sort_header
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.forms_common import choices
from contest.ranking import exports as table_files
from contest.schools import regions
from contest.submissions.flags import title

bp = Blueprint("desk", __name__, url_prefix="/contests/<int:contest_id>/desk")


@bp.app_template_global()
def caps(contest) -> frozenset[str]:
    """What the signed-in organizer may do in the contest (templates show links by it)."""
    if is_site_admin(current_user):
        return frozenset(Capability)
    role = contest_role(current_user, contest)
    return GRANTS[role] if role else frozenset()


bp.add_app_template_global(utcnow, "now_utc")

_navs: OrderedDict[tuple, Markup] = OrderedDict()


@bp.app_template_global()
def editor_nav(contest, active: str) -> Markup:
    """contests/_editor_nav.html for this contest, rendered once per process for everything
    it shows (the contest's title, year and phase, the language, what the organizer may do,
    the active tab): the registry is a hot page and the nav's two dozen links cost a
    millisecond."""
    key = (request.script_root, contest.id, json.dumps(contest.title, sort_keys=True), contest.year,
           str(contest.phase), str(get_locale()), caps(contest), active)
    html = _navs.get(key)
    if html is None:
        html = Markup(render_template("contests/_editor_nav.html", contest=contest, active=active))
        _navs[key] = html
        while len(_navs) > 256:
            _navs.popitem(last=False)
    return html



@bp.app_template_global()
def my_desk():
    """The organizer's home: their contests that are not archived, with live counts."""
    mine = [c for c in contest_queries.list_contests_for_organizers(current_user)
            if c.phase != Phase.ARCHIVED]
    return counts.home_rows(mine)


@bp.app_template_global()
def region_label(code: str) -> str:
    """A region code's name in the page's language (older free text is shown as it is)."""
    return regions.label(code, str(get_locale()))


def _contest(contest_id: int):
    return contest_queries.get_contest(contest_id) or abort(404)


@bp.route("/team", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.VIEW, post=Capability.ROLES)
def team(contest_id: int):
    contest = _contest(contest_id)
    form = TeamForm()
    form.user_id.choices = choices((u.id, f"{u.full_name} <{u.email}>")
                                   for u in roles.list_candidates(contest))
    if form.validate_on_submit():
        try:
            roles.grant_role(contest=contest, user_id=form.user_id.data, role=ContestRole(form.role.data),
                             actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
        return redirect(url_for(".team", contest_id=contest.id))
    return render_template("desk/team.html", contest=contest, form=form, members=roles.list_members(contest),
                           labels=roles.ROLE_LABELS, grants=GRANTS,
                           may_change=can(current_user, contest, Capability.ROLES))


@bp.route("/team/<int:member_id>/role", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.ROLES)
def change_role(contest_id: int, member_id: int):
    contest = _contest(contest_id)
    action = request.form.get("role", "")
    try:
        if action == "remove":
            roles.remove_role(contest=contest, member_id=member_id, actor=current_user)
        elif action in set(ContestRole):
            member = next((m for m, _u in roles.list_members(contest) if m.id == member_id), None)
            if member is None:
                abort(404)
            roles.grant_role(contest=contest, user_id=member.user_id, role=ContestRole(action),
                             actor=current_user)
        else:
            abort(400)
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for(".team", contest_id=contest.id))


_filter_parts: OrderedDict[tuple, tuple] = OrderedDict()


def _registry_filters(contest_id: int, names: registry.Names) -> tuple[RegistryQuery, dict, Markup]:
    """The registry's query, its filter fields and its sortable header: a function of the
    contest, its names, the language and the query string alone, so each process keeps the
    256 latest (the three cost ~0.4 ms a page; the same view is asked for again and again,
    by one organizer paging back to it or by several)."""
    key = (request.script_root, contest_id, str(get_locale()), request.query_string, repr(names))
    parts = _filter_parts.get(key)
    if parts is None:
        query = _registry_query(names)
        parts = _filter_parts[key] = (query, filter_fields(query), sort_header(contest_id, query.filters))
        while len(_filter_parts) > 256:
            _filter_parts.popitem(last=False)
    return parts


def _registry_query(names: registry.Names) -> RegistryQuery:
    lang = str(get_locale())
    select_choices = registry_choices(
        categories=[(i, localized(name, lang)) for i, name in names.categories],
        topics=[(i, localized(name, lang)) for i, name in names.topics], regions=regions.choices(lang),
        tiers=[(i, award_title(name, "award", lang)) for i, name in names.tiers], flag_title=title, lang=lang)
    return read_registry(request.args, select_choices)


@bp.route("/entries")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES)
def entries(contest_id: int):
    contest, names = registry.head_and_names(contest_id)
    if contest is None:
        abort(404)
    query, fields, header = _registry_filters(contest.id, names)
    page = registry.list_entries(contest, query.filters)
    return render_template("desk/entries.html", contest=contest, filters=query.filters, page=page,
                           rows=registry_rows(names, page), fields=fields, header=header)


@bp.route("/entries/export.<any(csv,xlsx):fmt>")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES)
def export_entries(contest_id: int, fmt: str):
    contest = registry.get_contest(contest_id) or abort(404)
    filters = _registry_query(registry.names(contest.id)).filters
    batches = registry.export_batches(contest, filters, current_app.config["EXPORT_BATCH_ROWS"])
    rows = exports.registry_batches(contest, batches, str(get_locale()), region_label)
    return spreadsheet.stream_response(exports.registry_header(), rows, fmt=fmt, title=_("Entries"),
                                       filename=table_files.file_name(contest, "entries", fmt, utcnow()))


def _audit_form(contest) -> AuditForm:
    form = AuditForm(request.args)
    form.set_choices(audit_log.filter_choices(contest))
    return form


@bp.route("/audit")
@access(Role.ORGANIZER)
@contest_access(Capability.AUDIT)
def audit(contest_id: int):
    contest = _contest(contest_id)
    form = _audit_form(contest)
    filters = form.filters()
    rows, total, page, pages = audit_log.list_events(contest, filters)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("desk/audit.html", contest=contest, form=form, rows=rows, total=total, page=page,
                           pages=pages, args=args, changes=_readable(contest),
                           action_label=desk_labels.audit_action, object_label=desk_labels.audit_object)


def _readable(contest):
    """event -> its changes with labels and readable values, for this reader and contest."""
    values = audit_fields.ValueFormatter(contest)
    return lambda event: audit_fields.readable_changes(event, audit_log.changes, values)


@bp.route("/audit.csv")
@access(Role.ORGANIZER)
@contest_access(Capability.AUDIT)
def audit_csv(contest_id: int):
    contest = _contest(contest_id)
    rows, _total, _p, _n = audit_log.list_events(contest, _audit_form(contest).filters(), everything=True)
    header, table = exports.audit_table(rows, contest.timezone, audit_log.changes, _readable(contest))
    return spreadsheet.export_response(header, table, fmt="csv",
                                       filename=table_files.file_name(contest, "audit", "csv", utcnow()))


@bp.route("/participants/<any(students,jurors):kind>")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES)
def participants(contest_id: int, kind: str):
    contest = _contest(contest_id)
    region, text = request.args.get("region", "")[:40], request.args.get("q", "")[:100]
    page = request.args.get("page", 1, type=int)
    if kind == "students":
        people, total, page, pages = participant_queries.list_students(contest, region=region, text=text,
                                                                         page=page)
    else:
        people = participant_queries.list_jurors(contest, region=region, text=text)
        total, page, pages = len(people), 1, 1
    return render_template("desk/participants.html", contest=contest, kind=kind, people=people, total=total,
                           page=page, pages=pages, region=region, text=text,
                           regions=regions.choices(str(get_locale())))


@bp.route("/statistics")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def statistics(contest_id: int):
    contest = _contest(contest_id)
    return render_template("desk/statistics.html", contest=contest,
                           tables=desk_statistics.statistics_tables(contest, str(get_locale())))


@bp.route("/statistics/export.<any(csv,xlsx):fmt>")
@access(Role.ORGANIZER)
@contest_access(Capability.RESULTS)
def export_statistics(contest_id: int, fmt: str):
    contest = _contest(contest_id)
    tables = desk_statistics.statistics_tables(contest, str(get_locale()))
    header, rows = desk_statistics.export_rows(tables)
    if fmt == "csv":
        data = table_files.to_csv(header, rows)
    else:
        data = exports.xlsx_sheets([(t["title"], header[1:], [r[1:] for r in rows if r[0] == t["title"]])
                                    for t in tables])
    name = table_files.file_name(contest, "statistics", fmt, utcnow())
    return Response(data, mimetype=spreadsheet.MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
