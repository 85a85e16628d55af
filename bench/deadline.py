"""The last ten minutes before a deadline, on loopback: students uploading at once while
50 jurors save drafts, against gunicorn (2 workers), PostgreSQL, Redis and 2 worker.py.

Server: gunicorn with 2 workers of the gthread class, 4 threads each (`--threads 1`: the
sync class). An upload spends most of its time waiting (fsync of the file, the database
commit), so threads overlap those waits; with 2 sync workers the same load ran at p95
0.06-3.4 s to receipt and 0.04-1.1 s per draft save on this 2-core machine, depending on
what else the machine was doing.

Set-up (not measured): a database of our own on the local PostgreSQL (127.0.0.1:5432, user
postgres; created here and dropped at the end), a Redis key prefix of our own (its keys and
our jobs' RQ keys deleted at the end), an open contest closing in ten minutes with 150
earlier entries already assigned to 50 jurors (3 reviews each), and UPLOADS students with
no entry yet. Every student and juror signs in through the login form first; each student
gets a different small real PDF (contest.demo.generator) to upload.

Measured: uploads arrive open-loop at a rate ramping from 4/s to PEAK/s (default 30) over
RAMP seconds, then hold PEAK/s until every student has sent; each upload is the multipart
POST of the submit form plus the GET of the receipt it redirects to ("time to receipt").
Meanwhile each juror saves a draft every 2-4 s (random) on one of their essays. Two
worker.py processes extract the entries, at nice 19: on one small box the receipts come
first and extraction waits (with sync workers and no nice, p95 time to receipt was 4.1 s
and p95 draft save 1.5 s on this 2-core machine; in production the workers run on other
hosts).
Reported: p50/p95/p99 time to receipt, errors, time until every entry is extracted, p95
draft save, and lost data: receipts whose entry or file is missing or different, and drafts
acknowledged (200 with a version) whose scores are not what the database holds at the end.
Bounded: about 2 minutes in all.

    python bench/deadline.py [--uploads 360] [--peak 30] [--ramp 10] [--threads 4]
"""

import argparse
import hashlib
import http.client
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "deadline bench 1"
N_JURORS, EARLIER_ENTRIES, K = 50, 150, 3
CODE = re.compile(rb"ZT-\d{4}-\d{4,5}")


def build(n_students: int) -> None:
    """Contest, earlier entries with assignments, jurors and students (bulk inserts)."""
    from sqlalchemy import insert, update

    from contest import create_app
    from contest.accounts.models import User
    from contest.accounts.services import hash_password
    from contest.contests.models import Category, Contest, ContestJuror, Criterion, JurorProfile, Topic
    from contest.db import utcnow
    from contest.extensions import db
    from contest.judging.assignment import EntryInfo, JurorInfo, plan_assignments
    from contest.judging.models import Assignment
    from contest.submissions.models import Entry, EntryVersion

    app = create_app()
    with app.app_context():
        db.create_all()
        now, pw = utcnow(), hash_password(PASSWORD)
        contest = Contest(code_prefix="ZT", year=2026, title={"en": "Zero tolerance"}, phase="open",
                          opens_at=now - timedelta(days=20), closes_at=now + timedelta(minutes=10),
                          reviews_per_entry=K, entry_counter=EARLIER_ENTRIES, max_pages=5)
        contest.topics = [Topic(title={"en": "Driver and pedestrian"}, position=0)]
        contest.categories = [Category(name={"en": "Grades 9–11"}, position=0)]
        contest.criteria = [Criterion(name={"en": f"Criterion {i}"}, min_score=0, max_score=10, step=1,
                                      weight=1 + i % 2, position=i) for i in range(4)]
        db.session.add(contest)
        db.session.flush()
        topic, cat = contest.topics[0].id, contest.categories[0].id
        n_users = EARLIER_ENTRIES + n_students
        users = [{"id": i + 1, "email": f"s{i}@bench.example.kz", "full_name": f"Student {i}",
                  "role": "student", "password_hash": pw, "language": "en", "school": f"School {i % 90}",
                  "region": "Almaty", "created_at": now} for i in range(n_users)]
        jurors = [{"id": n_users + j + 1, "email": f"j{j}@bench.example.kz", "full_name": f"Juror {j}",
                   "role": "juror", "password_hash": pw, "language": "en", "school": f"Jury {j}",
                   "region": "Jury", "created_at": now} for j in range(N_JURORS)]
        db.session.execute(insert(User), users + jurors)
        db.session.execute(insert(JurorProfile), [{"user_id": u["id"], "languages": ["kk", "ru", "en"]}
                                                  for u in jurors])
        db.session.execute(insert(ContestJuror), [{"contest_id": contest.id, "user_id": u["id"],
                                                   "category_ids": [cat]} for u in jurors])
        text = "The law protects everyone who respects it. " * 60
        digest = hashlib.sha256(text.encode()).hexdigest()
        db.session.execute(insert(Entry), [
            {"id": i + 1, "contest_id": contest.id, "student_id": i + 1, "topic_id": topic,
             "category_id": cat, "code": f"ZT-2026-{i + 1:04d}", "status": "ready", "language": "en",
             "word_count": 420, "created_at": now, "updated_at": now} for i in range(EARLIER_ENTRIES)])
        db.session.execute(insert(EntryVersion), [
            {"id": i + 1, "entry_id": i + 1, "number": 1, "original_name": "essay.txt",
             "stored_name": f"{digest}.txt", "sha256": digest, "size": len(text), "format": "text",
             "extraction_status": "ok", "text": text, "juror_text": text, "word_count": 420, "language": "en",
             "flags": [], "uploaded_at": now, "extracted_at": now} for i in range(EARLIER_ENTRIES)])
        db.session.execute(update(Entry).values(current_version_id=Entry.id))
        plan = plan_assignments(
            [EntryInfo(i + 1, "en", cat, users[i]["school"], "Almaty") for i in range(EARLIER_ENTRIES)],
            [JurorInfo(u["id"], frozenset({"kk", "ru", "en"}), frozenset({cat}), u["school"], u["region"])
             for u in jurors], k=K, seed=1)
        db.session.execute(insert(Assignment), [
            {"contest_id": contest.id, "entry_id": e, "juror_id": j, "status": "new", "version": 0,
             "scores": {}, "criterion_comments": {}, "private_comment": "", "feedback": "",
             "created_at": now, "updated_at": now} for e, j in plan.pairs])
        db.session.commit()
        # Sequences after explicit ids (PostgreSQL).
        for table in ("user", "entry", "entry_version"):
            db.session.execute(db.text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                       f"(SELECT max(id) FROM \"{table}\"))"))
        db.session.commit()


def essays(n: int) -> list[bytes]:
    """n different small real PDFs (one page or two) in kk, ru and en."""
    from contest.demo.generator import essay_pdf, write_essay
    from contest.demo.phrases import TOPIC_KEYS

    rng = random.Random(11)
    return [essay_pdf(write_essay(rng, language=("kk", "ru", "en")[i % 3], topic=TOPIC_KEYS[i % 3],
                                  quality=rng.random())) for i in range(n)]


class Client:
    """One person's session; a new connection per request (gunicorn sync closes them)."""

    def __init__(self, port: int, email: str):
        self.port, self.email, self.cookie, self.token = port, email, "", ""

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        hdrs = dict(headers or {})
        if self.cookie:
            hdrs["Cookie"] = self.cookie
        conn.request(method, path, body=body, headers=hdrs)
        response = conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            if value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        location = response.headers.get("Location", "")
        conn.close()
        return response.status, data, location

    def login(self, then: str) -> bytes:
        _s, page, _l = self.request("GET", "/account/login")
        token = re.search(rb'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1).decode()
        status, _d, _l = self.request("POST", "/account/login", urlencode(
            {"email": self.email, "password": PASSWORD, "csrf_token": token}),
            {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, (self.email, status)
        _s, page, _l = self.request("GET", then)
        self.token = re.search(rb'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1).decode()
        return page


def multipart(fields: dict, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Student(Client):
    def prepare(self, contest_id: int) -> None:
        page = self.login(f"/contests/{contest_id}/submit")
        self.path = f"/contests/{contest_id}/submit"
        first_option = rb'name="%s"[^>]*>\s*<option[^>]*value="(\d+)"'
        self.topic = re.search(first_option % b"topic", page).group(1).decode()
        self.category = re.search(first_option % b"category", page).group(1).decode()

    def upload(self, data: bytes) -> tuple[float, str | None, str]:
        """(seconds from the POST to the receipt page, receipt code or None, error)."""
        body, ctype = multipart({"csrf_token": self.token, "submit_key": uuid.uuid4().hex,
                                 "topic": self.topic, "category": self.category}, "essay.pdf", data)
        start = time.perf_counter()
        try:
            status, _d, location = self.request("POST", self.path, body, {"Content-Type": ctype})
            if status != 302 or "/receipt/" not in location:
                return time.perf_counter() - start, None, f"POST {status}"
            status, page, _l = self.request("GET", location.replace(f"http://127.0.0.1:{self.port}", ""))
        except OSError as exc:
            return time.perf_counter() - start, None, type(exc).__name__
        found = CODE.search(page)
        if status != 200 or not found:
            return time.perf_counter() - start, None, f"receipt {status}"
        return time.perf_counter() - start, found.group(0).decode(), ""


class Juror(Client):
    def prepare(self) -> None:
        page = self.login("/judging/")
        self.assignments = [int(x) for x in re.findall(rb'href="/judging/review/(\d+)"', page)]
        _s, page, _l = self.request("GET", f"/judging/review/{self.assignments[0]}")
        self.criteria = [int(x) for x in re.findall(rb'name="score_(\d+)"', page)]
        self.versions = dict.fromkeys(self.assignments, 0)
        self.acked: dict[int, tuple[int, dict]] = {}
        self.times, self.errors, self.turn = [], [], 0

    def save(self, rng: random.Random) -> None:
        self.turn += 1
        aid = rng.choice(self.assignments)
        scores = {str(cid): float(rng.randint(0, 10)) for cid in self.criteria}
        form = {"version": self.versions[aid], "feedback": f"Draft {self.turn}", "private_comment": "",
                **{f"score_{cid}": int(v) for cid, v in scores.items()}}
        start = time.perf_counter()
        try:
            status, data, _l = self.request("POST", f"/judging/review/{aid}/save", urlencode(form), {
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
                "X-CSRFToken": self.token})
        except OSError as exc:
            self.errors.append(type(exc).__name__)
            return
        self.times.append(time.perf_counter() - start)
        found = re.search(rb'"version":\s*(\d+)', data) if status == 200 else None
        if found is None:
            self.errors.append(f"save {status}")
            return
        self.versions[aid] = int(found.group(1))
        self.acked[aid] = (self.versions[aid], scores)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def schedule(n: int, start_rate: float, peak: float, ramp: float) -> list[float]:
    """Arrival offsets (s): the rate grows linearly from start_rate to peak over `ramp`
    seconds, then stays at peak until n arrivals."""
    times, t = [], 0.0
    while len(times) < n:
        rate = start_rate + (peak - start_rate) * min(1.0, t / ramp)
        t += 1.0 / rate
        times.append(t)
    return times


def run_load(students, jurors, pdfs, args, stop_jurors) -> tuple[list, list]:
    """Uploads on their open-loop schedule while the jurors save; returns the upload results
    and their (offset, sent) times."""
    results: list = [None] * len(students)

    def juror_loop(juror: Juror, seed: int) -> None:
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, 3))
        while not stop_jurors.is_set():
            juror.save(rng)
            stop_jurors.wait(rng.uniform(2, 4))

    juror_threads = [threading.Thread(target=juror_loop, args=(j, i)) for i, j in enumerate(jurors)]
    for t in juror_threads:
        t.start()
    offsets = schedule(len(students), 4, args.peak, args.ramp)
    start = time.perf_counter()

    def send(i: int) -> None:
        delay = start + offsets[i] - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        results[i] = students[i].upload(pdfs[i])

    with ThreadPoolExecutor(max_workers=160) as pool:
        list(pool.map(send, range(len(students))))
    return results, juror_threads


def wait_extracted(app, codes: list[str], start: float, limit: float) -> float | None:
    """Seconds from `start` until no entry of the receipts is still received or processing."""
    from sqlalchemy import func, select

    from contest.extensions import db
    from contest.submissions.models import Entry, EntryStatus

    with app.app_context():
        while time.perf_counter() - start < limit:
            pending = db.session.scalar(select(func.count(Entry.id)).where(
                Entry.code.in_(codes), Entry.status.in_([EntryStatus.RECEIVED, EntryStatus.PROCESSING])))
            db.session.rollback()
            if pending == 0:
                return time.perf_counter() - start
            time.sleep(0.25)
    return None


def check(app, receipts: dict[str, bytes], jurors: list[Juror]) -> dict:
    """Lost entries (receipt given, entry or exact file missing), duplicates, lost drafts."""
    from sqlalchemy import select

    from contest.extensions import db
    from contest.judging.models import Assignment
    from contest.submissions import storage
    from contest.submissions.models import Entry, EntryStatus, EntryVersion

    with app.app_context():
        rows = {code: (sha, name, status) for code, sha, name, status in db.session.execute(
            select(Entry.code, EntryVersion.sha256, EntryVersion.stored_name, Entry.status)
            .join(EntryVersion, EntryVersion.id == Entry.current_version_id)
            .where(Entry.id > EARLIER_ENTRIES))}
        lost = 0
        for code, data in receipts.items():
            sha = hashlib.sha256(data).hexdigest()
            row = rows.get(code)
            path = storage.path_of(row[1]) if row else None
            if row is None or row[0] != sha or not path.exists() or \
                    hashlib.sha256(path.read_bytes()).hexdigest() != sha:
                lost += 1
        statuses = [s for _sha, _n, s in rows.values()]
        held = {a.id: (a.version, a.scores) for a in db.session.scalars(select(Assignment))}
        lost_drafts = sum(1 for j in jurors for aid, (version, scores) in j.acked.items()
                          if held[aid] != (version, scores))
        return {"entries": len(rows), "extra": len(rows) - len(receipts), "lost": lost,
                "ready": statuses.count(EntryStatus.READY), "lost_drafts": lost_drafts,
                "acked_drafts": sum(len(j.acked) for j in jurors)}


def cleanup_redis(app, url: str, prefix: str) -> None:
    import redis
    from sqlalchemy import select

    from contest.extensions import db
    from contest.jobs.models import Job
    from contest.jobs.services import rq_job_id

    conn = redis.Redis.from_url(url)
    with app.app_context():
        ids = [rq_job_id(i) for i in db.session.scalars(select(Job.id))]
    keys = list(conn.scan_iter(match=f"*{prefix}*", count=1000))
    keys += [k for i in ids for k in (f"rq:job:{i}", f"rq:results:{i}")]
    for start in range(0, len(keys), 500):
        conn.delete(*keys[start:start + 500])


def start_server(env: dict, n_threads: int) -> tuple[subprocess.Popen, int]:
    threads = ["--worker-class", "gthread", "--threads", str(n_threads)] if n_threads > 1 else []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", *threads, "-b", f"127.0.0.1:{port}",
         "--log-level", "warning",
         "--timeout", "60", "--access-logfile", env["ACCESS_LOG"],
         "--access-logformat", "%(m)s %(U)s %(s)s %(D)s", "contest:create_app()"], cwd=ROOT, env=env)
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            break
        except OSError:
            time.sleep(0.2)
    return server, port


def report(args, results, upload_s: float, extracted: float | None, jurors, checked) -> None:
    times = [r[0] for r in results if r and r[1]]
    errors = [r[2] for r in results if not r or not r[1]]
    saves = [t for j in jurors for t in j.times]
    save_errors = [e for j in jurors for e in j.errors]
    ok = lambda good: "yes" if good else "**no**"  # noqa: E731
    print(f"\n{len(results)} uploads, rate ramped 4 -> {args.peak:g}/s over {args.ramp:g} s, sent in "
          f"{upload_s:.1f} s; {len(jurors)} jurors saving every 2-4 s; gunicorn 2 workers "
          f"({'sync' if args.threads == 1 else f'gthread, {args.threads} threads each'}), "
          "2 worker.py (nice 19), PostgreSQL, Redis; machine load average before / after: "
          f"{args.load_before:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| measure | value | target | met |")
    print("|---|---:|---|---|")
    print(f"| time to receipt p50 / p95 / p99 | {pct(times, 50):.3f} / {pct(times, 95):.3f} / "
          f"{pct(times, 99):.3f} s | p95 <= 1 s | {ok(pct(times, 95) <= 1)} |")
    print(f"| upload errors | {len(errors)} of {len(results)} | 0 | {ok(not errors)} |")
    print(f"| receipts whose entry or exact file is missing | {checked['lost']} | 0 | "
          f"{ok(checked['lost'] == 0)} |")
    print(f"| entries without a receipt (duplicates) | {checked['extra']} | 0 | "
          f"{ok(checked['extra'] == 0)} |")
    took = f"{extracted:.1f} s" if extracted is not None else "not finished"
    print(f"| every entry extracted, from the first upload | {took} ({checked['ready']} ready) | - | - |")
    print(f"| draft saves: count, p50 / p95 | {len(saves)}, {pct(saves, 50) * 1000:.0f} / "
          f"{pct(saves, 95) * 1000:.0f} ms | p95 <= 300 ms | {ok(pct(saves, 95) <= 0.3)} |")
    print(f"| draft save errors | {len(save_errors)} | 0 | {ok(not save_errors)} |")
    print(f"| lost draft updates (acknowledged, not in the DB) | {checked['lost_drafts']} of "
          f"{checked['acked_drafts']} essays | 0 | {ok(checked['lost_drafts'] == 0)} |")
    if errors or save_errors:
        print("errors:", sorted(set(errors + save_errors))[:10])


def _signed_in(args, env: dict, procs: list) -> tuple[tuple[list, list], int]:
    """Start gunicorn and sign every student and juror in (each opens their form first)."""
    server, port = start_server(env, args.threads)
    procs.append(server)
    students = [Student(port, f"s{EARLIER_ENTRIES + i}@bench.example.kz") for i in range(args.uploads)]
    jurors = [Juror(port, f"j{j}@bench.example.kz") for j in range(N_JURORS)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda s: s.prepare(1), students))
        list(pool.map(lambda j: j.prepare(), jurors))
    return (students, jurors), port


def server_times(log: Path, _start: float) -> None:
    """Time inside gunicorn per kind of request during the load (from its access log)."""
    kinds: dict[str, list[float]] = {}
    for line in log.read_text().splitlines():
        method, path, _status, micros = line.split()
        kind = ("upload POST" if path.endswith("/submit") and method == "POST" else
                "receipt GET" if "/receipt/" in path else "draft save" if path.endswith("/save") else None)
        if kind:
            kinds.setdefault(kind, []).append(int(micros) / 1e6)
    print("\n| inside gunicorn | count | p50 | p95 |\n|---|---:|---:|---:|")
    for kind, values in kinds.items():
        print(f"| {kind} | {len(values)} | {pct(values, 50) * 1000:.0f} ms | "
              f"{pct(values, 95) * 1000:.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=360)
    parser.add_argument("--peak", type=float, default=30, help="uploads per second at the peak")
    parser.add_argument("--ramp", type=float, default=10, help="seconds from 4/s to the peak")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per gunicorn worker (gthread); 1: the sync worker class")
    args = parser.parse_args()
    args.load_before = os.getloadavg()[0]  # other processes on the machine skew every figure
    import sqlalchemy as sa

    token = uuid.uuid4().hex[:10]
    dbname, prefix = f"bench_deadline_{token}", f"bench-deadline-{token}:"
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{dbname}"')
    folder = Path(tempfile.mkdtemp(prefix="contest-deadline-"))
    (folder / "config.py").write_text(
        f"SQLALCHEMY_DATABASE_URI = 'postgresql+psycopg://postgres@127.0.0.1:5432/{dbname}'\n"
        f"SECRET_KEY = 'bench'\nREDIS_URL = {redis_url!r}\nREDIS_PREFIX = {prefix!r}\n"
        f"UPLOAD_FOLDER = {str(folder / 'uploads')!r}\nOUTBOX_FOLDER = {str(folder / 'outbox')!r}\n")
    os.environ["CONTEST_INSTANCE_PATH"] = str(folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACCESS_LOG": str(folder / "access.log")}
    procs: list[subprocess.Popen] = []
    from contest import create_app

    app = create_app()
    try:
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=1) as generator:  # PDFs are written while people sign in
            pdf_future = generator.submit(essays, args.uploads)
            build(args.uploads)
            (students, jurors), port = _signed_in(args, env, procs)
            pdfs = pdf_future.result()
        sizes = sorted(map(len, pdfs))
        print(f"set-up {time.perf_counter() - started:.1f} s: {args.uploads} students and {N_JURORS} jurors "
              f"signed in, {len(pdfs)} PDFs of {sizes[0] // 1024}-{sizes[-1] // 1024} KB")
        # On one 2-core box the extraction workers run at low priority (nice 19): a receipt
        # must not wait behind extraction, which may. In production they run on other hosts.
        procs += [subprocess.Popen(["nice", "-n", "19", sys.executable, "worker.py"], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
        stop = threading.Event()
        load_start = time.perf_counter()
        results, juror_threads = run_load(students, jurors, pdfs, args, stop)
        upload_s = time.perf_counter() - load_start
        receipts = {r[1]: pdfs[i] for i, r in enumerate(results) if r and r[1]}
        extracted = wait_extracted(app, list(receipts), load_start, limit=90)
        stop.set()
        for t in juror_threads:
            t.join()
        report(args, results, upload_s, extracted, jurors, check(app, receipts, jurors))
        server_times(folder / "access.log", load_start)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        try:
            cleanup_redis(app, redis_url, prefix)
        finally:
            with app.app_context():
                from contest.extensions import db

                db.engine.dispose()
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            admin.dispose()
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
