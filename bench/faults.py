"""Faults injected into a running system on loopback, and how fast it recovers.

The system: gunicorn (2 workers, gthread, 4 threads), two worker.py, PostgreSQL (a database
of our own, dropped at the end) and a redis-server of our own on a free port, all with
the production defaults for the reconciler, heartbeats and Redis timeouts. Students sign
in first (bench/deadline.py builds the contest and the accounts); then, one after another:

  kill    a worker is SIGKILLed (with its scheduler) while it extracts a 60-page essay;
          measured: seconds until the job is running again on the other worker, and until
          the entry is final. Target: running again within 60 s.
  pause   a worker is SIGSTOPped for --pause s (longer than its extraction cap, here 10 s
          of the child's CPU) right as its extraction child starts, then SIGCONTed;
          measured: whether the essay was read (no false "timeout").
  down    Redis is stopped; --batch students upload (receipts p95 while it is down); Redis
          comes back EMPTY; measured: seconds from its return until every one of those
          entries is final. Target: 60 s.
  hang    Redis is hung (SIGSTOP) for --hang s while students upload at 2/s; measured:
          receipts p50/p95 during the hang (target p95 <= 2 s), and seconds from the end
          of the hang until every entry is final.

Checked after all of them: every receipt has its entry and its exact file (lost), no entry
without a receipt or version twice (duplicated), one receipt e-mail per receipt.

    python bench/faults.py [--batch 20] [--hang 30] [--pause 20]
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import deadline as dl  # noqa: E402  (the contest, accounts, clients and checks of the deadline bench)

PG_ADMIN = dl.PG_ADMIN
FINAL = ("ready", "needs_attention")


class Redis:
    """A redis-server of our own that the bench stops, starts empty, hangs and resumes."""

    def __init__(self):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url, self.proc = f"redis://127.0.0.1:{self.port}/0", None

    def start(self) -> None:
        import redis

        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--save", "", "--appendonly",
                                      "no", "--bind", "127.0.0.1"], stdout=subprocess.DEVNULL)
        while True:
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.RedisError:
                time.sleep(0.05)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGCONT)
        self.proc.terminate()
        self.proc.wait(10)


class System:
    """The processes, and reads of the database."""

    def __init__(self, folder: Path, env: dict, app):
        self.folder, self.env, self.app, self.workers = folder, env, app, []

    def start_worker(self) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, "worker.py"], cwd=ROOT, env=self.env, start_new_session=True,
                                stdout=(self.folder / f"worker-{len(self.workers)}.log").open("wb"),
                                stderr=subprocess.STDOUT)
        self.workers.append(proc)
        return proc

    def query(self, sql: str, **params):
        from sqlalchemy import text

        from contest.extensions import db

        with self.app.app_context():
            try:
                result = db.session.execute(text(sql), params)
                rows = result.all() if result.returns_rows else []
                db.session.commit()
                return rows
            finally:
                db.session.remove()

    def pending(self, codes: list[str]) -> int:
        rows = self.query("SELECT status FROM entry WHERE code = ANY(:codes)", codes=codes)
        return len(codes) - sum(1 for (status,) in rows if status in FINAL)

    def wait_final(self, codes: list[str], limit: float = 300) -> float:
        start = time.perf_counter()
        while self.pending(codes) and time.perf_counter() - start < limit:
            time.sleep(0.25)
        return time.perf_counter() - start

    def extraction_child(self, timeout: float = 60) -> tuple[subprocess.Popen, int]:
        """(the worker, its extraction child) once an extraction job runs and its worker has
        forked a child it did not have before (its RQ scheduler is one it had)."""
        before = {w.pid: _children(w.pid) for w in self.workers if w.poll() is None}
        deadline = time.monotonic() + timeout
        running = "SELECT count(*) FROM job WHERE status = 'running' AND name LIKE '%extract_version'"
        while time.monotonic() < deadline:
            if self.query(running)[0][0]:
                for worker in self.workers:
                    if worker.pid in before and (new := _children(worker.pid) - before[worker.pid]):
                        return worker, new.pop()
            time.sleep(0.01)
        raise RuntimeError("no extraction started")


def _children(pid: int) -> set[int]:
    try:
        return {int(c) for task in Path(f"/proc/{pid}/task").iterdir()
                for c in (task / "children").read_text().split()}
    except OSError:
        return set()


def upload_all(students, pdfs, rate: float | None = None) -> list[tuple]:
    """Each student uploads one PDF (at `rate` per second, else all at once, 8 at a time)."""
    start = time.perf_counter()

    def send(i: int):
        if rate:
            time.sleep(max(0.0, start + i / rate - time.perf_counter()))
        return dl.Student.upload(students[i], pdfs[i])

    with ThreadPoolExecutor(max_workers=16 if rate else 8) as pool:
        return list(pool.map(send, range(len(students))))


def scenario_kill(system: System, student, long_pdf: bytes) -> dict:
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(student.upload, long_pdf)
        worker, _child = system.extraction_child()
        os.killpg(worker.pid, signal.SIGKILL)  # the worker, its extraction child and its scheduler
        killed = time.perf_counter()
        code = future.result()[1]
    worker.wait()
    system.start_worker()  # as systemd's Restart=always does; the other worker takes the job
    job_sql = ("SELECT status, attempts FROM job WHERE dedupe_key = "
               "(SELECT 'extract:' || current_version_id FROM entry WHERE code = :code)")
    status, attempts = system.query(job_sql, code=code)[0]
    if (status, attempts) != ("running", 1):
        raise RuntimeError(f"the worker was not killed mid-job: {status}, attempt {attempts}")
    while system.query(job_sql, code=code)[0][1] < 2 and time.perf_counter() - killed < 300:
        time.sleep(0.2)
    again = time.perf_counter() - killed
    final = again + system.wait_final([code])
    return {"codes": [code], "again": again, "final": final}


def scenario_pause(system: System, student, long_pdf: bytes, pause: float) -> dict:
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(student.upload, long_pdf)
        worker, _child = system.extraction_child()
        os.kill(worker.pid, signal.SIGSTOP)
        code = future.result()[1]
    time.sleep(pause)
    os.kill(worker.pid, signal.SIGCONT)
    system.wait_final([code])
    (status,) = system.query("SELECT v.extraction_status FROM entry e JOIN entry_version v "
                             "ON v.id = e.current_version_id WHERE e.code = :code", code=code)[0]
    return {"codes": [code], "status": status}


def scenario_down(system: System, redis: Redis, students, pdfs) -> dict:
    redis.stop()
    results = upload_all(students, pdfs)
    redis.start()  # empty: every queued job it held is gone
    codes = [r[1] for r in results if r[1]]
    return {"codes": codes, "results": results, "final": system.wait_final(codes)}


def scenario_hang(system: System, redis: Redis, students, pdfs, hang: float) -> dict:
    redis.proc.send_signal(signal.SIGSTOP)
    hung = time.perf_counter()
    results = upload_all(students[:int(2 * hang)], pdfs, rate=2.0)
    time.sleep(max(0.0, hang - (time.perf_counter() - hung)))
    redis.proc.send_signal(signal.SIGCONT)
    codes = [r[1] for r in results if r[1]]
    return {"codes": codes, "results": results, "final": system.wait_final(codes)}


def check_all(system: System, receipts: dict[str, bytes]) -> dict:
    """Lost: a receipt without its entry or exact file, or without its e-mail. Duplicated:
    an entry nobody got a receipt for, a second version, a second receipt e-mail."""
    checked = dl.check(system.app, receipts, [])
    versions = system.query("SELECT count(*) FROM entry_version v JOIN entry e ON e.id = v.entry_id "
                            "WHERE e.id > :n", n=dl.EARLIER_ENTRIES)[0][0]
    mails = [p.read_text(errors="replace") for p in (system.folder / "outbox").glob("*.eml")]
    per_code = {code: sum(code in m for m in mails) for code in receipts}
    return {"lost": checked["lost"] + sum(1 for n in per_code.values() if n == 0),
            "duplicated": checked["extra"] + (versions - checked["entries"])
            + sum(n - 1 for n in per_code.values() if n > 1)}


def report(args, kill, pause, down, hang, checked, receipts) -> None:
    def times(results):
        values = [r[0] for r in results if r[1]]
        errors = sum(1 for r in results if not r[1])
        return f"p50 {dl.pct(values, 50):.2f} s, p95 {dl.pct(values, 95):.2f} s, {errors} errors"

    print(f"\n{len(receipts)} receipts in all; load average before {args.load_before:.1f}\n")
    print("| fault | measured | figure | target |\n|---|---|---:|---:|")
    print(f"| worker SIGKILLed mid-extraction | its job running again | {kill['again']:.1f} s | ≤ 60 s |")
    print(f"| | the entry final | {kill['final']:.1f} s | |")
    print(f"| worker SIGSTOPped {args.pause:.0f} s mid-extraction | extraction status | "
          f"{pause['status']} | ok |")
    print(f"| Redis stopped, {len(down['codes'])} uploads, back empty | receipts while down | "
          f"{times(down['results'])} | |")
    print(f"| | every entry final after Redis returned | {down['final']:.1f} s | ≤ 60 s |")
    print(f"| Redis hung {args.hang:.0f} s, uploads at 2/s | receipts during the hang | "
          f"{times(hang['results'])} | p95 ≤ 2 s |")
    print(f"| | every entry final after the hang | {hang['final']:.1f} s | ≤ 60 s |")
    print(f"| all | lost / duplicated | {checked['lost']} / {checked['duplicated']} | 0 / 0 |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=20, help="uploads while Redis is down")
    parser.add_argument("--hang", type=float, default=30, help="seconds Redis is hung")
    parser.add_argument("--pause", type=float, default=20, help="seconds a worker is paused")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]
    import sqlalchemy as sa

    from tests.extraction.hostile import essay_pdf

    n_students = 2 + args.batch + int(2 * args.hang)
    token = uuid.uuid4().hex[:10]
    dbname = f"bench_faults_{token}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{dbname}"')
    folder = Path(tempfile.mkdtemp(prefix="contest-faults-"))
    redis = Redis()
    redis.start()
    (folder / "config.py").write_text(
        f"SQLALCHEMY_DATABASE_URI = 'postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}'\n"
        f"SECRET_KEY = 'bench'\nREDIS_URL = {redis.url!r}\nREDIS_PREFIX = 'faults:'\nEXTRACT_TIMEOUT = 10\n"
        f"UPLOAD_FOLDER = {str(folder / 'uploads')!r}\nOUTBOX_FOLDER = {str(folder / 'outbox')!r}\n")
    os.environ["CONTEST_INSTANCE_PATH"] = str(folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACCESS_LOG": str(folder / "access.log")}
    from contest import create_app

    app = create_app()
    procs: list[subprocess.Popen] = []
    system = System(folder, env, app)
    try:
        dl.build(n_students)
        system.query("UPDATE contest SET max_pages = 80, max_words = 0")
        args.uploads = n_students
        (students, _jurors), _port = signed_in(env, procs, n_students)
        pdfs = dl.essays(n_students)
        long_pdf, long_ru = essay_pdf("en", 60), essay_pdf("ru", 60)
        for _ in range(2):
            system.start_worker()
        time.sleep(3)  # the workers are up
        kill = scenario_kill(system, students[0], long_pdf)
        pause = scenario_pause(system, students[1], long_ru, args.pause)
        down = scenario_down(system, redis, students[2:2 + args.batch], pdfs[2:2 + args.batch])
        hang = scenario_hang(system, redis, students[2 + args.batch:], pdfs[2 + args.batch:], args.hang)
        sent = {kill["codes"][0]: long_pdf, pause["codes"][0]: long_ru}
        sent |= {r[1]: pdfs[2 + i] for i, r in enumerate(down["results"]) if r[1]}
        sent |= {r[1]: pdfs[2 + args.batch + i] for i, r in enumerate(hang["results"]) if r[1]}
        outbox, waited = folder / "outbox", time.perf_counter()
        while len(list(outbox.glob("*.eml"))) < len(sent) and time.perf_counter() - waited < 60:
            time.sleep(0.5)  # receipt e-mails are jobs too
        time.sleep(3)  # and a few more reconciler rounds, which must not send any twice
        report(args, kill, pause, down, hang, check_all(system, sent), sent)
    finally:
        for proc in procs + system.workers:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs + system.workers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        redis.stop()
        with app.app_context():
            from contest.extensions import db

            db.engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def signed_in(env: dict, procs: list, n: int):
    """gunicorn up, and n students signed in with their submit form open."""
    server, port = dl.start_server(env, 4)
    procs.append(server)
    students = [dl.Student(port, f"s{dl.EARLIER_ENTRIES + i}@bench.example.kz") for i in range(n)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda s: s.prepare(1), students))
    return (students, []), port


if __name__ == "__main__":
    main()
