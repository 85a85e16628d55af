"""Ranking accuracy and speed: python bench/ranking.py [--quick].

A seeded simulated contest with known true quality: total = quality + juror severity
+ noise (0..100 scale, not clipped). For each setting and method it reports Kendall's
tau and Spearman's rho against the true order and the precision of the top 10,
averaged over repetitions; "oracle" knows every juror's true severity. Then it times
the numeric core on 10,000 entries x 3 reviews x 300 jurors (median of several runs).

BLAS is pinned to one thread before numpy loads (multi-threaded BLAS made these small
solves 15-35x slower and erratic on 2 cores); the worker and web should do the same.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np
from scipy import stats as sps

from contest.ranking import fit
from contest.ranking.core import Criterion, Review, rank_entries
from contest.ranking.stats import alpha_interval_long, variance_components

# name, severity sd, noise sd, non-random allocation (quality sd is 10 throughout)
SETTINGS = [
    ("base", 8.0, 3.5, False),
    ("mild severity", 3.0, 3.5, False),
    ("noisy", 8.0, 8.0, False),
    ("strong essays to some jurors", 8.0, 3.5, True),
]
METHODS = ("mean", "zscore", "severity", "oracle")


def simulate(rng, n_entries, n_jurors, k, sev_sd, noise_sd, skewed):
    """Return (quality, severity, entry_idx, juror_idx, y) for one simulated contest.

    Skewed allocation: essays in the top third by true quality are five times as likely
    to go to jurors 0..n/3-1 (and the rest likewise by thirds), so jurors see
    essays of different strength; the graph stays connected."""
    quality = rng.normal(60.0, 10.0, n_entries)
    severity = rng.normal(0.0, sev_sd, n_jurors)
    tier_e = np.empty(n_entries, dtype=np.int64)
    tier_e[np.argsort(-quality)] = np.arange(n_entries) * 3 // n_entries
    tier_j = np.arange(n_jurors) * 3 // n_jurors
    jurors = []
    for i in range(n_entries):
        w = np.where(tier_j == tier_e[i], 5.0, 1.0) if skewed else np.ones(n_jurors)
        jurors.append(rng.choice(n_jurors, k, replace=False, p=w / w.sum()))
    e = np.repeat(np.arange(n_entries), k)
    j = np.concatenate(jurors)
    y = quality[e] + severity[j] + rng.normal(0.0, noise_sd, e.size)
    return quality, severity, e, j, y


def scores_by_method(severity, e, j, y, n_entries, n_jurors):
    d = fit.make_design(e, j, y, n_entries, n_jurors)
    oracle = np.bincount(e, y - severity[j], n_entries) / np.bincount(e, minlength=n_entries)
    return {
        "mean": fit.entry_means(d),
        "zscore": fit.zscore_scores(d),
        "severity": fit.fit_severity(d).quality,
        "oracle": oracle,
    }


def agreement(truth, score, top=10):
    tau = sps.kendalltau(truth, score).statistic
    rho = sps.spearmanr(truth, score).statistic
    hits = len(set(np.argsort(-truth)[:top]) & set(np.argsort(-score)[:top]))
    return tau, rho, hits / top


def accuracy_table(reps, seed=2026):
    rows = ["| setting | method | Kendall tau | Spearman rho | top-10 precision |",
            "|---|---|---:|---:|---:|"]
    for name, sev_sd, noise_sd, skewed in SETTINGS:
        rng = np.random.default_rng(seed)
        acc = {m: [] for m in METHODS}
        for _ in range(reps):
            q, s, e, j, y = simulate(rng, 300, 30, 3, sev_sd, noise_sd, skewed)
            for m, score in scores_by_method(s, e, j, y, 300, 30).items():
                acc[m].append(agreement(q, score))
        for m in METHODS:
            tau, rho, prec = np.mean(acc[m], axis=0)
            rows.append(f"| {name} (sev sd {sev_sd:g}, noise sd {noise_sd:g}) | {m} "
                        f"| {tau:.3f} | {rho:.3f} | {prec:.2f} |")
    return rows


def se_coverage(reps, seed=7):
    """Share of jurors whose true severity (centred) lies within 2 SE of the estimate."""
    rng = np.random.default_rng(seed)
    inside = []
    for _ in range(reps):
        _, s, e, j, y = simulate(rng, 300, 30, 3, 8.0, 3.5, False)
        got = fit.fit_severity(fit.make_design(e, j, y, 300, 30))
        inside.append(np.abs(got.severity - (s - s.mean())) <= 2 * got.severity_se)
    return float(np.mean(inside))


def median_ms(func, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def timing_table(n_entries, n_jurors, runs):
    rng = np.random.default_rng(1)
    _, _, e, j, y = simulate(rng, n_entries, n_jurors, 3, 8.0, 4.0, False)
    d = fit.make_design(e, j, y, n_entries, n_jurors)
    reviews = [Review(int(a), int(b), {"c": float(np.clip(v, 0, 100))}) for a, b, v in zip(e, j, y)]
    crit = [Criterion("c", 1, 0, 100)]
    cases = [
        ("plain mean (core)", lambda: fit.entry_means(d), runs),
        ("z-score (core)", lambda: fit.zscore_scores(d), runs),
        ("severity fit + SEs + parts (core)", lambda: fit.fit_severity(d), runs),
        ("ICC, incomplete design (Henderson III)", lambda: variance_components(e, j, y), runs),
        ("Krippendorff alpha, interval (long form)", lambda: alpha_interval_long(e, y), runs),
        ("rank_entries end to end from Review objects",
         lambda: rank_entries(reviews, crit), max(3, runs // 5)),
    ]
    base = None
    rows = [f"| {n_entries:,} entries x 3 reviews x {n_jurors} jurors | median ms | vs severity core |",
            "|---|---:|---:|"]
    results = [(label, median_ms(f, r)) for label, f, r in cases]
    base = results[2][1]
    for label, ms in results:
        rows.append(f"| {label} | {ms:.1f} | {ms / base:.2f}x |")
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller timing")
    args = parser.parse_args()
    reps, n_entries, runs = (3, 2_000, 5) if args.quick else (20, 10_000, 15)
    t0 = time.perf_counter()
    print("\n".join(accuracy_table(reps)))
    print(f"\n(300 essays, 30 jurors, 3 reviews each, quality sd 10; mean of {reps} seeded "
          "contests per setting)")
    print(f"Severity standard errors, base setting: {se_coverage(reps):.1%} of true "
          "severities within +-2 SE (about 95% expected)\n")
    print("\n".join(timing_table(n_entries, 300, runs)))
    threads = os.environ["OPENBLAS_NUM_THREADS"]
    print(f"\n(OPENBLAS_NUM_THREADS={threads}, numpy {np.__version__}; "
          f"bench took {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
