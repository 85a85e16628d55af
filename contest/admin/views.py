"""Organizer pages for people: staff list and invitations."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts import services as account_services
from contest.accounts.forms import InviteForm
from contest.accounts.permissions import access
from contest.admin import queries
from contest.db import utcnow
from contest.enums import Role
from contest.errors import DomainError, NotFound
from contest.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/people", methods=["GET", "POST"])
@access(Role.ORGANIZER)
def people():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            account_services.invite_user(email=form.email.data, role=Role(form.role.data),
                                         created_by=current_user, language=form.language.data)
        except DomainError as exc:
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("admin.people"))
    return render_template("admin/people.html", form=form, staff=queries.list_staff(),
                           invitations=queries.list_open_invitations(), now=utcnow())


@bp.route("/invitations/<int:token_id>/resend", methods=["POST"])
@access(Role.ORGANIZER)
def resend_invitation(token_id):
    return _invitation_action(account_services.resend_invitation, token_id,
                              _("A new invitation link was sent; the old one no longer works."))


@bp.route("/invitations/<int:token_id>/revoke", methods=["POST"])
@access(Role.ORGANIZER)
def revoke_invitation(token_id):
    return _invitation_action(account_services.revoke_invitation, token_id,
                              _("The invitation was revoked."))


def _invitation_action(service, token_id: int, done: str):
    try:
        service(token_id=token_id, actor=current_user)
    except NotFound:
        abort(404)
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("admin.people"))
