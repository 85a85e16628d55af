"""Forms of the rounds page: they check shape; the services check the rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectMultipleField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from contest.forms_common import choices


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RoundSetupForm(FlaskForm):
    mode = RadioField(_l("How the final round assigns jurors"), default="panel", choices=choices([
        ("panel", _l("Full panel: every juror of the round reads every finalist of their categories")),
        ("k", _l("A number of reviews per finalist, loads balanced"))]), validators=[InputRequired()])
    reviews_per_entry = IntegerField(_l("Reviews per finalist"), validators=[Optional(), NumberRange(1, 20)])
    juror_ids = CheckboxList(_l("Final jury"), coerce=int, validate_choice=False)
    previous_weight = IntegerField(_l("Weight of the first round in the final score, %"), default=0,
                                   validators=[InputRequired(), NumberRange(0, 99)])


class CloseRoundForm(FlaskForm):
    reason = TextAreaField(_l("Reason (needed when reviews are unfinished)"),
                           validators=[Optional(), Length(max=1000)])


class ReopenRoundForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class ShortlistRuleForm(FlaskForm):
    kind = SelectField(_l("Rule"), choices=choices([
        ("top_n", _l("The top N of each category")), ("top_pct", _l("The top per cent of each category")),
        ("min_score", _l("Every entry scoring at least"))]), validators=[InputRequired()])
    value = StringField(_l("Value"), validators=[DataRequired(), Length(max=20)])

    def number(self) -> float | None:
        try:
            return float(self.value.data.strip().replace(",", "."))
        except ValueError:
            return None


class OverrideForm(FlaskForm):
    entry_id = HiddenField(validators=[DataRequired()])
    selected = HiddenField(validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class ConfirmShortlistForm(FlaskForm):
    notify = BooleanField(_l("Tell the students by e-mail, each in their language"))


class RubricForm(FlaskForm):
    """The final round's own rubric, one criterion a line: "name | maximum score | weight"
    (scores from 0 in steps of 1); empty: the first round's rubric."""

    lines = TextAreaField(_l("One criterion a line: name | maximum score | weight"),
                          validators=[Optional(), Length(max=5000)])

    def criteria(self, lang: str) -> list[dict] | None:
        """The parsed criteria, or None when a line is malformed."""
        out = []
        for line in (self.lines.data or "").splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            try:
                name = parts[0]
                top, weight = (float(x.replace(",", ".")) for x in parts[1:3])
            except (IndexError, ValueError):
                return None
            if not name or len(name) > 200 or not 1 <= top <= 1000 or not 0 < weight <= 100:
                return None
            out.append({"name": {lang: name}, "min_score": 0, "max_score": top, "step": 1, "weight": weight})
        return out
