"""Large exports are streamed (issue 24): the registry, ranking and score exports read their
rows in batches of EXPORT_BATCH_ROWS, never all at once, with the same bytes and the same
formula neutralisation as the one-shot exports, and only organizers get them."""
import csv
import io

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import event

from contest.desk import exports, registry
from contest.enums import Role
from contest.extensions import db
from contest.schools.regions import label
from contest.spreadsheet import to_csv, to_xlsx
from tests.factories import make_contest, make_entry, make_juror, make_review, make_user

BATCH = 2  # EXPORT_BATCH_ROWS here: seven entries come in four batches
DANGEROUS = ["=HYPERLINK(\"http://evil\")", "+1+2", "-3+cmd", "@SUM(A1:A2)", "\tTabbed", "Alma", "Бота"]


@pytest.fixture
def app_config():
    return {"EXPORT_BATCH_ROWS": BATCH}


@pytest.fixture
def contest_with_entries():
    contest = make_contest(criteria=((0, 100, 1, 1),), ranking_method="mean")
    juror = make_juror(contest=contest, full_name="=Juror")
    entries = []
    for i, name in enumerate(DANGEROUS):
        entry = make_entry(contest, make_user(Role.STUDENT, full_name=name, school=f"-School {i}",
                                              region="aktobe"))
        make_review(contest, entry, juror, [10 * (i + 1)], private_comment="@me")
        entries.append(entry)
    return contest, entries, juror


def _chunks_with_statements(response):
    """Each chunk of a streamed response with the number of SQL statements run by the time it
    was produced: a lazy export runs its batch queries between chunks."""
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        out = [(chunk, len(seen)) for chunk in response.response]
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
        response.close()
    return out


def _chunks_with_database_work(response):
    """Each chunk of a streamed response with how much work the database had done by the time it
    was produced: SQLite's progress handler counts virtual-machine steps on every connection, so
    a cursor stepped lazily, batch by batch, does work between chunks; an export that loaded every
    row first would do none after the first."""
    steps = [0]

    def count():
        steps[0] += 1
        return 0  # go on

    def install(dbapi_connection, *_args):
        dbapi_connection.set_progress_handler(count, 1)

    event.listen(db.engine, "checkout", install)
    try:
        out = [(chunk, steps[0]) for chunk in response.response]
    finally:
        event.remove(db.engine, "checkout", install)
        response.close()
    return out


@pytest.mark.postgres
def test_registry_csv_is_read_in_batches_while_it_is_sent(client, auth, contest_with_entries):
    contest, entries, _juror = contest_with_entries
    auth.login(make_user(Role.ORGANIZER))
    response = client.get(f"/contests/{contest.id}/desk/entries/export.csv?sort=code")
    assert response.status_code == 200 and response.is_streamed
    if db.engine.dialect.name != "sqlite":
        # PostgreSQL: the rows come through a server-side cursor, BATCH at a time.
        streamed = []

        def note(_conn, _cursor, _statement, _params, context, _many):
            streamed.append(context.execution_options.get("yield_per"))

        event.listen(db.engine, "before_cursor_execute", note)
        try:
            body = b"".join(response.response)
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
            response.close()
        assert BATCH in streamed and body.count(b"\n") == 1 + len(entries)
        return
    chunks = _chunks_with_database_work(response)
    # The header (with the byte-order mark), then one chunk per batch of two rows.
    assert len(chunks) == 1 + 4
    rows_per_chunk = [len(list(csv.reader(io.StringIO(c.decode("utf-8-sig"), newline=""))))
                      for c, _n in chunks]
    assert rows_per_chunk == [1, 2, 2, 2, 1]
    # The database stepped its cursor between the chunks: the rows were read while being sent.
    steps = [n for _c, n in chunks[1:]]
    assert steps == sorted(steps) and len(set(steps)) == 4, steps


def test_streamed_registry_csv_has_the_same_bytes_as_the_one_shot_export(client, auth, contest_with_entries):
    contest, entries, _juror = contest_with_entries
    auth.login(make_user(Role.ORGANIZER))
    streamed = client.get(f"/contests/{contest.id}/desk/entries/export.csv?sort=code").data
    with client.application.test_request_context(), force_locale("en"):
        page = registry.list_entries(contest, registry.Filters(sort="code"), everything=True)
        header, rows = exports.registry_table(contest, page, "en", lambda code: label(code, "en"))
        assert streamed == to_csv(header, rows)
    assert streamed.startswith("\ufeff".encode())
    parsed = list(csv.reader(io.StringIO(streamed.decode("utf-8-sig"), newline="")))
    assert parsed[0][:4] == ["Code", "Author", "School", "Region"]
    assert [r[0] for r in parsed[1:]] == [e.code for e in entries]
    assert [r[1] for r in parsed[1:]] == ["'" + n if n[0] in "=+-@\t" else n for n in DANGEROUS]
    assert {r[2][0] for r in parsed[1:]} == {"'"}  # "-School i"


def test_streamed_registry_xlsx_has_the_same_cells_as_the_one_shot_export(client, auth, contest_with_entries):
    contest, entries, _juror = contest_with_entries
    auth.login(make_user(Role.ORGANIZER))
    response = client.get(f"/contests/{contest.id}/desk/entries/export.xlsx?sort=code")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="entries-')
    with client.application.test_request_context(), force_locale("en"):
        page = registry.list_entries(contest, registry.Filters(sort="code"), everything=True)
        header, rows = exports.registry_table(contest, page, "en", lambda code: label(code, "en"))
        before = to_xlsx(header, rows, "Entries")

    def cells(data):
        sheet = load_workbook(io.BytesIO(data)).active
        return [[(c.value, c.data_type, c.quotePrefix) for c in row] for row in sheet.iter_rows()]

    streamed = cells(response.data)
    assert streamed == cells(before)
    assert len(streamed) == 1 + len(entries)
    first = streamed[1][1]
    assert first == ("=HYPERLINK(\"http://evil\")", "s", True)  # text, never a formula


def test_ranking_and_score_exports_are_streamed_with_the_same_content(client, auth, contest_with_entries):
    contest, entries, _juror = contest_with_entries
    auth.login(make_user(Role.ORGANIZER))
    from contest.ranking import exports as ranking_exports

    for kind in ("ranking", "scores"):
        response = client.get(f"/contests/{contest.id}/ranking/export/{kind}.csv")
        assert response.is_streamed
        chunks = _chunks_with_statements(response)
        assert len(chunks) == 1 + 4  # seven places / seven reviews of one criterion, two a batch
        if kind == "ranking":  # each batch reads its people (the scores: its cursor's next rows)
            counts = [n for _c, n in chunks[1:]]
            assert counts == sorted(counts) and len(set(counts)) == 4
        data = b"".join(c for c, _n in chunks)
        with client.application.test_request_context(), force_locale("en"):
            if kind == "ranking":
                header, rows = ranking_exports.ranking_table(contest, method="mean", bridging="jurors",
                                                             lang="en")
            else:
                header, rows = ranking_exports.scores_table(contest, lang="en")
            assert data == to_csv(header, rows)
    ranking = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert ranking[1][2] == "'=Juror"  # scores: the juror column, neutralised


@pytest.mark.parametrize("path", ["desk/entries/export.csv", "desk/entries/export.xlsx",
                                  "ranking/export/ranking.csv", "ranking/export/scores.xlsx"])
def test_a_juror_gets_no_export(client, auth, contest_with_entries, path):
    contest, _entries, juror = contest_with_entries
    auth.login(juror)
    response = client.get(f"/contests/{contest.id}/{path}")
    assert response.status_code in (403, 404)
    assert b"Alma" not in response.data and "Бота".encode() not in response.data
