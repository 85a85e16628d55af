"""Forms for organizer-entered entries and the pupil's claim (shape only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from contest.contests.models import Contest, localized
from contest.forms_common import LANGUAGE_CHOICES, choices, region_choices
from contest.submissions.forms import _UploadFields


class PaperEntryForm(_UploadFields):
    full_name = StringField(_l("Pupil's full name"), validators=[DataRequired(), Length(max=200)])
    school = StringField(_l("School"), validators=[DataRequired(), Length(max=200)])
    region = SelectField(_l("Region or city"), validators=[DataRequired()], validate_choice=False)
    grade = StringField(_l("Grade"), validators=[DataRequired(), Length(max=50)])
    language = SelectField(_l("Pupil's language"), choices=LANGUAGE_CHOICES, validators=[DataRequired()])
    contact = StringField(_l("Contact (optional): e-mail or phone"), validators=[Optional(), Length(max=254)])
    channel = SelectField(_l("Received"),
                          choices=choices([("paper", _l("on paper")), ("email", _l("by e-mail"))]))
    topic = SelectField(_l("Topic"), coerce=int, validators=[DataRequired()])
    category = SelectField(_l("Category"), coerce=int, validators=[DataRequired()])

    def fill_choices(self, contest: Contest, lang: str) -> None:
        self.region.choices = region_choices()
        self.topic.choices = [(t.id, localized(t.title, lang)) for t in contest.topics]
        self.category.choices = [(c.id, localized(c.name, lang)) for c in contest.categories]


class ClaimForm(FlaskForm):
    code = StringField(_l("Entry code"), validators=[DataRequired(), Length(max=32)])
    key = StringField(_l("Claim key"), validators=[DataRequired(), Length(max=32)])
