"""Award forms: shape only; the services check the rules."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length


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
