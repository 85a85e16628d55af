"""Assignment through the database at national size (issue 24): reassigning one entry, and
the preview's fingerprint, computation, cache and save.

    python bench/reassign.py [--sizes 10000:300,30000:900,100000:3000] [--samples 30]
    python bench/reassign.py --instances DIR[,DIR...]   # scale demos built beforehand

Each size is the scale demo (contest/demo/scale.py, the same as `flask --app contest demo
--entries N --jurors M`: every entry has 3 submitted reviews) built into a temporary
instance folder (SQLite; about 2 minutes at 100k on a quiet machine), or an instance folder
given with --instances that already holds one (its migrations are applied first). Redis is
the instance's (REDIS_URL, else the embedded one); the keys written are removed at the end.

Reassignment: for `samples` random entries, one reviewer is taken off (in a transaction that
is rolled back afterwards) and `reassign_entry` refills it (median and largest time), beside
the local choice alone and the former way of making it (every juror's load of the round in
one grouped count, then the same choice), run on the same entries.

Preview: the input fingerprint every page view and every save reads (`plan_digest`); with
the contest's assignments deleted (rolled back afterwards) the job's body (`preview_plan`:
inputs, plan, connectivity, the linkage note in three languages, storing in Redis; the page
can show it once the first language's note is written) and that note alone, a page view
served from the cache (`open_preview`) and the save (`save_plan`: fingerprint, pairs from
Redis, inserts). One run each: the work is seconds long.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def former_local_repair(contest, entry, round_no):
    """The choice as it was made before issue 24: every juror's load in one grouped count."""
    from contest.judging import queries
    from contest.judging.assignment import fill_entry

    jurors = queries.juror_infos(contest)
    loads = queries.round_loads(contest.id, round_no)
    holding = queries.entry_jurors(entry.id, round_no)
    return fill_entry(queries.entry_info(entry), jurors, loads, holding, k=contest.reviews_per_entry,
                      same_region_conflict=contest.same_region_conflict, seed=entry.id)


def measure_reassign(contest, samples: int) -> dict:
    from sqlalchemy import select

    from contest.extensions import db
    from contest.judging import assign_services
    from contest.judging.models import Assignment
    from contest.submissions.models import Entry

    rng = random.Random(7)
    ids = list(db.session.scalars(select(Entry.id).where(Entry.contest_id == contest.id).order_by(Entry.id)))
    times = {"reassign_entry, end to end": [], "local choice (eligible jurors' loads)": [],
             "former local choice (every juror's load)": []}
    for entry_id in rng.sample(ids, samples):
        db.session.rollback()
        entry = db.session.get(Entry, entry_id)
        taken = db.session.scalars(select(Assignment).where(Assignment.entry_id == entry_id)).first()
        db.session.delete(taken)
        db.session.flush()
        t, _ = _timed(former_local_repair, contest, entry, 1)
        times["former local choice (every juror's load)"].append(t)
        t, _ = _timed(assign_services._local_repair, contest, entry, 1)
        times["local choice (eligible jurors' loads)"].append(t)
        t, pairs = _timed(assign_services.reassign_entry, entry=entry, actor=None)
        assert len(pairs) == 1, pairs
        times["reassign_entry, end to end"].append(t)
        db.session.rollback()
    return times


def measure_preview(contest) -> dict:
    from sqlalchemy import delete, select

    from contest.accounts.models import User
    from contest.enums import Role
    from contest.extensions import db
    from contest.judging import assign_services, queries
    from contest.judging.models import Assignment

    out = {}
    db.session.rollback()
    out["plan_digest (fingerprint), all reviews assigned"], _ = _timed(queries.plan_digest, contest, 1)
    db.session.execute(delete(Assignment).where(Assignment.contest_id == contest.id))
    out["plan_digest (fingerprint), nothing assigned"], digest = _timed(queries.plan_digest, contest, 1)
    out["preview job body (preview_plan), nothing assigned"], preview = _timed(
        assign_services.preview_plan, contest=contest, round_no=1, first_language="en")
    entries, _jurors, _existing = queries.plan_inputs(contest, 1)
    out["  of which the linkage note, one language (x3)"], _ = _timed(
        assign_services._linkage, contest, entries, preview.plan.pairs)
    out["page view from the cache (open_preview)"], state = _timed(
        assign_services.open_preview, contest=contest, round_no=1)
    assert state.summary is not None and state.summary.new == len(preview.plan.pairs)
    actor = db.session.scalar(select(User).where(User.role == Role.ORGANIZER).limit(1))
    out["save_plan (3 pairs per entry from the cache, inserted)"], _ = _timed(
        assign_services.save_plan, contest=contest, actor=actor, fingerprint=digest.key)
    db.session.rollback()
    return out


def run_size(instance: Path, samples: int) -> tuple[dict, int]:
    os.environ["CONTEST_INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from contest import create_app
    from contest.contests.models import Contest
    from contest.extensions import db
    from contest.jobs.queue import redis_connection
    from contest.submissions.models import Entry

    app = create_app()
    with app.app_context():
        upgrade()
    with app.test_request_context():
        contest = db.session.scalar(select(Contest).order_by(Contest.id.desc()))
        entries = db.session.scalar(select(func.count()).where(Entry.contest_id == contest.id))
        times = {label: statistics.median(ts) for label, ts in measure_reassign(contest, samples).items()}
        worst = max(measure_reassign(contest, 5)["reassign_entry, end to end"])
        times["reassign_entry, largest of 5 more"] = worst
        times.update(measure_preview(contest))
        conn = redis_connection()
        keys = list(conn.scan_iter(match=f"{app.config['REDIS_PREFIX']}assign-preview:*", count=1000))
        if keys:
            conn.delete(*keys)
        db.session.remove()
        db.engine.dispose()
    return times, entries


def build(folder: Path, entries: int, jurors: int) -> Path:
    os.environ["CONTEST_INSTANCE_PATH"] = str(folder)
    from flask_migrate import upgrade

    from contest import create_app
    from contest.demo.scale import run_scale_demo
    from contest.extensions import db

    app = create_app()
    with app.app_context():
        upgrade()
        run_scale_demo(entries=entries, jurors=jurors, seed=1, log=lambda *_a, **_k: None)
        db.session.remove()
        db.engine.dispose()
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000:300,30000:900,100000:3000")
    parser.add_argument("--instances", default="", help="instance folders holding a scale demo")
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    columns: list[str] = []
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.instances:
            folders = [Path(p) for p in args.instances.split(",")]
        else:
            folders = []
            for spec in args.sizes.split(","):
                n, m = (int(x) for x in spec.split(":"))
                print(f"building the scale demo {n:,} / {m:,}...", file=sys.stderr)
                folders.append(build(Path(tmp) / f"d{n}", n, m))
        for folder in folders:
            times, entries = run_size(folder, args.samples)
            columns.append(f"{entries:,} entries")
            for label, t in times.items():
                results.setdefault(label, []).append(t)
                print(f"  {entries:,}  {label}: {1000 * t:.1f} ms", file=sys.stderr)
    print("| step (median unless said) | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for label, ts in results.items():
        print(f"| {label} | " + " | ".join(f"{1000 * t:,.0f} ms" if t >= 1 else f"{1000 * t:.1f} ms"
                                             for t in ts) + " |")


if __name__ == "__main__":
    main()
