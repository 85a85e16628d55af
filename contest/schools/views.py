"""Schools: suggestions for the registration and profile forms (JSON), and the organizers'
list where duplicates are merged."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import PUBLIC, access
from contest.contests.permissions import can_merge_schools
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.schools import queries, regions, services

bp = Blueprint("schools", __name__, url_prefix="/schools")


@bp.route("/suggest")
@access(PUBLIC)
def suggest():
    names = queries.suggest(request.args.get("region", "")[:40], request.args.get("q", "")[:100])
    response = jsonify(names)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("")
@access(Role.ORGANIZER)
def index():
    region = request.args.get("region", "")
    if region and region not in regions.codes():
        abort(404)
    text = request.args.get("q", "")[:100]
    return render_template("schools/index.html", region=region, text=text,
                           may_merge=can_merge_schools(current_user),
                           regions=regions.choices(str(get_locale())),
                           schools=queries.list_schools(region, text) if region else [])


@bp.route("/merge", methods=["POST"])
@access(Role.ORGANIZER)
def merge():
    if not can_merge_schools(current_user):
        abort(403)
    keep_id = request.form.get("keep", type=int)
    ids = [int(i) for i in request.form.getlist("merge") if i.isdigit()]
    found = {s.id: s for s in queries.get_schools([keep_id or 0, *ids])}
    region = found[keep_id].region if keep_id in found else ""
    try:
        if keep_id not in found:
            raise DomainError(_("Choose the school to keep."))
        conflicts = services.merge_schools(keep=found[keep_id], actor=current_user,
                                           duplicates=[found[i] for i in ids if i in found])
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("The schools are merged."), "success")
        for _assignment, _entry_id, code, juror in conflicts:
            flash(_("Now a conflict of interest: %(juror)s and entry %(code)s are from the same school. "
                    "Remove the juror from the entry.", juror=juror, code=code), "error")
    return redirect(url_for(".index", region=region))
