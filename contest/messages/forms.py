"""The message form: audience, category, subject and text in kk/ru/en (shape only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from contest.forms_common import choices
from contest.messages.models import Audience
from contest.messages.services import MAX_BODY, MAX_SUBJECT, Draft

LANGS = ("kk", "ru", "en")
AUDIENCE_LABELS = {
    Audience.STUDENTS: _l("All students of the contest"),
    Audience.CATEGORY: _l("Students of one category"),
    Audience.ATTENTION: _l("Students whose entries need attention"),
    Audience.NO_ENTRY: _l("Registered students without an entry yet"),
    Audience.JURORS: _l("All jurors of the contest"),
    Audience.UNFINISHED: _l("Jurors with unfinished reviews"),
    Audience.WINNERS: _l("Winners (after publication)"),
}


class MessageForm(FlaskForm):
    audience = SelectField(_l("To"),
                           choices=choices((a.value, label) for a, label in AUDIENCE_LABELS.items()))
    category_id = SelectField(_l("Category"), coerce=int, validators=[Optional()], validate_choice=False)

    def draft(self) -> Draft:
        return Draft(audience=Audience(self.audience.data), category_id=self.category_id.data or None,
                     subject={c: self[f"subject_{c}"].data or "" for c in LANGS},
                     body={c: self[f"body_{c}"].data or "" for c in LANGS})


for _code in LANGS:
    setattr(MessageForm, f"subject_{_code}", StringField(
        _l("Subject"), validators=[Optional(), Length(max=MAX_SUBJECT)], render_kw={"lang": _code}))
    setattr(MessageForm, f"body_{_code}", TextAreaField(
        _l("Text"), validators=[Optional(), Length(max=MAX_BODY)], render_kw={"lang": _code, "rows": 6}))
