"""Queueing jobs after commit, running them, and reconciling lost ones."""
from __future__ import annotations

import importlib
import logging
import os
import re
import time
import traceback
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from rq import Retry
from rq.job import Job as RQJob
from rq.job import JobStatus as JobStatusRQ
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from contest.db import utcnow
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.jobs.queue import get_queue

log = logging.getLogger(__name__)
_PENDING = "contest_pending_jobs"
_PAUSED_UNTIL = "contest_push_paused_until"


def task(func: Callable) -> Callable:
    """Mark a function as runnable by name from the job table (nothing else is)."""
    func.is_contest_task = True
    return func


def _task_name(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def enqueue_after_commit(func: Callable, *, dedupe_key: str | None = None, **kwargs) -> Job:
    """Record a job in this transaction; it reaches Redis only once the transaction commits.

    kwargs must be JSON values (ids, not objects). With a dedupe_key an existing
    job for the same work is returned instead of a second one.
    """
    if not getattr(func, "is_contest_task", False):
        raise ValueError(f"{_task_name(func)} is not a @task")
    if dedupe_key:
        existing = db.session.scalar(select(Job).where(Job.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    job = Job(
        name=_task_name(func), kwargs=kwargs, dedupe_key=dedupe_key,
        max_attempts=current_app.config["JOB_MAX_ATTEMPTS"],
    )
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(job.id)
    return job


def rq_job_id(job_id: str) -> str:
    """RQ's id for a job row: carries REDIS_PREFIX (RQ allows letters, digits, _ and -), so every
    key an installation or a test run creates in a shared Redis is recognisably its own."""
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", current_app.config["REDIS_PREFIX"])
    return f"{prefix}job-{job_id}"


def push_to_redis(job_ids: list[str], *, skip_held: bool = False) -> int:
    """Hand jobs to RQ; a Redis outage is logged, not raised (the reconciler retries).

    One short attempt (the app's client has a short timeout and does not retry one); a
    failure pauses this process's after-commit pushes (see init_app). With skip_held, jobs
    RQ already holds (queued or waiting for a retry) are left alone, so the reconciler
    does not put a second copy in the queue."""
    pushed = 0
    try:
        queue = get_queue()
        if skip_held:
            job_ids = _not_held(queue, job_ids)
        for job_id in job_ids:
            queue.enqueue(
                "contest.jobs.services.run_job", job_id, job_id=rq_job_id(job_id),
                retry=Retry(max=2, interval=[5, 30]), failure_ttl=86400, result_ttl=600,
            )
            pushed += 1
    except Exception as exc:  # redis.ConnectionError, TimeoutError and friends
        current_app.extensions[_PAUSED_UNTIL] = time.monotonic() + current_app.config["REDIS_PUSH_PAUSE"]
        log.warning("Redis unavailable, %d job(s) left for the reconciler: %s", len(job_ids) - pushed, exc)
    return pushed


def _not_held(queue, job_ids: list[str]) -> list[str]:
    """The ids whose RQ job is missing (Redis lost it) or finished/failed in RQ."""
    held = {JobStatusRQ.QUEUED, JobStatusRQ.SCHEDULED, JobStatusRQ.DEFERRED}
    found = RQJob.fetch_many([rq_job_id(i) for i in job_ids], connection=queue.connection)
    return [i for i, rq_job in zip(job_ids, found, strict=True)
            if rq_job is None or rq_job.get_status(refresh=False) not in held]


def init_app(app) -> None:
    """Wire the after-commit hook to the app's session.

    For REDIS_PUSH_PAUSE s after a failed push this process does not try again: during a
    Redis hang a request pays the short timeout at most once in a while, and the
    reconciler pushes what was left (the rows are committed, nothing is lost)."""
    from sqlalchemy import event

    @event.listens_for(Session, "after_commit")
    def _after_commit(session: Session) -> None:
        job_ids = session.info.pop(_PENDING, [])
        if job_ids and current_app.extensions.get(_PAUSED_UNTIL, 0) <= time.monotonic():
            push_to_redis(job_ids)

    @event.listens_for(Session, "after_soft_rollback")
    def _after_rollback(session: Session, _previous) -> None:
        session.info.pop(_PENDING, None)


def _resolve(name: str) -> Callable:
    module_name, _, attr = name.rpartition(".")
    func = getattr(importlib.import_module(module_name), attr)
    if not getattr(func, "is_contest_task", False):
        raise ValueError(f"{name} is not a @task")
    return func


def _resolve_plain(name: str) -> Callable:
    module_name, _, attr = name.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def requeue_job(dedupe_key: str) -> Job | None:
    """Put a finished (done or failed) job back in the queue with fresh attempts; the job
    reconciler pushes it. For domain reconcilers whose object is still not in a final state."""
    job = db.session.scalar(select(Job).where(Job.dedupe_key == dedupe_key))
    if job is not None and job.status in (JobStatus.DONE, JobStatus.FAILED):
        job.status = JobStatus.QUEUED
        job.attempts = 0
        job.last_error = "requeued by a reconciler"
        # updated_at is left old so the same reconcile round pushes it.
    return job


def rerun_after_commit(dedupe_key: str) -> Job | None:
    """requeue_job for a job someone is waiting for: pushed to Redis as soon as this
    transaction commits rather than at the reconciler's next round."""
    job = db.session.scalar(select(Job).where(Job.dedupe_key == dedupe_key))
    if job is None or job.status not in (JobStatus.DONE, JobStatus.FAILED):
        return job
    requeue_job(dedupe_key)
    job.updated_at = utcnow()
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(job.id)
    return job


def _claim(job_id: str) -> Job | None:
    """Atomically move a queued job to running; None if another run has it or it is finished."""
    now = utcnow()
    claimed = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=now, updated_at=now)
    ).rowcount
    db.session.commit()
    return db.session.get(Job, job_id) if claimed else None


_process_pid: int | None = None


def _fresh_connections_after_fork() -> None:
    """A forked work horse must not reuse the parent's pooled database connections."""
    global _process_pid
    if _process_pid != os.getpid():
        db.engine.dispose(close=False)
        _process_pid = os.getpid()


def run_job(job_id: str) -> str:
    """RQ entry point: claim the job row, run its task, record the outcome in the database."""
    _fresh_connections_after_fork()
    job = _claim(job_id)
    if job is None:
        return "skipped"
    func, kwargs = _resolve(job.name), dict(job.kwargs)
    db.session.commit()  # no transaction (on SQLite: the write lock) held into the task
    try:
        func(**kwargs)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        try:
            _record_failure(job_id, exc)
        except Exception:  # the database failed too: the row stays running, unbeaten,
            db.session.rollback()  # and the reconciler runs it again after JOB_LOST_AFTER
            log.exception("could not record the failure of job %s", job_id)
        raise
    db.session.execute(
        update(Job).where(Job.id == job_id)
        .values(status=JobStatus.DONE, finished_at=utcnow(), updated_at=utcnow(), last_error="")
    )
    db.session.commit()
    return "done"


def _record_failure(job_id: str, exc: Exception) -> None:
    job = db.session.get(Job, job_id)
    final = job.attempts >= job.max_attempts
    job.status = JobStatus.FAILED if final else JobStatus.QUEUED
    job.last_error = "".join(traceback.format_exception_only(exc))[-2000:]
    job.updated_at = utcnow()
    db.session.commit()


def beat(job_id: str) -> int:
    """A running job's heartbeat: its row's updated_at moves while its worker lives."""
    touched = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == JobStatus.RUNNING).values(updated_at=utcnow())
    ).rowcount
    db.session.commit()
    return touched


def reconcile_jobs(*, stale_after: int | None = None) -> int:
    """Re-push jobs Redis may have lost, and run again the jobs of dead workers.

    Queued jobs not touched for RECONCILE_STALE_AFTER s that RQ does not hold are pushed.
    A running job whose worker has not beaten for JOB_LOST_AFTER s (worker.py beats every
    JOB_HEARTBEAT s; a killed worker, or one whose failure record failed, stops) goes back
    to queued and is pushed in the same round. Returns the count pushed."""
    cfg = current_app.config
    for name in cfg.get("RECONCILERS", ()):
        _resolve_plain(name)(stale_after=stale_after)
    now = utcnow()
    stale = now - timedelta(seconds=stale_after if stale_after is not None else cfg["RECONCILE_STALE_AFTER"])
    dead_ids = list(db.session.scalars(select(Job.id).where(
        Job.status == JobStatus.RUNNING, Job.updated_at < now - timedelta(seconds=cfg["JOB_LOST_AFTER"]))))
    if dead_ids:
        log.warning("%d running job(s) lost their worker; running them again", len(dead_ids))
        db.session.execute(
            update(Job).where(Job.id.in_(dead_ids), Job.status == JobStatus.RUNNING)
            .values(status=JobStatus.QUEUED, updated_at=now, last_error="worker lost; requeued")
        )
    ids = list(db.session.scalars(
        select(Job.id).where(Job.status == JobStatus.QUEUED, Job.updated_at < stale)
    ))
    db.session.execute(update(Job).where(Job.id.in_(ids)).values(updated_at=now))
    db.session.commit()
    pushed = push_to_redis(dead_ids) if dead_ids else 0  # RQ may still list them as started
    return pushed + (push_to_redis(ids, skip_held=True) if ids else 0)
