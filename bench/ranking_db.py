"""Ranking from the database: python bench/ranking_db.py [--quick] [--runs N].

Fills a temporary SQLite database (WAL, as in production's default) by bulk insert with
one contest (4 criteria, 2 categories), 10,000 entries, 300 jurors and 3 submitted
reviews per entry (random jurors, severity + noise), then times, median of several runs:

- compute_contest_ranking end to end: the SQL read of 30,000 reviews, JSON scores,
  weighted totals, the severity fit, tie-breaks and places per category;
- the same through the cache when nothing changed (only the fingerprint query runs);
- the organizer page's data (ranking plus entry codes and names);
- the statistics page's numbers (ICC, alpha and their bootstrap intervals per scope);
- the numeric core alone (rank_matrix on columns already in memory).
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
from sqlalchemy import insert

N_CRITERIA = ((0, 10, 1, 2), (0, 10, 1, 1), (0, 5, 0.5, 1), (0, 20, 1, 1))


def fill(db, n_entries: int, n_jurors: int, k: int, seed: int = 3) -> int:
    """Bulk-insert the contest; returns its id."""
    from contest.accounts.models import User
    from contest.contests.models import Category, Contest, Criterion, Topic
    from contest.db import utcnow
    from contest.judging.models import Assignment
    from contest.submissions.models import Entry

    rng = np.random.default_rng(seed)
    now = utcnow()
    contest = Contest(code_prefix="ZT", year=2026, title={"en": "Bench"}, phase="judging")
    contest.topics = [Topic(title={"en": f"Topic {i}"}, position=i) for i in range(2)]
    contest.categories = [Category(name={"en": f"Category {i}"}, position=i) for i in range(2)]
    contest.criteria = [Criterion(name={"en": f"C{i}"}, min_score=lo, max_score=hi, step=st, weight=w,
                                  position=i) for i, (lo, hi, st, w) in enumerate(N_CRITERIA)]
    db.session.add(contest)
    db.session.flush()
    crit = [(c.id, c.min_score, c.max_score, c.step) for c in contest.criteria]
    cats, topics = [c.id for c in contest.categories], [t.id for t in contest.topics]
    users = [{"email": f"s{i}@b.kz", "full_name": f"Student {i}", "role": "student", "created_at": now}
             for i in range(n_entries)]
    users += [{"email": f"j{i}@b.kz", "full_name": f"Juror {i}", "role": "juror", "created_at": now}
              for i in range(n_jurors)]
    db.session.execute(insert(User), users)
    first = db.session.query(User.id).filter_by(email="s0@b.kz").scalar()
    students = range(first, first + n_entries)
    jurors = np.arange(first + n_entries, first + n_entries + n_jurors)
    db.session.execute(insert(Entry), [
        {"contest_id": contest.id, "student_id": s, "topic_id": topics[i % 2], "category_id": cats[i % 2],
         "code": f"ZT-2026-{i + 1:05d}", "status": "ready", "language": "ru", "created_at": now,
         "updated_at": now} for i, s in enumerate(students)])
    entry_ids = [eid for (eid,) in db.session.query(Entry.id).filter_by(contest_id=contest.id)]
    quality = rng.uniform(0.25, 0.9, n_entries)
    severity = rng.normal(0, 0.08, n_jurors)
    rows = []
    for e, eid in enumerate(entry_ids):
        for j in rng.choice(n_jurors, k, replace=False):
            level = np.clip(quality[e] + severity[j] + rng.normal(0, 0.05, len(crit)), 0, 1)
            scores = {str(cid): float(lo + round(x * (hi - lo) / st) * st)
                      for (cid, lo, hi, st), x in zip(crit, level)}
            rows.append({"contest_id": contest.id, "entry_id": eid, "juror_id": int(jurors[j]),
                         "status": "submitted", "scores": scores, "version": 1, "created_at": now,
                         "updated_at": now, "submitted_at": now})
    db.session.execute(insert(Assignment), rows)
    db.session.commit()
    return contest.id


def median_ms(func, runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds (CPU time is steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 entries instead of 10,000")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    n_entries, n_jurors, k = (2_000, 300, 3) if args.quick else (10_000, 300, 3)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CONTEST_INSTANCE_PATH"] = tmp
        from contest import create_app
        from contest.extensions import db
        from contest.ranking import core, queries, summary
        from contest.ranking.cache import RANKINGS

        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                          "SECRET_KEY": "bench", "TESTING": True})
        with app.app_context():
            db.create_all()
            t0 = time.perf_counter()
            contest_id = fill(db, n_entries, n_jurors, k)
            fill_s = time.perf_counter() - t0
            contest = queries.get_contest(contest_id)
            entry_ids, juror_ids, matrix = queries.submitted_columns(contest)
            criteria = queries.contest_criteria(contest)

            def uncached_page():
                RANKINGS.clear()
                summary.ranking_groups(contest, method="severity", bridging="jurors", lang="en")

            def uncached_statistics():
                RANKINGS.clear()
                summary.statistics_numbers(contest)

            cases = [
                ("compute_contest_ranking: database -> ranked list per category",
                 lambda: queries.compute_contest_ranking(contest)),
                ("  of which: SQL read + JSON -> score matrix", lambda: queries.submitted_columns(contest)),
                ("numeric core alone: rank_matrix on in-memory columns (one fit, all entries)",
                 lambda: core.rank_matrix(entry_ids, juror_ids, matrix, criteria)),
                ("organizer page data, cache cold (ranking + codes + names)", uncached_page),
                ("statistics page numbers, cache cold (ICC, alpha, bootstrap intervals, severities)",
                 uncached_statistics),
                ("cached_contest_ranking, nothing changed (fingerprint query + hit)",
                 lambda: queries.cached_contest_ranking(contest)),
            ]
            queries.cached_contest_ranking(contest)  # warm the cache for the last case
            print(f"{n_entries:,} entries x {k} submitted reviews x {n_jurors} jurors, 4 criteria, "
                  f"2 categories; SQLite (filled in {fill_s:.1f} s); median of {args.runs} runs\n")
            print("| step | median wall ms | median CPU ms |\n|---|---:|---:|")
            for label, func in cases:
                wall, cpu = median_ms(func, args.runs)
                print(f"| {label} | {wall:.0f} | {cpu:.0f} |")
        print(f"\n(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
        print(f"\n(OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}, numpy {np.__version__})")


if __name__ == "__main__":
    main()
