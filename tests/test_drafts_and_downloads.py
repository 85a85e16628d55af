"""Draft contests are invisible to students on every route; every file download is sandboxed."""
from pathlib import Path

import pytest
from flask import url_for

from contest.accounts.permissions import PUBLIC, SIGNED_IN
from contest.enums import Role
from contest.extensions import db
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres

SANDBOX = "default-src 'none'; sandbox"


def _student_routes_with_contest_id(app):
    """GET routes of the URL map a student may use that name a contest by id."""
    for rule in app.url_map.iter_rules():
        access = getattr(app.view_functions[rule.endpoint], "access", frozenset())
        if "contest_id" in rule.arguments and "GET" in rule.methods and (
                PUBLIC in access or SIGNED_IN in access or Role.STUDENT in access):
            yield rule


def test_draft_contest_answers_404_to_a_student_on_every_route(app, client, auth):
    draft = make_contest(phase="draft")
    auth.login(make_user(Role.STUDENT))
    answers = {}
    for rule in _student_routes_with_contest_id(app):
        with app.test_request_context():
            url = url_for(rule.endpoint, contest_id=draft.id,
                          **{a: 1 for a in rule.arguments if a != "contest_id"})
        answers[rule.rule] = client.get(url).status_code
    assert "/contests/<int:contest_id>/submit" in answers
    assert answers == {rule: 404 for rule in answers}


def test_draft_contest_submit_post_is_refused_and_shows_no_topic(client, auth):
    draft = make_contest(phase="draft")
    auth.login(make_user(Role.STUDENT))
    response = client.post(f"/contests/{draft.id}/submit", data={"topic": draft.topics[0].id})
    assert response.status_code == 404
    assert b"Topic 1" not in response.data


def test_open_contest_submit_page_still_works(client, auth):
    contest = make_contest(phase="open")
    auth.login(make_user(Role.STUDENT))
    response = client.get(f"/contests/{contest.id}/submit")
    assert response.status_code == 200 and b"Topic 1" in response.data


def test_juror_file_download_is_sandboxed(app, client, auth):
    contest = make_contest(phase="judging", blind=False, jurors_may_open_files=True, judging_ends_at=None)
    entry = make_entry(contest)
    version = entry.current_version
    version.format, version.stored_name, version.juror_file_name = "pdf", "cc33.pdf", "dd44.pdf"
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("cc33.pdf", "dd44.pdf"):
        (folder / name).write_bytes(b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF\n")
    juror = make_juror(contest=contest)
    assignment = make_assignment(entry, juror)
    db.session.commit()
    auth.login(juror)
    response = client.get(f"/judging/review/{assignment.id}/file")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"] == SANDBOX
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_attachment_gets_the_sandbox_policy(app, client, auth):
    """Exports are attachments too: the policy follows the header, whatever the view."""
    contest = make_contest(phase="open")
    auth.login(make_user(Role.ORGANIZER))
    response = client.get(f"/contests/{contest.id}/ranking/export/scores.csv")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == SANDBOX
    page = client.get("/contests/manage")
    assert "sandbox" not in page.headers["Content-Security-Policy"]
