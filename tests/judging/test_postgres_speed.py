"""PostgreSQL connection handling (contest/pgconn.py) and the dashboard's plan, on the local
PostgreSQL server in a schema of these tests' own, whichever database the suite runs on:
a request after the server ended the pool's connections still answers, reads of a GET run
without a transaction while writes get one, and the juror dashboard's query finds a juror's
hundred assignments through indexes instead of reading every entry."""

import os
import re
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import insert, select

from contest import create_app
from contest.db import sqlite_begin_mode, utcnow
from contest.extensions import db
from tests.conftest import FreshContextClient
from tests.factories import PASSWORD, make_assignment, make_contest, make_entry, make_juror

pytestmark = pytest.mark.postgres

PG_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="module")
def pg_database(instance_path):
    """(URL of a fresh schema, its application_name); tables created, schema dropped after."""
    schema = f"i22_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}&application_name={schema}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    yield url, schema
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


def _app_on_a_pool_of(url: str, size: int):
    """The app on the schema with a pool of `size` connections; its rows deleted after."""
    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "BABEL_DEFAULT_LOCALE": "en",
                      "SQLALCHEMY_DATABASE_URI": url,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": size, "max_overflow": 0}})
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
        db.engine.dispose()


@pytest.fixture
def pg_app(pg_database):
    yield from _app_on_a_pool_of(pg_database[0], 2)


def _backends(application_name: str) -> set[int]:
    engine = sa.create_engine(PG_URL)
    with engine.connect() as conn:
        pids = conn.exec_driver_sql("SELECT pid FROM pg_stat_activity WHERE application_name = %(n)s",
                                    {"n": application_name}).scalars().all()
    engine.dispose()
    return set(pids)


def _terminate(pids: set[int]) -> set[int]:
    """Ends exactly these backends (found by application name first, one by one)."""
    engine = sa.create_engine(PG_URL)
    with engine.connect() as conn:
        ended = {pid for pid in pids
                 if conn.exec_driver_sql("SELECT pg_terminate_backend(%(p)s)", {"p": pid}).scalar()}
    engine.dispose()
    return ended


def test_a_request_after_the_server_ended_the_pools_connections_answers(pg_app, pg_database):
    _, name = pg_database
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    aid, email = make_assignment(make_entry(contest), juror).id, juror.email
    db.session.remove()
    client = pg_app.test_client()
    assert client.post("/account/login", data={"email": email, "password": PASSWORD}).status_code == 302
    assert client.get("/judging/").status_code == 200
    before = _backends(name)
    assert before and _terminate(before) == before
    for _ in range(100):  # wait until the server has ended them
        if not _backends(name) & before:
            break
    for _ in range(3):
        response = client.get("/judging/")
        assert response.status_code == 200
        assert f"/judging/review/{aid}" in response.get_data(as_text=True)
    assert _backends(name) and not _backends(name) & before


def _transaction_status() -> str:
    return db.session.connection().connection.dbapi_connection.info.transaction_status.name


def test_reads_of_a_deferred_request_run_without_a_transaction_and_writes_get_one(pg_app):
    from contest.accounts.models import User

    token = sqlite_begin_mode.set("DEFERRED")
    try:
        db.session.execute(select(User.id)).all()
        assert _transaction_status() == "IDLE"  # no BEGIN was sent, none is open
        db.session.execute(insert(User).values(email="w@example.kz", full_name="W", role="student",
                                               password_hash="x", language="en", created_at=utcnow()))
        assert _transaction_status() == "INTRANS"  # the write began one
        db.session.rollback()
        assert db.session.execute(select(User.id).where(User.email == "w@example.kz")).first() is None
        locked = db.session.execute(select(User.id).with_for_update()).all()  # a locking read too
        assert locked == [] and _transaction_status() == "INTRANS"
        db.session.rollback()
    finally:
        sqlite_begin_mode.reset(token)
    db.session.execute(select(User.id)).all()  # jobs, commands and writing requests: as before
    assert _transaction_status() == "INTRANS"
    db.session.rollback()


def test_a_draft_save_on_postgresql_is_committed(pg_app):
    from contest.judging.models import Assignment

    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    assignment = make_assignment(make_entry(contest), juror)
    aid, email = assignment.id, juror.email
    db.session.remove()
    client = pg_app.test_client()
    client.post("/account/login", data={"email": email, "password": PASSWORD})
    response = client.post(f"/judging/review/{aid}/save", data={"version": "0", "private_comment": "keep"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    db.session.remove()
    saved = db.session.get(Assignment, aid)
    assert saved.version == 1 and saved.private_comment == "keep"


def _committed(statement):
    """What another connection sees: only what is committed."""
    with db.engine.connect() as other:
        return other.execute(statement).all()


def test_a_draft_save_is_one_statement_that_commits_alone_with_its_audit_event(pg_app):
    from contest.audit.models import AuditEvent
    from contest.errors import Conflict
    from contest.judging import services
    from contest.judging.models import Assignment

    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    assignment = make_assignment(make_entry(contest), juror)
    criterion, aid = contest.criteria[0], assignment.id
    db.session.commit()  # the request below begins with nothing open
    sent = []

    def capture(_conn, _cursor, statement, _params, _context, _many):
        sent.append(" ".join(statement.split()))

    def save(base, score):
        data = services.ReviewInput(base_version=base, scores={criterion.id: score}, criterion_comments={})
        services.save_draft(assignment=assignment, contest=contest, actor=juror, data=data,
                            criteria=contest.criteria)

    events = select(AuditEvent.old, AuditEvent.new).where(AuditEvent.action == "review.scores",
                                                          AuditEvent.object_id == str(aid))
    token = sqlite_begin_mode.set("DEFERRED")  # as in the save request (reads_first)
    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        db.session.execute(select(Assignment.version)).all()  # the request's reads: no transaction
        assert _transaction_status() == "IDLE"
        save(0, 6)
        assert _transaction_status() == "IDLE", sent  # no BEGIN was sent, and nothing waits for a COMMIT
        writes = [text for text in sent if not text.startswith("SELECT")]  # the reads: the objects, the round
        assert len(writes) == 1 and writes[0].startswith("WITH changed AS (UPDATE assignment SET")
        assert "INSERT INTO audit_event" in writes[0]  # the event is part of the same statement
        # committed: another connection sees the draft and its event before any commit here
        assert _committed(select(Assignment.version, Assignment.scores)
                          .where(Assignment.id == aid)) == [(1, {str(criterion.id): 6.0})]
        assert _committed(events) == [({"scores": {}}, {"scores": {str(criterion.id): 6.0}})]
        with pytest.raises(Conflict):  # another tab's save from version 0 ...
            services._write(assignment, 0, {"scores": {str(criterion.id): 2.0}}, alone=True,
                            event=services.event_values(action="review.scores", obj=assignment))
        # ... wrote no event
        assert _committed(events) == [({"scores": {}}, {"scores": {str(criterion.id): 6.0}})]
        sent.clear()
        save(1, 6)  # the same scores: the update alone, no event
        writes = [text for text in sent if not text.startswith("SELECT")]
        assert len(writes) == 1 and writes[0].startswith("UPDATE assignment SET")
        assert _transaction_status() == "IDLE"
        assert _committed(select(Assignment.version).where(Assignment.id == aid)) == [(2,)]
        assert len(_committed(events)) == 1
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
        sqlite_begin_mode.reset(token)
    db.session.rollback()


def test_the_dashboard_query_of_a_juror_with_100_assignments_uses_indexes(pg_app):
    from contest.accounts.models import User
    from contest.judging.models import Assignment
    from contest.judging.queries import _dashboard_statement
    from contest.submissions.models import Entry

    n = 10_000
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    others = [make_juror(contest=contest) for _ in range(3)]
    now, first = utcnow(), 1_000_000
    db.session.execute(insert(User), [
        {"id": first + i, "email": f"s{i}@example.kz", "full_name": f"Student {i}", "role": "student",
         "password_hash": "x", "language": "ru", "created_at": now} for i in range(n)])
    db.session.execute(insert(Entry), [
        {"id": first + i, "contest_id": contest.id, "student_id": first + i,
         "topic_id": contest.topics[i % 2].id, "category_id": contest.categories[i % 2].id,
         "code": f"ZT-2026-{i:05d}", "status": "ready", "language": "ru", "word_count": 600,
         "created_at": now, "updated_at": now} for i in range(n)])
    rows = ([(first + i, others[i % 3].id) for i in range(n)]
            + [(first + i, juror.id) for i in range(0, n, n // 100)])
    db.session.execute(insert(Assignment), [
        {"contest_id": contest.id, "entry_id": e, "juror_id": j, "status": "new", "version": 0, "scores": {},
         "criterion_comments": {}, "private_comment": "", "feedback": "", "created_at": now,
         "updated_at": now}
        for e, j in rows])
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
    conn, sent = db.session.connection(), []

    def capture(_conn, _cursor, statement, params, _context, _many):
        sent.append((statement, params))

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        rows = conn.execute(_dashboard_statement(), {"juror_id": juror.id}).all()
        assert sum(1 for row in rows if row.kind == "r") == 100
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    statement, params = sent[-1]
    plan = "\n".join(conn.exec_driver_sql("EXPLAIN " + statement, params).scalars())
    assert not re.search(r"Seq Scan on entry\b", plan), plan
    assert not re.search(r"Seq Scan on assignment\b", plan), plan
    # the rows are sorted by the app (juror_dashboard), not by the server
    assert not plan.startswith("Sort"), plan


def test_the_juror_paths_compare_entry_codes_by_their_bytes(pg_app):
    """The dashboard's order, its previous/next and the next essay to judge compare entry
    codes the same way: by their bytes (COLLATE "C", and Python's order of str, the code
    points', on the dashboard), not through the server's locale."""
    from contest.judging.queries import _step_statement, next_pending

    dialect = db.engine.dialect
    for statement in (_step_statement(True), _step_statement(False)):
        assert 'code COLLATE "C"' in str(statement.compile(dialect=dialect))
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    first_id = make_assignment(make_entry(contest), juror).id
    make_assignment(make_entry(contest), juror)
    juror_id, contest_id = juror.id, contest.id
    sent = []

    def capture(_conn, _cursor, statement, *_args):
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", capture)
    try:
        assert next_pending(juror_id, contest_id) == first_id
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", capture)
    assert len(sent) == 1 and 'ORDER BY assignment.round_no DESC, entry.code COLLATE "C"' in sent[0]


@pytest.fixture
def one_connection_app(pg_database):
    """The app on a pool of one connection: every request runs on the same server session, whose
    prepared statements pg_prepared_statements then shows."""
    yield from _app_on_a_pool_of(pg_database[0], 1)


def _plans(marker: str) -> tuple[int, int]:
    """(generic, custom) plans of the prepared statements whose text holds `marker`."""
    row = db.session.connection().exec_driver_sql(
        "SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0) FROM pg_prepared_statements"
        " WHERE statement LIKE %(m)s", {"m": f"%{marker}%"}).one()
    return int(row[0]), int(row[1])


def test_the_reading_view_and_the_registry_are_planned_once_per_connection(one_connection_app):
    """Both were planned anew on every request (a custom plan: ~1 ms of server CPU each): the
    reading view for its neighbour subqueries, the registry for its LIMIT parameter."""
    from contest.accounts.models import User
    from contest.judging.models import Assignment
    from contest.submissions.models import Entry
    from tests.factories import make_member

    n = 4_000  # half of them another contest's, interleaved: the page's plan must pick its contest out
    contest, other = make_contest(phase="judging"), make_contest(phase="judging", code_prefix="OT")
    juror = make_juror(contest=contest)
    owner = make_member(contest, role="owner")
    now, first = utcnow(), 2_000_000
    db.session.execute(insert(User), [
        {"id": first + i, "email": f"p{i}@example.kz", "full_name": f"Pupil {i}", "role": "student",
         "password_hash": "x", "language": "ru", "created_at": now} for i in range(n)])
    owner_of = (contest, other)
    db.session.execute(insert(Entry), [
        {"id": first + i, "contest_id": owner_of[i % 2].id, "student_id": first + i,
         "topic_id": owner_of[i % 2].topics[0].id, "category_id": owner_of[i % 2].categories[0].id,
         "code": f"ZT-2026-{i:05d}", "status": "ready", "language": "ru", "word_count": 600,
         "created_at": now, "updated_at": now} for i in range(n)])
    db.session.execute(insert(Assignment), [
        {"contest_id": contest.id, "entry_id": first + i, "juror_id": juror.id, "status": "new", "version": 0,
         "scores": {}, "criterion_comments": {}, "private_comment": "", "feedback": "", "created_at": now,
         "updated_at": now} for i in range(0, n, n // 100)])
    db.session.commit()
    aids = db.session.scalars(select(Assignment.id).where(Assignment.juror_id == juror.id)).all()
    juror_email, owner_email, contest_id = juror.email, owner.email, contest.id
    db.session.remove()  # the pool's one connection, for ANALYZE and then the requests
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
    reader, organizer = one_connection_app.test_client(), one_connection_app.test_client()
    for client, email in ((reader, juror_email), (organizer, owner_email)):
        assert client.post("/account/login", data={"email": email, "password": PASSWORD}).status_code == 302
    for i in range(15):
        assert reader.get(f"/judging/review/{aids[i]}").status_code == 200
        assert organizer.get(f"/contests/{contest_id}/desk/entries").status_code == 200
    assert organizer.get(f"/contests/{contest_id}/desk/entries?page=2").status_code == 200
    reading, registry = _plans("entry_version.juror_text"), _plans("AS sort_key")
    # psycopg prepares a statement on its 6th execution; PostgreSQL plans its first 5 executions
    # with the values, then keeps the generic plan when it costs no more.
    assert reading[0] >= 4 and reading[1] <= 5, reading
    assert registry[0] >= 4 and registry[1] <= 5, registry
    # That one plan serves every contest: it must find a contest's entries through the
    # contest's index, not by walking every entry's id (a small contest on a large site).
    conn = db.session.connection()
    text, types = conn.exec_driver_sql(
        "SELECT statement, parameter_types::text[] FROM pg_prepared_statements"
        " WHERE statement LIKE '%%AS sort_key%%' AND generic_plans > 0").first()
    values = ", ".join(str(contest_id) if kind in ("smallint", "integer", "bigint") else "'submitted'"
                       for kind in types)  # psycopg sends the id as the smallest integer type
    conn.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
    conn.exec_driver_sql(f"PREPARE registry_page AS {text}".replace("%", "%%"))
    plan = "\n".join(conn.exec_driver_sql(f"EXPLAIN EXECUTE registry_page({values})").scalars())
    conn.exec_driver_sql("DEALLOCATE registry_page")
    conn.exec_driver_sql("RESET plan_cache_mode")
    assert re.search(r"Limit .*\n\s*->  Index (Only )?Scan using ix_entry_contest_id_id on entry", plan), plan
    db.session.remove()


def test_a_plain_read_on_a_connection_lost_mid_request_invalidates_it(pg_app, pg_database):
    """plain_rows hands a lost connection to SQLAlchemy: its own error (marked invalidated),
    and the next read after the rollback gets a fresh connection. The checkout's socket check
    never sees this case: the connection is already in the session's hands."""
    from contest.accounts.models import User
    from contest.db import plain_rows

    _, name = pg_database
    statement = select(User.id).where(User.id == sa.bindparam("id"))
    token = sqlite_begin_mode.set("DEFERRED")
    try:
        assert plain_rows(db.session, statement, {"id": 0}) == []  # the session holds a connection
        ended = _backends(name)
        assert ended and _terminate(ended) == ended
        for _ in range(100):
            if not _backends(name) & ended:
                break
        with pytest.raises(sa.exc.OperationalError) as raised:
            plain_rows(db.session, statement, {"id": 0})
        assert raised.value.connection_invalidated
        db.session.rollback()
        assert plain_rows(db.session, statement, {"id": 0}) == []
        assert _backends(name) and not _backends(name) & ended
    finally:
        sqlite_begin_mode.reset(token)
