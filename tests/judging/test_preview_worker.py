"""A large contest's assignment preview is computed by a real worker.py while the page
waits: one job per set of inputs, the second look served from the cache, saving inserts the
cached pairs without planning again, a change since the preview is refused, and a failed
job says so and can be run again. "Large" is forced here: the threshold is set to 0."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update

from contest.contests.models import ContestJuror
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
    return {"ASSIGN_PREVIEW_INLINE_MAX_ENTRIES": 0}


def _contest():
    contest = make_contest(phase="judging", n_categories=1)
    entries = [make_entry(contest, make_user(school=f"School {i}")) for i in range(12)]
    for i in range(4):
        make_juror(contest=contest, school=f"Jury {i}")
    return contest, entries


def _jobs() -> list[Job]:
    return list(db.session.scalars(select(Job).where(Job.name.endswith("compute_assignment_preview"))
                                   .order_by(Job.created_at)))


def _page(client, contest) -> str:
    return client.get(f"/judging/contests/{contest.id}/assign").get_data(as_text=True)


def _fingerprint(page: str) -> str:
    return re.search(r'name="fingerprint" type="hidden" value="(\w+)"', page).group(1)


def _pairs():
    return sorted(tuple(row) for row in db.session.execute(select(Assignment.entry_id, Assignment.juror_id)))


def test_the_worker_computes_the_preview_once_and_saving_inserts_the_cached_pairs(app, client, auth, worker):
    contest, entries = _contest()
    auth.login(make_user(Role.ORGANIZER))
    waiting = _page(client, contest)
    assert "Computing the plan…" in waiting and '<meta http-equiv="refresh"' in waiting
    assert "12 essays and 4 jurors" in waiting and 'name="fingerprint"' not in waiting
    [job] = _jobs()
    _page(client, contest)  # computing or computed by now (the worker is quick): either way
    assert len(_jobs()) == 1  # no second job
    # The page refreshes itself asking for the fingerprint it waits for, until the plan is there.
    refresh = re.search(r'content="2; url=([^"]+)"', waiting).group(1).replace("&amp;", "&")
    assert "wait=" in refresh
    page = wait_for(lambda: (p := client.get(refresh).get_data(as_text=True)) and "Save 36" in p and p,
                    timeout=60)
    # The plan shows once the worker has stored it; the job is marked done just after that
    # (a run of CI saw the page between the two).
    wait_for(lambda: db.session.get(Job, job.id).status == JobStatus.DONE, timeout=30)
    assert "Computing the plan…" not in page and '<meta http-equiv="refresh"' not in page
    assert "Save 36 new assignments" in page
    key, done_at = _fingerprint(page), db.session.get(Job, job.id).finished_at
    # Looking again with the same inputs: no new job, the same job not run again.
    assert _fingerprint(_page(client, contest)) == key
    [again] = _jobs()  # reloaded: the client's requests commit this session
    assert (again.id, again.attempts, again.finished_at) == (job.id, 1, done_at)
    assert _pairs() == []
    # Saving inserts the pairs the worker stored, not a new plan: one of them taken out of
    # the cache is not saved (a plan computed now would have it).
    pairs = preview_cache.load_pairs(contest.id, 1, key)
    summary = preview_cache.load_summary(contest.id, 1, key)
    assert sorted(summary["notes"]) == ["en", "kk", "ru"]  # the linkage note in every language
    preview_cache.store(contest.id, 1, key, summary, pairs[:-1])
    response = client.post(f"/judging/contests/{contest.id}/assign", data={"fingerprint": key})
    assert response.headers["Location"] == f"/judging/contests/{contest.id}/progress"
    assert _pairs() == sorted(pairs[:-1]) and len(pairs) == 36
    assert len(_jobs()) == 1


def test_an_entry_ready_after_the_preview_is_refused_at_save_and_planned_anew(app, client, auth, worker):
    contest, _entries = _contest()
    auth.login(make_user(Role.ORGANIZER))
    _page(client, contest)
    [job] = _jobs()
    wait_for(lambda: db.session.get(Job, job.id).status == JobStatus.DONE, timeout=60)
    key = _fingerprint(_page(client, contest))
    make_entry(contest)
    refused = client.post(f"/judging/contests/{contest.id}/assign", data={"fingerprint": key},
                          follow_redirects=True).get_data(as_text=True)
    assert "changed since the preview" in refused and "Computing the plan…" in refused
    assert _pairs() == [] and len(_jobs()) == 2
    wait_for(lambda: _jobs()[-1].status == JobStatus.DONE, timeout=60)
    assert "Save 39 new assignments" in _page(client, contest)


def test_a_failed_preview_job_says_so_and_runs_again_on_request(app, client, auth, worker):
    contest, _entries = _contest()
    # A capacity the planner refuses (the forms never allow it): the job fails.
    db.session.execute(update(ContestJuror).where(ContestJuror.contest_id == contest.id).values(capacity=-1))
    db.session.commit()
    auth.login(make_user(Role.ORGANIZER))
    _page(client, contest)
    [job] = _jobs()
    wait_for(lambda: db.session.get(Job, job.id).status == JobStatus.FAILED, timeout=60)
    first_start = db.session.get(Job, job.id).started_at
    page = _page(client, contest)
    assert "The plan could not be computed" in page and "Try again" in page
    assert '<meta http-equiv="refresh"' not in page and len(_jobs()) == 1
    client.post(f"/judging/contests/{contest.id}/assign/retry")
    wait_for(lambda: db.session.get(Job, job.id).started_at != first_start
             and db.session.get(Job, job.id).status == JobStatus.FAILED, timeout=60)
    assert "juror capacity must not be negative" in db.session.get(Job, job.id).last_error
    assert len(_jobs()) == 1 and db.session.scalar(select(func.count(Assignment.id))) == 0
