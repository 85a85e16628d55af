"""DB -> ranked list on an existing database, e.g. the 100k demo (issue 24):

    CONTEST_INSTANCE_PATH=/path/to/instance python bench/ranking_demo.py [--contest 1] [--runs 2]

Prints wall and CPU seconds (CPU is steadier on a busy machine), best of --runs, of
compute_contest_ranking (the SQL read, scores, the default fit per category, places) and of
the organizer's ranking page data as the view builds it (ranking with the cache cold, the
first ROW_LIMIT rows with codes and names, flagged entries, entries not ranked), then the
same page data with the cache warm.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def best(func, runs: int) -> tuple[float, float]:
    wall = cpu = float("inf")
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        func()
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contest", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    from contest import create_app
    from contest.ranking import queries, summary
    from contest.ranking.cache import RANKINGS
    from contest.ranking.views import ROW_LIMIT

    app = create_app()
    with app.app_context(), app.test_request_context("/?lang=en"):
        contest = queries.get_contest(args.contest)

        def page():
            groups = summary.ranking_groups(contest, method=contest.ranking_method,
                                            bridging=contest.ranking_bridging, lang="en", limit=ROW_LIMIT)
            summary.flagged_rows(groups)
            queries.unranked_entries(contest.id)

        def cold_page():
            RANKINGS.clear()
            page()

        n = queries.ranking_fingerprint(contest.id)[0]
        print(f"contest {contest.id}: {n:,} submitted reviews, {len(contest.categories)} categories; "
              f"best of {args.runs}\n")
        print("| step | wall s | CPU s |\n|---|---:|---:|")
        for label, func in (("compute_contest_ranking (DB -> ranked list)",
                             lambda: queries.compute_contest_ranking(contest)),
                            ("ranking page data, cache cold", cold_page),
                            ("ranking page data, cache warm", page)):
            wall, cpu = best(func, args.runs)
            print(f"| {label} | {wall:.2f} | {cpu:.2f} |")
    print(f"\n(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
