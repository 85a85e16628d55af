"""Declarative base, naming convention, shared column helpers and SQLite tuning."""
from __future__ import annotations

import enum
import json
import sqlite3
import weakref
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, make_transient_to_detached, mapped_column, registry
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.functions import FunctionElement
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
    elif conn.dialect.name == "postgresql":
        from contest import pgconn  # reads of a DEFERRED request run in autocommit there

        pgconn.begin(conn, sqlite_begin_mode.get() == "DEFERRED")


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


_EMPTY_JSON = {"[]": list, "{}": dict, b"[]": list, b"{}": dict}


def json_loads(text: str | bytes):
    """The engine's JSON reader: json.loads, with the values most of our JSON columns hold
    (an entry's flags, a review's comments: "[]", "{}") made without the parser, and the
    driver's bytes decoded first (json.loads would look for their encoding). The registry reads
    fifty flag lists a page. A new list or dict each time: callers may change what they get."""
    empty = _EMPTY_JSON.get(text)
    if empty is not None:
        return empty()
    return json.loads(text.decode() if isinstance(text, bytes) else text)


class byte_order(FunctionElement):  # noqa: N801  (used as an SQL construct, as func.x is)
    """A text column compared and sorted by its bytes (in UTF-8, by code point): PostgreSQL's
    COLLATE "C"; SQLite's default (BINARY) already is. A database made with a locale's
    collation (even C.UTF-8) compares text through the C library, several times slower: the
    juror dashboard's sort of a hundred entry codes was a fifth of its statement's time."""

    inherit_cache = True

    def __init__(self, column) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(byte_order)
def _byte_order(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(byte_order, "postgresql")
def _byte_order_postgresql(element, compiler, **kw) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "C"'


# --- plain reads on the driver's cursor ------------------------------------------------------

# statement -> {dialect name: _PlainCompiled}; kept while the statement is (statements are
# built once, at module level or in a cache of their own)
_plain_compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class _PlainCompiled:
    """A SELECT compiled for one dialect, with the bind and result processors SQLAlchemy would
    apply (an enum column's check, UTCDateTime's time zone, JSON text on SQLite)."""

    def __init__(self, statement, dialect) -> None:
        self.compiled = compiled = statement.compile(dialect=dialect)
        if not pgconn.is_plain_read(compiled.string):
            raise ValueError("plain_rows runs plain SELECT statements only")
        self.postcompile = bool(compiled.post_compile_params or compiled.literal_execute_params)
        self.late_names = {param.key for param in compiled.post_compile_params} | {
            param.key for param in compiled.literal_execute_params}
        # (text, parameter order, bind processors, expanded values) when every list or literal
        # rendered into the text is the statement's own (say NOT IN (withdrawn, rejected))
        self.fixed_expansion: tuple | None = None
        self.positional = dialect.positional
        self.dialect = dialect
        self.result_processors: list | None = None  # from the first execution's cursor

    def read_processors(self, cursor) -> list:
        """The columns' result processors; some depend on the type the driver reports (a
        NUMERIC on PostgreSQL), so they are read from the first execution's description."""
        if self.result_processors is None:
            codes = [column[1] for column in cursor.description]
            processors = [(i, column.type._cached_result_processor(self.dialect, codes[i]))
                          for i, column in enumerate(self.compiled._result_columns)]
            self.result_processors = [(i, p) for i, p in processors if p is not None]
        return self.result_processors


def plain_rows(session, statement, params: dict) -> list[tuple]:
    """The rows of a prebuilt SELECT of plain columns, run on the driver's cursor of the
    session's connection (in its transaction, or in the autocommit of a read, see pgconn).

    SQLAlchemy's execution of a Core statement costs ~0.15 ms a statement on top of the
    driver (the statement's cache key, its execution context, and a result's metadata built
    from the cursor's description), which on the hot pages cost more than their rows. Here the
    statement is compiled once per dialect; values still go through the columns' bind and
    result processors, and the engine's before_cursor_execute listeners see the statement as
    they would (pgconn's, the tests' and the benchmarks'). A lost connection is left to
    SQLAlchemy: the statement runs again through it, which raises its own error and invalidates
    the pool as usual; any other error is raised as the driver's.
    Pass statements built once (module level or cached), not per call."""
    connection = session.connection()
    dialect = connection.dialect
    plans = _plain_compiled.get(statement)
    if plans is None:
        plans = _plain_compiled[statement] = {}
    plan = plans.get(dialect.name)
    if plan is None:
        plan = plans[dialect.name] = _PlainCompiled(statement, dialect)
    compiled = plan.compiled
    values = compiled.construct_params(params, escape_names=False)
    if plan.postcompile:  # expanding IN lists and literal values rendered into the text
        if plan.fixed_expansion is not None and plan.late_names.isdisjoint(params):
            # the statement's own lists: the text rendered once, their values kept with it
            sql, order, binds, fixed = plan.fixed_expansion
            values.update(fixed)
        else:
            given = set(values)
            expanded = compiled._process_parameters_for_postcompile(values)
            sql, order, binds = expanded.statement, expanded.positiontup, expanded.processors
            if plan.late_names.isdisjoint(params):
                fixed = {name: value for name, value in expanded.parameters.items() if name not in given}
                plan.fixed_expansion = (sql, order, binds, fixed)
            values = expanded.parameters
    else:
        sql, order, binds = compiled.string, compiled.positiontup, compiled._bind_processors
    for name, process in binds.items():
        if name in values:
            values[name] = process(values[name])
    arguments = tuple(values[name] for name in order) if plan.positional else values
    dbapi_connection = connection.connection.dbapi_connection
    cursor = dbapi_connection.cursor()
    try:
        connection.dispatch.before_cursor_execute(connection, cursor, sql, arguments, None, False)
        cursor.execute(sql, arguments)
        rows = cursor.fetchall()
        processors = plan.read_processors(cursor)
    except dialect.loaded_dbapi.Error as error:
        cursor.close()
        if dialect.is_disconnect(error, dbapi_connection, cursor):  # SQLAlchemy's own handling
            return [tuple(row) for row in connection.execute(statement, params)]
        raise
    except BaseException:
        cursor.close()
        raise
    cursor.close()
    if processors:  # a NULL stays None: no column type here makes a value of it
        converted = []
        for row in rows:
            row = list(row)
            for i, process in processors:
                if row[i] is not None:
                    row[i] = process(row[i])
            converted.append(tuple(row))
        return converted
    return rows


def as_loaded(session, model, values: dict):
    """The `model` object with these column values as if a query had loaded it: the one the
    session already holds for its primary key (what an ORM query returns), else a new one
    added to the session as persistent with nothing to flush. Columns not in `values` are
    expired and load when read, as with load_only. With plain_rows, an object costs a
    fraction of an ORM load of the same row."""
    mapper = sa_inspect(model)
    key = identity_key(model, tuple(values[column.key] for column in mapper.primary_key))
    held = session.identity_map.get(key)
    if held is not None:
        return held
    instance = mapper.class_manager.new_instance()
    instance.__dict__.update(values)
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


def as_loaded_from(session, model, columns, values):
    """as_loaded from a plain row: `columns` (the model's attributes, as selected) and their
    `values` in the same order (a longer row is cut at the columns' end)."""
    return as_loaded(session, model, {column.key: value for column, value in zip(columns, values)})


from contest import pgconn  # noqa: E402,F401  (PostgreSQL connection events, see that module)
