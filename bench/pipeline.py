"""The full pipeline for bench/extract.py: upload through the app, extract with a real worker.

Two phases on the same corpus. (1) Upload: every essay is POSTed to the upload view by a
signed-in student (the web process's cost: validation, hashing, storing, the receipt
e-mail row, queueing). (2) Worker: one real `worker.py` against its own redis-server
processes the queue; its throughput is measured from the first job's start to the last
job's finish in the job table, so start-up is not counted but everything the worker does
per essay is (the RQ work-horse fork, the sandboxed extraction, language, flags, MinHash,
near-duplicate check, the redacted juror copy, the status update, and the receipt e-mail).
"""
from __future__ import annotations

import io
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_instance(folder: Path, redis_port: int, mode: str) -> None:
    (folder / "config.py").write_text(
        f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{folder / 'bench.sqlite3'}'\n"
        f"REDIS_URL = 'redis://127.0.0.1:{redis_port}/0'\nSECRET_KEY = 'bench'\n"
        f"UPLOAD_FOLDER = '{folder / 'uploads'}'\nOUTBOX_FOLDER = '{folder / 'outbox'}'\n"
        f"RECONCILE_INTERVAL = 30\nWORKER_MODE = {mode!r}\n")


def run_pipeline(corpus: list[tuple[Path, int]], mode: str = "inprocess") -> dict[str, float]:
    """Returns {"upload_s": ..., "worker_s": ..., "ready": n} for the corpus."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        port = _free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                                 stdout=subprocess.DEVNULL)
        try:
            _write_instance(folder, port, mode)
            os.environ["CONTEST_INSTANCE_PATH"] = str(folder)
            time.sleep(0.3)
            return _measure(folder, corpus)
        finally:
            redis.terminate()
            redis.wait()


def _process_cpu(pid: int) -> float:
    """CPU seconds of a process and its reaped children (utime, stime, cutime, cstime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _upload(client, ids, path: Path) -> None:
    contest_id, topic_id, category_id = ids
    response = client.post(f"/contests/{contest_id}/submit", content_type="multipart/form-data", data={
        "topic": topic_id, "category": category_id, "submit_key": secrets.token_urlsafe(18),
        "file": (io.BytesIO(path.read_bytes()), path.name)})
    assert response.status_code == 302, response.status_code


def _wait_all_final(app, n: int) -> int:
    from sqlalchemy import func, select

    from contest.extensions import db
    from contest.jobs.models import Job
    from contest.submissions.models import Entry, EntryStatus

    final = [EntryStatus.READY, EntryStatus.NEEDS_ATTENTION]
    with app.app_context():
        while True:
            done = db.session.scalar(select(func.count(Entry.id)).where(Entry.status.in_(final)))
            pending = db.session.scalar(select(func.count(Job.id)).where(Job.finished_at.is_(None)))
            ready = db.session.scalar(select(func.count(Entry.id)).where(Entry.status == EntryStatus.READY))
            db.session.remove()
            if done == n and pending == 0:
                return ready
            time.sleep(0.05)


def _measure(folder: Path, corpus) -> dict[str, float]:
    from contest import create_app
    from contest.extensions import db
    from tests import factories
    from tests.extraction import hostile

    app = create_app({"WTF_CSRF_ENABLED": False})  # the bench posts forms without a browser
    with app.app_context():
        db.create_all()
        contest = factories.make_contest(formats=["pdf", "docx", "txt"], entries_per_student=len(corpus) + 1,
                                         max_file_mb=10, blind=True)
        student = factories.make_user(full_name="Bench Student", school="Bench School")
        ids, email = (contest.id, contest.topics[0].id, contest.categories[0].id), student.email
    client = app.test_client()
    client.post("/account/login", data={"email": email, "password": factories.PASSWORD})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen([sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        warm = folder / "warm-up.pdf"
        warm.write_bytes(hostile.essay_pdf("en"))
        _upload(client, ids, warm)  # warm-up: the worker has started and run one job
        _wait_all_final(app, 1)
        worker_start, wall_start, upload_cpu = _process_cpu(worker.pid), time.perf_counter(), 0.0
        for path, _pages in corpus:
            before = time.process_time()
            _upload(client, ids, path)
            upload_cpu += time.process_time() - before
        ready = _wait_all_final(app, len(corpus) + 1) - 1
        wall = time.perf_counter() - wall_start
        worker_cpu = _process_cpu(worker.pid) - worker_start
    finally:
        worker.terminate()
        worker.wait()
    return {"upload_s": upload_cpu, "worker_s": worker_cpu, "wall_s": wall, "ready": ready}
