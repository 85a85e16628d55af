"""Account forms: they check shape only; services check the rules."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from contest.forms_common import LANGUAGE_CHOICES, choices, password_rules, region_choices, school_suggestions

GRADE_CHOICES = choices([
    ("5-8", _l("Grades 5–8")), ("9-11", _l("Grades 9–11")), ("college", _l("College")),
    ("university", _l("University")), ("other", _l("Other")),
])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in"))


class RegistrationForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), *password_rules()])
    school = StringField(_l("School, college or university"), validators=[DataRequired(), Length(max=200)])
    grade = SelectField(_l("Grade or level"), choices=GRADE_CHOICES)
    # Not checked against the choices here: the service reads older free text too ("Almaty").
    region = SelectField(_l("Region or city"), validators=[DataRequired()], validate_choice=False)
    language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)
    is_minor = BooleanField(_l("I am under 18"))
    guardian_consent = BooleanField(_l("My parent or guardian agrees to my taking part"))
    publish_name_consent = BooleanField(_l("My name and school may be shown if I win"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = region_choices()
        self.school.render_kw = school_suggestions()


class EmailForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), *password_rules()])
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[EqualTo("password", message=_l("The passwords differ."))])


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])


class AcceptInviteForm(NewPasswordForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES)


class SetupForm(AcceptInviteForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=choices([("juror", _l("Juror")), ("organizer", _l("Organizer"))]))
    language = SelectField(_l("Language of the invitation"), choices=LANGUAGE_CHOICES)
