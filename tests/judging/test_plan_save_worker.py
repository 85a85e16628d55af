"""A large previewed plan is saved by a real worker.py while the organizer's page shows the
save under way, then says how many assignments it saved. "Large" is forced here: more than
5 new pairs."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.enums import Role
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.judging import preview_cache
from contest.judging.models import Assignment
from tests.conftest import wait_for
from tests.factories import make_contest, make_entry, make_juror, make_user

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


@pytest.fixture
def app_config() -> dict:
    return {"PLAN_SAVE_INLINE_MAX_PAIRS": 5}


def test_the_worker_saves_the_previewed_pairs_while_the_page_shows_it(app, client, auth, worker):
    contest = make_contest(phase="judging", n_categories=1)
    for i in range(12):
        make_entry(contest, make_user(school=f"School {i}"))
    for i in range(4):
        make_juror(contest=contest, school=f"Jury {i}")
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/judging/contests/{contest.id}/assign").get_data(as_text=True)
    assert "Save 36 new assignments" in page
    key = page.split('name="fingerprint" type="hidden" value="')[1].split('"')[0]
    pairs = preview_cache.load_pairs(contest.id, 1, key)
    response = client.post(f"/judging/contests/{contest.id}/assign", data={"fingerprint": key})
    saving = response.headers["Location"]
    assert saving == f"/judging/contests/{contest.id}/assign?saving={key}"
    [job] = db.session.scalars(select(Job).where(Job.name.endswith("save_assignment_plan")))
    wait_for(lambda: db.session.get(Job, job.id).status == JobStatus.DONE, timeout=60)
    done = client.get(saving, follow_redirects=True)
    assert done.request.path == f"/judging/contests/{contest.id}/progress"
    assert "36 new assignments saved." in done.get_data(as_text=True)
    saved = sorted(tuple(r) for r in db.session.execute(select(Assignment.entry_id, Assignment.juror_id)))
    assert saved == sorted(pairs) and len(saved) == 36
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "assignment.plan"))
    assert event.new == {"added": 36, "kept": 0, "short_entries": 0}
