"""Saving a previewed assignment plan: its pairs inserted in batches, and a large plan saved
by a worker job while the organizer's page shows how far it has got.

A plan of more than PLAN_SAVE_INLINE_MAX_PAIRS new pairs (300,000 at 100k entries: 18 s of
inserts, past the web server's timeout) is queued: the request makes the inline save's
checks and records a job (contest.judging.tasks.save_assignment_plan, one per fingerprint);
the job makes them again (assign_services.save_queued_plan), inserts the stored pairs in
one transaction, BATCH_ROWS at a time, and writes the same audit event. While it is queued
or running nothing else changes the contest's assignments (check_no_save_pending), so the
inputs it checked are the ones it saves over. A pair the round already has is skipped (the
(entry, juror, round) unique key), and a run that finds its plan saved does nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contest.audit.services import record_event
from contest.contests.models import Contest
from contest.db import utcnow
from contest.errors import Conflict
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.judging import preview_cache
from contest.judging.models import Assignment, ReviewStatus
from contest.rounds.queries import current_round_no, get_round

BATCH_ROWS = 5000  # rows per INSERT executemany; the page's progress moves by this much
PENDING = (JobStatus.QUEUED, JobStatus.RUNNING)  # a failed attempt waiting for its retry is queued

REFUSALS = {
    "changed": _l("The plan was not saved: entries, jurors or assignments changed between your click "
                  "and the save. Nothing was written. Look at the new plan and save again."),
    "expired": _l("The plan was not saved: this preview is no longer kept. Look at the plan again and "
                  "save it."),
    "closed": _l("The plan was not saved: jurors cannot be assigned now (the contest's phase or round "
                 "changed, or names are being removed from the essays)."),
    "failed": _l("Something went wrong while saving the plan; the error has been recorded and nothing "
                 "was saved. Save it again; if it fails again, tell the site administrator."),
}


@dataclass
class SavedPlan:
    """What pressing save did: `new` pairs inserted, or queued for `job` to insert."""

    new: int
    job: Job | None = None


@dataclass
class SaveState:
    """A queued save as the organizer's page shows it. state: queued, saving (pending), or
    saved, refused, failed, finished (the outcome is no longer known)."""

    job: Job
    state: str
    done: int = 0
    total: int = 0
    added: int = 0
    reason: str = ""

    @property
    def pending(self) -> bool:
        return self.job.status in PENDING

    @property
    def fingerprint(self) -> str:
        return self.job.kwargs["fingerprint"]

    @property
    def message(self):
        return REFUSALS.get(self.reason if self.state == "refused" else self.state, "")


def _key_prefix(contest_id: int) -> str:
    return f"assign-save:{contest_id}:"


def save_key(contest_id: int, round_no: int, fingerprint: str) -> str:
    return f"{_key_prefix(contest_id)}{round_no}:{fingerprint}"


def pending_save(contest_id: int) -> Job | None:
    """The contest's plan save that is queued or running (few rows: the status is indexed)."""
    return db.session.scalars(select(Job).where(Job.status.in_(PENDING),
                                                Job.dedupe_key.startswith(_key_prefix(contest_id)))
                              .order_by(Job.created_at)).first()


def check_no_save_pending(contest_id: int) -> None:
    """Refuse a change of the contest's assignments while a plan is being saved."""
    if pending_save(contest_id) is not None:
        raise Conflict(_l("The assignment plan is being saved. Assignments can be changed again when it "
                          "has finished; try again in a minute."))


def insert_pairs(*, contest_id: int, round_no: int, pairs, actor_id: int | None, progress=None) -> int:
    """Insert the pairs as new assignments, BATCH_ROWS at a time, with Core's multi-row
    INSERT (not ORM objects: a third less time per row), skipping a pair the round has;
    `progress(done)` after each batch. Returns how many rows were inserted."""
    now, added = utcnow(), 0
    stmt = _insert_skipping_existing()
    for start in range(0, len(pairs), BATCH_ROWS):
        rows = [{"contest_id": contest_id, "entry_id": e, "juror_id": j, "status": ReviewStatus.NEW,
                 "round_no": round_no, "version": 0, "scores": {}, "criterion_comments": {},
                 "private_comment": "", "feedback": "", "created_at": now, "updated_at": now,
                 "created_by_id": actor_id} for e, j in pairs[start:start + BATCH_ROWS]]
        added += len(db.session.connection().execute(stmt, rows).all())
        if progress is not None:
            progress(start + len(rows))
    return added


def _insert_skipping_existing():
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    # RETURNING counts the rows inserted: an executemany's rowcount is -1 on psycopg.
    return insert(Assignment.__table__).on_conflict_do_nothing(
        index_elements=["entry_id", "juror_id", "round_no"]).returning(Assignment.__table__.c.id)


def record_plan_saved(*, contest: Contest, actor, round_no: int, added: int, summary: dict) -> None:
    """The audit event of a saved plan, the same whether saved in the request or by the job."""
    record_event(action="assignment.plan", actor=actor, obj=contest, contest_id=contest.id,
                 new={"added": added, "kept": summary["kept"], "short_entries": summary["short_entries"],
                      **({"round": round_no} if get_round(contest.id, round_no) else {})})


def already_saved(contest_id: int, round_no: int, pairs) -> bool:
    """Whether the round has every one of the pairs: the plan was saved (a second run)."""
    have = {tuple(row) for row in db.session.execute(select(Assignment.entry_id, Assignment.juror_id).where(
        Assignment.contest_id == contest_id, Assignment.round_no == round_no))}
    return all(pair in have for pair in pairs)


def queue_save(*, contest: Contest, round_no: int, fingerprint: str, actor, total: int) -> SavedPlan:
    """Record the job that saves the previewed plan (the caller commits; it runs after).
    The same plan tried before (its job failed, or it was refused and the inputs came back)
    is run again. Tried once: a failure is shown at once and the organizer saves again."""
    from contest.jobs import enqueue_after_commit
    from contest.jobs.services import rerun_after_commit
    from contest.judging.tasks import save_assignment_plan

    key = save_key(contest.id, round_no, fingerprint)
    kwargs = {"contest_id": contest.id, "round_no": round_no, "fingerprint": fingerprint,
              "actor_id": actor.id}
    job = enqueue_after_commit(save_assignment_plan, dedupe_key=key, **kwargs)
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        job = rerun_after_commit(key)
        job.kwargs = kwargs
    job.max_attempts = 1
    preview_cache.set_save_progress(contest.id, round_no, fingerprint, state="queued", done=0, total=total)
    return SavedPlan(total, job)


def refuse(*, contest: Contest, actor, round_no: int, fingerprint: str, reason: str, total: int) -> str:
    """The job's refusal: in the audit log, and kept for the organizer's page."""
    record_event(action="assignment.plan_refused", actor=actor, obj=contest, contest_id=contest.id,
                 new={"reason": reason, "pairs": total, "round": round_no})
    preview_cache.set_save_progress(contest.id, round_no, fingerprint, state="refused", reason=reason,
                                    done=0, total=total)
    return reason


def save_state(*, contest: Contest, fingerprint: str | None) -> SaveState | None:
    """The save the organizer's page shows: the contest's pending one, else the one whose
    outcome the page asks for (`fingerprint`, from the URL the save redirected to)."""
    job = pending_save(contest.id)
    if job is None and fingerprint and re.fullmatch(r"[0-9a-f]{32}", fingerprint):
        job = db.session.scalar(select(Job).where(
            Job.dedupe_key == save_key(contest.id, current_round_no(contest.id), fingerprint)))
    if job is None:
        return None
    info = preview_cache.get_save_progress(contest.id, job.kwargs["round_no"], job.kwargs["fingerprint"])
    info = info or {}
    if job.status in PENDING:
        state = info.get("state") if info.get("state") in ("queued", "saving") else job.status.value
        state = "saving" if state == "running" else state
    elif job.status == JobStatus.FAILED:
        state = "failed"
    else:
        state = info.get("state") if info.get("state") in ("saved", "refused") else "finished"
    return SaveState(job, state, info.get("done", 0), info.get("total", 0), info.get("added", 0),
                     info.get("reason", ""))
