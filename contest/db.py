"""Declarative base, naming convention, shared column helpers and SQLite tuning."""
from __future__ import annotations

import enum
import sqlite3
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Timezone-aware 'now' in UTC; every stored time is UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware (SQLite drops tzinfo)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def enum_column(enum_cls: type[enum.Enum]) -> Enum:
    """Portable enum column: a short string checked by the application, not a native type."""
    return Enum(enum_cls, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record) -> None:
    """WAL, a busy timeout and foreign keys; transactions are begun by _begin_immediate."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's lower() folds ASCII only; searches in Kazakh and Russian need all of Unicode.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    # Let SQLAlchemy's "begin" event decide how transactions start (see below).
    dbapi_connection.isolation_level = None


# How SQLite transactions begin in this context. Requests that may write (POST...) and
# jobs use IMMEDIATE: a deferred transaction that later writes can fail with "database is
# locked" at once, while taking the write lock up front makes busy_timeout apply.
# Read-only requests (GET) begin DEFERRED so they never queue behind writers (WAL).
sqlite_begin_mode: ContextVar[str] = ContextVar("sqlite_begin_mode", default="IMMEDIATE")


@event.listens_for(Engine, "begin")
def _begin(conn) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"BEGIN {sqlite_begin_mode.get()}")


def reads_first(view):
    """Mark a POST view that reads, then writes only behind a check the database itself makes
    (a conditional UPDATE ... WHERE version = :v): its request begins DEFERRED like a GET, and
    the view calls `begin_writes` between its reads and its writes."""
    view.reads_first = True
    return view


def begin_writes(session) -> None:
    """Between the reads and the writes of a `reads_first` view. On SQLite: end the read
    transaction, keeping what it loaded as loaded, and begin the next one IMMEDIATE, so the
    database's single write lock is held for the writes alone instead of the whole request
    (another process then rarely has to wait for it, and a wait is a sleep of a millisecond or
    more). What was read may be changed by others meanwhile, as under PostgreSQL's READ
    COMMITTED; the conditional write catches what matters. Elsewhere a no-op."""
    if session.get_bind().dialect.name != "sqlite":
        return
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
    sqlite_begin_mode.set("IMMEDIATE")  # the request's teardown restores the mode it started with
