"""How the pure cores grow with the contest: 10k/300, 30k/900 and 100k/3,000 (issue 24).

Each step runs on the project's own generators (bench/assign.py's `population` for the
plan, bench/ranking.py's `simulate` with the mixed design for the ranking steps), one
core (BLAS limited to one thread), best of a few runs. Prints the seconds per size and
the growth exponent fitted on log time against log entries (1.0 is linear; jurors grow
with the entries, so a cost in entries x jurors shows as 2.0).

    python bench/scale.py [--sizes 10000:300,30000:900,100000:3000] [--runs 2]
                          [--db-sizes 10000:300,30000:900]

"DB -> ranked list" (compute_contest_ranking: the SQL read, scores, the default fit per
category, places) runs on a temporary SQLite database filled by bench/ranking_db.py's
`fill` (2 categories, 4 criteria), at --db-sizes only (filling is slow; 100k is measured
on the demo database by bench/ranking_demo.py).
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bench import designs
from bench.assign import population
from bench.ranking import simulate
from contest.judging.assignment import plan_assignments
from contest.ranking import fit, shrink
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


def steps(n_entries, n_jurors):
    """(label, callable) for each measured step at one size."""
    entries, jurors = population(n_entries, n_jurors)
    rng = np.random.default_rng(1)
    _, _, e, j, y = simulate(rng, n_entries, n_jurors, designs.mixed, 8.0, 4.0)
    d = fit.make_design(e, j, y, n_entries, n_jurors)
    return [
        ("plan_assignments", lambda: plan_assignments(entries, jurors, k=3)),
        ("severity fit, full least squares + SEs", lambda: fit.fit_severity(d)),
        ("severity fit, default (empirical Bayes + REML + linkage)", lambda: shrink.fit_shrunk(d)),
        ("  the same by the exact eigendecomposition (the path up to 500 jurors)",
         lambda: shrink.fit_shrunk(d, exact_jurors=n_jurors)),
        ("ICC (Henderson III)", lambda: variance_components(e, j, y)),
        ("Krippendorff alpha (interval)", lambda: alpha_interval_long(e, y)),
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000:300,30000:900,100000:3000")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--db-sizes", default="10000:300,30000:900",
                        help="sizes of the DB step ('' for none)")
    args = parser.parse_args()
    sizes = [tuple(int(x) for x in s.split(":")) for s in args.sizes.split(",")]
    db_sizes = {tuple(int(x) for x in s.split(":")) for s in args.db_sizes.split(",") if s}
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
    print(f"| step (wall, CPU in brackets) | {head} | growth exponent (wall) | target at 100k |")
    print("|---|" + "---:|" * (len(sizes) + 2))
    x = np.log([n for n, _ in sizes])
    for label, ts in times.items():
        have = [i for i, t in enumerate(ts) if t is not None]
        slope = (float(np.polyfit(x[have], np.log([ts[i] for i in have]), 1)[0]) if len(have) > 1
                 else float("nan"))
        target = TARGETS.get(label)
        verdict = ""
        if target is not None and sizes[-1][0] >= 100_000 and ts[-1] is not None:
            verdict = f"<= {target:g} s: {'met' if ts[-1] <= target else 'NOT met'}"
        cpu = CPU.get(label, [None] * len(ts))
        cells = " | ".join(f"{t:.2f} s (CPU {c:.2f})" if c is not None and t is not None
                           else f"{t:.2f} s" if t is not None else "" for t, c in zip(ts, cpu))
        print(f"| {label} | {cells} | {slope:.2f} | {verdict} |")


if __name__ == "__main__":
    main()
