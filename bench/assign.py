"""Time plan_assignments on a realistic contest: 10,000 entries x k=3 x 300 jurors.

3 languages (ru 55 %, kk 35 %, en 10 %), 4 categories, 800 schools in 17 regions;
jurors read 1-3 languages, judge 1-3 categories, 60 % teach at a school, 20 % have a
capacity of 70. Runs the plan with and without regional conflicts, and a re-run after
late changes (500 late entries, 10 new jurors, 200 declared conflicts) that keeps the
first plan. Prints a markdown table: median time of several runs, load spread,
connectivity, panel diversity.

    python bench/assign.py [--quick]
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from contest.judging.assignment import (
    EntryInfo,
    JurorInfo,
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


def late_changes(entries, jurors, seed=2):
    """500 late entries, 10 new jurors and 200 declared conflicts on planned entries."""
    more_entries, more_jurors = population(len(entries) // 20, len(jurors) // 30, seed=seed)
    more_entries = [EntryInfo("L" + e.id, e.language, e.category_id, e.school, e.region)
                    for e in more_entries]
    more_jurors = [JurorInfo("N" + j.id, j.languages, j.category_ids, j.school, j.region)
                   for j in more_jurors]
    rng = random.Random(seed)
    declared = {}
    for entry in rng.sample(entries, len(entries) // 50):
        juror = rng.randrange(len(jurors))
        declared.setdefault(juror, set()).add(entry.id)
    jurors = [JurorInfo(j.id, j.languages, j.category_ids, j.school, j.region, j.capacity,
                        frozenset(declared.get(i, ()))) for i, j in enumerate(jurors)]
    return entries + more_entries, jurors + more_jurors


def measure(label, runs, entries, jurors, **kwargs):
    """Median wall time over runs, and the quality figures of the last plan."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        plan = plan_assignments(entries, jurors, **kwargs)
        times.append(time.perf_counter() - start)
    active = [load for juror, load in plan.loads.items() if load]
    components, share = graph_connectivity(plan.kept + plan.pairs)
    diversity = panel_diversity(plan.kept + plan.pairs)
    missing = sum(s.missing for s in plan.shortfalls)
    return (label, f"{len(entries):,} x {kwargs.get('k', 3)} x {len(jurors)}",
            f"{statistics.median(times):.2f}", f"{len(plan.pairs):,}", str(missing),
            f"{min(active)}-{max(active)}", f"{components} ({share:.1%})",
            f"{diversity.distinct_share:.1%} (max {diversity.max_repeat})"), plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 entries, 60 jurors")
    args = parser.parse_args()
    n_entries, n_jurors, runs = (1000, 60, 3) if args.quick else (10_000, 300, 5)
    entries, jurors = population(n_entries, n_jurors)
    rows = []
    row, plan = measure("first plan", runs, entries, jurors)
    rows.append(row)
    row, _ = measure("first plan, regions conflict", runs, entries, jurors,
                     same_region_conflict=True)
    rows.append(row)
    late_entries, late_jurors = late_changes(entries, jurors)
    declared = {(e, j.id) for j in late_jurors for e in j.declared_conflicts}
    existing = [pair for pair in plan.pairs if pair not in declared]
    row, _ = measure("re-run after late changes", runs, late_entries, late_jurors,
                     existing=existing)
    rows.append(row)
    row, _ = measure("re-run, nothing changed", runs, entries, jurors, existing=plan.pairs)
    rows.append(row)
    head = ("run", "entries x k x jurors", "median s", "new pairs", "missing",
            "load min-max", "components (largest)", "distinct panels")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
