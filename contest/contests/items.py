"""Writes for a contest's ordered parts: topics, categories, rubric criteria, award tiers and
signatories. Each save function creates (item=None) or edits; remove and move work on any."""
from __future__ import annotations

import math
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.audit.services import record_event
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


def save_topic(*, contest: Contest, title: dict[str, str], topic: Topic | None = None) -> Topic:
    topic = topic or Topic()
    topic.title = _require_texts(title, "title")
    if topic.id is None:
        _add(contest, topic)
    db.session.flush()
    return topic


def save_category(*, contest: Contest, name: dict[str, str], category: Category | None = None) -> Category:
    category = category or Category()
    category.name = _require_texts(name, "name")
    if category.id is None:
        _add(contest, category)
    db.session.flush()
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
    """A rubric criterion; refused while the rubric is locked. Changes outside drafts are logged."""
    check_rubric_editable(contest)
    errors = criterion_errors(min_score=min_score, max_score=max_score, step=step, weight=weight,
                              levels=levels)
    if not clean_texts(name):
        errors = {"name_kk": _l("Give the name in at least one language."), **errors}
    if errors:
        raise FieldErrors(errors)
    criterion = criterion or Criterion()
    criterion.name, criterion.description = clean_texts(name), clean_texts(description)
    criterion.min_score, criterion.max_score, criterion.step, criterion.weight = (
        min_score, max_score, step, weight)
    criterion.levels = sorted(({"score": lv["score"], "text": clean_texts(lv["text"])} for lv in levels),
                              key=lambda lv: lv["score"], reverse=True)
    if criterion.id is None:
        _add(contest, criterion)
    db.session.flush()
    if contest.phase != Phase.DRAFT:
        record_event(action="contest.rubric_changed", actor=actor, obj=criterion, contest_id=contest.id,
                     new={"min": min_score, "max": max_score, "step": step, "weight": weight})
    return criterion


def save_award_tier(*, contest: Contest, name: dict[str, str], rule: str, category_id: int | None,
                    count: int | None, min_score: float | None, tier: AwardTier | None = None,
                    document_title: dict[str, str] | None = None) -> AwardTier:
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
    tier = tier or AwardTier()
    tier.name, tier.rule, tier.category_id = clean_texts(name), rule, category_id
    if document_title is not None or tier.document_title is None:
        tier.document_title = clean_texts(document_title or {})
    tier.count = count if rule == "count" else None
    tier.min_score = min_score if rule == "threshold" else None
    if tier.id is None:
        _add(contest, tier)
    db.session.flush()
    _sync_participation(contest)
    return tier


def _sync_participation(contest: Contest) -> None:
    contest.participation_certificates = any(t.rule == "participation" for t in contest.award_tiers)


def save_signatory(*, contest: Contest, name: str, title: dict[str, str],
                   signatory: Signatory | None = None, names: dict[str, str] | None = None) -> Signatory:
    if not name.strip():
        raise InvalidInput(_l("Give the signatory's name."), field="name")
    signatory = signatory or Signatory()
    signatory.name, signatory.title = name.strip(), clean_texts(title)
    if names is not None or signatory.names is None:
        signatory.names = clean_texts(names or {})  # per language, e.g. Сәрсенбаева / Сарсенбаева
    if signatory.id is None:
        _add(contest, signatory)
    db.session.flush()
    return signatory


def remove_item(*, contest: Contest, item, actor) -> None:
    """Delete a part. Topics and categories stay once the contest has opened (entries use
    them); criteria only while the rubric is unlocked."""
    if isinstance(item, Topic | Category) and contest.phase != Phase.DRAFT:
        raise InvalidInput(_l("Topics and categories cannot be removed after the contest has opened. "
                              "Rename them instead."))
    if isinstance(item, Criterion):
        check_rubric_editable(contest)
    if isinstance(item, Category):
        for tier in [t for t in contest.award_tiers if t.category_id == item.id]:
            contest.award_tiers.remove(tier)
        for link in db.session.scalars(select(ContestJuror).where(ContestJuror.contest_id == contest.id)):
            link.category_ids = [cid for cid in link.category_ids if cid != item.id]
    getattr(contest, COLLECTIONS[type(item)]).remove(item)
    db.session.flush()
    if isinstance(item, AwardTier):
        _sync_participation(contest)
    if isinstance(item, Criterion) and contest.phase != Phase.DRAFT:
        record_event(action="contest.rubric_changed", actor=actor, obj=item, contest_id=contest.id,
                     new={"removed": True})


def move_item(*, contest: Contest, item, offset: int) -> None:
    """Move a part one place up (-1) or down (+1) in its list."""
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
    db.session.expire(contest, [COLLECTIONS[type(item)]])
