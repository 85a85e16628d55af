"""Desk forms: the registry's filters (a GET form) and the team form. They check shape only."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, Form, IntegerField, SelectField, StringField
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


_FIXED_CHOICES: dict[str, tuple[list, list]] = {}


MAX_TEXT = 100  # the registry's text filters (contest/desk/registry_rows.py writes their inputs)


class RegistryForm(Form):
    """Filters, search, sort and page of the entries registry, read from the query string."""

    q = StringField(_l("Search by name, code, school or e-mail"), validators=[Optional(), Length(max=MAX_TEXT)])
    status = SelectField(_l("Status"), choices=choices([ANY, *STATUS_LABELS.items()]), default="")
    category_id = SelectField(_l("Category"), coerce=str, default="")
    topic_id = SelectField(_l("Topic"), coerce=str, default="")
    language = SelectField(_l("Language"), choices=choices([ANY, *LANGUAGE_LABELS.items()]), default="")
    region = SelectField(_l("Region"), default="")
    school = StringField(_l("School"), validators=[Optional(), Length(max=MAX_TEXT)])
    coordinator = StringField(_l("School coordinator"), validators=[Optional(), Length(max=MAX_TEXT)])
    grade = SelectField(_l("Grade"), choices=[ANY_CHOICE, *GRADE_CHOICES], default="")
    flag = SelectField(_l("Flag"), default="")
    reviews = SelectField(_l("Reviews"), choices=choices([ANY, *REVIEW_FILTERS.items()]), default="")
    award = SelectField(_l("Award"), default="")
    sort = SelectField(_l("Sort by"), choices=choices((s, s) for s in SORTS), default="code")
    desc = BooleanField(_l("Descending"))
    page = IntegerField(validators=[Optional(), NumberRange(min=1, max=100000)], default=1)

    def set_choices(self, *, categories, topics, regions, tiers, flag_title, lang: str = "") -> None:
        """`lang` given: the choices that depend only on the language (regions, flags) are
        built once per process and language (read only: WTForms does not change them)."""
        self.category_id.choices = choices([ANY, *[(str(i), label) for i, label in categories]])
        self.topic_id.choices = choices([ANY, *[(str(i), label) for i, label in topics]])
        fixed = _FIXED_CHOICES.get(lang) if lang else None
        if fixed is None:
            fixed = (choices([ANY, *regions]),
                     choices([ANY, ("any", _l("Any flag")),
                              *[(code, flag_title({"code": code})) for code in EXPLANATIONS]]))
            if lang:
                _FIXED_CHOICES[lang] = fixed
        self.region.choices, self.flag.choices = fixed
        self.award.choices = choices([ANY, ("any", _l("Any award")), ("none", _l("No award")),
                                      *[(str(i), label) for i, label in tiers]])

    def filters(self) -> Filters:
        """The valid filters (an invalid field is ignored rather than refused: it is a view)."""
        self.validate()

        def ok(name):
            return getattr(self, name).data if not getattr(self, name).errors else None

        def int_or_none(name):
            value = ok(name)
            return int(value) if value and str(value).isdigit() else None

        return Filters(q=ok("q") or "", status=ok("status") or "", category_id=int_or_none("category_id"),
                       topic_id=int_or_none("topic_id"), language=ok("language") or "",
                       region=ok("region") or "", school=ok("school") or "", grade=ok("grade") or "",
                       coordinator=ok("coordinator") or "",
                       flag=ok("flag") or "", reviews=ok("reviews") or "", award=ok("award") or "",
                       sort=ok("sort") or "code", desc=bool(ok("desc")), page=ok("page") or 1)


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
