"""PostgreSQL connection handling that costs no round trips on a request's path.

- Planner settings per connection, sent once when the connection is made: with the default
  `random_page_cost = 4` the planner hash-joins a juror's hundred assignments against every
  entry; `PG_RANDOM_PAGE_COST` (default 1.1, the usual value on SSDs) makes it use the indexes.
- No pre-ping: a checkout looks at the connection's socket instead (a system call, no round
  trip). A server that ended the connection (restart, pg_terminate_backend, idle timeout) has
  sent its goodbye and closed the socket, which is then readable: the pool replaces the
  connection before anything runs on it. A connection lost without a word (a firewall's
  silent drop) fails its first statement; SQLAlchemy then invalidates the whole pool, so the
  next request gets fresh connections, and `pool_recycle` bounds their age.
- Reads without transactions: in a request whose begin mode is DEFERRED (GET, HEAD, OPTIONS
  and `reads_first` views, see contest/db.py) the connection runs in autocommit, so reading
  costs no BEGIN and no ROLLBACK. Under PostgreSQL's READ COMMITTED every statement takes
  its own snapshot anyway, so reads see nothing different. The first statement that is not
  a plain SELECT (a write, a locking read, a savepoint, a SET; or a streamed read, whose
  server-side cursor lives in a transaction) turns autocommit off just
  before it runs: it and everything after it are one transaction, committed or rolled back
  by the session as usual. A write executed with the option `commits_alone` (one statement
  whose effects are whole on their own, e.g. a draft save with its audit event in one WITH)
  leaves autocommit on: it commits by itself, without BEGIN and COMMIT round trips.
"""
from __future__ import annotations

import re
import select
from functools import lru_cache

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

_PLAIN_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_WITH = re.compile(r"\s*WITH\b", re.IGNORECASE)
# A WITH may hold a data-modifying statement; any of these words anywhere (even in a name or a
# string) makes it count as a write, which only costs it the transaction a read would not need.
_WRITING = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|INTO)\b", re.IGNORECASE)
_LOCKING = re.compile(r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b", re.IGNORECASE)

random_page_cost: list[float] = [1.1]  # set from the app's PG_RANDOM_PAGE_COST by init_app


def _is_postgres(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("psycopg")


@lru_cache(maxsize=4096)
def is_plain_read(statement: str) -> bool:
    """Kept per statement text: the app sends the same few hundred compiled statements, and
    searching a long one for FOR UPDATE on every execution showed in every page's profile."""
    if _WITH.match(statement):
        return not _WRITING.search(statement) and not _LOCKING.search(statement)
    return bool(_PLAIN_READ.match(statement)) and not _LOCKING.search(statement)


@event.listens_for(Engine, "connect")
def _planner_settings(dbapi_connection, _record) -> None:
    if not _is_postgres(dbapi_connection) or not random_page_cost[0]:
        return
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    try:
        dbapi_connection.execute(f"SET random_page_cost = {float(random_page_cost[0])}")
    finally:
        dbapi_connection.autocommit = autocommit


@event.listens_for(Pool, "checkout")
def _alive(dbapi_connection, _record, _proxy) -> None:
    """An idle connection's socket has nothing to read unless the server closed it."""
    if not _is_postgres(dbapi_connection):
        return
    if dbapi_connection.closed:
        raise exc.DisconnectionError("connection closed")
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError) as error:
        raise exc.DisconnectionError(str(error)) from error
    if readable:
        raise exc.DisconnectionError("the server closed the connection")


def begin(conn, deferred: bool) -> None:
    """On a SQLAlchemy "begin": reads of a DEFERRED request run in autocommit. A connection
    in autocommit for another reason (isolation_level="AUTOCOMMIT") is left alone."""
    info, dbapi_connection = conn.connection.info, conn.connection.dbapi_connection
    ours = info.get("reads_autocommit", False)
    if dbapi_connection.info.transaction_status != 0 or (dbapi_connection.autocommit and not ours):
        return
    if deferred != dbapi_connection.autocommit:
        dbapi_connection.autocommit = deferred  # client side only: no round trip
    info["reads_autocommit"] = deferred


@event.listens_for(Engine, "before_cursor_execute")
def _writes_in_a_transaction(conn, _cursor, statement, _params, context, _many) -> None:
    if conn.dialect.name != "postgresql":
        return
    # A streamed read (yield_per: a server-side cursor, DECLARE ... CURSOR) needs a transaction too.
    options = context.execution_options if context is not None else {}
    if options.get("commits_alone"):  # one statement whole on its own: autocommit is its transaction
        return
    streamed = bool(options.get("stream_results") or options.get("yield_per"))
    if conn.connection.info.get("reads_autocommit") and (streamed or not is_plain_read(statement)):
        conn.connection.dbapi_connection.autocommit = False  # psycopg sends BEGIN before it
        conn.connection.info["reads_autocommit"] = False
