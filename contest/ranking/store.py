"""The ranking of a large contest, computed by a worker job and stored in Redis (issue 24).

Ranking 100,000 entries takes seconds: no organizer request should pay it. A contest with
more than RANKING_INLINE_MAX_ENTRIES entries is ranked by `refresh_ranking` (and its
statistics page's numbers computed by `refresh_statistics`, by the same rules), queued
(one job per contest, method and bridging: see `request_refresh`) whenever a review is
submitted or reopened, and whenever a page finds the stored ranking out of date. The pages
read `ranking_for`: the stored ranking with its state, "fresh" (its key is the current
one: same settings, same fingerprint of the reviews and entries), "stale" (an older
ranking, shown with an "updating" note while the job runs) or "missing" (none yet: the page
says it is being computed). The awards page shows it the same way; what is decided on it and
kept (publishing the results, an award's override, the shortlist) takes `fresh_ranking`,
refused while the stored ranking is missing or stale. A small contest is ranked inside the
request as before (the in-process cache of queries.cached_contest_ranking).

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
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from contest.contests.models import Contest
from contest.db import sqlite_begin_mode, utcnow
from contest.errors import Conflict, DomainError, InvalidInput
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.jobs.services import _PENDING, enqueue_after_commit, task
from contest.ranking import queries
from contest.ranking.cache import RANKINGS
from contest.submissions.models import Entry

FRESH, STALE, MISSING = "fresh", "stale", "missing"
PENDING = "ranking_pending"  # the code of fresh_ranking's refusal
INCOMPLETE = _l("Some submitted reviews have a missing or out-of-range score; fix them first.")
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


def _redis_key(contest_id: int, kind: str) -> str:
    """kind: "<method>:<bridging>" for a ranking, "statistics" for the statistics page's numbers."""
    return f"{current_app.config['REDIS_PREFIX']}ranking:{contest_id}:{kind}"


def _choice(contest: Contest, method: str | None, bridging: str | None) -> tuple[str, str]:
    return method or contest.ranking_method, bridging or contest.ranking_bridging or "jurors"


def _redis():
    from contest.jobs.queue import redis_connection

    return redis_connection()


def _read(contest_id: int, kind: str) -> dict | None:
    raw = _redis().get(_redis_key(contest_id, kind))
    return pickle.loads(raw) if raw else None  # written by our own workers only (as RQ's jobs are)


def _write(contest_id: int, kind: str, key: tuple, result, error: str) -> None:
    value = pickle.dumps({"key": key, "at": utcnow(), "result": result, "error": error},
                         protocol=pickle.HIGHEST_PROTOCOL)
    _redis().set(_redis_key(contest_id, kind), value)


def _stored(contest_id: int, kind: str, key: tuple, refresh) -> Stored:
    """The stored value of `kind` by its key: fresh (kept in this process's cache too), else
    stale or missing with `refresh()` called."""
    cached = RANKINGS.get(key)
    if cached is not None:
        return Stored(cached, FRESH)
    stored = _read(contest_id, kind)
    if stored is not None and stored["key"] == key:
        if stored["error"]:
            raise ValueError(stored["error"])
        RANKINGS.put(key, stored["result"])
        return Stored(stored["result"], FRESH, stored["at"])
    queued = refresh()
    if stored is None or stored["error"]:
        return Stored(None, MISSING, queued=queued)
    return Stored(stored["result"], STALE, stored["at"], queued=queued)


def ranking_for(contest: Contest, *, method: str | None = None, bridging: str | None = None,
                cached: bool = True) -> Stored:
    """The ranking a page shows. Small contest: computed (or cached, unless `cached` is
    False) now, always fresh. Large contest: never computed here; the stored ranking when its
    key is current, else the older one ("stale") or none ("missing"), and a refresh queued.
    Raises ValueError, as the computation does, when the stored result is that a review
    cannot be totalled."""
    method, bridging = _choice(contest, method, bridging)
    if not is_large(contest.id):
        rank = queries.cached_contest_ranking if cached else queries.compute_contest_ranking
        return Stored(rank(contest, method=method, bridging=bridging), FRESH)
    round_no = queries.ranking_round(contest)
    key = queries.ranking_key(contest, method, bridging, round_no)
    return _stored(contest.id, f"{method}:{bridging}", key,
                   lambda: request_refresh(contest.id, method, bridging))


def fresh_ranking(contest: Contest) -> dict:
    """The ranking a decision that is kept rests on (publishing the results, an award, a
    shortlist): as `ranking_for`, so never computed here for a large contest, but only a
    fresh one. While a large contest's stored ranking is missing or out of date, raises
    Conflict (code PENDING): deciding on an old ranking must never happen. The refresh is
    queued in the session; a refused write rolls it back with the rest, so the view calls
    `refresh_after_refusal` after its rollback and commits what that queued. A small
    contest's ranking is computed from the database itself, not taken from the in-process
    cache. A submitted review that cannot be totalled refuses it too (InvalidInput)."""
    try:
        stored = ranking_for(contest, cached=False)
    except ValueError as exc:
        raise InvalidInput(INCOMPLETE) from exc
    if stored.state != FRESH:
        raise Conflict(_l("The ranking is being updated after the latest changes. Try again in a "
                          "minute, once it is up to date."), code=PENDING)
    return stored.result


def refresh_after_refusal(exc: DomainError, contest: Contest) -> bool:
    """After a write refused by `fresh_ranking` and rolled back (the refresh it queued went
    with the rollback): queue the refresh again; True when the caller has it to commit."""
    return exc.code == PENDING and ranking_for(contest).queued


def statistics_for(contest: Contest) -> Stored:
    """The statistics page's numbers (summary.Numbers), by the same rules as `ranking_for`:
    computed now for a small contest, the stored ones for a large contest."""
    from contest.ranking import summary  # summary builds on queries, as this module does

    if not is_large(contest.id):
        return Stored(summary.statistics_numbers(contest), FRESH)
    return _stored(contest.id, "statistics", summary.statistics_key(contest),
                   lambda: request_statistics(contest.id))


def request_refresh(contest_id: int, method: str, bridging: str) -> bool:
    """Queue `refresh_ranking` for the contest (pushed after the caller's commit). One job row
    per contest, method and bridging: a queued one takes every change made before it runs;
    a finished one is queued again; a running one reads the fingerprint again when done and
    computes once more if it moved. Returns True when a job was (re)queued."""
    return _request_job(refresh_ranking, f"ranking:{contest_id}:{method}:{bridging}", contest_id=contest_id,
                        method=method, bridging=bridging)


def request_statistics(contest_id: int) -> bool:
    """Queue `refresh_statistics` for the contest, one job row per contest, as above."""
    return _request_job(refresh_statistics, f"statistics:{contest_id}", contest_id=contest_id)


def _request_job(func, dedupe: str, **kwargs) -> bool:
    job = db.session.scalar(select(Job).where(Job.dedupe_key == dedupe))
    if job is None:
        try:
            with db.session.begin_nested():  # two first reviews at once: one inserts, the other sees it
                enqueue_after_commit(func, dedupe_key=dedupe, **kwargs)
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
    contest's method) and statistics are recomputed by jobs. Called in the review's transaction."""
    if is_large(contest.id):
        request_refresh(contest.id, *_choice(contest, None, None))
        request_statistics(contest.id)


@task
def refresh_ranking(contest_id: int, method: str, bridging: str) -> None:
    """Compute the contest's ranking and store it under its key (a result that cannot be
    computed is stored as the error, so the page says so instead of waiting)."""
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        return
    kind = f"{method}:{bridging}"

    def key():
        return queries.ranking_key(contest, method, bridging, queries.ranking_round(contest))

    _compute_and_store(contest_id, kind, key, lambda: queries.compute_contest_ranking(
        contest, method=method, bridging=bridging))


@task
def refresh_statistics(contest_id: int) -> None:
    """Compute the statistics page's numbers (reliability with bootstrap intervals, juror
    severities) and store them under their key."""
    from contest.ranking import summary

    contest = db.session.get(Contest, contest_id)
    if contest is None:
        return
    _compute_and_store(contest_id, "statistics", lambda: summary.statistics_key(contest),
                       lambda: summary.compute_numbers(contest))


def _compute_and_store(contest_id: int, kind: str, key, compute) -> None:
    """Compute and store under the key read before; again while the key moved under it.
    Only reads: on SQLite they begin DEFERRED, so the seconds of computing hold no write lock
    (a worker's transactions begin IMMEDIATE otherwise, and jurors' saves would wait)."""
    db.session.rollback()
    token = sqlite_begin_mode.set("DEFERRED")
    try:
        for _pass in range(_MAX_PASSES):
            before = key()
            try:
                result, error = compute(), ""
            except ValueError as exc:
                result, error = None, str(exc) or "invalid scores"
            _write(contest_id, kind, before, result, error)
            db.session.rollback()  # a new snapshot: did a review change while we computed?
            if key() == before:
                return
    finally:
        db.session.rollback()
        sqlite_begin_mode.reset(token)
