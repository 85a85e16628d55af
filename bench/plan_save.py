"""Saving a 100k plan's 300,000 pairs: the job's batched insert against the former one-shot
insert (issue 24). Prints figures; asserts nothing.

Fills a temporary SQLite database with bench/ranking_db.py's `fill` (entries, jurors and
k reviews each), reads the contest's pairs, deletes them, and times inserting them again:
`plan_save.insert_pairs` (batches of BATCH_ROWS, skipping pairs already there, what the job
does) and one executemany of plain INSERTs (what the request did). Then the job's second
run: the same pairs inserted again add nothing.

    python bench/plan_save.py [--entries 100000] [--jurors 3000] [--k 3]
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--jurors", type=int, default=3000)
    parser.add_argument("--k", type=int, default=3)
    args = parser.parse_args()
    from sqlalchemy import delete, func, select

    from bench.ranking_db import fill
    from contest import create_app
    from contest.db import utcnow
    from contest.extensions import db
    from contest.judging import plan_save
    from contest.judging.models import Assignment, ReviewStatus

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/save.sqlite3", "SECRET_KEY": "bench",
                          "TESTING": True})
        with app.app_context():
            db.create_all()
            t = time.perf_counter()
            contest_id = fill(db, args.entries, args.jurors, args.k)
            db.session.commit()
            took = time.perf_counter() - t
            print(f"filled {args.entries:,} entries / {args.jurors:,} jurors in {took:.0f} s")
            pairs = [tuple(r) for r in db.session.execute(select(Assignment.entry_id, Assignment.juror_id))]

            def clear() -> None:
                db.session.execute(delete(Assignment))
                db.session.commit()

            def timed(label: str, run) -> None:
                t = time.perf_counter()
                run()
                db.session.commit()
                count = db.session.scalar(select(func.count(Assignment.id)))
                print(f"{label}: {time.perf_counter() - t:.1f} s, {count:,} rows in the table")

            def job() -> int:
                return plan_save.insert_pairs(contest_id=contest_id, round_no=1, pairs=pairs, actor_id=None)

            clear()
            timed(f"job: insert_pairs, batches of {plan_save.BATCH_ROWS}", job)
            timed("job run again (adds nothing)", job)
            t = time.perf_counter()
            saved = plan_save.already_saved(contest_id, 1, pairs)
            print(f"already_saved check (second run's test): {time.perf_counter() - t:.2f} s -> {saved}")
            clear()
            now = utcnow()
            timed("request (before): one executemany", lambda: db.session.connection().execute(
                Assignment.__table__.insert(),
                [{"contest_id": contest_id, "entry_id": e, "juror_id": j, "status": ReviewStatus.NEW,
                  "round_no": 1, "version": 0, "scores": {}, "criterion_comments": {}, "private_comment": "",
                  "feedback": "", "created_at": now, "updated_at": now} for e, j in pairs]))


if __name__ == "__main__":
    main()
