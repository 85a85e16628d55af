"""Coordinator forms: they check shape only; services check the rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional

from contest.accounts.forms import GRADE_CHOICES
from contest.forms_common import LANGUAGE_CHOICES, password_rules, region_choices, school_suggestions
from contest.submissions.forms import ReplaceForm, SubmitForm


class CoordinatorRegistrationForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), *password_rules()])
    region = SelectField(_l("Region or city"), validators=[DataRequired()], validate_choice=False)
    school = StringField(_l("School, college or university"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()
        self.school.render_kw = school_suggestions()


class PupilForm(FlaskForm):
    full_name = StringField(_l("Pupil's full name"), validators=[DataRequired(), Length(max=200)])
    grade = SelectField(_l("Grade or level"), choices=GRADE_CHOICES)
    language = SelectField(_l("Pupil's language"), choices=LANGUAGE_CHOICES)
    contact_email = EmailField(_l("Pupil's e-mail (optional)"),
                               validators=[Optional(), Email(), Length(max=254)])
    is_minor = BooleanField(_l("The pupil is under 18"), default=True)
    guardian_consent = BooleanField(_l("A parent or guardian agreed to the pupil taking part"))
    guardian_name = StringField(_l("Name of the parent or guardian who agreed"),
                                validators=[Optional(), Length(max=200)])
    publish_consent = BooleanField(_l("The pupil's name and school may be shown if they win"))
    email_consent = BooleanField(_l("The contest may e-mail the pupil at their own address"))


class PupilSubmitForm(SubmitForm):
    """The student's form; the supervisor defaults to the coordinator (printed on documents)."""

    supervisor = StringField(_l("Supervisor printed on the documents (empty: you)"),
                             validators=[Optional(), Length(max=200)])


class PupilReplaceForm(ReplaceForm):
    pass


class ClaimForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), *password_rules()])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[EqualTo("password", message=_l("The passwords differ."))])
    publish_consent = BooleanField(_l("My name and school may be shown if I win"))
    email_consent = BooleanField(_l("The contest may e-mail me at this address"), default=True)


class ConsentForm(FlaskForm):
    publish_consent = BooleanField(_l("My name and school may be shown if I win"))
    email_consent = BooleanField(_l("The contest may e-mail me at this address"))


class LimitsForm(FlaskForm):
    max_pupils = IntegerField(_l("Pupils one coordinator may enter"),
                              validators=[DataRequired(), NumberRange(min=1, max=10_000)])
    max_entries = IntegerField(_l("Entries one coordinator may submit"),
                               validators=[DataRequired(), NumberRange(min=1, max=10_000)])
