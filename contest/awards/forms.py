"""Award forms: shape only; the services check the rules."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from contest.contests.forms import TextsForm, add_texts
from contest.forms_common import choices


class OverrideForm(FlaskForm):
    """Choose an entry's award: "proposal", "none" or a tier id (choices set by the view)."""

    entry_id = IntegerField(validators=[InputRequired()])
    choice = SelectField(_l("Award"), validators=[DataRequired()], validate_choice=False)
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Give a reason for this change.")),
                                                   Length(max=1000)])


class PublishForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the revision"), validators=[Length(max=1000)])


class RevokeForm(FlaskForm):
    diploma_id = HiddenField()
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Give a reason for this change.")),
                                                   Length(max=1000)])


class VerifyForm(FlaskForm):
    """The code typed by a visitor; a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    code = StringField(_l("Verification code"), validators=[DataRequired(), Length(max=64)])


class DocumentSettingsForm(TextsForm):
    """The documents issued with the results: language, certificates, letters, the protocol."""

    language = SelectField(_l("Language of the documents"), choices=choices([
        ("own", _l("Each person's own language")), ("kk", _l("Kazakh")), ("ru", _l("Russian")),
        ("en", _l("English")), ("kk+ru", _l("Kazakh and Russian on one document (Kazakh above)"))]))
    participation = SelectField(_l("Participation certificates go to"), choices=choices([
        ("judged", _l("every entry that was judged")),
        ("accepted", _l("every accepted entry, judged or not"))]))
    thank_jurors = BooleanField(_l("Letters of thanks to the jurors (with the number of essays each read)"))
    thank_teachers = BooleanField(_l("Letters of thanks to the supervising teachers"))


add_texts(DocumentSettingsForm, "place", _l("Place of the jury's meeting (printed on the protocol)"),
          max_length=200)
add_texts(DocumentSettingsForm, "chair", _l("Chair of the jury"), max_length=200)
add_texts(DocumentSettingsForm, "secretary", _l("Secretary of the jury"), max_length=200)
