"""Forms of the organizer's redaction pages (shape only; services check the rules)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange


class TermForm(FlaskForm):
    term = StringField(_l("Word or phrase to remove"), validators=[InputRequired(), Length(max=200)])


class RestoreForm(FlaskForm):
    start = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    end = IntegerField(validators=[InputRequired(), NumberRange(min=0)])


class ActionForm(FlaskForm):
    """A button with nothing but the CSRF token (re-run, remove a term)."""
