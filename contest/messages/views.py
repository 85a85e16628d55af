"""Organizer pages for messages: write with a preview, send, follow progress."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from contest.accounts.permissions import access
from contest.contests.models import localized
from contest.contests.permissions import Capability, contest_access
from contest.contests.queries import get_contest
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db
from contest.messages import audiences, queries, services
from contest.messages.forms import AUDIENCE_LABELS, MessageForm

bp = Blueprint("messages", __name__)


@bp.app_context_processor
def _inbox():
    def my_messages():
        return queries.inbox(current_user.id) if current_user.is_authenticated else []

    return {"my_messages": my_messages}


def _contest(contest_id: int):
    return get_contest(contest_id) or abort(404)


@bp.route("/contests/<int:contest_id>/messages")
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def index(contest_id: int):
    contest = _contest(contest_id)
    return render_template("messages/index.html", contest=contest, messages=queries.list_messages(contest.id),
                           labels=AUDIENCE_LABELS)


@bp.route("/contests/<int:contest_id>/messages/new", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def new(contest_id: int):
    contest = _contest(contest_id)
    form = MessageForm()
    lang = str(get_locale())
    form.category_id.choices = [(0, "—")] + [(c.id, localized(c.name, lang)) for c in contest.categories]
    preview = None
    if form.validate_on_submit():
        try:
            draft = services.check_draft(contest=contest, draft=form.draft())
            if request.form.get("action") == "send":
                message = services.create_message(contest=contest, draft=draft, actor=current_user)
                db.session.commit()
                flash(_("The message is being sent."), "success")
                return redirect(url_for("messages.show", contest_id=contest.id, message_id=message.id))
            group = (contest, draft.audience, draft.category_id)
            preview = {"draft": draft, "count": audiences.count_audience(*group),
                       "sample": audiences.sample_audience(*group)}
        except DomainError as exc:
            getattr(form, exc.field or "subject_kk").errors.append(str(exc.message))
    return render_template("messages/new.html", contest=contest, form=form, preview=preview,
                           labels=AUDIENCE_LABELS)


@bp.route("/contests/<int:contest_id>/messages/<int:message_id>")
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def show(contest_id: int, message_id: int):
    contest = _contest(contest_id)
    message = queries.get_message(contest.id, message_id) or abort(404)
    return render_template("messages/show.html", contest=contest, message=message, labels=AUDIENCE_LABELS,
                           recipients=queries.list_recipients(message.id))
