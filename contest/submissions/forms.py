"""Submission forms: they check shape only; services check the contest's rules."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from contest.contests.models import Contest, localized
from contest.submissions.services import Upload


class _UploadFields(FlaskForm):
    file = MultipleFileField(_l("Essay file (or photos of its pages, in order)"))
    text = TextAreaField(_l("Or paste your essay"), validators=[Optional(), Length(max=200_000)])
    # A one-time key per rendered form: a double-clicked submit makes one entry.
    submit_key = HiddenField(validators=[DataRequired(), Regexp(r"^[A-Za-z0-9_-]{16,64}$")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.submit_key.data:
            self.submit_key.data = secrets.token_urlsafe(18)

    def upload_parts(self, limit: int) -> tuple[str, bytes]:
        """(file name, bytes) of the first uploaded file, or ("", b"") when none was sent.
        Reads at most `limit + 1` bytes: enough for the service to refuse "one byte over"."""
        files = self.upload_files(limit)
        return files[0] if files else ("", b"")

    def upload_files(self, limit: int) -> list[tuple[str, bytes]]:
        """(file name, bytes) of every file sent, in order (several photos are pages);
        at most `limit + 1` bytes in all are read."""
        out, left = [], limit + 1
        for storage in self.file.data or []:
            if storage is None or not getattr(storage, "filename", ""):
                continue
            data = storage.read(max(0, left))
            left -= len(data)
            out.append((storage.filename, data))
        return out

    def upload(self, limit: int) -> Upload:
        files = self.upload_files(limit)
        filename, data = files[0] if files else ("", b"")
        return Upload(filename=filename, data=data, text="" if filename else (self.text.data or ""),
                      pages=tuple(files[1:]))


class SubmitForm(_UploadFields):
    topic = SelectField(_l("Topic"), coerce=int, validators=[DataRequired()])
    category = SelectField(_l("Category"), coerce=int, validators=[DataRequired()])
    supervisor = StringField(_l("Supervisor (teacher), optional: printed on your diploma"),
                             validators=[Optional(), Length(max=200)])

    def fill_choices(self, contest: Contest, lang: str) -> None:
        self.topic.choices = [(t.id, localized(t.title, lang)) for t in contest.topics]
        self.category.choices = [(c.id, localized(c.name, lang)) for c in contest.categories]


class ReplaceForm(_UploadFields):
    pass


class DecisionForm(FlaskForm):
    """Organizer: accept anyway, ask for a re-upload (message), or reject (reason)."""

    message = TextAreaField(_l("Message to the student"), validators=[Optional(), Length(max=2000)])
