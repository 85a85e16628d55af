"""Limits as written and messages that say what happened: the size limit, empty and
macro files, and fair use of the worker (replacements per hour, worker time per student)."""
import pytest

from contest.extensions import db
from tests.extraction import hostile
from tests.submissions.helpers import entries, post_replace, post_upload, run_extraction, versions

pytestmark = pytest.mark.postgres
MB = 1024 * 1024


def _pdf_of_size(size: int) -> bytes:
    head = hostile.essay_pdf("en")
    return head + b"%" * (size - len(head))  # a comment after %%EOF: still the same PDF


def test_file_of_exactly_the_largest_contest_limit_is_accepted(app, client, contest, student):
    contest.max_file_mb = 25
    db.session.commit()
    response = post_upload(client, contest, "essay.pdf", _pdf_of_size(25 * MB))
    assert response.status_code == 302
    assert [v.size for v in versions()] == [25 * MB]


def test_one_byte_over_the_limit_is_refused_with_the_limit_named(app, client, contest, student):
    response = post_upload(client, contest, "essay.pdf", _pdf_of_size(MB + 1))
    assert response.status_code == 400
    assert "The file is larger than 1 MB." in response.data.decode()
    assert versions() == []


def test_whitespace_only_txt_is_refused_as_empty(app, client, contest, student):
    response = post_upload(client, contest, "essay.txt", b"  \r\n\t\r\n   ")
    assert response.status_code == 400
    page = response.data.decode()
    assert "The file is empty." in page and "scan" not in page
    assert versions() == []


def test_macro_document_renamed_docx_gets_its_own_message(app, client, contest, student):
    response = post_upload(client, contest, "essay.docx", hostile.macro_docx())
    assert response.status_code == 400
    page = response.data.decode()
    assert "macro-enabled Word document (.docm)" in page and "damaged" not in page
    assert versions() == []


class TestFairUse:
    @pytest.fixture
    def app_config(self):
        return {"REPLACEMENTS_PER_HOUR": 2, "WORKER_SECONDS_PER_STUDENT": 600}

    def test_replacements_per_hour_are_limited_with_a_clear_message(self, app, client, contest, student):
        post_upload(client, contest, "v1.txt", (hostile.SAMPLES["en"] * 2).encode())
        [entry] = entries()
        for n in (2, 3):
            data = f"{n} {hostile.SAMPLES['en']}".encode()
            assert post_replace(client, entry, f"v{n}.txt", data).status_code == 302
        response = post_replace(client, entry, "v4.txt", b"four " * 30)
        assert response.status_code == 400
        assert "You have replaced your essay 2 times in the last hour. You can upload again in 60 minutes." \
            in response.data.decode()
        assert len(versions()) == 3


class TestWorkerTimeCap:
    @pytest.fixture
    def app_config(self):
        return {"WORKER_SECONDS_PER_STUDENT": 0.5}

    def test_worker_time_per_student_and_contest_is_capped(self, app, client, contest, student):
        contest.max_pages, contest.max_words = 200, 0
        contest.max_file_mb = 5
        db.session.commit()
        post_upload(client, contest, "long.pdf", hostile.essay_pdf("en", 100))
        [entry] = entries()
        version = run_extraction(entry.current_version_id)
        assert version.extraction_seconds >= 0.5  # 100 pages really read
        response = post_replace(client, entry, "again.pdf", hostile.essay_pdf("en"))
        assert response.status_code == 400
        assert "used up the reading time allowed for one participant" in response.data.decode()
        assert [v.number for v in versions()] == [1]
