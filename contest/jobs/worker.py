"""The RQ worker: the app is created once and the jobs' imports are preloaded before
RQ forks a work horse per job, so a job pays no import cost.

A worker rides out faults: a Redis outage or hang ends RQ's work loop, and main() waits
for Redis with backoff and starts the loop again (same process, same queue, the job in
hand already recorded in the database); a heartbeat thread keeps its running job's row
fresh so that the reconciler can tell a dead worker's job (run again within
JOB_LOST_AFTER + RECONCILE_INTERVAL) from a long one.
"""
from __future__ import annotations

import importlib
import logging
import os
import signal
import threading
import time
import uuid

import redis
from rq import SimpleWorker, Worker
from rq.exceptions import StopRequested

log = logging.getLogger(__name__)

# Modules whose import is slow or that define tasks; imported once in the parent.
PRELOAD = (
    "contest.mail.services", "contest.awards.tasks", "contest.submissions.tasks", "contest.messages.tasks",
    "contest.contests.tasks", "contest.judging.tasks",
    "numpy", "scipy.sparse", "pdfplumber", "docx", "reportlab.pdfgen.canvas",
)
RUN_JOB = "contest.jobs.services.run_job"


class JobHeartbeat(threading.Thread):
    """Touches the running job's row every few seconds from a thread of the worker process
    (in fork mode the parent's: it lives as long as the worker does, not the horse)."""

    def __init__(self, app):
        super().__init__(name="job-heartbeat", daemon=True)
        self.app, self.job_id = app, None
        cfg = app.config
        self.interval = min(cfg["JOB_HEARTBEAT"], cfg["JOB_LOST_AFTER"] / 3)

    def run(self) -> None:
        from contest.extensions import db
        from contest.jobs.services import beat

        while True:
            time.sleep(self.interval)
            job_id = self.job_id
            if job_id is None:
                continue
            with self.app.app_context():
                try:
                    beat(job_id)
                except Exception as exc:  # the database is down: the next beat may pass
                    log.warning("heartbeat of job %s failed: %s", job_id, exc)
                finally:
                    db.session.remove()


class _Contest:
    """Runs the job reconciler as part of RQ's maintenance, one worker at a time, and
    tells the heartbeat which job row is running."""

    heartbeat_thread: JobHeartbeat | None = None

    def execute_job(self, job, queue):
        beating = self.heartbeat_thread
        if beating is not None and job.func_name == RUN_JOB and job.args:
            beating.job_id = job.args[0]
        try:
            return super().execute_job(job, queue)
        finally:
            if beating is not None:
                beating.job_id = None

    def _install_signal_handlers(self):
        super()._install_signal_handlers()
        if _STOP_SIGNALLED.is_set():  # the signal came while the worker was starting
            self._stop_requested = True  # the loop ends at its first turn

    def request_stop(self, signum, frame):
        # RQ stops an idle worker by raising StopRequested wherever the signal lands; should
        # some handler swallow it, the loop still ends at its next turn.
        _STOP_SIGNALLED.set()
        self._stop_requested = True
        super().request_stop(signum, frame)

    def run_maintenance_tasks(self):
        try:
            super().run_maintenance_tasks()
        except redis.RedisError as exc:  # RQ's registry clean-up; the reconciler needs Redis too
            log.warning("maintenance skipped, Redis unavailable: %s", exc)
            return
        from contest.extensions import db
        from contest.jobs.services import reconcile_jobs

        try:
            if self._reconciler_turn():
                requeued = reconcile_jobs()
                if requeued:
                    log.info("reconciler re-queued %d job(s)", requeued)
        except StopRequested:
            raise
        except Exception:  # the worker must outlive a failed maintenance round
            log.exception("reconciler failed")
        finally:
            db.session.remove()  # no connection may be checked out when the horse forks

    def _reconciler_turn(self) -> bool:
        """One reconciler round per RECONCILE_INTERVAL among all workers: the one that sets
        the Redis key first runs it (two rounds at once would push the same jobs twice)."""
        from flask import current_app

        from contest.jobs.queue import redis_connection

        cfg = current_app.config
        ttl_ms = max(500, int(cfg["RECONCILE_INTERVAL"] * 900))
        return bool(redis_connection().set(f"{cfg['REDIS_PREFIX']}reconciler", self.name, nx=True, px=ttl_ms))


class ContestWorker(_Contest, Worker):
    """Forks a work horse per job (RQ's default): a job that corrupts its process dies alone."""


class InProcessWorker(_Contest, SimpleWorker):
    """Runs each job in the worker process: no fork and no reconnect per job (~30 ms saved
    a job). Safe here because every job only talks to the database, Redis and files, and
    extraction, the one risky step, runs in its own sandboxed child process anyway. RQ's
    job timeout still applies (SIGALRM in this process)."""

    def perform_job(self, job, queue):
        from contest.extensions import db

        try:
            return super().perform_job(job, queue)
        finally:
            db.session.remove()  # each job starts with a fresh session, as in a forked horse


WORKER_CLASSES = {"fork": ContestWorker, "inprocess": InProcessWorker}


def _preload(app) -> None:
    for module in PRELOAD + tuple(app.config.get("PRELOAD_EXTRA", ())):
        try:
            importlib.import_module(module)
        except ImportError:
            log.warning("preload: %s not importable", module)
    try:  # warm pdfminer's and charset-normalizer's lazy state once, before any fork
        from contest.extraction import sandbox

        sandbox.preload()
    except Exception:
        log.exception("extraction preload failed")


def _wait_for_redis(stopped, max_wait: float = 10.0) -> None:
    """Ping Redis with exponential backoff (1 s, 2 s, ... max_wait) until it answers."""
    from contest.jobs.queue import redis_connection

    wait = 1.0
    while not stopped():
        try:
            redis_connection().ping()
            return
        except redis.RedisError as exc:
            log.warning("Redis unavailable (%s); next try in %.0f s", exc, wait)
        time.sleep(wait)
        wait = min(wait * 2, max_wait)


def main(burst: bool = False) -> None:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    from contest import create_app
    from contest.jobs.queue import queue_name, worker_connection

    signal.signal(signal.SIGTERM, _note_stop)
    signal.signal(signal.SIGINT, _note_stop)
    app = create_app()
    _preload(app)
    with app.app_context():
        heartbeat = JobHeartbeat(app)
        heartbeat.start()
        worker_class = WORKER_CLASSES[app.config.get("WORKER_MODE", "inprocess")]
        while True:
            worker = worker_class(
                [queue_name()], connection=worker_connection(),
                # Named after the deployment's Redis prefix: RQ lists every worker in one set
                # shared by all who use the Redis, and a killed worker's name stays in it.
                name=f"{app.config['REDIS_PREFIX']}{uuid.uuid4().hex}",
                maintenance_interval=app.config["RECONCILE_INTERVAL"],
                # RQ blocks on Redis for worker_ttl - 15 s; waking every RECONCILE_INTERVAL
                # lets maintenance (and so the reconciler) run on time.
                worker_ttl=app.config["RECONCILE_INTERVAL"] + 15,
            )
            worker.heartbeat_thread = heartbeat
            try:
                worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
            except redis.RedisError as exc:  # raised by RQ's own clean-up after it gave up
                log.warning("worker loop ended by Redis: %s", exc)
            if burst or _stopping(worker):
                return
            log.warning("worker loop ended; reconnecting to Redis")
            _wait_for_redis(lambda w=worker: _stopping(w))
            if _stopping(worker):
                return


# Set by SIGTERM/SIGINT from the moment main() starts, before RQ listens for them (a stop
# during start-up must not be lost) and after (RQ's handlers, see _Contest.request_stop).
_STOP_SIGNALLED = threading.Event()


def _note_stop(signum, frame) -> None:
    _STOP_SIGNALLED.set()


def _stopping(worker) -> bool:
    """SIGTERM or SIGINT was received: RQ sets _stop_requested only when the signal comes during
    a job (an idle worker just leaves its loop), or it came before RQ listened."""
    return (_STOP_SIGNALLED.is_set() or worker._stop_requested
            or worker._shutdown_requested_date is not None)
