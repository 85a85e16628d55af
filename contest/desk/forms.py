"""Desk forms: the registry's filters (a GET form) and the team form. They check shape only."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from contest.accounts.forms import GRADE_CHOICES
from contest.contests.models import ContestRole
from contest.contests.roles import ROLE_LABELS
from contest.desk.audit_log import AuditFilters
from contest.desk.labels import REVIEW_FILTERS, STATUS_LABELS, audit_action, audit_object
from contest.desk.registry import SORTS, Filters
from contest.forms_common import choices
from contest.submissions.flags import EXPLANATIONS, LANGUAGE_LABELS

ANY = ("", _l("Any"))
ANY_CHOICE = choices([ANY])[0]


MAX_TEXT = 100  # the registry's text filters (contest/desk/registry_rows.py writes their inputs)

# The registry's fields in the order of its filter bar: (name, label). Text fields first.
REGISTRY_TEXT = (("q", _l("Search by name, code, school or e-mail")), ("school", _l("School")),
                 ("coordinator", _l("School coordinator")))
REGISTRY_SELECTS = (("status", _l("Status")), ("category_id", _l("Category")), ("topic_id", _l("Topic")),
                    ("language", _l("Language")), ("region", _l("Region")), ("grade", _l("Grade")),
                    ("flag", _l("Flag")), ("reviews", _l("Reviews")), ("award", _l("Award")))
_PAGES = range(1, 100_001)
_FIXED_CHOICES: dict[str, dict[str, list[SelectChoice]]] = {}


@dataclass(frozen=True)
class RegistryQuery:
    """The registry's query string, read without building a form (it is a hot page): the
    filters that apply, what was typed (shown again as typed), the text filters too long to
    apply, and each select's choices."""

    filters: Filters
    typed: dict[str, str]
    too_long: frozenset[str]
    choices: dict[str, list[SelectChoice]]


def registry_choices(*, categories, topics, regions, tiers, flag_title, lang: str) -> dict[str, list]:
    """Each select's choices; those that depend only on the language (statuses, languages,
    regions, grades, flags, reviews) are built once per process and language."""
    fixed = _FIXED_CHOICES.get(lang)
    if fixed is None:
        fixed = _FIXED_CHOICES[lang] = {
            "status": choices([ANY, *STATUS_LABELS.items()]),
            "language": choices([ANY, *LANGUAGE_LABELS.items()]),
            "region": choices([ANY, *regions]),
            "grade": [ANY_CHOICE, *GRADE_CHOICES],
            "flag": choices([ANY, ("any", _l("Any flag")),
                             *[(code, flag_title({"code": code})) for code in EXPLANATIONS]]),
            "reviews": choices([ANY, *REVIEW_FILTERS.items()]),
        }
    return {**fixed,
            "category_id": choices([ANY, *[(str(i), label) for i, label in categories]]),
            "topic_id": choices([ANY, *[(str(i), label) for i, label in topics]]),
            "award": choices([ANY, ("any", _l("Any award")), ("none", _l("No award")),
                              *[(str(i), label) for i, label in tiers]])}


def read_registry(args, select_choices: dict[str, list]) -> RegistryQuery:
    """The valid filters of a registry query string: an invalid value (not one of a select's
    choices, a text longer than MAX_TEXT, a page out of range) is ignored rather than refused,
    as a view should; what was typed is kept to show it again."""
    typed = {name: args.get(name, "") for name, _label in (*REGISTRY_TEXT, *REGISTRY_SELECTS)}
    too_long = frozenset(name for name, _label in REGISTRY_TEXT if len(typed[name]) > MAX_TEXT)
    text = {name: "" if name in too_long else typed[name] for name, _label in REGISTRY_TEXT}
    picked = {name: typed[name] if any(c.value == typed[name] for c in select_choices[name]) else ""
              for name, _label in REGISTRY_SELECTS}
    sort = args.get("sort", "code")
    page = args.get("page", "").strip()
    return RegistryQuery(
        Filters(q=text["q"], school=text["school"], coordinator=text["coordinator"],
                status=picked["status"], language=picked["language"], region=picked["region"],
                grade=picked["grade"], flag=picked["flag"], reviews=picked["reviews"], award=picked["award"],
                category_id=int(picked["category_id"]) if picked["category_id"].isdigit() else None,
                topic_id=int(picked["topic_id"]) if picked["topic_id"].isdigit() else None,
                sort=sort if sort in SORTS else "code",
                desc=args.get("desc", "") not in ("", "false"),  # as WTForms' BooleanField reads it
                page=int(page) if page.isdigit() and int(page) in _PAGES else 1),
        typed, too_long, select_choices)


class TeamForm(FlaskForm):
    user_id = SelectField(_l("Organizer"), coerce=int, validators=[InputRequired()])
    role = SelectField(_l("Role"), choices=choices((r.value, ROLE_LABELS[r]) for r in ContestRole),
                       validators=[InputRequired()])


class AuditForm(Form):
    """Filters of the audit-log viewer, read from the query string."""

    actor_id = SelectField(_l("Person"), default="")
    action = SelectField(_l("Action"), default="")
    object_type = SelectField(_l("Object"), default="")
    object_id = StringField(_l("Object number"), validators=[Optional(), Length(max=64)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)], default=1)

    def set_choices(self, found: dict) -> None:
        self.actor_id.choices = choices([ANY, *[(str(i), name) for i, name in found["actors"]]])
        self.action.choices = choices([ANY, *sorted(((a, audit_action(a)) for a in found["actions"]),
                                                    key=lambda c: c[1].casefold())])
        self.object_type.choices = choices([ANY, *[(t, audit_object(t)) for t in found["types"]]])

    def filters(self) -> AuditFilters:
        self.validate()

        def ok(name):
            field = getattr(self, name)
            return None if field.errors else field.data

        actor = ok("actor_id")
        return AuditFilters(actor_id=int(actor) if actor and actor.isdigit() else None,
                            action=ok("action") or "", object_type=ok("object_type") or "",
                            object_id=ok("object_id") or "", since=ok("since"), until=ok("until"),
                            page=ok("page") or 1)
