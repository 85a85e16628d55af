"""The right actions at the right time (issue 17): the student's dashboard lists open contests
and their entries; the status page offers replace/withdraw only while the entry is open, and
says what fits each phase."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from contest.db import utcnow
from contest.enums import Role
from contest.extensions import db
from contest.submissions.models import EntryStatus
from contest.submissions.stage import can_change, entry_stage
from tests import factories

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("phase", "status", "deadline", "expected"), [
    ("open", "ready", NOW + timedelta(hours=1), "open"),
    ("open", "received", None, "open"),
    ("open", "ready", NOW, "closed"),
    ("open", "needs_attention", NOW - timedelta(days=1), "closed"),
    ("judging", "ready", NOW + timedelta(days=1), "judging"),  # an extension does not reopen judging
    ("published", "ready", NOW - timedelta(days=9), "published"),
    ("archived", "ready", None, "published"),
    ("published", "withdrawn", None, "withdrawn"),
    ("open", "rejected", NOW + timedelta(hours=1), "rejected"),
    ("draft", "ready", None, "closed"),
])
def test_entry_stage(phase, status, deadline, expected):
    stage = entry_stage(phase=phase, status=status, now=NOW, deadline=deadline)
    assert stage == expected
    assert can_change(stage) == (expected == "open")


def _student_entry(phase: str, closes_in=timedelta(days=10)):
    contest = factories.make_contest(phase=phase, closes_at=utcnow() + closes_in)
    student = factories.make_user(Role.STUDENT)
    entry = factories.make_entry(contest, student)
    return contest, student, entry


ACTIONS = ("/replace", "/withdraw")


@pytest.mark.parametrize(("phase", "closes_in", "offers", "says"), [
    ("open", timedelta(days=10), True, "will be judged after the deadline"),
    ("open", timedelta(minutes=-1), False, "The deadline has passed: your essay can no longer be replaced"),
    ("judging", timedelta(days=-3), False, "the jury is reading the essays"),
    ("published", timedelta(days=-30), False, "The results of this contest are published."),
])
def test_status_page_offers_only_what_the_phase_allows(app, client, auth, phase, closes_in, offers, says):
    contest, student, entry = _student_entry(phase, closes_in)
    auth.login(student)

    html = client.get(f"/entries/{entry.id}").get_data(as_text=True)

    assert [f"/entries/{entry.id}{a}" in html for a in ACTIONS] == [offers, offers]
    assert says in html
    assert "will be judged after the deadline" not in html or phase == "open" and offers
    heading = html[html.index("<h1>"):html.index("</h1>")]  # the badge says where the entry stands
    assert ("Ready for judging" in heading) == (phase == "open")


@pytest.mark.parametrize("phase", ["judging", "published"])
def test_withdrawing_after_the_deadline_says_submissions_are_closed(app, client, auth, phase):
    contest, student, entry = _student_entry(phase, timedelta(days=-3))
    auth.login(student)

    html = client.post(f"/entries/{entry.id}/withdraw", follow_redirects=True).get_data(as_text=True)

    assert "Submissions for this contest are closed" in html
    assert "not open yet" not in html
    db.session.refresh(entry)
    assert entry.status == EntryStatus.READY


def test_dashboard_shows_open_contests_and_the_students_entries(app, client, auth):
    open_empty = factories.make_contest(phase="open", title={"en": "Driver and pedestrian"})
    mine, student, entry = _student_entry("open")
    judged = factories.make_contest(phase="judging", title={"en": "Looking to the future"},
                                    closes_at=utcnow() - timedelta(days=2))
    judged_entry = factories.make_entry(judged, student)
    factories.make_contest(phase="judging", title={"en": "Someone else's contest"})
    auth.login(student)

    html = client.get("/dashboard").get_data(as_text=True)

    assert "Driver and pedestrian" in html and f"/contests/{open_empty.id}/submit" in html
    assert "Zero tolerance" in html and f"/contests/{mine.id}/submit" in html
    assert f'/entries/{entry.id}"' in html and entry.code in html
    assert "Looking to the future" in html and judged_entry.code in html
    assert f"/contests/{judged.id}/submit" not in html
    assert "The jury is reading the essays." in html
    assert html.count("Ready for judging") == 1  # the open entry's badge; the judged one says where it stands
    assert "Someone else" not in html
    assert "will appear here" not in html
