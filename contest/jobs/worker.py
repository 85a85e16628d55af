"""The RQ worker: the app is created once and the jobs' imports are preloaded before
RQ forks a work horse per job, so a job pays no import cost."""
from __future__ import annotations

import importlib
import logging
import os

from rq import SimpleWorker, Worker

log = logging.getLogger(__name__)

# Modules whose import is slow or that define tasks; imported once in the parent.
PRELOAD = (
    "contest.mail.services", "contest.awards.tasks", "contest.submissions.tasks", "contest.messages.tasks",
    "contest.contests.tasks", "contest.judging.tasks",
    "numpy", "scipy.sparse", "pdfplumber", "docx", "reportlab.pdfgen.canvas",
)


class _Reconciling:
    """Runs the job reconciler as part of RQ's maintenance."""

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        from contest.extensions import db
        from contest.jobs.services import reconcile_jobs

        try:
            requeued = reconcile_jobs()
            if requeued:
                log.info("reconciler re-queued %d job(s)", requeued)
        except Exception:  # the worker must outlive a failed maintenance round
            log.exception("reconciler failed")
        finally:
            db.session.remove()  # no connection may be checked out when the horse forks


class ContestWorker(_Reconciling, Worker):
    """Forks a work horse per job (RQ's default): a job that corrupts its process dies alone."""


class InProcessWorker(_Reconciling, SimpleWorker):
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


def main(burst: bool = False) -> None:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    from contest import create_app
    from contest.jobs.queue import queue_name, redis_connection

    app = create_app()
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
    with app.app_context():
        worker_class = WORKER_CLASSES[app.config.get("WORKER_MODE", "inprocess")]
        worker = worker_class(
            [queue_name()], connection=redis_connection(),
            maintenance_interval=app.config["RECONCILE_INTERVAL"],
            # RQ blocks on Redis for worker_ttl - 15 s; waking every RECONCILE_INTERVAL
            # lets maintenance (and so the reconciler) run on time.
            worker_ttl=app.config["RECONCILE_INTERVAL"] + 15,
        )
        worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
