"""Jobs: recorded in the transaction, pushed to real Redis after commit, run by a real
worker.py, outcomes in the database; Redis outages leave work for the reconciler."""
from pathlib import Path

import pytest
from sqlalchemy import select

from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.jobs.queue import get_queue
from contest.jobs.services import reconcile_jobs, rq_job_id, run_job
from contest.mail.models import OutgoingEmail
from contest.mail.services import deliver_email, send_email
from tests.conftest import RUN_TOKEN, wait_for

pytestmark = pytest.mark.postgres


def test_job_reaches_redis_only_after_commit(app):
    queue = get_queue()
    send_email(to="a@example.kz", subject="Hi", body="Body")
    assert queue.count == 0
    db.session.commit()
    assert queue.count == 1
    queue.empty()


def test_rolled_back_job_is_neither_stored_nor_queued(app):
    queue = get_queue()
    send_email(to="a@example.kz", subject="Hi", body="Body")
    db.session.rollback()
    assert queue.count == 0
    assert db.session.scalar(select(Job)) is None


@pytest.mark.worker
def test_real_worker_runs_mail_job_and_records_outcome(app, worker):
    send_email(to="juror@example.kz", subject="Invitation", body="Привет, қазақ тілі")
    db.session.commit()
    job = wait_for(lambda: db.session.scalar(select(Job).where(Job.status == JobStatus.DONE)), timeout=40)
    assert job.attempts == 1
    files = list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))
    assert len(files) == 1
    assert "juror@example.kz" in files[0].read_text()
    # Registered in RQ's shared set of workers under this deployment's prefix (which the test
    # session's clean-up then finds, even for a worker that was killed).
    from contest.jobs.queue import redis_connection

    names = [n.decode() for n in redis_connection().smembers("rq:workers")]
    assert any(n.startswith(f"rq:worker:{app.config['REDIS_PREFIX']}") for n in names), names


def test_delivering_the_same_email_three_times_sends_once(app):
    message = send_email(to="a@example.kz", subject="Hi", body="Body")
    db.session.commit()
    get_queue().empty()
    for _ in range(3):
        deliver_email(email_id=message.id)
        db.session.commit()
    assert len(list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))) == 1


def test_running_a_job_twice_is_harmless(app):
    send_email(to="a@example.kz", subject="Hi", body="Body")
    db.session.commit()
    get_queue().empty()
    job = db.session.scalar(select(Job))
    assert run_job(job.id) == "done"
    assert run_job(job.id) == "skipped"
    assert db.session.get(Job, job.id).attempts == 1


def test_header_injection_is_refused(app):
    from contest.errors import InvalidInput

    with pytest.raises(InvalidInput):
        send_email(to="a@example.kz\r\nBcc: x@evil.example", subject="Hi", body="B")


class TestRedisDown:
    @pytest.fixture
    def app_config(self):
        return {"REDIS_URL": "redis://127.0.0.1:1/0"}  # nothing listens there

    def test_commit_succeeds_and_reconciler_requeues_later(self, app, services):
        send_email(to="a@example.kz", subject="Hi", body="Body")
        db.session.commit()  # must not raise
        job = db.session.scalar(select(Job))
        assert job.status == JobStatus.QUEUED
        assert db.session.scalar(select(OutgoingEmail.sent_at)) is None
        # Redis is back:
        app.config["REDIS_URL"] = services["redis_url"]
        app.extensions.pop("contest_redis")
        assert reconcile_jobs(stale_after=0) == 1
        queue = get_queue()
        assert queue.job_ids == [rq_job_id(job.id)]
        assert RUN_TOKEN in rq_job_id(job.id)  # so the session's clean-up finds its RQ keys
        queue.empty()
