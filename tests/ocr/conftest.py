"""Fixtures for OCR: an open blind contest accepting photos, and a signed-in student."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from contest.enums import Role
from tests import factories


@pytest.fixture
def contest(app):
    return factories.make_contest(formats=["pdf", "docx", "txt", "text", "image"], max_file_mb=2,
                                  min_words=20,
                                  max_words=2000, soft_margin_pct=10, languages=["kk", "ru", "en"],
                                  entries_per_student=10, blind=True, jurors_may_open_files=True)


@pytest.fixture
def student(app, client, auth):
    user = factories.make_user(Role.STUDENT, full_name="Айгерім Сапарова",
                               school="Алматы қаласының №12 мектебі", language="en")
    auth.login(user)
    return user


@pytest.fixture(autouse=True)
def _empty_uploads(app):
    """Each test starts with an empty upload folder (the instance folder is shared)."""
    shutil.rmtree(Path(app.config["UPLOAD_FOLDER"]), ignore_errors=True)
    yield
