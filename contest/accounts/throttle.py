"""Login throttling per account, an atomic counter in Redis.

Keyed by the e-mail typed, never by address: a school behind one NAT is not locked out
because one pupil mistypes. After LOGIN_MAX_FAILURES failures the account waits
LOGIN_LOCK_SECONDS (the window restarts with each failure). Unknown e-mails are
counted the same way so the answer does not reveal which accounts exist.
If Redis is unreachable the check fails open (sign-in beats lock-out) and logs it.
"""
from __future__ import annotations

import hashlib
import logging

from flask import current_app

from contest.jobs.queue import redis_connection

log = logging.getLogger(__name__)


def _key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"{current_app.config['REDIS_PREFIX']}login-fail:{digest}"


def is_locked(email: str) -> bool:
    try:
        failures = redis_connection().get(_key(email))
    except Exception as exc:
        log.warning("throttle check skipped, Redis unavailable: %s", exc)
        return False
    return failures is not None and int(failures) >= current_app.config["LOGIN_MAX_FAILURES"]


def record_failure(email: str) -> None:
    try:
        pipe = redis_connection().pipeline()
        pipe.incr(_key(email))
        pipe.expire(_key(email), current_app.config["LOGIN_LOCK_SECONDS"])
        pipe.execute()
    except Exception as exc:
        log.warning("throttle not recorded, Redis unavailable: %s", exc)


def clear(email: str) -> None:
    try:
        redis_connection().delete(_key(email))
    except Exception as exc:
        log.warning("throttle not cleared, Redis unavailable: %s", exc)
