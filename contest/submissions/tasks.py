"""Jobs for submissions: extract one version; re-queue entries whose work was lost.

The job never holds a database transaction while the sandbox runs (on SQLite that would
hold the write lock for the whole extraction): it commits "processing", extracts with the
contest's limits in a child process, then records the result in a new transaction.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from contest.db import utcnow
from contest.extensions import db
from contest.extraction import sandbox
from contest.extraction.core import OcrSettings
from contest.extraction.ocr import models_for
from contest.jobs import enqueue_after_commit, task
from contest.jobs.services import requeue_job
from contest.submissions import processing, storage
from contest.submissions.models import Entry, EntryStatus


class TransientExtractionError(RuntimeError):
    """The extraction child died without an answer; the job is retried with backoff."""


@task
def extract_version(*, version_id: int) -> None:
    """Extract one version. Idempotent: a version with a result is left as it is."""
    cfg = current_app.config
    plan = processing.begin_extraction(version_id=version_id)
    db.session.commit()
    if plan is None:
        return
    if plan.attempts > cfg["EXTRACT_MAX_ATTEMPTS"]:
        processing.final_crash(version_id, "gave up after repeated failures")
        return
    try:
        data = storage.read_bytes(plan.stored_name)
    except OSError as exc:  # the stored file is gone: flagged for the organizer, not retried
        processing.final_crash(version_id, f"stored file unreadable: {exc}")
        return
    ocr_settings = OcrSettings(models_for(plan.languages), float(cfg["OCR_TIMEOUT"]))
    outcome = sandbox.run_extraction(data, plan.fmt, max_pages=plan.page_cap,
                                     memory_mb=cfg["EXTRACT_MEMORY_MB"], timeout_s=cfg["EXTRACT_TIMEOUT"],
                                     ocr_settings=ocr_settings)
    if outcome.status == "crashed" and plan.attempts < cfg["EXTRACT_MAX_ATTEMPTS"]:
        raise TransientExtractionError(outcome.detail)
    processing.record_extraction(version_id=version_id, outcome=outcome, data=data)


def reconcile_entries(*, stale_after: int | None = None) -> int:
    """Entries still received/processing after a while whose job is missing or finished
    get their job back (the job reconciler re-pushes queued and dead running jobs)."""
    seconds = stale_after if stale_after is not None else current_app.config["RECONCILE_STALE_AFTER"]
    stale = utcnow() - timedelta(seconds=seconds)
    version_ids = list(db.session.scalars(
        select(Entry.current_version_id).where(
            Entry.status.in_([EntryStatus.RECEIVED, EntryStatus.PROCESSING]),
            Entry.updated_at <= stale, Entry.current_version_id.is_not(None))))
    for version_id in version_ids:
        key = f"extract:{version_id}"
        if requeue_job(key) is None:
            enqueue_after_commit(extract_version, dedupe_key=key, version_id=version_id)
    db.session.flush()
    return len(version_ids)
