"""The audit log's before/after values for people: every key under a label in the reader's
language, every value readable (enum values by their labels, moments in the contest's zone,
yes/no, numbers in the reader's style, categories by name). The one table of keys is FIELDS;
a key it does not know is shown as it is, and so is a value without a label.

contest.audit stores plain JSON and knows no domain; the domains' labels are gathered here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_decimal
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.accounts.forms import GRADE_CHOICES
from contest.accounts.models import User
from contest.contests.forms import FORMAT_CHOICES
from contest.contests.models import localized
from contest.contests.phases import PHASE_LABELS
from contest.contests.roles import ROLE_LABELS
from contest.desk.labels import STATUS_LABELS
from contest.extensions import db
from contest.forms_common import LANGUAGE_CHOICES
from contest.ranking.forms import BRIDGING_CHOICES, METHOD_CHOICES
from contest.submissions.flags import language_label

# Texts kept per language are logged as <prefix>_kk, <prefix>_ru, <prefix>_en.
TEXT_PREFIXES = {
    "title": _l("Title"), "description": _l("Description"), "rules": _l("Rules"), "name": _l("Name"),
    "document_title": _l("Document title"), "names": _l("Name as spelt"),
    "issuer": _l("Issuer (printed on diplomas)"),
}
FIELDS = {
    # the contest editor's main form
    "code_prefix": _l("Receipt code prefix"), "year": _l("Year"), "timezone": _l("Time zone of the window"),
    "opens_at": _l("Submissions open"), "closes_at": _l("Submissions close (deadline)"),
    "judging_ends_at": _l("Judging ends (deadline for jurors)"),
    "reminder_days": _l("Remind jurors this many days before (e.g. 3, 1)"),
    "formats": _l("Accepted formats"), "max_file_mb": _l("Largest file (MB)"), "max_pages": _l("Most pages"),
    "min_words": _l("Fewest words"), "max_words": _l("Most words (0: no limit)"),
    "soft_margin_pct": _l("Soft margin over the maximum (%)"), "languages": _l("Accepted essay languages"),
    "entries_per_student": _l("Entries per student"), "reviews_per_entry": _l("Reviews per essay (k)"),
    "blind": _l("Blind judging: jurors never see authors' names"),
    "jurors_may_open_files": _l("Jurors may open the original file"),
    "same_region_conflict": _l("A juror from the author's region has a conflict of interest"),
    "show_rubric": _l("Show the rubric on the public contest page"),
    "share_feedback": _l("Share jurors' feedback with students"),
    # parts of the contest and the diploma
    "min_score": _l("Minimum score"), "max_score": _l("Highest score"), "step": _l("Step"),
    "weight": _l("Weight"), "levels": _l("Level descriptors"), "rule": _l("Rule"),
    "count": _l("N (how many entries)"), "category_id": _l("Category"), "place": _l("Place in the list"),
    "logo": _l("Logo"),
    # entries, reviews, jurors, roles, ranking
    "phase": _l("Phase"), "forced": _l("Forced"), "status": _l("Status"), "decision": _l("Decision"),
    "scores": _l("Scores"), "total": _l("Total"), "entry_id": _l("Entry"), "entry": _l("Entry"),
    "juror_id": _l("Juror"), "jurors": _l("Jurors"), "student_id": _l("Author"), "user_id": _l("Person"),
    "role": _l("Role"), "category_ids": _l("Categories judged"), "capacity": _l("Capacity"),
    "until": _l("Until"), "school": _l("School"), "region": _l("Region"), "code": _l("Code"),
    "version": _l("Version"), "format": _l("Format"), "words": _l("Words"), "language": _l("Language"),
    "grade": _l("Grade"), "round": _l("Round"), "method": _l("Method"), "bridging": _l("Bridging"),
    "tiebreaks": _l("Tie-breaks"), "threshold": _l("Threshold"), "rank_by_topic": _l("Ranked per topic"),
    "term": _l("Term to remove"), "email": _l("E-mail"),
}
# A key that means something else in one action's events.
ACTION_FIELDS = {
    ("juror.profile_updated", "languages"): _l("Languages the juror reads"),
    ("juror.profile_updated", "capacity"): _l("Default capacity (most essays per contest; empty: no limit)"),
}
MOMENTS = {"opens_at", "closes_at", "judging_ends_at", "until"}
PEOPLE = {"user_id", "juror_id", "student_id"}  # shown by name, with the id
VALUES = {
    "phase": {p.value: label for p, label in PHASE_LABELS.items()},
    "status": {**STATUS_LABELS, "submitted": _l("Submitted"), "draft": _l("Draft"),
               "revoked": _l("Revoked"), "genuine": _l("Valid")},
    "decision": {"accepted": _l("Accepted"), "reupload": _l("New upload requested"),
                 "rejected": _l("Not accepted")},
    "role": {r.value: label for r, label in ROLE_LABELS.items()},
    "formats": {c.value: c.label for c in FORMAT_CHOICES},
    "format": {c.value: c.label for c in FORMAT_CHOICES},
    "grade": {c.value: c.label for c in GRADE_CHOICES},
    "method": {c.value: c.label for c in METHOD_CHOICES},
    "bridging": {c.value: c.label for c in BRIDGING_CHOICES},
    "rule": {"count": _l("The top N entries"), "threshold": _l("Every entry from a minimum score"),
             "participation": _l("Participation certificate for everyone else")},
}
LANGUAGE_NAMES = {c.value: c.label for c in LANGUAGE_CHOICES}


@dataclass
class ReadableChange:
    key: str  # as stored, for the CSV and the cell's tooltip
    label: str
    before: str
    after: str


def field_label(key: str, action: str = "") -> str:
    """The key in the reader's language; an unknown key as it is."""
    label = ACTION_FIELDS.get((action, key)) or FIELDS.get(key)
    if label is None:
        prefix, _sep, code = key.rpartition("_")
        if prefix in TEXT_PREFIXES and code in LANGUAGE_NAMES:
            return f"{TEXT_PREFIXES[prefix]} ({LANGUAGE_NAMES[code]})"
        return key
    return str(label)


class ValueFormatter:
    """Values of one contest's events for one reader (their language, the contest's zone)."""

    def __init__(self, contest):
        self.locale = str(get_locale() or "en")
        self.zone = ZoneInfo(contest.timezone or "Asia/Almaty")
        self.categories = {c.id: localized(c.name, self.locale) for c in contest.categories}
        self.people: dict[int, str] = {}  # user id -> name, read once per id

    def __call__(self, key: str, value) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return ""
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if key in MOMENTS and isinstance(value, str):
            return self.moment(value)
        if key in PEOPLE and isinstance(value, int):
            return self.person(value)
        if key in ("category_id", "category_ids"):
            return self.each(value, lambda v: self.categories.get(v, str(v)))
        if key in ("languages", "language"):
            return self.each(value, language_label)
        if key == "levels" and isinstance(value, list):
            return "; ".join(f"{self.number(lv.get('score'))}: {localized(lv.get('text') or {}, self.locale)}"
                             for lv in value if isinstance(lv, dict))
        if key in VALUES:
            table = VALUES[key]
            return self.each(value, lambda v: str(table.get(v, v)))
        return self.plain(value)

    def person(self, user_id: int) -> str:
        if user_id not in self.people:
            name = db.session.scalar(select(User.full_name).where(User.id == user_id))
            self.people[user_id] = f"{name} ({user_id})" if name else str(user_id)
        return self.people[user_id]

    def each(self, value, name) -> str:
        values = value if isinstance(value, list) else [value]
        return ", ".join(name(v) for v in values)

    def plain(self, value) -> str:
        if isinstance(value, bool):
            return gettext("yes") if value else gettext("no")
        if isinstance(value, int | float):
            return self.number(value)
        if isinstance(value, list):
            return ", ".join(self.plain(v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{k}: {self.plain(v)}" for k, v in value.items())
        return str(value)

    def number(self, value) -> str:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return str(value)
        return format_decimal(value, format="0.####", locale=self.locale)

    def moment(self, text: str) -> str:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        return format_datetime(moment, "d MMMM y, HH:mm", tzinfo=self.zone, locale=self.locale)


def readable_changes(event, changes, formatter: ValueFormatter) -> list[ReadableChange]:
    """The event's changed keys (audit_log.changes) with labels and readable values."""
    return [ReadableChange(c.key, field_label(c.key, event.action), formatter(c.key, c.raw_before),
                           formatter(c.key, c.raw_after))
            for c in changes(event.old, event.new)]
