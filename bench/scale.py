"""How the pure cores grow with the contest: 10k/300, 30k/900 and 100k/3,000 (issue 24).

Each step runs on the project's own generators (bench/assign.py's `population` for the
plan, bench/ranking.py's `simulate` with the mixed design for the ranking steps), one
core (BLAS limited to one thread), best of a few runs. Prints the seconds per size and
the growth exponent fitted on log time against log entries (1.0 is linear; jurors grow
with the entries, so a cost in entries x jurors shows as 2.0).

    python bench/scale.py [--sizes 10000:300,30000:900,100000:3000] [--runs 2]
                          [--db-sizes 10000:300,30000:900] [--part cores|exports|all]

"DB -> ranked list" (compute_contest_ranking: the SQL read, scores, the default fit per
category, places) runs on a temporary SQLite database filled by bench/ranking_db.py's
`fill` (2 categories, 4 criteria), at --db-sizes only (filling is slow; 100k is measured
on the demo database by bench/ranking_demo.py).

The exports part (`--part exports`) fills a temporary SQLite database per size (bench/ranking_db.py's
`fill`: 3 submitted reviews of 4 criteria per entry) and runs each export in a fresh process
twice: once timed, once under tracemalloc for its peak of Python allocations. Each is run the
streamed way (batches of EXPORT_BATCH_ROWS, what the views do) and the one-shot way (every row
in a list, then the whole file in memory: what the views did before), side by side.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench import designs
from bench.assign import population
from bench.ranking import simulate
from contest.judging.assignment import plan_assignments
from contest.ranking import bootstrap, fit, shrink
from contest.ranking.stats import alpha_interval_long, variance_components

DB_STEP = "DB -> ranked list (SQLite, compute_contest_ranking)"
TARGETS = {  # issue 24, at 100k / 3,000 on one core
    "plan_assignments": 3.0,
    DB_STEP: 3.0,
    "severity fit, default (empirical Bayes + REML + linkage)": 3.0,
    "ICC (Henderson III)": 1.0,
    "Krippendorff alpha (interval)": 1.0,
}


CPU: dict[str, list[float]] = {}  # label -> best CPU seconds per size (steadier on a shared machine)


def best_of(fn, runs, label=None):
    best = cpu = float("inf")
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        best, cpu = min(best, time.perf_counter() - t), min(cpu, time.process_time() - c)
    if label is not None:
        CPU.setdefault(label, []).append(cpu)
    return best


def growth(log_sizes, seconds) -> float:
    """The exponent b of seconds ~ size^b, least squares on the logs (nan with < 2 figures)."""
    have = [i for i, t in enumerate(seconds) if t is not None and t > 0]
    if len(have) < 2:
        return float("nan")
    return float(np.polyfit(log_sizes[have], np.log([seconds[i] for i in have]), 1)[0])


def steps(n_entries, n_jurors):
    """(label, callable) for each measured step at one size."""
    entries, jurors = population(n_entries, n_jurors)
    rng = np.random.default_rng(1)
    _, _, e, j, y = simulate(rng, n_entries, n_jurors, designs.mixed, 8.0, 4.0)
    d = fit.make_design(e, j, y, n_entries, n_jurors)
    return [
        ("plan_assignments", lambda: plan_assignments(entries, jurors, k=3)),
        ("severity fit, full least squares + SEs", lambda: shrink.fit_full(d)),
        ("  the same by one dense inverse (fit.fit_severity: before; still the path up to 1,000 jurors)",
         lambda: fit.fit_severity(d)),
        ("severity fit, default (empirical Bayes + REML + linkage)", lambda: shrink.fit_shrunk(d)),
        ("  the same by the exact eigendecomposition (the path up to 500 jurors)",
         lambda: shrink.fit_shrunk(d, exact_jurors=n_jurors)),
        ("  the same by one dense Cholesky per part (before; the path up to 1,000 jurors)",
         lambda: shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=n_jurors)),
        ("  the same by the iterative path at every size (CG + probes; above 1,000 jurors)",
         lambda: shrink.fit_shrunk(d, exact_jurors=0, dense_jurors=0)),
        ("ICC (Henderson III)", lambda: variance_components(e, j, y)),
        ("Krippendorff alpha (interval)", lambda: alpha_interval_long(e, y)),
        ("ICC and alpha bootstrap intervals (statistics job, 50 resamples)",
         lambda: bootstrap.reliability_intervals(e, j, y, resamples=bootstrap.resamples_for(y.size))),
        ("  the same by a dense solve per resample (before; the path up to 200 jurors)",
         lambda: bootstrap.reliability_intervals(e, j, y, resamples=bootstrap.resamples_for(y.size),
                                                 dense_jurors=n_jurors)),
    ]


def db_to_ranking(n_entries, n_jurors, runs):
    """Best wall time of compute_contest_ranking on a fresh temporary SQLite database."""
    from bench.ranking_db import fill

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CONTEST_INSTANCE_PATH"] = tmp
        from contest import create_app
        from contest.extensions import db
        from contest.ranking import queries

        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'scale.sqlite3'}",
                          "SECRET_KEY": "bench", "TESTING": True})
        with app.app_context():
            db.create_all()
            contest = queries.get_contest(fill(db, n_entries, n_jurors, 3))
            cpu = float("inf")

            def run():
                nonlocal cpu
                c0 = time.process_time()
                queries.compute_contest_ranking(contest)
                cpu = min(cpu, time.process_time() - c0)

            wall = best_of(run, runs)
            CPU.setdefault(DB_STEP, []).append(cpu)
            print(f"  {n_entries:,} / {n_jurors:,}  {DB_STEP}: {wall:.2f} s, CPU {cpu:.2f} s",
                  file=sys.stderr)
            db.session.remove()
            db.engine.dispose()
            return wall


EXPORTS = ("registry CSV", "registry XLSX", "ranking CSV", "scores CSV")


def _export_app(db_path: str):
    from contest import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "bench",
                       "TESTING": True, "BABEL_DEFAULT_LOCALE": "en"})


def _fill_child(n_entries: int, n_jurors: int, db_path: str) -> None:
    from bench.ranking_db import fill
    from contest.extensions import db

    with _export_app(db_path).app_context():
        db.create_all()
        print(fill(db, n_entries, n_jurors, 3))


def _export_runner(name: str, streamed: bool, contest_id: int):
    """A function that writes the export to a sink and returns its size in bytes."""
    from contest import spreadsheet
    from contest.desk import exports, registry
    from contest.ranking import exports as ranking_exports
    from contest.ranking import queries

    contest = registry.get_contest(contest_id)
    batch = 2000  # the default EXPORT_BATCH_ROWS
    # The ranking export reads a stored ranking: computed here, before the measurement.
    result = queries.compute_contest_ranking(contest) if name == "ranking CSV" else None

    def sink(response) -> int:  # what the server sends: the CSV's chunks, or the XLSX file's blocks
        try:
            return sum(len(chunk) for chunk in response.response)
        finally:
            response.close()

    def run() -> int:
        fmt = "xlsx" if "XLSX" in name else "csv"
        if name.startswith("registry"):
            if streamed:
                batches = registry.export_batches(contest, registry.Filters(), batch)
                rows = exports.registry_batches(contest, batches, "en")
                header = exports.registry_header()
                return sink(spreadsheet.stream_response(header, rows, fmt=fmt, filename="x"))
            page = registry.list_entries(contest, registry.Filters(), everything=True)
            header, rows = exports.registry_table(contest, page, "en")
        elif name.startswith("ranking"):
            if streamed:
                rows = ranking_exports.ranking_batches(contest, result, lang="en", batch_size=batch)
                return sink(spreadsheet.stream_response(ranking_exports.ranking_header(), rows, fmt=fmt,
                                                        filename="x"))
            header, rows = ranking_exports.ranking_table(contest, method=contest.ranking_method, lang="en",
                                                         bridging=contest.ranking_bridging, result=result)
        else:
            if streamed:
                header, rows = ranking_exports.scores_batches(contest, lang="en", batch_size=batch)
                return sink(spreadsheet.stream_response(header, rows, fmt=fmt, filename="x"))
            header, rows = ranking_exports.scores_table(contest, lang="en")
        data = spreadsheet.to_csv(header, rows) if fmt == "csv" else spreadsheet.to_xlsx(header, rows, "x")
        return len(data)

    return run


def _export_child(name: str, streamed: bool, contest_id: int, db_path: str) -> None:
    """Time one export, then run it again under tracemalloc; print the figures as JSON."""
    app = _export_app(db_path)
    with app.app_context(), app.test_request_context():
        run = _export_runner(name, streamed, contest_id)
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.perf_counter()
        size = run()
        seconds = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0  # KB on Linux
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(json.dumps({"seconds": seconds, "peak_mb": peak / 2**20, "rss_growth_mb": rss / 1024,
                      "mb": size / 2**20}))


def _stored_child(contest_id: int, db_path: str) -> None:
    """The stored ranking (contest.ranking.store): its pickled size, and the time to compute
    it (the worker's job) and to read it back (a page whose process has not cached it yet)."""
    import pickle

    from contest.ranking import queries

    app = _export_app(db_path)
    with app.app_context(), app.test_request_context():
        contest = queries.get_contest(contest_id)
        t = time.perf_counter()
        result = queries.compute_contest_ranking(contest)
        compute = time.perf_counter() - t
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        t = time.perf_counter()
        pickle.loads(data)
        load = time.perf_counter() - t
    print(json.dumps({"compute": compute, "mb": len(data) / 2**20, "load": load}))


def export_figures(sizes) -> None:
    """The exports' time and peak memory per size, streamed and one-shot side by side."""
    me = [sys.executable, str(Path(__file__).resolve())]
    figures: dict[tuple[str, bool], list[dict]] = {}
    stored: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n_entries, n_jurors in sizes:
            db_path = str(Path(tmp) / f"exports-{n_entries}.sqlite3")
            env = {**os.environ, "CONTEST_INSTANCE_PATH": tmp}
            t = time.perf_counter()
            filled = subprocess.run([*me, "--fill", str(n_entries), str(n_jurors), db_path], env=env,
                                    check=True, capture_output=True, text=True)
            contest_id = int(filled.stdout.split()[-1])
            print(f"  {n_entries:,} / {n_jurors:,}: filled in {time.perf_counter() - t:.0f} s",
                  file=sys.stderr)
            out = subprocess.run([*me, "--stored", str(contest_id), db_path], env=env, check=True,
                                 capture_output=True, text=True).stdout
            stored.append(json.loads(out.splitlines()[-1]))
            for name in EXPORTS:
                for streamed in (True, False):
                    command = [*me, "--export", name, "1" if streamed else "0", str(contest_id), db_path]
                    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
                    f = json.loads(out.splitlines()[-1])
                    figures.setdefault((name, streamed), []).append(f)
                    way = "streamed" if streamed else "one-shot"
                    print(f"  {n_entries:,} {name} {way}: {f['seconds']:.2f} s, peak {f['peak_mb']:.1f} MB, "
                          f"{f['mb']:.1f} MB written", file=sys.stderr)
    head = " | ".join(f"{n:,}" for n, _m in sizes)
    print(f"\n| export (time; peak Python memory, tracemalloc; file size) | {head} |")
    print("|---|" + "---:|" * len(sizes))
    for (name, streamed), runs in figures.items():
        cells = " | ".join(f"{f['seconds']:.1f} s; {f['peak_mb']:.1f} MB; {f['mb']:.1f} MB" for f in runs)
        print(f"| {name}, {'streamed' if streamed else 'one-shot, all rows in memory (before)'} | {cells} |")
    cells = " | ".join(f"{f['compute']:.1f} s; {f['mb']:.1f} MB; {f['load'] * 1000:.0f} ms" for f in stored)
    print(f"| stored ranking (worker job: compute; pickled size; page: unpickle) | {cells} |")
    print("\n(peak: tracemalloc's peak of Python allocations during the export alone; the ranking export's "
          "ranking is computed before the measurement, as the stored one would be)")


def main():
    if sys.argv[1:2] == ["--fill"]:
        return _fill_child(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    if sys.argv[1:2] == ["--stored"]:
        return _stored_child(int(sys.argv[2]), sys.argv[3])
    if sys.argv[1:2] == ["--export"]:
        return _export_child(sys.argv[2], sys.argv[3] == "1", int(sys.argv[4]), sys.argv[5])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000:300,30000:900,100000:3000")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--db-sizes", default="10000:300,30000:900",
                        help="sizes of the DB step ('' for none)")
    parser.add_argument("--part", choices=("cores", "exports", "all"), default="all")
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes.split(",")]
    db_sizes = {tuple(int(x) for x in s.split(":")) for s in args.db_sizes.split(",") if s}
    if args.part in ("exports", "all"):
        export_figures(sizes)
        print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    if args.part == "exports":
        return
    times: dict[str, list[float]] = {}
    for n_entries, n_jurors in sizes:
        for label, fn in steps(n_entries, n_jurors):
            times.setdefault(label, []).append(best_of(fn, args.runs, label))
            print(f"  {n_entries:,} / {n_jurors:,}  {label}: {times[label][-1]:.2f} s", file=sys.stderr)
        if db_sizes:
            size = (n_entries, n_jurors)
            wall = db_to_ranking(*size, args.runs) if size in db_sizes else None
            times.setdefault(DB_STEP, []).append(wall)
            if wall is None:
                CPU.setdefault(DB_STEP, []).append(None)
    head = " | ".join(f"{n:,} / {m:,}" for n, m in sizes)
    print(f"| step (wall, CPU in brackets) | {head} | growth exponent (wall; CPU) | target at 100k |")
    print("|---|" + "---:|" * (len(sizes) + 2))
    x = np.log([n for n, _ in sizes])
    for label, ts in times.items():
        target = TARGETS.get(label)
        verdict = ""
        if target is not None and sizes[-1][0] >= 100_000 and ts[-1] is not None:
            verdict = f"<= {target:g} s: {'met' if ts[-1] <= target else 'NOT met'}"
        cpu = CPU.get(label, [None] * len(ts))
        cells = " | ".join(f"{t:.2f} s (CPU {c:.2f})" if c is not None and t is not None
                           else f"{t:.2f} s" if t is not None else "" for t, c in zip(ts, cpu))
        print(f"| {label} | {cells} | {growth(x, ts):.2f}; {growth(x, cpu):.2f} | {verdict} |")


if __name__ == "__main__":
    main()
