"""contest.db.plain_rows: the hot pages' reads on the driver's cursor must give exactly what
SQLAlchemy's execution gives (types, time zones, enums, JSON, IN lists, literal values), keep
the engine's listeners informed, refuse anything but a plain SELECT and never swallow an error."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import bindparam, column, select, table

from contest.accounts.models import User
from contest.awards.models import Award
from contest.contests.models import Contest, Phase
from contest.db import plain_rows, utcnow
from contest.extensions import db
from contest.judging.models import ReviewStatus
from contest.messages.models import Audience, Message, MessageRecipient, MessageStatus, RecipientStatus
from tests.factories import PASSWORD, make_assignment, make_contest, make_entry, make_juror

pytestmark = pytest.mark.postgres


def _through_sqlalchemy(statement, params):
    return [tuple(row) for row in db.session.connection().execute(statement, params)]


def _judged_contest():
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    entries = [make_entry(contest) for _ in range(3)]
    assignment_ids = [make_assignment(entry, juror, status="draft" if entry is entries[0] else "new").id
                      for entry in entries]
    contest.judging_ends_at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    db.session.add(Award(contest_id=contest.id, entry_id=entries[0].id, score=87.25, place=1))
    message = Message(contest_id=contest.id, audience=list(Audience)[0], subject={"en": "Judging starts"},
                      body={"en": "Please begin."}, status=MessageStatus.DONE)
    db.session.add(message)
    db.session.flush()
    db.session.add(MessageRecipient(message_id=message.id, user_id=juror.id, status=RecipientStatus.SENT,
                                    sent_at=utcnow()))
    db.session.commit()
    return contest, juror, assignment_ids


def test_the_hot_statements_read_the_same_rows_as_sqlalchemy(app):
    from contest.accounts.loader import _USER_AND_ROLE, _USER_BY_ID
    from contest.desk import registry
    from contest.judging import queries
    from contest.messages.queries import _inbox_statement

    contest, juror, assignment_ids = _judged_contest()
    shape, params = registry._shape_and_params(registry.get_contest(contest.id), registry.Filters())
    cases = [
        (_USER_BY_ID, {"id": juror.id}),
        (_USER_AND_ROLE, {"id": juror.id, "contest_id": contest.id}),
        # enums, NULL authors (blind), JSON, times and booleans in NULL-typed columns of a union
        (queries._dashboard_statement(), {"juror_id": juror.id}),
        (queries._reading_statement(db.session.get_bind().dialect.name),
         {"juror_id": juror.id, "assignment_id": assignment_ids[0]}),
        (registry._HEAD_AND_NAMES, {"contest_id": contest.id}),
        # its offset is a literal rendered into the text; the award's score a float
        (registry._statement(shape, "page+count"), {**params, "settled_id": 0, "offset": 0}),
        (_inbox_statement(), {"user_id": juror.id, "limit": 10}),
    ]
    for statement, values in cases:
        expected = _through_sqlalchemy(statement, values)
        assert expected, statement  # each case reads something
        got = plain_rows(db.session, statement, values)
        assert got == expected, statement
        assert [[type(v) for v in row] for row in got] == [[type(v) for v in row] for row in expected]
    dashboard = plain_rows(db.session, queries._dashboard_statement(), {"juror_id": juror.id})
    assert {row[3] for row in dashboard if row[0] == "r"} == {ReviewStatus.DRAFT, ReviewStatus.NEW}  # enums
    [contest_row] = [row for row in dashboard if row[0] == "k"]
    assert contest_row[-2] == contest.judging_ends_at and contest_row[-1] is True  # aware time, a bool
    [message_row] = [row for row in dashboard if row[0] == "m"]
    assert message_row[10] == {"en": "Judging starts"} and message_row[13].tzinfo is not None
    [head] = [row for row in plain_rows(db.session, registry._HEAD_AND_NAMES, {"contest_id": contest.id})
              if row[0] == "k"]
    assert head[4] is Phase.JUDGING and isinstance(head[2], dict)  # the title's JSON, parsed
    [page_row] = [row for row in plain_rows(db.session, registry._statement(shape, "page+count"),
                                             {**params, "settled_id": 0, "offset": 0}) if row[15] is not None]
    assert page_row[15] == 87.25 and page_row[16] == 1


def test_times_come_back_aware_and_parameters_go_through_the_columns_types(app):
    contest, _juror, _entries = _judged_contest()
    statement = (select(Contest.id, Contest.judging_ends_at, Contest.blind)
                 .where(Contest.judging_ends_at > bindparam("after"), Contest.phase == bindparam("phase")))
    values = {"after": datetime(2026, 11, 30, tzinfo=UTC), "phase": Phase.JUDGING}
    rows = plain_rows(db.session, statement, values)
    assert rows == _through_sqlalchemy(statement, values) == [
        (contest.id, datetime(2026, 12, 1, 9, 30, tzinfo=UTC), True)]
    assert rows[0][1].tzinfo is not None
    with pytest.raises(ValueError, match="naive"):  # UTCDateTime's own check still applies
        plain_rows(db.session, statement, {"after": datetime(2026, 11, 30), "phase": Phase.JUDGING})
    later = {"after": utcnow() + timedelta(days=3650), "phase": Phase.JUDGING}
    assert plain_rows(db.session, statement, later) == []


def test_the_engines_listeners_see_each_statement(app):
    sent = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        sent.append((statement, parameters))

    statement = select(User.id).where(User.email == bindparam("email"))
    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        plain_rows(db.session, statement, {"email": "nobody@example.kz"})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    selects = [(text, values) for text, values in sent if not text.startswith("BEGIN")]  # SQLite's
    assert len(selects) == 1 and selects[0][0].lstrip().upper().startswith("SELECT")
    assert "nobody@example.kz" in str(selects[0][1])


def test_only_plain_selects_and_errors_are_raised(app):
    with pytest.raises(ValueError, match="plain SELECT"):
        plain_rows(db.session, sa.update(User).values(language="kk").where(User.id == bindparam("id")),
                   {"id": 1})
    if db.session.get_bind().dialect.name == "postgresql":  # SQLite has no FOR UPDATE to render
        with pytest.raises(ValueError, match="plain SELECT"):  # a locking read needs a transaction
            plain_rows(db.session, select(User.id).with_for_update(), {})
        # a WITH whose query writes (PostgreSQL's data-modifying CTE) is no read either
        changed = (sa.update(User).values(language="kk").where(User.id == bindparam("id"))
                   .returning(User.id).cte())
        with pytest.raises(ValueError, match="plain SELECT"):
            plain_rows(db.session, select(changed.c.id), {"id": 1})
    # a WITH that only reads is one
    known = select(User.id).where(User.email == bindparam("email")).cte("known")
    assert plain_rows(db.session, select(known.c.id), {"email": "nobody@example.kz"}) == []
    missing = select(column("x")).select_from(table("no_such_table"))
    # the driver's error, not a second run through SQLAlchemy hiding a statement that never works
    with pytest.raises(db.session.get_bind().dialect.loaded_dbapi.Error) as raised:
        plain_rows(db.session, missing, {})
    assert not isinstance(raised.value, sa.exc.SQLAlchemyError) and "no_such_table" in str(raised.value)


def test_the_signed_in_user_is_the_sessions_persistent_user(app, client):
    juror = make_juror()
    juror_id, email = juror.id, juror.email
    db.session.remove()
    seen = {}

    @app.get("/_whoami_test")
    def whoami():
        from flask_login import current_user

        user = current_user._get_current_object()
        seen.update(persistent=sa.inspect(user).persistent, same=db.session.get(User, juror_id) is user,
                    dirty=user in db.session.dirty, role=user.role, created=user.created_at)
        user.language = "ru"  # a change to the signed-in user is saved like any loaded object's
        db.session.commit()
        return "ok"

    assert client.post("/account/login", data={"email": email, "password": PASSWORD}).status_code == 302
    assert client.get("/_whoami_test").status_code == 200
    assert seen["persistent"] and seen["same"] and not seen["dirty"]
    assert seen["role"] == "juror" and seen["created"].tzinfo is not None
    db.session.remove()
    assert db.session.get(User, juror_id).language == "ru"


def test_as_loaded_gives_what_a_query_would(app):
    from contest.db import as_loaded
    from contest.judging.models import Assignment

    _contest, _juror, assignment_ids = _judged_contest()
    entry_id = db.session.get(Assignment, assignment_ids[0]).entry_id
    db.session.remove()
    assignment = as_loaded(db.session, Assignment, {"id": assignment_ids[0], "version": 0,
                                                    "status": ReviewStatus.DRAFT})
    assert sa.inspect(assignment).persistent and not db.session.dirty and not db.session.new
    assert "entry_id" not in assignment.__dict__  # not given: expired, as with load_only ...
    assert assignment.entry_id == entry_id  # ... and loaded when read
    assert db.session.get(Assignment, assignment_ids[0]) is assignment
    again = as_loaded(db.session, Assignment, {"id": assignment_ids[0], "version": 7})
    assert again is assignment and assignment.version == 0  # the object the session holds
    assignment.feedback = "Changed"  # changes are tracked and flushed like any loaded object's
    db.session.commit()
    db.session.remove()
    assert db.session.get(Assignment, assignment_ids[0]).feedback == "Changed"


def test_a_plain_read_runs_in_the_requests_transaction_mode(app):
    """On PostgreSQL pgconn runs the reads of a DEFERRED request in autocommit: plain_rows must
    keep that (no BEGIN, nothing left open), and a write after it must still get its
    transaction. On SQLite the read runs inside the session's BEGIN DEFERRED."""
    from contest.db import sqlite_begin_mode

    postgres = db.session.get_bind().dialect.name == "postgresql"
    db.session.remove()
    token = sqlite_begin_mode.set("DEFERRED")
    try:
        assert plain_rows(db.session, select(User.id).where(User.id == bindparam("id")), {"id": 0}) == []
        driver = db.session.connection().connection.dbapi_connection
        if postgres:
            assert driver.info.transaction_status.name == "IDLE"
        else:
            assert driver.in_transaction
        db.session.execute(sa.update(User).where(User.id == 0).values(language="kk"))
        assert driver.info.transaction_status.name == "INTRANS" if postgres else driver.in_transaction
        db.session.rollback()
    finally:
        sqlite_begin_mode.reset(token)


def test_a_statements_own_in_list_is_rendered_once_and_a_given_one_every_time(app):
    from contest.enums import Role
    from tests.factories import make_user

    users = [make_user(Role.STUDENT, language=language) for language in ("kk", "ru", "en")]
    ids = [user.id for user in users]
    own = (select(User.id).where(User.language.in_(["kk", "ru"]), User.id >= bindparam("from_id"))
           .order_by(User.id))
    given = select(User.id).where(User.id.in_(bindparam("ids", expanding=True))).order_by(User.id)
    for from_id in (ids[0], ids[1], ids[2]):  # the rendered text is kept, the other value is not
        expected = [(i,) for i, user in zip(ids, users) if user.language in ("kk", "ru") and i >= from_id]
        assert plain_rows(db.session, own, {"from_id": from_id}) == expected
    for chosen in ([ids[0]], [ids[1], ids[2]], ids):  # a list the caller gives is rendered each time
        assert plain_rows(db.session, given, {"ids": chosen}) == [(i,) for i in chosen]


def test_json_columns_read_through_the_apps_reader_and_empty_values_are_fresh(app):
    from contest.db import json_loads
    from contest.submissions.models import EntryVersion

    assert db.engine.dialect._json_deserializer is json_loads
    contest = make_contest()
    entry = make_entry(contest)
    version = db.session.get(EntryVersion, entry.current_version_id)
    version.flags = []
    db.session.commit()
    statement = select(EntryVersion.flags).where(EntryVersion.id == bindparam("id"))
    first, second = (plain_rows(db.session, statement, {"id": version.id})[0][0] for _ in range(2))
    assert first == [] and second == [] and first is not second  # never one shared list
    first.append("changed")
    assert plain_rows(db.session, statement, {"id": version.id}) == [([],)]
    version.flags = [{"code": "short", "level": "attention", "text": "Қысқа"}]
    db.session.commit()
    assert plain_rows(db.session, statement, {"id": version.id}) == [
        ([{"code": "short", "level": "attention", "text": "Қысқа"}],)]
    assert json_loads(b'{"a": [1, 2.5, null]}') == {"a": [1, 2.5, None]} and json_loads("null") is None
