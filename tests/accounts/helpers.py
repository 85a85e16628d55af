"""Helpers for account tests: run queued jobs here as the worker would, read the e-mails."""
import re

from sqlalchemy import select

from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.jobs.services import run_job
from contest.mail.models import OutgoingEmail


def run_jobs() -> int:
    """Run every queued job (and the jobs they queue) with the real job runner; the count."""
    done = 0
    while True:
        db.session.commit()
        ids = list(db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED)
                                      .order_by(Job.created_at)))
        if not ids:
            return done
        for job_id in ids:
            run_job(job_id)
            done += 1


def mails_to(address: str) -> list[OutgoingEmail]:
    return list(db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.to == address)
                                   .order_by(OutgoingEmail.id)))


def link_in_last_mail(address: str) -> str:
    """The path of the contest link in the newest message to `address` (after running jobs)."""
    run_jobs()
    return re.search(r"http://contest\.test(\S+)", mails_to(address)[-1].body).group(1)


def expire_waits() -> int:
    """End every running sign-in wait now, as if its time had passed (the keys expire early)."""
    from flask import current_app

    from contest.jobs.queue import redis_connection

    conn = redis_connection()
    keys = list(conn.scan_iter(match=f"{current_app.config['REDIS_PREFIX']}throttle:*:wait"))
    return conn.delete(*keys) if keys else 0
