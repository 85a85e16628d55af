"""Faults injected into real processes: a Redis of the test's own stopped while a real
worker.py is busy, a worker SIGKILLed mid-job, two workers reconciling at once, and the
database locked while a failing job records its failure. Each test checks that nothing
is lost or run twice, and what the worker does."""
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from rq.job import Job as RQJob
from rq.results import Result
from sqlalchemy import select

from contest.extensions import db
from contest.jobs import enqueue_after_commit
from contest.jobs.models import Job, JobStatus
from contest.jobs.queue import redis_connection
from contest.jobs.services import rq_job_id
from tests.conftest import wait_for
from tests.jobs.tasks import fail_once_on_signal, nap

pytestmark = pytest.mark.worker


def _enqueue(func, **kwargs) -> str:
    job = enqueue_after_commit(func, **kwargs)
    db.session.commit()
    return job.id


def _job(job_id: str) -> Job:
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _runs(log: Path) -> int:
    return log.read_text().count("ran") if log.exists() else 0


@pytest.mark.postgres
class TestOwnRedis:
    @pytest.fixture
    def app_config(self, redis_server):
        return {"REDIS_URL": redis_server.url}

    def test_busy_worker_survives_a_redis_outage_and_keeps_working(self, app, redis_server, start_worker,
                                                                    tmp_path):
        worker = start_worker(REDIS_URL=redis_server.url)
        log = tmp_path / "runs.log"
        first = _enqueue(nap, seconds=3, log=str(log))
        wait_for(lambda: _job(first).status == JobStatus.RUNNING, timeout=40, interval=0.05)
        redis_server.stop()  # Redis goes away while the worker is busy
        wait_for(lambda: _job(first).status == JobStatus.DONE, timeout=30)
        time.sleep(2)  # the worker writes its after-job heartbeat to Redis: it fails
        assert worker.poll() is None, "the worker died with Redis"
        redis_server.start()  # back, and empty
        second = _enqueue(nap, seconds=0, log=str(log))
        wait_for(lambda: _job(second).status == JobStatus.DONE, timeout=60)
        assert worker.poll() is None
        assert (_runs(log), _job(first).attempts, _job(second).attempts) == (2, 1, 1)

    def test_dead_workers_job_runs_again_within_a_minute(self, app, redis_server, start_worker, tmp_path):
        """With the production settings (beat every 5 s, lost after 30 s of silence)."""
        doomed = start_worker(REDIS_URL=redis_server.url)
        log = tmp_path / "runs.log"
        job_id = _enqueue(nap, seconds=4, log=str(log))
        wait_for(lambda: _job(job_id).status == JobStatus.RUNNING, timeout=40, interval=0.05)
        os.killpg(doomed.pid, signal.SIGKILL)  # the worker and its scheduler child
        doomed.wait()
        start_worker(REDIS_URL=redis_server.url)
        wait_for(lambda: _job(job_id).attempts == 2, timeout=60)  # running again within 60 s
        wait_for(lambda: _job(job_id).status == JobStatus.DONE, timeout=30)
        assert (_job(job_id).attempts, _runs(log)) == (2, 1)  # the killed run never finished

    def test_long_job_of_a_live_worker_is_not_taken_for_dead(self, app, redis_server, start_worker, tmp_path):
        fast = dict(REDIS_URL=redis_server.url, JOB_HEARTBEAT=0.3, JOB_LOST_AFTER=2, RECONCILE_INTERVAL=1)
        for _ in range(2):
            start_worker(**fast)
        log = tmp_path / "runs.log"
        job_id = _enqueue(nap, seconds=7, log=str(log))  # far longer than JOB_LOST_AFTER
        wait_for(lambda: _job(job_id).status == JobStatus.DONE, timeout=60)
        time.sleep(2)
        assert (_job(job_id).attempts, _runs(log)) == (1, 1)

    def test_two_workers_reconcile_without_pushing_twice(self, app, redis_server, start_worker, tmp_path):
        log = tmp_path / "runs.log"
        redis_server.stop()  # the requests' pushes fail: the rows wait for a reconciler
        job_ids = [_enqueue(nap, seconds=0, log=str(log)) for _ in range(6)]
        redis_server.start()
        for _ in range(2):
            start_worker(REDIS_URL=redis_server.url, RECONCILE_INTERVAL=1, RECONCILE_STALE_AFTER=1)
        wait_for(lambda: all(_job(i).status == JobStatus.DONE for i in job_ids), timeout=60)
        time.sleep(3)  # a few more reconciler rounds of both workers
        assert _runs(log) == 6
        connection = redis_connection()
        executions = [len(Result.all(RQJob.fetch(rq_job_id(i), connection=connection))) for i in job_ids]
        assert executions == [1] * 6  # each job pushed once: no second copy, no "skipped" run


def test_failure_that_cannot_be_recorded_is_run_again(app, start_worker, tmp_path, services):
    """SQLite only: the test takes the database's write lock while the job records its
    failure, so recording fails after the busy timeout and the row stays "running"."""
    start_worker(JOB_HEARTBEAT=0.5, JOB_LOST_AFTER=3, RECONCILE_INTERVAL=1)
    job_id = _enqueue(fail_once_on_signal, folder=str(tmp_path))
    wait_for(lambda: (tmp_path / "started").exists(), timeout=40)
    path = services["database_url"].removeprefix("sqlite:///")
    lock = sqlite3.connect(path, isolation_level=None, timeout=30)
    lock.execute("BEGIN EXCLUSIVE")
    (tmp_path / "go").write_text("")
    wait_for(lambda: (tmp_path / "run-0").exists(), timeout=5)
    time.sleep(17)  # longer than the busy timeout (15 s): the failure record fails
    # Read while the lock is still held (WAL lets readers in): once it is released the
    # reconciler's waiting update may requeue the job before this test reads it.
    assert _job(job_id).status == JobStatus.RUNNING  # stuck, as after a database outage
    lock.execute("ROLLBACK")
    lock.close()
    wait_for(lambda: _job(job_id).status == JobStatus.DONE, timeout=40)
    assert (_job(job_id).attempts, sorted(p.name for p in tmp_path.glob("run-*"))) == (2, ["run-0", "run-1"])
    assert db.session.scalar(select(Job.status).where(Job.id == job_id)) == JobStatus.DONE
