"""The autosave with CSRF protection on: the token travels in the X-CSRFToken header."""
import re

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.extensions import db
from contest.judging.models import Assignment
from tests.factories import make_assignment, make_contest, make_entry, make_juror


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def _login(client, user):
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)
    client.post("/account/login", data={"email": user.email, "password": "correct horse battery",
                                        "csrf_token": token})


def test_autosave_needs_the_csrf_header_and_accepts_it(app, client):
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    a = make_assignment(make_entry(contest), juror)
    _login(client, juror)
    page = client.get(f"/judging/review/{a.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)
    data = {"version": "0", f"score_{contest.criteria[0].id}": "4"}
    refused = client.post(f"/judging/review/{a.id}/save", data=data, headers={"Accept": "application/json"})
    forged = client.post(f"/judging/review/{a.id}/save", data=data,
                         headers={"Accept": "application/json", "X-CSRFToken": "forged"})
    assert (refused.status_code, forged.status_code) == (400, 400)
    assert db.session.get(Assignment, a.id).version == 0
    saved = client.post(f"/judging/review/{a.id}/save", data=data,
                        headers={"Accept": "application/json", "X-CSRFToken": token})
    assert (saved.status_code, saved.json["version"]) == (200, 1)
    assert db.session.get(Assignment, a.id).scores == {str(contest.criteria[0].id): 4.0}
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.scores")).all()) == 1
