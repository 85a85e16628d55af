"""The transcription editor: the text and the entry's state_version when the page was opened."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput


class TranscriptionForm(FlaskForm):
    text = TextAreaField(_l("The essay's text"), validators=[DataRequired(), Length(max=200_000)])
    state_version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
