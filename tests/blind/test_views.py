"""The organizer's redaction pages, the editor's words, and what a juror sees without a file."""
import re

import pytest
from sqlalchemy import select

from contest.blind.models import EntryRedaction
from contest.blind.services import prepare_juror_copy
from contest.enums import Role
from contest.extensions import db
from contest.jobs.models import Job
from contest.jobs.services import run_job
from contest.submissions.models import EntryVersion
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres
TEXT = "Менің атым Ержан Омаров. Заң бәріне ортақ, мұғалімім Сәуле апай.\n\n" + "Заң – тірек. " * 30


def _redacted_entry(contest):
    student = make_user(Role.STUDENT, full_name="Омаров Ержан", school="№25 мектеп-гимназия")
    entry = make_entry(contest, student, text=TEXT, language="kk")
    version = db.session.get(EntryVersion, entry.current_version_id)
    prepare_juror_copy(version=version, entry=entry, contest=contest)
    db.session.commit()
    return entry


def _run_jobs():
    for job_id in list(db.session.scalars(select(Job.id).where(Job.name.contains("redact_entry_job")))):
        run_job(job_id)
    db.session.expire_all()


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_organizer_sees_marks_adds_a_term_and_restores_a_span(app, client, auth):
    contest = make_contest(phase="judging", blind=True)
    entry = _redacted_entry(contest)
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/organizer/redaction/entries/{entry.id}").get_data(as_text=True)
    assert '<mark class="removed" title="name">Омаров</mark>' in page
    response = client.post(f"/organizer/redaction/entries/{entry.id}/terms",
                           data={"term": "Сәуле апай", "csrf_token": _csrf(page)})
    assert response.status_code == 302
    _run_jobs()
    assert "Сәуле" not in db.session.get(EntryVersion, entry.current_version_id).juror_text
    start, end, _rule = db.session.get(EntryRedaction, entry.id).spans[0]
    client.post(f"/organizer/redaction/entries/{entry.id}/restore",
                data={"start": start, "end": end, "csrf_token": _csrf(page)})
    _run_jobs()
    juror_text = db.session.get(EntryVersion, entry.current_version_id).juror_text
    assert juror_text.startswith("Менің атым Ержан […].")


def test_contest_page_lists_doubtful_entries_and_terms(app, client, auth):
    contest = make_contest(phase="judging", blind=True)
    student = make_user(Role.STUDENT, full_name="Иван Петров")
    doubtful = make_entry(contest, student, text="My name is John. " + "The law matters. " * 20)
    prepare_juror_copy(version=doubtful.current_version, entry=doubtful, contest=contest)
    db.session.commit()
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/organizer/redaction/contests/{contest.id}").get_data(as_text=True)
    assert doubtful.code in page and "is not the registered name" in page
    assert doubtful.code in client.get(f"/organizer/contests/{contest.id}/attention").get_data(as_text=True)
    client.post(f"/organizer/redaction/contests/{contest.id}",
                data={"term": "Шұбар ауылы", "csrf_token": _csrf(page)})
    assert "Шұбар ауылы" in client.get(f"/organizer/redaction/contests/{contest.id}").get_data(as_text=True)


def test_editor_says_what_jurors_receive(app, client, auth):
    contest = make_contest(blind=True, jurors_may_open_files=True)
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/contests/{contest.id}/edit").get_data(as_text=True)
    assert "gives a PDF typeset from that redacted text" in page


def test_a_juror_without_text_gets_a_line_and_no_file(app, client, auth):
    contest = make_contest(phase="judging", blind=True, jurors_may_open_files=True)
    entry = make_entry(contest, text="")
    version = db.session.get(EntryVersion, entry.current_version_id)
    version.format, version.text, version.stored_name = "pdf", None, "scan.pdf"
    prepare_juror_copy(version=version, entry=entry, contest=contest)
    db.session.commit()
    juror = make_juror(contest=contest)
    mine = make_assignment(entry, juror)
    auth.login(juror)
    page = client.get(f"/judging/review/{mine.id}").get_data(as_text=True)
    assert "No file: this essay has no text we could redact" in page
    assert client.get(f"/judging/review/{mine.id}/file").status_code == 404


def test_the_attention_overview_counts_doubtful_redactions(app, client, auth):
    from tests.factories import make_member

    mine, other = make_contest(phase="open", blind=True), make_contest(phase="open", blind=True)
    doubtful = make_entry(mine, make_user(Role.STUDENT, full_name="Иван Петров"),
                          text="My name is John, and the law matters. " * 5)
    withdrawn = make_entry(mine, make_user(Role.STUDENT, full_name="Иван Сидоров"),
                           text="My name is Jack, and the law matters. " * 5, status="withdrawn")
    clean = _redacted_entry(mine)
    elsewhere = make_entry(other, text="My name is Bob. " * 9)
    for entry, contest in ((doubtful, mine), (withdrawn, mine), (elsewhere, other)):
        prepare_juror_copy(version=db.session.get(EntryVersion, entry.current_version_id), entry=entry,
                           contest=contest)
    db.session.commit()
    assert db.session.get(EntryRedaction, clean.id).doubts == []
    auth.login(make_member(mine))
    page = client.get("/organizer/attention").get_data(as_text=True)
    row = re.search(rf"<tr><td><a href=\"/organizer/contests/{mine.id}/attention\">.*?</tr>", page, re.S)
    assert row, page
    cells = re.findall(r"<td>(.*?)</td>", row.group(), re.S)
    assert "Redaction to check" in page
    assert re.sub(r"<[^>]+>", "", cells[-1]).strip() == "1"  # the withdrawn entry does not count
    assert f"/organizer/contests/{other.id}/attention" not in page  # not a contest of mine
