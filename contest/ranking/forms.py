"""Ranking forms: shape only; the services check business rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, RadioField, SelectField
from wtforms.fields import DecimalField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from contest.forms_common import choices

METHOD_CHOICES = choices([
    ("severity", _l("Severity-adjusted (recommended)")),
    ("severity_full", _l("Severity-adjusted, full correction")),
    ("zscore", _l("Per-juror standardized (z-scores)")),
    ("mean", _l("Plain mean")),
])
BRIDGING_CHOICES = choices([
    ("jurors", _l("Jurors are equally severe on average in every part")),
    ("entries", _l("Entries are equally good on average in every part")),
])
RULE_CHOICES = choices([
    ("", _l("— no rule —")),
    ("criterion", _l("Higher score on a criterion")),
    ("fewer_low_marks", _l("Fewer review totals below a threshold")),
])


class MethodForm(FlaskForm):
    """Which method and bridging to show (GET) or save (POST)."""

    method = RadioField(_l("Method"), choices=METHOD_CHOICES, default="severity")
    bridging = RadioField(_l("When the design splits into parts"), choices=BRIDGING_CHOICES,
                          default="jurors")


class PreviewForm(MethodForm):
    class Meta:
        csrf = False  # a GET form that changes nothing


class TiebreakRow(Form):
    rule = SelectField(_l("Rule"), choices=RULE_CHOICES, default="")
    criterion = SelectField(_l("Criterion"), coerce=int, choices=[], validate_choice=False)
    threshold = DecimalField(_l("Threshold (0–100)"), places=None,
                             validators=[Optional(), NumberRange(0, 100)])

    def validate_rule(self, field):
        # Here, not on threshold: Optional() stops that field's chain when it is empty.
        if field.data == "fewer_low_marks" and self.threshold.data is None:
            raise ValidationError(_l("Give the threshold for low marks."))


class RulesForm(FlaskForm):
    tiebreaks = FieldList(FormField(TiebreakRow), min_entries=3, max_entries=5)
    disagreement_threshold = DecimalField(
        _l("Flag an entry when its review totals, each less its juror's estimated severity, "
           "differ by more than (points of 100)"),
        places=None, validators=[InputRequired(), NumberRange(0, 100)])
    rank_by_topic = BooleanField(_l("Rank each topic separately within a category"))

    def set_criteria(self, criteria: list[tuple[int, str]]) -> None:
        for row in self.tiebreaks:
            row.criterion.choices = choices([(str(cid), name) for cid, name in criteria])

    def chain(self) -> list[tuple[str, float | int]]:
        """The rules filled in, in order."""
        out: list[tuple[str, float | int]] = []
        for row in self.tiebreaks:
            if row.rule.data == "criterion":
                out.append(("criterion", row.criterion.data))
            elif row.rule.data == "fewer_low_marks":
                out.append(("fewer_low_marks", float(row.threshold.data)))
        return out
