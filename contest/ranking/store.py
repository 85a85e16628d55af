"""The ranking of a large contest, computed by a worker job and stored in Redis (issue 24).

Ranking 100,000 entries takes seconds: no organizer request should pay it. A contest with
more than RANKING_INLINE_MAX_ENTRIES entries is ranked by `refresh_ranking`, queued
(one job per contest, method and bridging: see `request_refresh`) whenever a review is
submitted or reopened, and whenever a page finds the stored ranking out of date. The pages
read `ranking_for`: the stored ranking with its state, "fresh" (its key is the current
one: same settings, same fingerprint of the reviews and entries), "stale" (an older
ranking, shown with an "updating" note while the job runs) or "missing" (none yet: the page
says it is being computed). A small contest is ranked inside the request as before (the
in-process cache of queries.cached_contest_ranking).

Why Redis, not a table: the stored ranking is derived data that any worker can rebuild from
the database, web and workers already share Redis (under REDIS_PREFIX), and it is one
pickled value per contest and method (a few MB at 100,000 entries, see bench/scale.py), read
whole: no migration, no row churn, and losing it costs one recomputation, not data.
A fresh value, once read, is kept in the process's LRU cache under the same key, so the next
request pays only the fingerprint query.
"""
from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from contest.contests.models import Contest
from contest.db import utcnow
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.jobs.services import _PENDING, enqueue_after_commit, task
from contest.ranking import queries
from contest.ranking.cache import RANKINGS
from contest.submissions.models import Entry

FRESH, STALE, MISSING = "fresh", "stale", "missing"
_MAX_PASSES = 3  # a job computes again while reviews keep changing under it, at most this often


@dataclass(frozen=True)
class Stored:
    """What a page shows: the ranking groups (None when missing), the state, when the shown
    ranking was computed (None when computed in this request), and whether a refresh was
    queued by this call (the view commits it)."""

    result: dict | None
    state: str
    computed_at: datetime | None = None
    queued: bool = False


def is_large(contest_id: int) -> bool:
    """More entries than a request may rank inline (RANKING_INLINE_MAX_ENTRIES)."""
    count = db.session.scalar(select(func.count(Entry.id)).where(Entry.contest_id == contest_id)) or 0
    return count > current_app.config["RANKING_INLINE_MAX_ENTRIES"]


def _redis_key(contest_id: int, method: str, bridging: str) -> str:
    return f"{current_app.config['REDIS_PREFIX']}ranking:{contest_id}:{method}:{bridging}"


def _choice(contest: Contest, method: str | None, bridging: str | None) -> tuple[str, str]:
    return method or contest.ranking_method, bridging or contest.ranking_bridging or "jurors"


def _redis():
    from contest.jobs.queue import redis_connection

    return redis_connection()


def _read(contest_id: int, method: str, bridging: str) -> dict | None:
    raw = _redis().get(_redis_key(contest_id, method, bridging))
    return pickle.loads(raw) if raw else None  # written by our own workers only (as RQ's jobs are)


def ranking_for(contest: Contest, *, method: str | None = None, bridging: str | None = None) -> Stored:
    """The ranking a page shows. Small contest: computed (or cached) now, always fresh.
    Large contest: never computed here; the stored ranking when its key is current, else the
    older one ("stale") or none ("missing"), and a refresh queued. Raises ValueError, as
    the computation does, when the stored result is that a review cannot be totalled."""
    method, bridging = _choice(contest, method, bridging)
    if not is_large(contest.id):
        return Stored(queries.cached_contest_ranking(contest, method=method, bridging=bridging), FRESH)
    round_no = queries.ranking_round(contest)
    key = queries.ranking_key(contest, method, bridging, round_no)
    cached = RANKINGS.get(key)
    if cached is not None:
        return Stored(cached, FRESH)
    stored = _read(contest.id, method, bridging)
    if stored is not None and stored["key"] == key:
        if stored["error"]:
            raise ValueError(stored["error"])
        RANKINGS.put(key, stored["result"])
        return Stored(stored["result"], FRESH, stored["at"])
    queued = request_refresh(contest.id, method, bridging)
    if stored is None or stored["error"]:
        return Stored(None, MISSING, queued=queued)
    return Stored(stored["result"], STALE, stored["at"], queued=queued)


def request_refresh(contest_id: int, method: str, bridging: str) -> bool:
    """Queue `refresh_ranking` for the contest (pushed after the caller's commit). One job row
    per contest, method and bridging: a queued one takes every change made before it runs;
    a finished one is queued again; a running one reads the fingerprint again when done and
    computes once more if it moved. Returns True when a job was (re)queued."""
    dedupe = f"ranking:{contest_id}:{method}:{bridging}"
    job = db.session.scalar(select(Job).where(Job.dedupe_key == dedupe))
    if job is None:
        try:
            with db.session.begin_nested():  # two first reviews at once: one inserts, the other sees it
                enqueue_after_commit(refresh_ranking, dedupe_key=dedupe, contest_id=contest_id, method=method,
                                     bridging=bridging)
            return True
        except IntegrityError:
            return False
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        job.status, job.attempts, job.last_error, job.updated_at = JobStatus.QUEUED, 0, "", utcnow()
        db.session.flush()
        db.session.info.setdefault(_PENDING, []).append(job.id)
        return True
    return False


def reviews_changed(contest: Contest) -> None:
    """A review was submitted, changed or withdrawn: a large contest's stored ranking (of the
    contest's method) is recomputed by a job. Called in the review's transaction."""
    if is_large(contest.id):
        request_refresh(contest.id, *_choice(contest, None, None))


@task
def refresh_ranking(contest_id: int, method: str, bridging: str) -> None:
    """Compute the contest's ranking and store it under its key (a result that cannot be
    computed is stored as the error, so the page says so instead of waiting)."""
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        return
    for _pass in range(_MAX_PASSES):
        round_no = queries.ranking_round(contest)
        key = queries.ranking_key(contest, method, bridging, round_no)
        try:
            result, error = queries.compute_contest_ranking(contest, method=method, bridging=bridging,
                                                            round_no=round_no), ""
        except ValueError as exc:
            result, error = None, str(exc) or "invalid scores"
        value = pickle.dumps({"key": key, "at": utcnow(), "result": result, "error": error},
                             protocol=pickle.HIGHEST_PROTOCOL)
        _redis().set(_redis_key(contest_id, method, bridging), value)
        db.session.rollback()  # a new snapshot: did a review change while we computed?
        if queries.ranking_key(contest, method, bridging, round_no) == key:
            return
