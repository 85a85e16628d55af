"""Saving a large previewed plan by a job (contest.judging.plan_save), run in-process: the
request queues it and writes nothing, the job writes exactly the previewed pairs, a second
run adds nothing, inputs changed since the click refuse it, and nothing else changes the
contest's assignments while it is pending. "Large" is forced: more than 5 new pairs."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from contest.audit.models import AuditEvent
from contest.enums import Role
from contest.errors import Conflict
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.jobs.services import run_job
from contest.judging import assign_services, plan_save, preview_cache
from contest.judging.models import Assignment
from contest.judging.tasks import save_assignment_plan
from contest.ranking.services import add_extra_juror
from contest.submissions.models import Entry
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres
BEING_SAVED = "The assignment plan is being saved"


@pytest.fixture
def app_config() -> dict:
    return {"PLAN_SAVE_INLINE_MAX_PAIRS": 5}


@pytest.fixture
def _request(app):
    with app.test_request_context():
        yield


def _contest():
    contest = make_contest(phase="judging", n_categories=1)
    entries = [make_entry(contest, make_user(school=f"School {i}")) for i in range(6)]
    jurors = [make_juror(contest=contest, school=f"Jury {i}") for i in range(4)]
    return contest, entries, jurors


def _pairs():
    return sorted(tuple(row) for row in db.session.execute(select(Assignment.entry_id, Assignment.juror_id)))


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _save_jobs():
    return list(db.session.scalars(select(Job).where(Job.name.endswith("save_assignment_plan"))))


def _queue_save(contest, organizer):
    """Preview, then press save: the job is recorded and committed, nothing else."""
    preview = assign_services.preview_plan(contest=contest)
    saved = assign_services.save_plan(contest=contest, actor=organizer, fingerprint=preview.fingerprint)
    db.session.commit()
    return preview, saved


def test_saving_a_large_plan_queues_a_job_and_writes_nothing_in_the_request(app, client, auth):
    contest, _entries, _jurors = _contest()
    organizer = make_user(Role.ORGANIZER)
    auth.login(organizer)
    page = client.get(f"/judging/contests/{contest.id}/assign").get_data(as_text=True)
    assert "Save 18 new assignments" in page  # below the preview's threshold: computed in the request
    key = assign_services.open_preview(contest=contest).digest.key
    response = client.post(f"/judging/contests/{contest.id}/assign", data={"fingerprint": key})
    assert response.headers["Location"] == f"/judging/contests/{contest.id}/assign?saving={key}"
    assert _pairs() == []
    [job] = _save_jobs()
    assert (job.status, job.max_attempts) == (JobStatus.QUEUED, 1)
    assert job.kwargs == {"contest_id": contest.id, "round_no": 1, "fingerprint": key,
                          "actor_id": organizer.id}
    waiting = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saving the plan…" in waiting and "Waiting for a worker" in waiting
    assert f'content="2; url=/judging/contests/{contest.id}/assign?saving={key}"' in waiting
    # Any visit of the page shows the save under way, and a second save is refused.
    assert "Saving the plan…" in client.get(f"/judging/contests/{contest.id}/assign").get_data(as_text=True)
    again = client.post(f"/judging/contests/{contest.id}/assign", data={"fingerprint": key},
                        follow_redirects=True).get_data(as_text=True)
    assert BEING_SAVED in again and "Saving the plan…" in again
    assert len(_save_jobs()) == 1 and _pairs() == []


def test_the_job_writes_exactly_the_previewed_pairs_and_a_second_run_adds_nothing(app, client, auth):
    contest, entries, jurors = _contest()
    organizer = make_user(Role.ORGANIZER)
    make_assignment(entries[0], jurors[0])  # kept by the plan
    with app.test_request_context():
        preview, saved = _queue_save(contest, organizer)
    pairs = preview_cache.load_pairs(contest.id, 1, preview.fingerprint)
    assert saved.new == len(pairs) == 17 and _pairs() == [(entries[0].id, jurors[0].id)]
    assert run_job(saved.job.id) == "done"
    assert db.session.get(Job, saved.job.id).status == JobStatus.DONE
    assert _pairs() == sorted([*pairs, (entries[0].id, jurors[0].id)])
    [event] = _events("assignment.plan")
    assert (event.actor_id, event.new) == (organizer.id, {"added": 17, "kept": 1, "short_entries": 0})
    assert preview_cache.get_save_progress(contest.id, 1, preview.fingerprint) == {
        "state": "saved", "done": 17, "total": 17, "added": 17}
    # Run again (a worker died after its commit): nothing is added, nothing is refused.
    with app.test_request_context():
        save_assignment_plan(**saved.job.kwargs)
    db.session.commit()
    assert len(_pairs()) == 18 and len(_events("assignment.plan")) == 1
    assert _events("assignment.plan_refused") == []
    # The page the save redirected to says so and goes on to the progress page.
    auth.login(organizer)
    response = client.get(f"/judging/contests/{contest.id}/assign?saving={preview.fingerprint}",
                          follow_redirects=True)
    assert response.request.path == f"/judging/contests/{contest.id}/progress"
    assert "17 new assignments saved." in response.get_data(as_text=True)


def test_the_job_inserts_in_batches_and_skips_a_pair_already_there(app, _request, monkeypatch):
    contest, entries, jurors = _contest()
    monkeypatch.setattr(plan_save, "BATCH_ROWS", 4)
    seen = []
    pairs = [(e.id, j.id) for e in entries[:3] for j in jurors[:2]]
    make_assignment(entries[1], jurors[1])
    added = plan_save.insert_pairs(contest_id=contest.id, round_no=1, pairs=pairs, actor_id=None,
                                   progress=seen.append)
    db.session.commit()
    assert (added, seen) == (5, [4, 6])
    assert _pairs() == sorted(pairs)


def test_inputs_changed_between_the_click_and_the_job_are_refused_and_nothing_is_written(app, client, auth):
    contest, _entries, _jurors = _contest()
    organizer = make_user(Role.ORGANIZER)
    with app.test_request_context():
        preview, saved = _queue_save(contest, organizer)
    make_entry(contest)  # one more essay ready for judging: an input of the plan
    assert run_job(saved.job.id) == "done"
    assert _pairs() == [] and _events("assignment.plan") == []
    [event] = _events("assignment.plan_refused")
    assert (event.actor_id, event.new) == (organizer.id, {"reason": "changed", "pairs": 18, "round": 1})
    auth.login(organizer)
    page = client.get(f"/judging/contests/{contest.id}/assign?saving={preview.fingerprint}").get_data(
        as_text=True)
    assert "The plan was not saved: entries, jurors or assignments changed between your click" in page
    assert "Save 21 new assignments" in page  # the new plan, to look at and save again


def test_a_preview_no_longer_kept_when_the_job_runs_is_refused(app, _request):
    contest, _entries, _jurors = _contest()
    preview, saved = _queue_save(contest, make_user(Role.ORGANIZER))
    preview_cache.redis_connection().delete(preview_cache._key(contest.id, 1, preview.fingerprint, "pairs"))
    assert assign_services.save_queued_plan(**saved.job.kwargs) == "expired"
    db.session.commit()
    assert _pairs() == [] and [e.new["reason"] for e in _events("assignment.plan_refused")] == ["expired"]


def test_nothing_else_changes_assignments_while_a_save_is_pending(app, _request):
    contest, entries, jurors = _contest()
    organizer = make_user(Role.ORGANIZER)
    existing = make_assignment(entries[0], jurors[0])
    preview, saved = _queue_save(contest, organizer)
    refused = [
        lambda: assign_services.add_juror(entry=entries[1], juror_id=jurors[1].id, actor=organizer),
        lambda: assign_services.remove_assignment(assignment=existing, actor=organizer, confirm=True),
        lambda: assign_services.reassign_entry(entry=db.session.get(Entry, entries[2].id), actor=organizer),
        lambda: add_extra_juror(contest=contest, entry=entries[3], actor=organizer),
        lambda: assign_services.save_plan(contest=contest, actor=organizer, fingerprint=preview.fingerprint),
    ]
    for change in refused:
        with pytest.raises(Conflict) as error:
            change()
        db.session.rollback()
        assert BEING_SAVED in str(error.value.message)
    assert _pairs() == [(entries[0].id, jurors[0].id)]
    assert run_job(saved.job.id) == "done"
    assert db.session.scalar(select(func.count(Assignment.id))) == 18
    # Once saved, assignments can be changed by hand again.
    assign_services.remove_assignment(assignment=db.session.get(Assignment, existing.id), actor=organizer,
                                      confirm=True)
    db.session.commit()
    assert db.session.scalar(select(func.count(Assignment.id))) == 17


def test_a_manual_assignment_while_a_save_is_pending_is_refused_on_the_entry_page(app, client, auth):
    contest, entries, jurors = _contest()
    organizer = make_user(Role.ORGANIZER)
    with app.test_request_context():
        _queue_save(contest, organizer)
    auth.login(organizer)
    page = client.post(f"/judging/entries/{entries[0].id}/jurors", data={"juror_id": jurors[0].id},
                       follow_redirects=True).get_data(as_text=True)
    assert BEING_SAVED in page and _pairs() == []
