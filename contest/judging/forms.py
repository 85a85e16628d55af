"""Judging forms: shape only (numbers are numbers, texts have a size); the rubric's ranges,
steps and the rest of the business rules are checked by the services."""
from __future__ import annotations

from functools import lru_cache

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from contest.i18n import wtforms_translations
from contest.judging.services import MAX_COMMENT, ReviewInput


class ReviewForm(FlaskForm):
    """The rubric form; `for_criteria` adds a score and a comment field per criterion."""

    class Meta:
        def get_translations(self, form):
            # WTForms' own messages, loaded once per process and language (Flask-WTF reads
            # the catalogue from disk on every request); this form is posted on every autosave.
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return wtforms_translations()

    version = HiddenField(validators=[InputRequired()])
    private_comment = TextAreaField(_l("Private comment for the organizers"),
                                    validators=[Length(max=MAX_COMMENT)])
    feedback = TextAreaField(_l("Feedback for the student"), validators=[Length(max=MAX_COMMENT)])

    @classmethod
    def for_criteria(cls, criteria, **kwargs) -> ReviewForm:
        form = _rubric_form_class(cls, tuple(c.id for c in criteria))(**kwargs)
        form.criteria = criteria
        return form

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not (self.version.data or "").isdigit():
            self.version.errors = [*self.version.errors, _l("Reload the page.")]
            ok = False
        for c in self.criteria:
            score = self[f"score_{c.id}"]
            if score.data and _number(score.data) is None:
                score.errors = [*score.errors, _l("Enter a number.")]
                ok = False
        return ok

    def to_input(self) -> ReviewInput:
        return ReviewInput(
            base_version=int(self.version.data),
            scores={c.id: _number(self[f"score_{c.id}"].data) for c in self.criteria},
            criterion_comments={c.id: self[f"comment_{c.id}"].data or "" for c in self.criteria},
            private_comment=self.private_comment.data or "", feedback=self.feedback.data or "")

    def field_errors(self) -> dict:
        return {name: [str(e) for e in errors] for name, errors in self.errors.items()}


@lru_cache(maxsize=256)
def _rubric_form_class(base: type[ReviewForm], criterion_ids: tuple[int, ...]) -> type[ReviewForm]:
    """The form class for one rubric, built once per process (building a class per request
    costs more than validating the form)."""
    fields = {}
    for cid in criterion_ids:
        fields[f"score_{cid}"] = StringField(validators=[Optional(), Length(max=20)])
        fields[f"comment_{cid}"] = TextAreaField(validators=[Length(max=MAX_COMMENT)])
    return type("RubricForm", (base,), fields)


def quick_review_input(criteria) -> ReviewInput | None:
    """The posted review as ReviewForm.for_criteria(criteria).to_input() reads it, when that
    form would accept it unchanged, without building the form (an autosave's usual case: the
    form's fields cost more than the rest of its checks); None whenever anything could need a
    message or is not plain form data, and the form checks it and says what. Accepted here
    only: a CSRF token CSRFProtect has checked (or CSRF off), the version in digits, texts
    within the form's Length limits, and scores empty or numbers within 20 characters."""
    if current_app.config.get("WTF_CSRF_ENABLED", True) and not g.get("csrf_valid", False):
        return None
    posted = request.form
    if not posted or request.files:
        return None
    version = posted.get("version")
    if version is None or not version.isdigit():
        return None
    scores, comments = {}, {}
    for c in criteria:
        raw = posted.get(f"score_{c.id}")
        scores[c.id] = _number(raw)
        if raw and (len(raw) > 20 or scores[c.id] is None):
            return None
        comments[c.id] = posted.get(f"comment_{c.id}") or ""
    texts = [posted.get("private_comment") or "", posted.get("feedback") or "", *comments.values()]
    if any(len(text) > MAX_COMMENT for text in texts):
        return None
    return ReviewInput(base_version=int(version), scores=scores, criterion_comments=comments,
                       private_comment=texts[0], feedback=texts[1])


def _number(raw: str | None) -> float | None:
    """A decimal number typed with a dot or a comma (as in kk/ru), else None."""
    if raw is None or not str(raw).strip():
        return None
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


class ConflictForm(FlaskForm):
    reason = TextAreaField(_l("Why you cannot judge this essay fairly"),
                           validators=[DataRequired(), Length(max=1000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class RemoveForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)])
    confirm = BooleanField(_l("Yes, delete this juror's review"))


class AddJurorForm(FlaskForm):
    juror_id = SelectField(_l("Juror"), coerce=int, validate_choice=False, validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (needed to assign an ineligible juror)"),
                           validators=[Optional(), Length(max=1000)])


class PlanForm(FlaskForm):
    fingerprint = HiddenField(validators=[DataRequired(), Length(max=64)])


class FindEntryForm(FlaskForm):
    class Meta:
        csrf = False

    code = StringField(_l("Entry code"), validators=[DataRequired(), Length(max=32)])

