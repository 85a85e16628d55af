"""Judging pages through HTTP: secrecy (the canary), access by role and owner, version
conflicts, double submits, conflicts of interest, reopening and the assignment plan."""

import re
from pathlib import Path

import pytest
from flask import url_for
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.enums import Role
from contest.extensions import db
from contest.judging.models import Assignment, DeclaredConflict, JurorReminder, ReviewStatus
from contest.judging.services import queue_reminders
from contest.judging.tasks import send_juror_reminder
from contest.mail.models import OutgoingEmail
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres

CANARY = "Zzyzx Qwertyuiop"
BODY = "The law protects everyone who respects it.\n\nZero tolerance starts with small things. " * 30


def _version(html: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', html).group(1)


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _review_data(contest, version, *scores, **extra):
    data = {"version": str(version), "feedback": "Well argued.", "private_comment": ""}
    data.update({f"score_{c.id}": str(s) for c, s in zip(contest.criteria, scores)})
    data.update(extra)
    return data


JSON = {"Accept": "application/json"}


# --- the canary -------------------------------------------------------------------------------


def _canary_entry(app, contest):
    student = make_user(
        Role.STUDENT,
        full_name=f"Amina {CANARY}",
        school=f"{CANARY} Lyceum",
        region="Almaty",
        email="zzyzx@example.kz",
    )
    text = f"My name is Amina {CANARY}, I study at the {CANARY} Lyceum.\n\n{BODY}"
    entry = make_entry(contest, student, text=text)
    version = entry.current_version
    version.juror_text = f"My name is [name], I study at the [school].\n\n{BODY}"
    version.original_name = f"{CANARY} essay.pdf"
    version.format, version.stored_name, version.juror_file_name = "pdf", "aa11.pdf", "bb22.pdf"
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "aa11.pdf").write_bytes(b"%PDF-1.4\n/Author (" + CANARY.encode() + b")\n%%EOF\n")
    (folder / "bb22.pdf").write_bytes(b"%PDF-1.4\n/Producer (contest)\n%%EOF\n")
    db.session.commit()
    return entry


def _juror_fetches(client, contest, mine, other_id):
    """Every page, JSON answer, download and error a juror can reach for their entries."""
    c = contest.criteria
    yield client.get("/dashboard")
    yield client.get("/judging/")
    yield client.get(f"/judging/review/{mine.id}")
    download = client.get(f"/judging/review/{mine.id}/file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    yield download
    yield client.post(f"/judging/review/{mine.id}/save", data=_review_data(contest, 0, 7), headers=JSON)
    yield client.post(f"/judging/review/{mine.id}/save", data=_review_data(contest, 0, 3), headers=JSON)
    yield client.post(f"/judging/review/{mine.id}/save", data=_review_data(contest, 1, 70), headers=JSON)
    yield client.post(f"/judging/review/{mine.id}/save", data=_review_data(contest, 1, "x"), headers=JSON)
    yield client.post(
        f"/judging/review/{mine.id}/save", data=_review_data(contest, 1, 8), follow_redirects=True
    )
    yield client.post(f"/judging/review/{mine.id}/submit", data=_review_data(contest, 2, 8))
    yield client.post(
        f"/judging/review/{mine.id}/submit", data=_review_data(contest, 2, 8, 4), follow_redirects=True
    )
    yield client.get(f"/judging/review/{mine.id}")
    yield client.get(f"/judging/review/{other_id}")
    yield client.get(f"/judging/review/{other_id}/file")
    yield client.post(f"/judging/review/{other_id}/save", data=_review_data(contest, 0, 1), headers=JSON)
    yield client.get("/judging/review/987654")
    assert c  # the rubric exists: the saves above were real saves


def test_canary_never_reaches_a_juror_of_a_blind_contest(app, client, auth):
    contest = make_contest(phase="judging", blind=True, jurors_may_open_files=True, judging_ends_at=None)
    entry = _canary_entry(app, contest)
    juror, other = make_juror(contest=contest), make_juror(contest=contest)
    mine = make_assignment(entry, juror)
    second = make_assignment(make_entry(contest), other)
    auth.login(juror)
    leaks = []
    for response in _juror_fetches(client, contest, mine, second.id):
        blob = response.get_data() + str(response.headers).encode()
        if b"zzyzx" in blob.lower() or b"qwertyuiop" in blob.lower():
            leaks.append(response.request.path)
    assert leaks == []
    assert db.session.get(Assignment, mine.id).status == ReviewStatus.SUBMITTED
    assert client.get(f"/judging/review/{mine.id}/file").headers["Content-Disposition"] == (
        f"attachment; filename={entry.code}.pdf"
    )
    contest.judging_ends_at = db.session.get(Assignment, mine.id).created_at
    second_entry = make_entry(contest)
    make_assignment(second_entry, juror)
    queue_reminders(contest=contest)
    db.session.commit()
    for reminder in db.session.scalars(select(JurorReminder)):
        send_juror_reminder(reminder_id=reminder.id)
    db.session.commit()
    mails = [
        m.subject + m.body
        for m in db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.to == juror.email))
    ]
    assert len(mails) == 1 and "zzyzx" not in mails[0].lower()


def test_canary_is_shown_where_judging_is_not_blind(app, client, auth):
    contest = make_contest(phase="judging", blind=False)
    entry = _canary_entry(app, contest)
    juror = make_juror(contest=contest)
    mine = make_assignment(entry, juror)
    auth.login(juror)
    assert f"Amina {CANARY}" in client.get(f"/judging/review/{mine.id}").get_data(as_text=True)
    assert f"Amina {CANARY}" in client.get("/judging/").get_data(as_text=True)
    auth.logout()
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/judging/entries/{entry.id}").get_data(as_text=True)
    assert f"Amina {CANARY}" in page and f"{CANARY} Lyceum" in page


# --- access: every judging route x role x owner -----------------------------------------------


def _judging_routes(app, values):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("judging."):
            method = "GET" if "GET" in rule.methods else "POST"
            with app.test_request_context():
                url = url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
            yield rule, url, method


@pytest.mark.parametrize("who", ["anonymous", "student", "owner", "other_juror", "organizer"])
def test_every_judging_route_by_role_and_owner(app, client, auth, who):
    contest = make_contest(phase="judging", jurors_may_open_files=True)
    entry = _canary_entry(app, contest)
    owner, other = make_juror(contest=contest), make_juror(contest=contest)
    make_assignment(make_entry(contest), other)
    mine = make_assignment(entry, owner, status="draft", scores={contest.criteria[0].id: 5}, version=3)
    users = {
        "student": make_user(Role.STUDENT),
        "owner": owner,
        "other_juror": other,
        "organizer": make_user(Role.ORGANIZER),
    }
    if who != "anonymous":
        auth.login(users[who])
    values = {"assignment_id": mine.id, "contest_id": contest.id, "entry_id": entry.id, "number": 1,
              "direction": "next"}
    problems, seen = [], 0
    for rule, url, method in _judging_routes(app, values):
        seen += 1
        allowed = app.view_functions[rule.endpoint].access
        status = client.open(url, method=method).status_code
        if who == "anonymous":
            expected = {302}
        elif Role.JUROR in allowed:
            expected = (
                {200, 302, 400}
                if who == "owner"
                else {404}
                if who == "other_juror" and "assignment_id" in rule.arguments
                else {200}
                if who == "other_juror"
                else {403}
            )
        else:
            expected = {200, 302} if who == "organizer" else {403}
        if rule.endpoint == "judging.page_image" and who == "owner":
            # A typed essay in a blind contest has no page images (tests/ocr/test_juror_pages.py).
            expected = {404}
        if status not in expected:
            problems.append(f"{method} {url} as {who}: {status}, expected {sorted(expected)}")
    assert (problems, seen) == ([], 17)
    kept = db.session.get(Assignment, mine.id)
    assert (kept.status, kept.version, kept.scores) == (
        ReviewStatus.DRAFT,
        3,
        {str(contest.criteria[0].id): 5},
    )
    assert db.session.scalars(select(DeclaredConflict)).all() == []


# --- concurrency ------------------------------------------------------------------------------


def test_second_save_from_the_same_version_gets_409_and_changes_nothing(app, client, auth):
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    a = make_assignment(make_entry(contest), juror)
    auth.login(juror)
    assert _version(client.get(f"/judging/review/{a.id}").get_data(as_text=True)) == "0"
    first = client.post(f"/judging/review/{a.id}/save", data=_review_data(contest, 0, 6), headers=JSON)
    second = client.post(f"/judging/review/{a.id}/save", data=_review_data(contest, 0, 2, 1), headers=JSON)
    assert (first.status_code, first.json["version"], first.json["status"]) == (200, 1, "draft")
    assert (second.status_code, second.json["code"]) == (409, "stale")
    assert second.json["error"] == (
        "This review was changed in another tab or on another device. "
        "Reload the page to see the latest version."
    )
    kept = db.session.get(Assignment, a.id)
    assert (kept.version, kept.scores) == (1, {str(contest.criteria[0].id): 6.0})
    assert _version(client.get(f"/judging/review/{a.id}").get_data(as_text=True)) == "1"


def test_stale_plain_form_save_redirects_with_the_message(app, client, auth):
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    a = make_assignment(make_entry(contest), juror, version=4)
    auth.login(juror)
    page = client.post(
        f"/judging/review/{a.id}/save", data=_review_data(contest, 3, 1), follow_redirects=True
    )
    assert "changed in another tab" in page.get_data(as_text=True)
    assert db.session.get(Assignment, a.id).version == 4


def test_double_submit_makes_one_submission(app, client, auth):
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    a = make_assignment(make_entry(contest), juror)
    auth.login(juror)
    data = _review_data(contest, 0, 9, 4.5)
    first = client.post(f"/judging/review/{a.id}/submit", data=data)
    second = client.post(f"/judging/review/{a.id}/submit", data=data, follow_redirects=True)
    assert (first.status_code, first.headers["Location"]) == (302, "/judging/")
    assert second.status_code == 200
    assert "This review was already submitted." in second.get_data(as_text=True)
    assert len(_events("review.submit")) == 1
    kept = db.session.get(Assignment, a.id)
    assert (kept.status, kept.version, round(kept.total, 3)) == (ReviewStatus.SUBMITTED, 1, 90.0)


def test_submit_without_every_score_shows_the_form_again(app, client, auth):
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    a = make_assignment(make_entry(contest), juror)
    auth.login(juror)
    page = client.post(f"/judging/review/{a.id}/submit", data=_review_data(contest, 0, 9))
    assert page.status_code == 400
    assert "Score every criterion before submitting." in page.get_data(as_text=True)
    assert 'value="9"' in page.get_data(as_text=True)  # what was typed is still there
    assert db.session.get(Assignment, a.id).status == ReviewStatus.NEW


def test_submit_moves_on_to_the_next_unfinished_entry(app, client, auth):
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    a, b = make_assignment(make_entry(contest), juror), make_assignment(make_entry(contest), juror)
    auth.login(juror)
    response = client.post(f"/judging/review/{a.id}/submit", data=_review_data(contest, 0, 1, 1))
    assert response.headers["Location"] == f"/judging/review/{b.id}"


# --- conflicts of interest, reopening, plans ----------------------------------------------------


def test_declaring_a_conflict_removes_access(app, client, auth):
    contest = make_contest(phase="judging", k=1)
    juror, spare = make_juror(contest=contest), make_juror(contest=contest)
    a_id = make_assignment(make_entry(contest), juror).id  # the row is deleted below
    auth.login(juror)
    assert client.post(f"/judging/review/{a_id}/conflict", data={"reason": ""}).status_code == 302
    assert db.session.scalars(select(DeclaredConflict)).all() == []
    response = client.post(f"/judging/review/{a_id}/conflict", data={"reason": "She is my niece"})
    assert response.headers["Location"] == "/judging/"
    assert [
        client.get(f"/judging/review/{a_id}").status_code,
        client.post(f"/judging/review/{a_id}/save", data=_review_data(contest, 0, 1)).status_code,
    ] == [404, 404]
    assert [(x.juror_id, x.status) for x in db.session.scalars(select(Assignment))] == [
        (spare.id, ReviewStatus.NEW)
    ]


def test_organizer_reopens_a_review_with_a_reason(app, client, auth):
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    a = make_assignment(make_entry(contest), juror, status="submitted", version=2)
    organizer = make_user(Role.ORGANIZER)
    auth.login(organizer)
    client.post(f"/judging/assignments/{a.id}/reopen", data={"reason": ""})
    assert db.session.get(Assignment, a.id).status == ReviewStatus.SUBMITTED
    client.post(f"/judging/assignments/{a.id}/reopen", data={"reason": "Juror asked to fix a typo"})
    assert db.session.get(Assignment, a.id).status == ReviewStatus.DRAFT
    assert [(e.actor_id, e.reason) for e in _events("review.reopen")] == [
        (organizer.id, "Juror asked to fix a typo")
    ]


def test_plan_preview_saves_nothing_and_confirming_saves_it(app, client, auth):
    contest = make_contest(phase="judging", n_categories=1)
    entries = [make_entry(contest) for _ in range(4)]
    make_entry(contest, language="kk")
    for _ in range(4):
        make_juror(languages=("en", "ru"), contest=contest)
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/judging/contests/{contest.id}/assign").get_data(as_text=True)
    assert db.session.scalars(select(Assignment)).all() == []
    assert "1 essay in Қазақша, Category 1 (3 reviews missing): no juror on the jury reads Қазақша." in page
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="(\w+)"', page).group(1)
    response = client.post(f"/judging/contests/{contest.id}/assign", data={"fingerprint": fingerprint})
    assert response.headers["Location"] == f"/judging/contests/{contest.id}/progress"
    assert sorted({a.entry_id for a in db.session.scalars(select(Assignment))}) == [e.id for e in entries]
    assert len(db.session.scalars(select(Assignment)).all()) == 12
    progress = client.get(f"/judging/contests/{contest.id}/progress").get_data(as_text=True)
    assert "0 / 12" in progress


def test_organizer_adds_and_removes_jurors_by_hand(app, client, auth):
    contest = make_contest(phase="judging", n_categories=1)
    entry = make_entry(contest, make_user(school="Lyceum 7"))
    near = make_juror(contest=contest, school="Lyceum 7")
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/judging/entries/{entry.id}").get_data(as_text=True)
    assert "not eligible: same school as the author" in page
    client.post(f"/judging/entries/{entry.id}/jurors", data={"juror_id": near.id})
    assert db.session.scalars(select(Assignment)).all() == []
    client.post(f"/judging/entries/{entry.id}/jurors", data={"juror_id": near.id, "reason": "only expert"})
    [a] = db.session.scalars(select(Assignment)).all()
    client.post(f"/judging/assignments/{a.id}/remove", data={"reason": "changed my mind"})
    assert db.session.scalars(select(Assignment)).all() == []
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
        "assignment.override",
        "assignment.remove",
    ]
