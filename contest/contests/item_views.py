"""The editor's ordered parts of a contest: topics, categories, rubric criteria, award tiers,
signatories. One set of routes serves every kind through the KINDS table."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from contest.accounts.permissions import access
from contest.contests import forms, items, queries
from contest.contests.models import AwardTier, Category, Criterion, Signatory, Topic
from contest.contests.permissions import Capability, contest_access
from contest.enums import Role
from contest.errors import DomainError
from contest.extensions import db

bp = Blueprint("contest_items", __name__, url_prefix="/contests/<int:contest_id>")


@dataclass(frozen=True)
class Kind:
    model: type
    form: type
    save: Any
    title: Any
    item_arg: str
    text_prefixes: tuple[str, ...]


KINDS = {
    "topics": Kind(Topic, forms.TopicForm, items.save_topic, _l("Topics"), "topic", ("title",)),
    "categories": Kind(Category, forms.CategoryForm, items.save_category, _l("Categories"), "category",
                       ("name",)),
    "criteria": Kind(Criterion, forms.CriterionForm, items.save_criterion, _l("Rubric"), "criterion",
                     ("name", "description")),
    "tiers": Kind(AwardTier, forms.AwardTierForm, items.save_award_tier, _l("Award tiers"), "tier",
                  ("name", "document_title")),
    "signatories": Kind(Signatory, forms.SignatoryForm, items.save_signatory, _l("Signatories"),
                        "signatory", ("names", "title")),
}


def _load(contest_id: int, kind: str, item_id: int | None = None):
    contest = queries.get_contest(contest_id)
    if contest is None or kind not in KINDS:
        abort(404)
    item = None
    if item_id is not None:
        item = db.session.get(KINDS[kind].model, item_id)
        if item is None or item.contest_id != contest.id:
            abort(404)
    return contest, KINDS[kind], item


def _form(kind: Kind, contest, item=None):
    form = kind.form()
    if isinstance(form, forms.AwardTierForm):
        form.set_categories(contest, str(get_locale()))
    if item is not None and not form.is_submitted():
        form.process(obj=item)
        for prefix in kind.text_prefixes:
            form.fill_texts(prefix, getattr(item, prefix))
        if isinstance(form, forms.CriterionForm):
            form.fill(item)
    return form


def _save(kind: Kind, contest, form, item=None) -> bool:
    try:
        kind.save(contest=contest, **{kind.item_arg: item}, actor=current_user, **form.payload())
    except DomainError as exc:
        if not forms.attach_errors(form, exc):
            flash(str(exc.message), "error")
        return False
    db.session.commit()
    flash(_("Saved."), "success")
    return True


@bp.route("/<any(topics,categories,criteria,tiers,signatories):kind>", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def index(contest_id, kind):
    contest, spec, _item = _load(contest_id, kind)
    form = _form(spec, contest)
    if form.validate_on_submit() and _save(spec, contest, form):
        return redirect(url_for("contest_items.index", contest_id=contest.id, kind=kind))
    return render_template("contests/items.html", contest=contest, kind=kind, spec=spec, form=form,
                           rows=getattr(contest, items.COLLECTIONS[spec.model]),
                           unlock_form=forms.UnlockForm())


@bp.route("/<any(topics,categories,criteria,tiers,signatories):kind>/<int:item_id>", methods=["GET", "POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def edit(contest_id, kind, item_id):
    contest, spec, item = _load(contest_id, kind, item_id)
    form = _form(spec, contest, item)
    if form.validate_on_submit() and _save(spec, contest, form, item):
        return redirect(url_for("contest_items.index", contest_id=contest.id, kind=kind))
    return render_template("contests/item_form.html", contest=contest, kind=kind, spec=spec, form=form,
                           item=item)


@bp.route("/<any(topics,categories,criteria,tiers,signatories):kind>/<int:item_id>/delete",
          methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def delete(contest_id, kind, item_id):
    contest, _spec, item = _load(contest_id, kind, item_id)
    return _change(lambda: items.remove_item(contest=contest, item=item, actor=current_user), contest, kind,
                   _("Removed."))


@bp.route("/<any(topics,categories,criteria,tiers,signatories):kind>/<int:item_id>/move", methods=["POST"])
@access(Role.ORGANIZER)
@contest_access(Capability.MANAGE)
def move(contest_id, kind, item_id):
    contest, _spec, item = _load(contest_id, kind, item_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    return _change(lambda: items.move_item(contest=contest, item=item, offset=offset, actor=current_user),
                   contest, kind, None)


def _change(action, contest, kind: str, done):
    try:
        action()
    except DomainError as exc:
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        if done:
            flash(done, "success")
    return redirect(url_for("contest_items.index", contest_id=contest.id, kind=kind))
