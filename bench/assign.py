"""Time plan_assignments on a realistic contest: 10,000 entries x k=3 x 300 jurors.

3 languages (ru 55 %, kk 35 %, en 10 %), 4 categories, 800 schools in 17 regions;
jurors read 1-3 languages, judge 1-3 categories, 60 % teach at a school, 20 % have a
capacity of 70. Runs the plan with and without regional conflicts, and a re-run after
late changes (500 late entries, 10 new jurors, 200 declared conflicts on given pairs)
that keeps the first plan, and a baseline (k random eligible jurors per entry, no
balance) in the same run. Prints a markdown table: median time of several runs, load
spread of uncapped jurors, capacity breaches, connectivity, panel diversity.

    python bench/assign.py [--quick]
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contest.judging.assignment import (
    EntryInfo,
    JurorInfo,
    eligible_jurors,
    graph_connectivity,
    panel_diversity,
    plan_assignments,
)

LANGS = (("ru",), ("ru", "kk"), ("kk",), ("ru", "en"), ("ru", "kk", "en"))
LANG_WEIGHTS = (45, 25, 15, 10, 5)


def population(n_entries, n_jurors, seed=1, n_schools=800, n_regions=17):
    """Seeded entries and jurors with realistic language, category and school mixes."""
    rng = random.Random(seed)
    schools = [(f"School {i}", f"Region {i % n_regions}") for i in range(n_schools)]
    entries = []
    for i in range(n_entries):
        school, region = rng.choice(schools)
        lang = rng.choices(("ru", "kk", "en"), (55, 35, 10))[0]
        entries.append(EntryInfo(f"E{i}", lang, rng.randint(1, 4), school, region))
    jurors = []
    for i in range(n_jurors):
        school, region = rng.choice(schools) if rng.random() < 0.6 else (None, None)
        if region is None:
            region = f"Region {rng.randrange(n_regions)}"
        langs = rng.choices(LANGS, LANG_WEIGHTS)[0]
        cats = rng.sample((1, 2, 3, 4), rng.randint(1, 3))
        capacity = 70 if rng.random() < 0.2 else None
        jurors.append(JurorInfo(f"J{i}", frozenset(langs), frozenset(cats), school, region,
                                capacity))
    return entries, jurors


def late_changes(entries, jurors, plan, seed=2):
    """500 late entries, 10 new jurors, and 200 planned jurors declaring a conflict with
    an entry they were given (that pair is dropped from the existing pairs)."""
    more_entries, more_jurors = population(len(entries) // 20, len(jurors) // 30, seed=seed)
    more_entries = [EntryInfo("L" + e.id, e.language, e.category_id, e.school, e.region)
                    for e in more_entries]
    more_jurors = [JurorInfo("N" + j.id, j.languages, j.category_ids, j.school, j.region)
                   for j in more_jurors]
    dropped = random.Random(seed).sample(plan.pairs, len(entries) // 50)
    declared = {}
    for entry_id, juror_id in dropped:
        declared.setdefault(juror_id, set()).add(entry_id)
    jurors = [JurorInfo(j.id, j.languages, j.category_ids, j.school, j.region, j.capacity,
                        frozenset(declared.get(j.id, ()))) for j in jurors]
    existing = sorted(set(plan.pairs) - set(dropped), key=plan.pairs.index)
    return entries + more_entries, jurors + more_jurors, existing


def random_trios(entries, jurors, k=3, seed=0, **_):
    """Baseline for quality, not speed: k uniformly random eligible jurors per entry,
    no balance, no capacity (ideal panel diversity, poor loads)."""
    rng = random.Random(seed)
    pairs = []
    for entry in entries:
        pool = eligible_jurors(entry, jurors, False)
        pairs += [(entry.id, j.id) for j in rng.sample(pool, min(k, len(pool)))]
    loads = dict.fromkeys((j.id for j in jurors), 0)
    for _, juror_id in pairs:
        loads[juror_id] += 1
    return SimpleNamespace(pairs=pairs, kept=[], loads=loads, shortfalls=[])


def measure(label, planner, runs, entries, jurors, **kwargs):
    """Median wall time over runs, and the quality figures of the last plan."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        plan = planner(entries, jurors, **kwargs)
        times.append(time.perf_counter() - start)
    uncapped = [plan.loads[j.id] for j in jurors if j.capacity is None]
    over = sum(plan.loads[j.id] > j.capacity for j in jurors if j.capacity is not None)
    components, share = graph_connectivity(plan.kept + plan.pairs)
    diversity = panel_diversity(plan.kept + plan.pairs)
    missing = sum(s.missing for s in plan.shortfalls)
    return [label, f"{len(entries):,} x 3 x {len(jurors)}", statistics.median(times),
            f"{len(plan.pairs):,}", str(missing), f"{min(uncapped)}-{max(uncapped)}",
            str(over), f"{components} ({share:.1%})",
            f"{diversity.distinct_share:.1%} (max {diversity.max_repeat})"], plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 entries, 60 jurors")
    args = parser.parse_args()
    n_entries, n_jurors, runs = (1000, 60, 3) if args.quick else (10_000, 300, 5)
    entries, jurors = population(n_entries, n_jurors)
    first, plan = measure("first plan", plan_assignments, runs, entries, jurors)
    rows = [first, measure("first plan, regions conflict", plan_assignments, runs, entries,
                           jurors, same_region_conflict=True)[0]]
    late_entries, late_jurors, existing = late_changes(entries, jurors, plan)
    rows.append(measure("re-run after late changes", plan_assignments, runs, late_entries,
                        late_jurors, existing=existing)[0])
    rows.append(measure("re-run, nothing changed", plan_assignments, runs, entries, jurors,
                        existing=plan.pairs)[0])
    rows.append(measure("baseline: random eligible trios (1 run)", random_trios, 1, entries,
                        jurors)[0])
    head = ("run", "entries x k x jurors", "median s", "x first plan", "new pairs", "missing",
            "load min-max (uncapped)", "over capacity", "components (largest)",
            "distinct panels (max repeat)")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        ratio = f"{row[2] / first[2]:.2f}"
        print("| " + " | ".join([*row[:2], f"{row[2]:.2f}", ratio, *row[3:]]) + " |")


if __name__ == "__main__":
    main()
