"""Writes for a contest's ordered parts: topics, categories, rubric criteria, award tiers and
signatories. Each save function creates (item=None) or edits; remove and move work on any.
Every change is logged with the old and new values of the fields that changed (changelog)."""
from __future__ import annotations

import math
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.audit.services import record_changes
from contest.contests.changelog import item_action, item_snapshot, log_item
from contest.contests.models import (
    AwardTier,
    Category,
    Contest,
    ContestJuror,
    Criterion,
    Phase,
    Signatory,
    Topic,
)
from contest.contests.services import FieldErrors, clean_texts
from contest.errors import Conflict, InvalidInput
from contest.extensions import db

COLLECTIONS = {Topic: "topics", Category: "categories", Criterion: "criteria", AwardTier: "award_tiers",
               Signatory: "signatories"}
TIER_RULES = ("count", "threshold", "participation")


def _require_texts(texts: dict[str, str], field_prefix: str) -> dict[str, str]:
    cleaned = clean_texts(texts)
    if not cleaned:
        raise InvalidInput(_l("Give it in at least one language."), field=f"{field_prefix}_kk")
    return cleaned


def _add(contest: Contest, item) -> None:
    siblings = getattr(contest, COLLECTIONS[type(item)])
    item.position = max((s.position for s in siblings), default=-1) + 1
    siblings.append(item)


def _before(item) -> dict | None:
    """The part's values before an edit; None for a new one."""
    return item_snapshot(item) if item is not None and item.id is not None else None


def _saved(contest: Contest, item, actor, before: dict | None) -> None:
    if item.id is None:
        _add(contest, item)
    db.session.flush()
    log_item(contest=contest, item=item, actor=actor, before=before,
             change="added" if before is None else "changed")


def save_topic(*, contest: Contest, title: dict[str, str], topic: Topic | None = None, actor=None) -> Topic:
    before = _before(topic)
    topic = topic or Topic()
    topic.title = _require_texts(title, "title")
    _saved(contest, topic, actor, before)
    return topic


def save_category(*, contest: Contest, name: dict[str, str], category: Category | None = None,
                  actor=None) -> Category:
    before = _before(category)
    category = category or Category()
    category.name = _require_texts(name, "name")
    _saved(contest, category, actor, before)
    return category


def check_rubric_editable(contest: Contest) -> None:
    if contest.rubric_locked:
        raise Conflict(_l("The rubric is locked because reviews have been submitted. "
                          "Unlock it first; the reason is logged."))


def criterion_errors(*, min_score: float, max_score: float, step: float, weight: float,
                     levels: list[dict[str, Any]]) -> dict:
    """Problems with a criterion's numbers: range, step, weight, level scores on the grid."""
    errors = {}
    if weight <= 0:
        errors["weight"] = _l("The weight must be greater than 0.")
    if min_score < 0:
        errors["min_score"] = _l("The lowest score cannot be negative.")
    if max_score <= min_score:
        errors["max_score"] = _l("The highest score must be above the lowest.")
    elif step <= 0:
        errors["step"] = _l("The step must be greater than 0.")
    else:
        steps = (max_score - min_score) / step
        if abs(steps - round(steps)) > 1e-9 or steps > 200:
            errors["step"] = _l("The step must divide the range into whole steps (at most 200).")
    if "step" not in errors and "max_score" not in errors:
        for level in levels:
            grid = (level["score"] - min_score) / step
            if not min_score <= level["score"] <= max_score or not math.isclose(grid, round(grid)):
                errors["levels_kk"] = _l("Level %(score)s is not a score this criterion allows.",
                                         score=level["score"])
                break
    return errors


def save_criterion(*, contest: Contest, actor, name: dict[str, str], description: dict[str, str],
                   min_score: float, max_score: float, step: float, weight: float,
                   levels: list[dict[str, Any]], criterion: Criterion | None = None) -> Criterion:
    """A rubric criterion; refused while the rubric is locked."""
    check_rubric_editable(contest)
    errors = criterion_errors(min_score=min_score, max_score=max_score, step=step, weight=weight,
                              levels=levels)
    if not clean_texts(name):
        errors = {"name_kk": _l("Give the name in at least one language."), **errors}
    if errors:
        raise FieldErrors(errors)
    before = _before(criterion)
    criterion = criterion or Criterion()
    criterion.name, criterion.description = clean_texts(name), clean_texts(description)
    criterion.min_score, criterion.max_score, criterion.step, criterion.weight = (
        min_score, max_score, step, weight)
    criterion.levels = sorted(({"score": lv["score"], "text": clean_texts(lv["text"])} for lv in levels),
                              key=lambda lv: lv["score"], reverse=True)
    _saved(contest, criterion, actor, before)
    return criterion


def save_award_tier(*, contest: Contest, name: dict[str, str], rule: str, category_id: int | None,
                    count: int | None, min_score: float | None, tier: AwardTier | None = None,
                    document_title: dict[str, str] | None = None, actor=None) -> AwardTier:
    """An award rule: top `count` per category, everyone from `min_score`, or participation;
    `document_title` is the printed document's title per language (kept when not given)."""
    errors = {}
    if not clean_texts(name):
        errors["name_kk"] = _l("Give the name in at least one language.")
    if rule not in TIER_RULES:
        errors["rule"] = _l("Choose a rule from the list.")
    if rule == "count" and (count is None or count < 1):
        errors["count"] = _l("Give how many entries receive this award (at least 1).")
    if rule == "threshold" and (min_score is None or min_score < 0):
        errors["min_score"] = _l("Give the minimum score (0 or more).")
    if category_id is not None and category_id not in {c.id for c in contest.categories}:
        errors["category_id"] = _l("Choose a category of this contest.")
    if errors:
        raise FieldErrors(errors)
    before = _before(tier)
    tier = tier or AwardTier()
    tier.name, tier.rule, tier.category_id = clean_texts(name), rule, category_id
    if document_title is not None or tier.document_title is None:
        tier.document_title = clean_texts(document_title or {})
    tier.count = count if rule == "count" else None
    tier.min_score = min_score if rule == "threshold" else None
    _saved(contest, tier, actor, before)
    _sync_participation(contest)
    return tier


def _sync_participation(contest: Contest) -> None:
    contest.participation_certificates = any(t.rule == "participation" for t in contest.award_tiers)


def save_signatory(*, contest: Contest, name: str, title: dict[str, str],
                   signatory: Signatory | None = None, names: dict[str, str] | None = None,
                   actor=None) -> Signatory:
    if not name.strip():
        raise InvalidInput(_l("Give the signatory's name."), field="name")
    before = _before(signatory)
    signatory = signatory or Signatory()
    signatory.name, signatory.title = name.strip(), clean_texts(title)
    if names is not None or signatory.names is None:
        signatory.names = clean_texts(names or {})  # per language, e.g. Сәрсенбаева / Сарсенбаева
    _saved(contest, signatory, actor, before)
    return signatory


def remove_item(*, contest: Contest, item, actor) -> None:
    """Delete a part. Topics and categories stay once the contest has opened (entries use
    them); criteria only while the rubric is unlocked."""
    if isinstance(item, Topic | Category) and contest.phase != Phase.DRAFT:
        raise InvalidInput(_l("Topics and categories cannot be removed after the contest has opened. "
                              "Rename them instead."))
    if isinstance(item, Criterion):
        check_rubric_editable(contest)
    removed = [item]
    if isinstance(item, Category):
        for tier in [t for t in contest.award_tiers if t.category_id == item.id]:
            removed.append(tier)
            contest.award_tiers.remove(tier)
        for link in db.session.scalars(select(ContestJuror).where(ContestJuror.contest_id == contest.id)):
            link.category_ids = [cid for cid in link.category_ids if cid != item.id]
    for part in removed:  # logged before the flush that deletes them (their ids are kept)
        log_item(contest=contest, item=part, actor=actor, before=item_snapshot(part), change="removed")
    getattr(contest, COLLECTIONS[type(item)]).remove(item)
    db.session.flush()
    if isinstance(item, AwardTier):
        _sync_participation(contest)


def move_item(*, contest: Contest, item, offset: int, actor=None) -> None:
    """Move a part one place up (-1) or down (+1) in its list (logged as its place, from 1)."""
    if isinstance(item, Criterion):
        check_rubric_editable(contest)
    siblings = sorted(getattr(contest, COLLECTIONS[type(item)]), key=lambda s: (s.position, s.id))
    index = siblings.index(item)
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    db.session.flush()
    record_changes(action=item_action(item, "moved"), actor=actor, obj=item, contest_id=contest.id,
                   before={"place": index + 1}, after={"place": siblings.index(item) + 1})
    db.session.expire(contest, [COLLECTIONS[type(item)]])
