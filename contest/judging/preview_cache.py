"""Computed assignment previews in Redis, keyed by the plan's input fingerprint.

A preview is stored in two parts under the app's REDIS_PREFIX, both expiring after
ASSIGN_PREVIEW_TTL: the summary the organizer's page shows (small JSON) and the new pairs
that saving inserts (packed 64-bit ids, compressed: 300,000 pairs are about 1 MB). A key
names the fingerprint of the inputs the plan was computed from, so a stored preview is
never stale: changed inputs make a new key and the old one simply expires. While a job
computes, a short-lived stage key says how far it has got; while a job saves a plan
(contest.judging.plan_save), a progress key says how many of its pairs are in, then how
the save ended.
"""
from __future__ import annotations

import json
import logging
import zlib
from array import array

from flask import current_app
from redis import RedisError

from contest.jobs.queue import redis_connection

log = logging.getLogger(__name__)


def _key(contest_id: int, round_no: int, fingerprint: str, part: str) -> str:
    return f"{current_app.config['REDIS_PREFIX']}assign-preview:{contest_id}:{round_no}:{fingerprint}:{part}"


def store(contest_id: int, round_no: int, fingerprint: str, summary: dict, pairs) -> None:
    """Both parts at once (one transaction), the pairs first."""
    flat = array("q")
    for entry_id, juror_id in pairs:
        flat.append(entry_id)
        flat.append(juror_id)
    ttl = current_app.config["ASSIGN_PREVIEW_TTL"]
    pipe = redis_connection().pipeline(transaction=True)
    pipe.set(_key(contest_id, round_no, fingerprint, "pairs"), zlib.compress(flat.tobytes(), 1), ex=ttl)
    pipe.set(_key(contest_id, round_no, fingerprint, "summary"), json.dumps(summary), ex=ttl)
    pipe.delete(_key(contest_id, round_no, fingerprint, "stage"))
    pipe.execute()


def _set_json(key: str, value: dict, seconds: int) -> None:
    """A progress note; an unavailable Redis only loses it (the page then shows less)."""
    try:
        redis_connection().set(key, json.dumps(value), ex=seconds)
    except RedisError as exc:
        log.warning("assignment preview note not kept (%s): %s", key, exc)


def _get_json(key: str) -> dict | None:
    raw = _get(key)
    return json.loads(raw) if raw is not None else None


def _get(key: str) -> bytes | None:
    """A read that treats an unavailable Redis as a miss (the page computes or waits again)."""
    try:
        return redis_connection().get(key)
    except RedisError as exc:
        log.warning("assignment preview cache unavailable: %s", exc)
        return None


def load_summary(contest_id: int, round_no: int, fingerprint: str) -> dict | None:
    raw = _get(_key(contest_id, round_no, fingerprint, "summary"))
    return json.loads(raw) if raw is not None else None


def has_pairs(contest_id: int, round_no: int, fingerprint: str) -> bool:
    """Whether the pairs are still kept (without reading 1 MB of them)."""
    try:
        return bool(redis_connection().exists(_key(contest_id, round_no, fingerprint, "pairs")))
    except RedisError as exc:
        log.warning("assignment preview cache unavailable: %s", exc)
        return False


def load_pairs(contest_id: int, round_no: int, fingerprint: str) -> list[tuple[int, int]] | None:
    raw = _get(_key(contest_id, round_no, fingerprint, "pairs"))
    if raw is None:
        return None
    flat = array("q")
    flat.frombytes(zlib.decompress(raw))
    return list(zip(flat[0::2], flat[1::2], strict=True))


def set_stage(contest_id: int, round_no: int, fingerprint: str, stage: str, entries: int,
              jurors: int) -> None:
    """How far the job computing this preview has got, with the size of the contest it plans
    (the waiting page shows both); expires on its own if the job dies."""
    _set_json(_key(contest_id, round_no, fingerprint, "stage"),
              {"stage": stage, "entries": entries, "jurors": jurors}, current_app.config["JOB_TIMEOUT"])


def get_stage_info(contest_id: int, round_no: int, fingerprint: str) -> dict | None:
    return _get_json(_key(contest_id, round_no, fingerprint, "stage"))


def get_stage(contest_id: int, round_no: int, fingerprint: str) -> str | None:
    info = get_stage_info(contest_id, round_no, fingerprint)
    return info["stage"] if info else None


def set_save_progress(contest_id: int, round_no: int, fingerprint: str, **progress) -> None:
    """How far the job saving this plan has got ({state, done, total, ...}), kept as long as
    the preview itself (the page reads how the save ended from it)."""
    _set_json(_key(contest_id, round_no, fingerprint, "saving"), progress,
              current_app.config["ASSIGN_PREVIEW_TTL"])


def get_save_progress(contest_id: int, round_no: int, fingerprint: str) -> dict | None:
    return _get_json(_key(contest_id, round_no, fingerprint, "saving"))
