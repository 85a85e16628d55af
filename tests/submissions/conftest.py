"""Fixtures for submissions: an open contest accepting every format and a signed-in student."""
from __future__ import annotations

import pytest

from contest.enums import Role
from contest.jobs.queue import get_queue
from tests import factories


@pytest.fixture
def contest(app):
    return factories.make_contest(formats=["pdf", "docx", "txt", "text"], max_file_mb=1, min_words=20,
                                  max_words=2000, soft_margin_pct=10, languages=["kk", "ru", "en"],
                                  entries_per_student=1, blind=True, jurors_may_open_files=True)


@pytest.fixture
def student(app, client, auth):
    user = factories.make_user(Role.STUDENT, full_name="Айгерім Сапарова",
                               school="Алматы қаласының №12 мектебі",
                               language="en")
    auth.login(user)
    return user


@pytest.fixture
def queue(app):
    return get_queue()


@pytest.fixture(autouse=True)
def _empty_uploads(app):
    """Each test starts with an empty upload folder (the instance folder is shared)."""
    import shutil
    from pathlib import Path

    shutil.rmtree(Path(app.config["UPLOAD_FOLDER"]), ignore_errors=True)
    yield
