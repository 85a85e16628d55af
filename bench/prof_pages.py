"""In-process cost per request of the pages in bench/pages.py, without gunicorn: a steadier
measure than req/s on a shared machine. Builds the same 10,000-entry database, signs in with
the Flask test client and prints, per page, the app's CPU per request, the PostgreSQL server
process's CPU per request (read from /proc for the connection's backend, so PostgreSQL must
run on this machine) and the statements sent per request.

    python bench/prof_pages.py [sqlite|postgresql] [hello,dashboard,reading,save,registry,search,results] [n]

SQL=1 prints the statements of one request of each page (SQLW=N: their first N characters,
default 160). PROF_DATABASE_URL=... reuses a database built before (to build one and keep
it: KEEP=1 prints its URL and does not drop it).
PROFILE=1 adds a cProfile listing per page (CPU time; SORT=cumtime|tottime, FILT=a regex of
files, e.g. 'contest/|templates/'; CALLERS=a regex of functions lists their callers). A sampling profiler
sees the same pages without cProfile's overhead:
    py-spy record -f raw -- python bench/prof_pages.py postgresql registry 2000
"""
import cProfile
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import pages  # noqa: E402  (bench/pages.py: the database and its people)

PAGES = "hello,dashboard,reading,save,registry,search,results"


def _backend_cpu(pids: set) -> float:
    """CPU seconds used so far by these server processes (utime + stime)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def main(database: str, which: list[str], n: int) -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    folder = Path(tempfile.mkdtemp(prefix="prof-"))
    redis_url, embedded = pages._redis_url(folder)
    kept = os.environ.get("PROF_DATABASE_URL")  # a database this script built before: reused
    db_url, drop = ((kept, None) if kept else pages._postgres_schema() if database == "postgresql"
                    else (f"sqlite:///{folder / 'b.sqlite3'}", None))
    (folder / "config.py").write_text(f"SQLALCHEMY_DATABASE_URI = {db_url!r}\nSECRET_KEY = 'b'\n"
                                      f"REDIS_URL = {redis_url!r}\nREDIS_PREFIX = 'prof:'\n")
    os.environ["CONTEST_INSTANCE_PATH"] = str(folder)
    backends, statements, sent = set(), [0], []

    @event.listens_for(Engine, "connect")
    def _backend(dbapi_connection, _record):
        info = getattr(dbapi_connection, "info", None)
        if getattr(info, "backend_pid", None):
            backends.add(info.backend_pid)

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args):
        statements[0] += 1
        sent.append(statement)

    try:
        emails = [f"j{j}@example.kz" for j in range(300)] if kept else pages.build(folder, 10000, 300)
        from contest import create_app

        app = create_app()
        app.config["WTF_CSRF_ENABLED"] = False

        def login(client, email):
            response = client.post("/account/login", data={"email": email, "password": pages.PASSWORD})
            assert response.status_code == 302, response.status_code

        juror, owner = app.test_client(), app.test_client()
        login(juror, emails[0])
        login(owner, pages.ORGANIZER)
        aids = [int(x) for x in re.findall(rb'href="/judging/review/(\d+)"', juror.get("/judging/").data)]
        reading = juror.get(f"/judging/review/{aids[0]}").data
        criteria = [int(x) for x in re.findall(rb'name="score_(\d+)"', reading)]
        versions, state = {}, {"t": 0}

        def version(aid):  # a database kept from an earlier run has saved drafts
            if aid not in versions:
                page = juror.get(f"/judging/review/{aid}").data
                versions[aid] = int(re.search(rb'name="version" id="review-version" value="(\d+)"', page)[1])
            return versions[aid]

        def op(kind):
            state["t"] += 1
            t = state["t"]
            if kind == "hello":
                return juror.get("/healthz")
            if kind == "dashboard":
                return juror.get("/judging/")
            if kind == "reading":
                return juror.get(f"/judging/review/{aids[t % len(aids)]}")
            if kind == "save":
                aid = aids[t % len(aids)]
                form = {"version": version(aid), "feedback": f"D{t}", "private_comment": ""}
                form.update({f"score_{c}": (t + i) % 11 for i, c in enumerate(criteria)})
                response = juror.post(f"/judging/review/{aid}/save", data=form,
                                      headers={"Accept": "application/json"})
                versions[aid] = response.json["version"]
                return response
            if kind == "registry":
                return owner.get("/contests/1/desk/entries")
            if kind == "search":
                return owner.get("/contests/1/desk/entries?q=school+1&sort=school&page=2")
            if kind == "results":
                return app.test_client().get("/contests/2/results")
            raise SystemExit(f"unknown page {kind}")

        for kind in which:
            for _ in range(20):
                assert op(kind).status_code == 200
            server0, count0 = _backend_cpu(backends), statements[0]
            cpu0, wall0 = time.process_time(), time.perf_counter()
            for _ in range(n):
                op(kind)
            cpu = (time.process_time() - cpu0) / n * 1000
            wall = (time.perf_counter() - wall0) / n * 1000
            server = (_backend_cpu(backends) - server0) / n * 1000
            print(f"{kind:10} app cpu {cpu:6.2f} ms  server cpu {server:5.2f} ms  wall {wall:6.2f} ms  "
                  f"statements {(statements[0] - count0) / n:4.1f} per request", flush=True)
            if os.environ.get("SQL"):  # the statements of one request
                sent.clear()
                op(kind)
                for statement in sent:
                    print("   ", " ".join(statement.split())[:int(os.environ.get("SQLW", 160))])
            if os.environ.get("PROFILE"):
                profile = cProfile.Profile(time.process_time)
                profile.enable()
                for _ in range(n):
                    op(kind)
                profile.disable()
                (pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime"))
                 .print_stats(os.environ.get("FILT", "."), 40))
                if os.environ.get("CALLERS"):  # who calls the functions matching this regex
                    pstats.Stats(profile).sort_stats("tottime").print_callers(os.environ["CALLERS"])
    finally:
        if os.environ.get("KEEP"):
            print("kept:", db_url)
        elif drop:
            drop()
        if embedded:
            embedded.shutdown()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sqlite",
         (sys.argv[2] if len(sys.argv) > 2 else PAGES).split(","),
         int(sys.argv[3]) if len(sys.argv) > 3 else 200)
