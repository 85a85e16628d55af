"""Student pages: upload, refusals that store nothing, receipt, replace, withdraw, deadline, access."""
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest.audit.models import AuditEvent
from contest.db import utcnow
from contest.enums import Role
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from contest.submissions.models import EntryStatus
from tests import factories
from tests.extraction import hostile
from tests.submissions.helpers import entries, jobs, post_replace, post_upload, versions

pytestmark = pytest.mark.postgres


def _stored_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(p for p in folder.glob("*") if p.is_file()) if folder.exists() else []


def test_upload_stores_exact_bytes_row_job_and_receipt(app, client, contest, student, queue):
    data = hostile.essay_pdf("en", 2)
    response = post_upload(client, contest, "essay.pdf", data)
    assert response.status_code == 302
    [entry] = entries()
    [version] = versions()
    assert response.headers["Location"] == f"/entries/{entry.id}/receipt/1"
    assert entry.code == "ZT-2026-0001" and entry.status == EntryStatus.RECEIVED
    assert entry.current_version_id == version.id and entry.student_id == student.id
    import hashlib

    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert version.stored_name == f"{version.sha256}.pdf" and version.format == "pdf"
    assert (Path(app.config["UPLOAD_FOLDER"]) / version.stored_name).read_bytes() == data
    assert [j.kwargs for j in jobs()] == [{"version_id": version.id}]
    assert queue.count == 2  # the extraction job and the receipt e-mail, pushed after commit
    mail = db.session.scalar(select(OutgoingEmail))
    assert mail.to == student.email and "ZT-2026-0001" in mail.body and version.sha256 in mail.body
    page = client.get(response.headers["Location"]).data.decode()
    assert "ZT-2026-0001" in page and version.sha256 in page and "UTC" in page
    assert db.session.scalar(select(AuditEvent.action)) == "entry.submitted"


def test_receipt_codes_count_up_per_contest(app, client, contest, student, make_user, auth):
    contest.entries_per_student = 3
    db.session.commit()
    for _ in range(3):
        post_upload(client, contest, None, text="word " * 50)
    assert [e.code for e in entries()] == ["ZT-2026-0001", "ZT-2026-0002", "ZT-2026-0003"]


@pytest.mark.parametrize("name,data,message", [
    ("essay.pdf", hostile.EXE, "does not match"),
    ("essay.pdf", hostile.HTML, "does not match"),
    ("essay.pdf", hostile.zip_bytes({"a.txt": b"x"}), "does not match"),
    ("essay.docx", b"%PDF-1.4 not a zip", "not a real Word document"),
    ("a.pdf.html", hostile.HTML, "not accepted"),
    ("essay.exe", hostile.EXE, "not accepted"),
    ("essay.pdf", b"", "empty"),
])
def test_lying_or_foreign_file_is_refused_and_nothing_is_stored(app, client, contest, student, queue,
                                                               name, data, message):
    response = post_upload(client, contest, name, data)
    assert response.status_code == 400
    assert message in response.data.decode()
    assert entries() == [] and jobs() == [] and _stored_files(app) == []
    assert queue.count == 0
    assert db.session.scalar(select(func.count(OutgoingEmail.id))) == 0


def test_one_byte_over_the_contest_limit_is_refused(app, client, contest, student):
    limit = contest.max_file_mb * 1024 * 1024
    data = b"essay words here\n" * (limit // 17) + b"x" * (limit % 17 + 1)
    assert len(data) == limit + 1
    response = post_upload(client, contest, "essay.txt", data)
    assert response.status_code == 400
    assert "larger than 1 MB" in response.data.decode()
    assert entries() == [] and _stored_files(app) == []


def test_exactly_at_the_limit_is_accepted(app, client, contest, student):
    limit = contest.max_file_mb * 1024 * 1024
    data = (b"essay words here\n" * (limit // 17 + 1))[:limit]
    assert post_upload(client, contest, "essay.txt", data).status_code == 302
    assert versions()[0].size == limit


class TestBodyLimit:
    @pytest.fixture
    def app_config(self):
        return {"MAX_CONTENT_LENGTH": 64 * 1024}

    def test_body_over_max_content_length_gets_413_and_stores_nothing(self, app, client, contest, student):
        response = post_upload(client, contest, "essay.txt", b"a" * (64 * 1024 + 1))
        assert response.status_code == 413
        assert entries() == [] and _stored_files(app) == []


@pytest.mark.parametrize("name,shown", [
    ("../../x.pdf", "x.pdf"),
    ("x\x00.pdf", "x.pdf"),
    ("x%00.pdf", "x%00.pdf"),
    ("CON.pdf", "CON.pdf"),
    ("essay\u202efdp.pdf", "essayfdp.pdf"),
    ("<img src=x onerror=alert(1)>.pdf", "&lt;img src=x onerror=alert(1)&gt;.pdf"),
])
def test_hostile_file_names_are_stored_under_generated_names_and_shown_escaped(
        app, client, contest, student, name, shown):
    response = post_upload(client, contest, name, hostile.essay_pdf("en"))
    assert response.status_code == 302
    [version] = versions()
    assert version.stored_name == f"{version.sha256}.pdf"
    assert [p.name for p in _stored_files(app)] == [version.stored_name]
    page = client.get(response.headers["Location"]).data.decode()
    assert shown in page
    assert "\u202e" not in page and "<img src=x" not in page


def test_long_file_name_is_shortened_for_display(app, client, contest, student):
    name = "э" * 300 + ".pdf"
    post_upload(client, contest, name, hostile.essay_pdf("en"))
    [version] = versions()
    assert len(version.original_name) == 60 and version.original_name.endswith("….pdf") is False
    assert version.original_name.endswith(".pdf") and "…" in version.original_name


def test_pasted_text_is_stored_as_utf8_txt(app, client, contest, student):
    response = post_upload(client, contest, None, text="Менің туған өлкем — әсем Алатау. " * 10)
    assert response.status_code == 302
    [version] = versions()
    assert version.format == "text" and version.stored_name.endswith(".txt")
    path = Path(app.config["UPLOAD_FOLDER"]) / version.stored_name
    assert path.read_text("utf-8").startswith("Менің туған өлкем")


def test_pasted_text_refused_where_contest_takes_files_only(app, client, contest, student):
    contest.formats = ["pdf"]
    db.session.commit()
    response = post_upload(client, contest, None, text="An essay " * 30)
    assert response.status_code == 400 and "Choose a file" in response.data.decode()
    assert entries() == []


def test_format_not_accepted_by_the_contest_is_refused(app, client, contest, student):
    contest.formats = ["pdf"]
    db.session.commit()
    response = post_upload(client, contest, "essay.txt", "Эссе".encode("cp1251") * 20)
    assert response.status_code == 400 and "accepts only: PDF" in response.data.decode()
    assert entries() == []


def test_double_clicked_submit_makes_one_entry(app, client, contest, student, queue):
    first = post_upload(client, contest, "essay.pdf", hostile.essay_pdf("en"), key="same-key-1234567890")
    second = post_upload(client, contest, "essay.pdf", hostile.essay_pdf("en"), key="same-key-1234567890")
    assert first.headers["Location"] == second.headers["Location"]
    assert len(entries()) == 1 and len(versions()) == 1 and len(jobs()) == 1


def test_entries_per_student_limit(app, client, contest, student):
    assert post_upload(client, contest, None, text="word " * 50).status_code == 302
    response = post_upload(client, contest, None, text="other " * 50)
    assert response.status_code == 400
    assert "maximum number of entries (1)" in response.data.decode()
    assert len(entries()) == 1


def test_withdrawn_entry_frees_the_slot(app, client, contest, student):
    post_upload(client, contest, None, text="word " * 50)
    [entry] = entries()
    assert client.post(f"/entries/{entry.id}/withdraw").status_code == 302
    assert entries()[0].status == EntryStatus.WITHDRAWN
    assert post_upload(client, contest, None, text="other " * 50).status_code == 302
    assert [e.status for e in entries()] == [EntryStatus.WITHDRAWN, EntryStatus.RECEIVED]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "entry.withdrawn")) is not None


@pytest.mark.parametrize("opens,closes,message", [
    (timedelta(days=-10), timedelta(seconds=-1), "deadline has passed"),
    (timedelta(hours=1), timedelta(days=10), "not open yet"),
])
def test_window_is_enforced_on_the_server_in_utc(app, client, contest, student, opens, closes, message):
    contest.opens_at, contest.closes_at = utcnow() + opens, utcnow() + closes
    db.session.commit()
    response = post_upload(client, contest, "essay.pdf", hostile.essay_pdf("en"))
    assert response.status_code == 400 and message in response.data.decode()
    assert entries() == [] and _stored_files(app) == []


def test_replace_after_deadline_and_withdraw_after_deadline_are_refused(app, client, contest, student):
    post_upload(client, contest, "essay.pdf", hostile.essay_pdf("en"))
    [entry] = entries()
    contest.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = post_replace(client, entry, "new.pdf", hostile.essay_pdf("ru"))
    assert response.status_code == 400 and "deadline has passed" in response.data.decode()
    client.post(f"/entries/{entry.id}/withdraw")
    assert [v.number for v in versions()] == [1]
    assert entries()[0].status == EntryStatus.RECEIVED


def test_replace_adds_a_version_and_keeps_the_first(app, client, contest, student):
    post_upload(client, contest, "essay.pdf", hostile.essay_pdf("en"))
    [entry] = entries()
    response = post_replace(client, entry, "better.docx", hostile.essay_docx(["A better essay. " * 30]))
    assert response.headers["Location"] == f"/entries/{entry.id}/receipt/2"
    first, second = versions()
    assert (first.number, second.number) == (1, 2)
    assert entries()[0].current_version_id == second.id
    assert Path(app.config["UPLOAD_FOLDER"], first.stored_name).exists()
    assert len(jobs()) == 2


def test_broken_replacement_is_refused_and_the_good_version_stays(app, client, contest, student):
    post_upload(client, contest, "essay.pdf", hostile.essay_pdf("en"))
    [entry] = entries()
    response = post_replace(client, entry, "broken.docx", b"PK\x03\x04 not really a zip")
    assert response.status_code == 400
    assert [v.number for v in versions()] == [1]
    assert entries()[0].current_version_id == versions()[0].id


def test_xhr_upload_gets_json(app, client, contest, student):
    headers = {"X-Requested-With": "XMLHttpRequest"}
    bad = post_upload(client, contest, "essay.pdf", hostile.EXE, headers=headers)
    assert bad.status_code == 400 and "does not match" in bad.get_json()["errors"][0]
    good = post_upload(client, contest, "essay.pdf", hostile.essay_pdf("en"), headers=headers)
    [entry] = entries()
    assert good.get_json() == {"redirect": f"/entries/{entry.id}/receipt/1"}


def test_another_students_entry_answers_404_everywhere(app, client, contest, student, auth):
    post_upload(client, contest, "essay.pdf", hostile.essay_pdf("en"))
    [entry] = entries()
    other = factories.make_user(Role.STUDENT)
    auth.logout()
    auth.login(other)
    base = f"/entries/{entry.id}"
    for url in (base, f"{base}/receipt/1", f"{base}/versions/1/file", f"{base}/replace"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/entries/{entry.id}/withdraw").status_code == 404
    assert entries()[0].status == EntryStatus.RECEIVED


def test_juror_gets_403_and_organizer_sees_the_entry(app, client, contest, student, auth):
    post_upload(client, contest, "essay.pdf", hostile.essay_pdf("en"))
    [entry] = entries()
    auth.logout()
    auth.login(factories.make_user(Role.JUROR))
    assert client.get(f"/entries/{entry.id}").status_code == 403
    assert client.get(f"/entries/{entry.id}/versions/1/file").status_code == 403
    auth.logout()
    auth.login(factories.make_user(Role.ORGANIZER))
    assert client.get(f"/entries/{entry.id}").status_code == 200
    assert client.get(f"/entries/{entry.id}/versions/1/file").status_code == 200


def test_download_is_an_attachment_with_a_generated_name(app, client, contest, student):
    data = hostile.HTML.replace(b"<!DOCTYPE html>", b"")  # HTML source is valid .txt content
    post_upload(client, contest, "<b>evil</b>.txt", data)
    [entry] = entries()
    response = client.get(f"/entries/{entry.id}/versions/1/file")
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Disposition"] == "attachment; filename=ZT-2026-0001-v1.txt"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_upload_page_lists_topics_and_has_no_inline_script(app, client, contest, student):
    page = client.get(f"/contests/{contest.id}/submit").data.decode()
    assert "Topic 1" in page and "Category 2" in page and 'name="submit_key"' in page
    assert "js/uploads.js" in page and "<script>" not in page and 'style="' not in page
    assert client.get("/submit").status_code == 200
