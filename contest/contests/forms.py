"""Contest editor forms: they check shape (types, lengths); services check the rules.

Texts in several languages are fields named `<prefix>_kk`, `<prefix>_ru`, `<prefix>_en`;
`texts(prefix)` collects them and `fill_texts(prefix, mapping)` fills them.
"""
from __future__ import annotations

import re
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from contest.contests.services import LANGS, ContestSettings
from contest.forms_common import LANGUAGE_CHOICES, choices, region_choices, school_suggestions

TIMEZONES = ("Asia/Almaty", "Asia/Qostanay", "Asia/Aqtobe", "Asia/Aqtau", "Asia/Atyrau", "Asia/Oral",
             "Asia/Qyzylorda", "Asia/Tashkent", "Asia/Bishkek", "Europe/Moscow", "UTC")
FORMAT_CHOICES = choices([("pdf", "PDF"), ("docx", "DOCX"), ("txt", "TXT"), ("text", _l("Pasted text")),
                          ("image", _l("Photos or scans (JPEG, PNG, HEIC)"))])
LEVEL_LINE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[:=—–-]\s*(.+)$")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TextsForm(FlaskForm):
    def texts(self, prefix: str) -> dict[str, str]:
        return {code: self[f"{prefix}_{code}"].data or "" for code in LANGS}

    def fill_texts(self, prefix: str, texts: dict[str, str]) -> None:
        for code in LANGS:
            self[f"{prefix}_{code}"].data = (texts or {}).get(code, "")


def add_texts(form_cls, prefix: str, label, *, area: bool = False, max_length: int = 300) -> None:
    """Add one optional field per language (kk, ru, en) to a form class."""
    for code in LANGS:
        field_cls = TextAreaField if area else StringField
        validators = [Optional(), Length(max=max_length)]
        unbound = field_cls(label, validators=validators, render_kw={"lang": code})
        setattr(form_cls, f"{prefix}_{code}", unbound)


def _int(label, **kw):
    return IntegerField(label, validators=[InputRequired()], **kw)


class ContestForm(TextsForm):
    code_prefix = StringField(_l("Receipt code prefix"), validators=[InputRequired(), Length(max=8)])
    year = _int(_l("Year"))
    timezone = SelectField(_l("Time zone of the window"), choices=choices((tz, tz) for tz in TIMEZONES))
    opens_at = DateTimeLocalField(_l("Submissions open"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Submissions close (deadline)"), format="%Y-%m-%dT%H:%M",
                                   validators=[Optional()])
    judging_ends_at = DateTimeLocalField(_l("Judging ends (deadline for jurors)"), format="%Y-%m-%dT%H:%M",
                                         validators=[Optional()])
    reminder_days = StringField(_l("Remind jurors this many days before (e.g. 3, 1)"),
                                validators=[Optional(), Length(max=40)])
    formats = MultiCheckboxField(_l("Accepted formats"), choices=FORMAT_CHOICES)
    max_file_mb = _int(_l("Largest file (MB)"))
    max_pages = _int(_l("Most pages"))
    min_words = _int(_l("Fewest words"))
    max_words = _int(_l("Most words (0: no limit)"))
    soft_margin_pct = _int(_l("Soft margin over the maximum (%)"))
    languages = MultiCheckboxField(_l("Accepted essay languages"), choices=LANGUAGE_CHOICES)
    entries_per_student = _int(_l("Entries per student"))
    reviews_per_entry = _int(_l("Reviews per essay (k)"))
    blind = BooleanField(_l("Blind judging: jurors never see authors' names"))
    jurors_may_open_files = BooleanField(_l("Jurors may open the original file"))
    blind_reason = StringField(_l("Reason for turning blind judging off"),
                               validators=[Optional(), Length(max=500)])
    same_region_conflict = BooleanField(_l("A juror from the author's region has a conflict of interest"))
    show_rubric = BooleanField(_l("Show the rubric on the public contest page"))
    share_feedback = BooleanField(_l("Share jurors' feedback with students"))

    def validate_timezone(self, field):
        if field.data not in available_timezones():
            raise ValidationError(_l("Choose a time zone from the list."))

    def validate_reminder_days(self, field):
        try:
            self.parsed_reminder_days()
        except ValueError:
            raise ValidationError(_l("Give whole numbers of days separated by commas, e.g. 3, 1.")) from None

    def parsed_reminder_days(self) -> list[int]:
        """ "3, 1" -> [3, 1]; a form posted without the field keeps the contest's list."""
        data = self.reminder_days.data
        if isinstance(data, list | tuple):
            return [int(d) for d in data]
        return [int(part) for part in (data or "").replace(";", ",").split(",") if part.strip()]

    def settings(self) -> ContestSettings:
        data = {name: self[name].data for name in (
            "year", "timezone", "formats", "max_file_mb", "max_pages", "min_words", "max_words",
            "soft_margin_pct", "languages", "entries_per_student", "reviews_per_entry", "blind",
            "jurors_may_open_files", "same_region_conflict", "show_rubric", "share_feedback")}
        return ContestSettings(title=self.texts("title"), description=self.texts("description"),
                               rules=self.texts("rules"), code_prefix=self.code_prefix.data.strip(),
                               opens_local=self.opens_at.data, closes_local=self.closes_at.data,
                               judging_ends_local=self.judging_ends_at.data,
                               reminder_days=self.parsed_reminder_days(),
                               blind_reason=self.blind_reason.data or "", **data)


add_texts(ContestForm, "title", _l("Title"))
add_texts(ContestForm, "description", _l("Description"), area=True, max_length=10000)
add_texts(ContestForm, "rules", _l("Rules"), area=True, max_length=10000)


class TopicForm(TextsForm):
    def payload(self) -> dict:
        return {"title": self.texts("title")}


add_texts(TopicForm, "title", _l("Topic"))


class CategoryForm(TextsForm):
    def payload(self) -> dict:
        return {"name": self.texts("name")}


add_texts(CategoryForm, "name", _l("Category (e.g. grades 9–11)"))


def parse_levels(lines_by_lang: dict[str, str]) -> list[dict]:
    """Level descriptors typed one per line as "5: text" in each language, merged by score."""
    levels: dict[float, dict[str, str]] = {}
    for code, lines in lines_by_lang.items():
        for line in (lines or "").splitlines():
            if not line.strip():
                continue
            match = LEVEL_LINE.match(line)
            if match is None:
                raise ValueError(line.strip())
            score = float(match.group(1).replace(",", "."))
            levels.setdefault(score, {})[code] = match.group(2).strip()
    return [{"score": score, "text": texts} for score, texts in levels.items()]


def format_levels(levels: list[dict], code: str) -> str:
    return "\n".join(f"{lv['score']:g}: {lv['text'][code]}" for lv in levels if lv["text"].get(code))


class CriterionForm(TextsForm):
    min_score = FloatField(_l("Lowest score"), validators=[InputRequired()], default=0)
    max_score = FloatField(_l("Highest score"), validators=[InputRequired()], default=10)
    step = FloatField(_l("Step"), validators=[InputRequired()], default=1)
    weight = FloatField(_l("Weight"), validators=[InputRequired()], default=1)

    def validate_levels_kk(self, _field):
        try:
            parse_levels(self.texts("levels"))
        except ValueError as exc:
            raise ValidationError(_l("Write each level as “score: text”; this line is not: %(line)s",
                                     line=str(exc)[:80])) from None

    def payload(self) -> dict:
        return {"name": self.texts("name"), "description": self.texts("description"),
                "min_score": self.min_score.data, "max_score": self.max_score.data,
                "step": self.step.data, "weight": self.weight.data,
                "levels": parse_levels(self.texts("levels"))}

    def fill(self, criterion) -> None:
        for code in LANGS:
            self[f"levels_{code}"].data = format_levels(criterion.levels, code)


add_texts(CriterionForm, "name", _l("Criterion"))
add_texts(CriterionForm, "description", _l("What the juror looks for"), area=True, max_length=2000)
add_texts(CriterionForm, "levels",
          _l("Level descriptors, one per line: “5: original and well supported”"), area=True, max_length=5000)


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class AwardTierForm(TextsForm):
    category_id = SelectField(_l("Category"), coerce=_optional_int)
    rule = SelectField(_l("Rule"), choices=choices([
        ("count", _l("The top N entries")), ("threshold", _l("Every entry from a minimum score")),
        ("participation", _l("Participation certificate for everyone else"))]))
    count = IntegerField(_l("N (how many entries)"), validators=[Optional()])
    min_score = FloatField(_l("Minimum score"), validators=[Optional()])

    def set_categories(self, contest, lang: str) -> None:
        from contest.contests.models import localized

        self.category_id.choices = choices([(None, _l("Every category"))] + [
            (c.id, localized(c.name, lang)) for c in contest.categories])

    def payload(self) -> dict:
        return {"name": self.texts("name"), "rule": self.rule.data, "category_id": self.category_id.data,
                "count": self.count.data, "min_score": self.min_score.data,
                "document_title": self.texts("document_title")}


add_texts(AwardTierForm, "name", _l("Award name (e.g. 1st degree diploma)"))
add_texts(AwardTierForm, "document_title",
          _l("Title of the printed document (e.g. Diploma, Honorary certificate; empty: Diploma)"))


class SignatoryForm(TextsForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])

    def payload(self) -> dict:
        return {"name": self.name.data, "title": self.texts("title"), "names": self.texts("names")}


add_texts(SignatoryForm, "names", _l("Name as spelt in this language (empty: as above)"), max_length=200)
add_texts(SignatoryForm, "title", _l("Position (e.g. Director)"), max_length=200)


class DiplomaForm(TextsForm):
    logo = FileField(_l("Logo (PNG or JPEG, at most 512 KB)"))
    remove_logo = BooleanField(_l("Remove the current logo"))


add_texts(DiplomaForm, "issuer", _l("Issuer (printed on diplomas)"), max_length=300)


class PhaseForm(FlaskForm):
    target = HiddenField(validators=[InputRequired()])
    force = BooleanField(_l("Force this change"))
    reason = TextAreaField(_l("Reason (kept in the audit log)"), validators=[Optional(), Length(max=1000)])


class UnlockForm(FlaskForm):
    reason = TextAreaField(_l("Why must the rubric change? (kept in the audit log)"),
                           validators=[InputRequired(), Length(max=1000)])


class JuryForm(FlaskForm):
    user_id = SelectField(_l("Juror"), coerce=int)
    category_ids = MultiCheckboxField(_l("Categories judged"), coerce=int)
    capacity = IntegerField(_l("Capacity (most essays; empty: the juror's default)"), validators=[Optional()])


class JurorProfileForm(FlaskForm):
    languages = MultiCheckboxField(_l("Languages the juror reads"), choices=LANGUAGE_CHOICES)
    school = StringField(_l("School or organization"), validators=[Optional(), Length(max=200)])
    region = SelectField(_l("Region or city"), validators=[Optional()], validate_choice=False)
    capacity = IntegerField(_l("Default capacity (most essays per contest; empty: no limit)"),
                            validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices(_l("Not given"))
        self.school.render_kw = school_suggestions()


def attach_errors(form: FlaskForm, exc) -> bool:
    """Show a service's refusal on the form's fields; False if no field could take it."""
    errors = getattr(exc, "errors", None) or {exc.field: exc.message}
    placed = False
    for name, message in errors.items():
        if name and name in form:
            form[name].errors = [*form[name].errors, str(message)]
            placed = True
    return placed
