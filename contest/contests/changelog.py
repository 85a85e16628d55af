"""What the audit log keeps of a contest's set-up: snapshots of the settings and of each part
(topic, category, criterion, award tier, signatory) as plain JSON values, keyed like the
editor's form fields (`title_kk`, `reviews_per_entry`...), so that a saved form logs the old and
new values of exactly the fields that changed (contest.audit.services.record_changes)."""
from __future__ import annotations

import hashlib
from datetime import datetime

from contest.audit.services import record_changes
from contest.contests.models import AwardTier, Category, Contest, Criterion, Signatory, Topic

LANGS = ("kk", "ru", "en")
# Settings with an event of their own: blind (contest.blind, with its reason), the submission
# window (contest.window) and the judging deadline (contest.judging_deadline).
OWN_EVENTS = ("blind", "opens_at", "closes_at", "judging_ends_at")
PLAIN = ("code_prefix", "year", "timezone", "max_file_mb", "max_pages", "min_words", "max_words",
         "soft_margin_pct", "entries_per_student", "reviews_per_entry", "jurors_may_open_files",
         "same_region_conflict", "show_rubric", "share_feedback", "reminder_days")


def texts(prefix: str, values: dict | None) -> dict:
    """{"title": {"kk": ...}} as {"title_kk": ..., "title_ru": None, ...}."""
    return {f"{prefix}_{code}": (values or {}).get(code) for code in LANGS}


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def settings_snapshot(contest: Contest) -> dict:
    """The main form's settings, except those with an event of their own (OWN_EVENTS)."""
    values = {name: getattr(contest, name) for name in PLAIN}
    values["reminder_days"] = list(values["reminder_days"] or [])
    values["formats"] = sorted(contest.formats or [])
    values["languages"] = sorted(contest.languages or [])
    for prefix in ("title", "description", "rules"):
        values.update(texts(prefix, getattr(contest, prefix)))
    return values


def window_snapshot(contest: Contest) -> dict:
    return {"opens_at": iso(contest.opens_at), "closes_at": iso(contest.closes_at)}


def diploma_snapshot(contest: Contest) -> dict:
    logo = hashlib.sha256(contest.logo).hexdigest()[:12] if contest.logo else None
    return {**texts("issuer", contest.issuer), "logo": logo}


def item_snapshot(item) -> dict:
    """A part's fields as the editor shows them (its place in the list is logged by moves)."""
    if isinstance(item, Topic):
        return texts("title", item.title)
    if isinstance(item, Category):
        return texts("name", item.name)
    if isinstance(item, Criterion):
        return {**texts("name", item.name), **texts("description", item.description),
                "min_score": item.min_score, "max_score": item.max_score, "step": item.step,
                "weight": item.weight, "levels": [dict(lv) for lv in item.levels or []]}
    if isinstance(item, AwardTier):
        return {**texts("name", item.name), **texts("document_title", item.document_title),
                "rule": item.rule, "category_id": item.category_id, "count": item.count,
                "min_score": item.min_score}
    if isinstance(item, Signatory):
        return {"name": item.name, **texts("names", item.names), **texts("title", item.title)}
    raise TypeError(type(item).__name__)


ITEM_ACTIONS = {"added": "contest.item_added", "changed": "contest.item_changed",
                "removed": "contest.item_removed", "moved": "contest.item_moved"}


def item_action(item, change: str) -> str:
    """Rubric edits keep their own action (contest.rubric_changed); other parts say what happened."""
    return "contest.rubric_changed" if isinstance(item, Criterion) else ITEM_ACTIONS[change]


def log_item(*, contest: Contest, item, actor, before: dict | None, change: str) -> None:
    """An added (before None), changed or removed (change "removed") part of the contest."""
    after = {} if change == "removed" else item_snapshot(item)
    record_changes(action=item_action(item, change), actor=actor, obj=item, contest_id=contest.id,
                   before=before or {}, after=after)
