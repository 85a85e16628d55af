"""The organizer's desk for one contest: the team (roles), the entries registry and its export."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import access
from contest.awards.queries import award_title
from contest.contests import queries as contest_queries
from contest.contests import roles
from contest.contests.models import ContestRole, Phase, localized
from contest.contests.permissions import GRANTS, Capability, can, contest_access, contest_role, is_site_admin
from contest.db import utcnow
from contest.desk import counts, exports, registry
from contest.desk.forms import RegistryForm, TeamForm
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.forms_common import choices
from contest.ranking import exports as table_files
from contest.submissions.flags import language_label, title

bp = Blueprint("desk", __name__, url_prefix="/contests/<int:contest_id>/desk")


@bp.app_template_global()
def caps(contest) -> frozenset[str]:
    """What the signed-in organizer may do in the contest (templates show links by it)."""
    if is_site_admin(current_user):
        return frozenset(Capability)
    role = contest_role(current_user, contest)
    return GRANTS[role] if role else frozenset()


bp.add_app_template_global(utcnow, "now_utc")


@bp.app_template_global()
def my_desk():
    """The organizer's home: their contests that are not archived, with live counts."""
    mine = [c for c in contest_queries.list_contests_for_organizers(current_user)
            if c.phase != Phase.ARCHIVED]
    return counts.home_rows(mine)


@bp.app_template_global()
def region_label(code: str) -> str:
    return code


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


def _registry_form(contest) -> RegistryForm:
    lang = str(get_locale())
    form = RegistryForm(request.args)
    present = registry.filter_choices(contest)
    form.set_choices(categories=[(c.id, localized(c.name, lang)) for c in contest.categories],
                     topics=[(t.id, localized(t.title, lang)) for t in contest.topics],
                     regions=[(r, region_label(r)) for r in present["regions"]], grades=present["grades"],
                     tiers=[(t.id, award_title(t.name, "award", lang)) for t in contest.award_tiers],
                     flag_title=title, lang_label=language_label)
    return form


@bp.route("/entries")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES)
def entries(contest_id: int):
    contest = _contest(contest_id)
    form = _registry_form(contest)
    filters = form.filters()
    page = registry.list_entries(contest, filters)
    return render_template("desk/entries.html", contest=contest, form=form, filters=filters, page=page,
                           categories={c.id: c for c in contest.categories},
                           topics={t.id: t for t in contest.topics}, flag_title=title,
                           language_label=language_label)


@bp.route("/entries/export.<any(csv,xlsx):fmt>")
@access(Role.ORGANIZER)
@contest_access(Capability.ENTRIES)
def export_entries(contest_id: int, fmt: str):
    contest = _contest(contest_id)
    page = registry.list_entries(contest, _registry_form(contest).filters(), everything=True)
    header, rows = exports.registry_table(contest, page, str(get_locale()), region_label)
    data = (table_files.to_csv(header, rows) if fmt == "csv"
            else table_files.to_xlsx(header, rows, _("Entries")))
    name = table_files.file_name(contest, "entries", fmt, utcnow())
    return Response(data, mimetype=table_files.MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
