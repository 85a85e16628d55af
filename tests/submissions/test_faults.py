"""Uploads under faults, with real processes: a double click racing on a held lock, a Redis
of the test's own hung (SIGSTOP) during uploads, a worker SIGSTOPped mid-extraction, a
full disk (a tiny tmpfs), and the database unreachable behind a real gunicorn. Each test
checks that nothing is lost or duplicated, and what the student sees."""
import http.cookiejar
import io
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy import func, select

from contest.extensions import db
from contest.jobs.models import Job
from contest.mail.models import OutgoingEmail
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from tests import factories
from tests.conftest import ROOT, free_port, wait_for
from tests.extraction import hostile
from tests.submissions.helpers import entries, post_upload

FINAL = (EntryStatus.READY, EntryStatus.NEEDS_ATTENTION)


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


# --- a double-clicked upload ------------------------------------------------------------

class _OwnContextClient(FlaskClient):
    """Each request in an app context (and database session) of its own, from any thread."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def _signed_in_client(app, student) -> FlaskClient:
    client = _OwnContextClient(app, app.response_class, use_cookies=True)
    client.post("/account/login", data={"email": student.email, "password": factories.PASSWORD})
    return client


class _RowLock:
    """Holds a row's lock (PostgreSQL; SQLite: the database's write lock) on a connection of
    the test's own, so that both clicks arrive while the first is busy."""

    def __init__(self, url: str, table: str, row_id: int):
        self.url, self.table, self.row_id = url, table, row_id

    def __enter__(self):
        if self.url.startswith("sqlite"):
            import sqlite3

            self.conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.engine = sa.create_engine(self.url)
            self.conn = self.engine.connect()
            self.conn.execute(sa.text(f'UPDATE "{self.table}" SET id = id WHERE id = :id'),
                              {"id": self.row_id})
        return self

    def waiting(self) -> int:
        """PostgreSQL: how many other sessions of this database wait for a lock."""
        if self.url.startswith("sqlite"):
            return 2
        probe = self.engine.connect()
        try:
            return probe.scalar(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND query ILIKE '%%FROM \"user\"%%FOR UPDATE%%'"))
        finally:
            probe.close()

    def __exit__(self, *exc):
        if self.url.startswith("sqlite"):
            self.conn.execute("ROLLBACK")
            self.conn.close()
        else:
            self.conn.rollback()
            self.conn.close()
            self.engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("limit", [1, 3])
def test_double_clicked_upload_returns_the_first_receipt_to_both_clicks(app, contest, student, services,
                                                                          limit):
    contest.entries_per_student = limit
    db.session.commit()
    clients = [_signed_in_client(app, student) for _ in range(2)]
    key, data = secrets.token_urlsafe(18), hostile.essay_pdf("kk")
    form = {"topic": str(contest.topics[0].id), "category": str(contest.categories[0].id), "submit_key": key}
    responses = [None, None]
    db.session.commit()  # the test's own session holds no transaction while the clicks race

    path = f"/contests/{contest.id}/submit"  # read here: the threads have no session of their own

    def click(i: int) -> None:
        responses[i] = clients[i].post(path, content_type="multipart/form-data",
                                       data={**form, "file": (io.BytesIO(data), "essay.pdf")})

    with _RowLock(services["database_url"], "user", student.id) as lock:  # the upload's own lock
        threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while lock.waiting() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
    for thread in threads:
        thread.join(30)
    assert [r.status_code for r in responses] == [302, 302], [r.headers.get("Location") for r in responses]
    assert "/receipt/" in responses[0].headers["Location"]
    assert responses[0].headers["Location"] == responses[1].headers["Location"]
    db.session.rollback()
    assert (_count(Entry), _count(EntryVersion), _count(OutgoingEmail)) == (1, 1, 1)
    assert _count(Job) == 2  # one extraction, one receipt e-mail
    [entry] = entries()
    assert entry.code == "ZT-2026-0001"
    assert "ZT-2026-0001" in clients[1].get(responses[1].headers["Location"]).data.decode()


def _counter_lock_is_free(url: str, contest_id: int) -> bool:
    """From a connection of the test's own, without waiting: could another upload take the
    contest's receipt counter now?"""
    if url.startswith("sqlite"):  # no row locks: the database's write lock
        import sqlite3

        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            conn.close()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            # The counter's own lock (an entry's foreign key holds a KEY SHARE, which it allows).
            conn.execute(sa.text("SELECT id FROM contest WHERE id = :id FOR NO KEY UPDATE NOWAIT"),
                         {"id": contest_id})
            conn.rollback()
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_an_upload_does_not_hold_the_contest_row_while_it_stores_and_records(app, client, contest, student,
                                                                             services):
    """Every upload of a contest takes its receipt number from the contest row. On
    PostgreSQL, held until the commit, that lock made each upload wait for the whole of the
    one before it (at 30 uploads a second, most of an upload's time): after the number,
    another upload must be able to take the row at once. On SQLite a writing request holds
    the database's one write lock throughout, by design (contest/db.py)."""
    from sqlalchemy import event

    url, seen, contest_id = services["database_url"], [], contest.id

    def probe(_conn, _cursor, statement, *_args):
        if statement.startswith("INSERT INTO audit_event"):  # late in the upload's transaction
            seen.append(_counter_lock_is_free(url, contest_id))

    event.listen(db.engine, "before_cursor_execute", probe)
    try:
        response = post_upload(client, contest, "essay.pdf", hostile.essay_pdf("kk"))
    finally:
        event.remove(db.engine, "before_cursor_execute", probe)
    assert response.status_code == 302 and "/receipt/" in response.headers["Location"]
    assert seen == [url.startswith("postgresql")]
    [entry] = entries()
    assert entry.code == "ZT-2026-0001"


@pytest.mark.postgres
def test_uploads_of_many_students_at_once_get_distinct_numbers(app, contest, services):
    """Numbers taken outside the upload's transaction stay unique under concurrency."""
    contest.entries_per_student = 1
    students = [factories.make_user(email=f"racer{i}@example.kz") for i in range(8)]
    db.session.commit()
    clients = [_signed_in_client(app, s) for s in students]
    form = {"topic": str(contest.topics[0].id), "category": str(contest.categories[0].id)}
    pdf = hostile.essay_pdf("ru")
    responses = [None] * len(clients)

    path = f"/contests/{contest.id}/submit"

    def send(i):
        responses[i] = clients[i].post(path, content_type="multipart/form-data",
                                       data={**form, "submit_key": secrets.token_urlsafe(18),
                                             "file": (io.BytesIO(pdf), "essay.pdf")})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [(r.status_code, "/receipt/" in r.headers.get("Location", "")) for r in responses] == [
        (302, True)] * len(clients)
    db.session.rollback()  # a new snapshot: the threads committed after the test's last read
    codes = sorted(e.code for e in entries())
    assert codes == [f"ZT-2026-{n:04d}" for n in range(1, len(clients) + 1)]


# --- a hung Redis -----------------------------------------------------------------------

@pytest.mark.worker
class TestHungRedis:
    @pytest.fixture
    def app_config(self, redis_server):
        return {"REDIS_URL": redis_server.url}

    def test_uploads_get_their_receipts_while_redis_hangs(self, app, client, contest, student, redis_server,
                                                         start_worker):
        contest.entries_per_student = 3
        db.session.commit()
        start_worker(REDIS_URL=redis_server.url)
        pdfs = {lang: hostile.essay_pdf(lang) for lang in ("kk", "ru")}
        redis_server.hang()
        watchdog = threading.Timer(12, redis_server.resume)  # bounds the test if uploads stall
        watchdog.start()
        try:
            codes = []
            for lang in ("kk", "ru"):
                response = post_upload(client, contest, f"{lang}.pdf", pdfs[lang])
                assert response.status_code == 302
                codes.append(client.get(response.headers["Location"]).data.decode())
            assert watchdog.is_alive(), "an upload waited for the hung Redis"
        finally:
            watchdog.cancel()
            redis_server.resume()
        assert "ZT-2026-0001" in codes[0] and "ZT-2026-0002" in codes[1]
        done = wait_for(lambda: (found := entries()) and all(e.status in FINAL for e in found) and found,
                        timeout=90)
        assert [e.status for e in done] == [EntryStatus.READY, EntryStatus.READY]
        outbox = Path(app.config["OUTBOX_FOLDER"])
        wait_for(lambda: len(list(outbox.glob("*.eml"))) == 2, timeout=60)
        time.sleep(3)  # more reconciler rounds: nothing is sent twice
        assert len(list(outbox.glob("*.eml"))) == 2


# --- a worker paused mid-extraction -------------------------------------------------------

def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found.update(int(p) for p in (task / "children").read_text().split())
        except FileNotFoundError:  # the thread ended between listing and reading
            continue
    return found


@pytest.mark.worker
def test_worker_paused_mid_extraction_does_not_report_a_timeout(app, client, contest, student, start_worker):
    contest.max_pages, contest.max_words = 80, 0
    db.session.commit()
    worker = start_worker(EXTRACT_TIMEOUT=3)
    wait_for(lambda: _children(worker.pid), timeout=40)  # its RQ scheduler
    before = _children(worker.pid)
    post_upload(client, contest, "long.pdf", hostile.essay_pdf("en", 12))
    deadline = time.monotonic() + 60
    while not (_children(worker.pid) - before) and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(worker.pid, signal.SIGSTOP)  # the worker stops; its extraction child goes on
    try:
        time.sleep(7)  # past the cap and the grace, as on a paused or swapping host
    finally:
        os.kill(worker.pid, signal.SIGCONT)
    [entry] = wait_for(lambda: (found := entries()) and found[0].status in FINAL and found, timeout=60)
    version = db.session.get(EntryVersion, entry.current_version_id)
    assert (entry.status, version.extraction_status, version.page_count) == (EntryStatus.READY, "ok", 12)


# --- a full disk ----------------------------------------------------------------------------

@pytest.fixture
def tiny_disk(tmp_path):
    """A 32 KB tmpfs: a real file system that runs out of space."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_full_disk_says_the_essay_was_not_received_and_stores_nothing(app, client, contest, student,
                                                                      tiny_disk):
    app.config["UPLOAD_FOLDER"] = str(tiny_disk / "uploads")
    big = hostile.essay_pdf("ru", 40)
    assert len(big) > 32 * 1024
    key = secrets.token_urlsafe(18)
    response = post_upload(client, contest, "essay.pdf", big, key=key)
    page = response.data.decode()
    assert response.status_code == 503  # in the student's language (English), never "nothing was lost"
    assert "Your essay was NOT received" in page and "no receipt was issued" in page
    assert (_count(Entry), _count(EntryVersion), _count(Job)) == (0, 0, 0)
    assert [p.name for p in (tiny_disk / "uploads").iterdir()] == []  # no half file left
    app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")  # space again
    response = post_upload(client, contest, "essay.pdf", big, key=key)
    assert response.status_code == 302
    assert [e.code for e in entries()] == ["ZT-2026-0001"]


# --- the database unreachable behind a real gunicorn ----------------------------------------

@pytest.fixture
def gunicorn_without_database(instance_path):
    port, dead = free_port(), free_port()
    env = {**os.environ, "CONTEST_INSTANCE_PATH": str(instance_path), "PYTHONPATH": str(ROOT),
           "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{dead}/test"}
    log = (instance_path / f"gunicorn-{port}.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "--threads", "2", "-b",
                             f"127.0.0.1:{port}", "contest:create_app()"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(base), timeout=30)
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
        return True
    except OSError:
        return False


def _fetch(url: str, language: str, data: bytes | None = None, cookie: str = "") -> tuple[int, str]:
    headers = {"Accept-Language": language, **({"Cookie": f"session={cookie}"} if cookie else {})}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_database_down_shows_a_translated_page_not_a_bare_error(app, gunicorn_without_database):
    signed_in = app.session_interface.get_signing_serializer(app).dumps({"_user_id": "1:0"})
    status, page = _fetch(f"{gunicorn_without_database}/dashboard", "kk", cookie=signed_in)  # loads the user
    assert status == 503
    assert "Уақытша қолжетімсіз" in page and "дерекқорға қосыла алмай тұр" in page
    assert "Internal Server Error" not in page
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = opener.open(f"{gunicorn_without_database}/account/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = urlencode({"csrf_token": token, "email": "a@example.kz", "password": "x"}).encode()
    request = urllib.request.Request(f"{gunicorn_without_database}/account/login", data=data,
                                     headers={"Accept-Language": "ru"})
    with pytest.raises(urllib.error.HTTPError) as failed:
        opener.open(request, timeout=10)
    status, page = failed.value.code, failed.value.read().decode()
    assert status == 503
    assert "НЕ сохранено" in page and "Отправьте это ещё раз" in page
