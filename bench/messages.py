"""An organizer's message to every student: recipients per second by batch size.

Usage: python bench/messages.py [--students 2000] [--database postgresql+psycopg://...]

Each run seeds a fresh database (SQLite file by default) with N students who each have an
entry, writes one message to all students, and times `run_delivery` (the worker's job: list
the recipients, then send in committed batches; each e-mail is a row plus a delivery job
pushed to Redis after its batch commits). Batch size 1 is the naive way to be idempotent (a
commit per recipient); the default is 200. Needs Redis at REDIS_URL (default the local one);
our keys carry a unique prefix and are deleted afterwards.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def seed(db, students: int) -> int:
    from sqlalchemy import insert

    from contest.accounts.models import User
    from contest.contests.models import Category, Contest, Phase, Topic
    from contest.enums import Role
    from contest.submissions.models import Entry

    contest = Contest(code_prefix="BM", year=2026, title={"kk": "Байқау", "ru": "Конкурс"}, phase=Phase.OPEN,
                      issuer={"ru": "Институт права"})
    contest.topics = [Topic(title={"ru": "Тема"})]
    contest.categories = [Category(name={"ru": "9–11"})]
    db.session.add(contest)
    db.session.flush()
    langs = ("kk", "ru", "en")
    db.session.execute(insert(User.__table__), [
        {"email": f"s{i}@example.kz", "full_name": f"Оқушы {i}", "role": Role.STUDENT.value,
         "language": langs[i % 3], "active": True, "password_hash": "x"} for i in range(students)])
    ids = [row[0] for row in db.session.execute(db.select(User.id).order_by(User.id))]
    db.session.execute(insert(Entry.__table__), [
        {"contest_id": contest.id, "student_id": uid, "topic_id": contest.topics[0].id,
         "category_id": contest.categories[0].id, "code": f"BM-2026-{n:05d}", "status": "ready"}
        for n, uid in enumerate(ids, start=1)])
    db.session.commit()
    return contest.id


def run(batch: int, students: int, database: str | None, redis_url: str) -> float:
    from contest import create_app
    from contest.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="bench-messages-"))
    prefix = f"bench-msg-{uuid.uuid4().hex[:8]}:"
    config = {"SQLALCHEMY_DATABASE_URI": database or f"sqlite:///{folder / 'bench.sqlite3'}",
              "REDIS_URL": redis_url, "REDIS_PREFIX": prefix, "SECRET_KEY": "bench",
              "OUTBOX_FOLDER": str(folder / "outbox"), "MESSAGE_BATCH_SIZE": batch}
    app = create_app(config)
    with app.app_context():
        db.drop_all() if database else None
        db.create_all()
        contest_id = seed(db, students)
        from contest.accounts.models import User
        from contest.contests.models import Contest
        from contest.enums import Role
        from contest.messages.models import Audience
        from contest.messages.services import Draft, create_message, run_delivery

        organizer = User(email="org@example.kz", full_name="Org", role=Role.ORGANIZER, password_hash="x")
        db.session.add(organizer)
        message = create_message(contest=db.session.get(Contest, contest_id), actor=organizer, draft=Draft(
            Audience.STUDENTS, subject={"kk": "Хабарлама", "ru": "Сообщение"},
            body={"kk": "Мерзім ұзартылды.", "ru": "Срок продлён."}))
        db.session.commit()
        started = time.perf_counter()
        run_delivery(message.id)
        elapsed = time.perf_counter() - started
        assert db.session.get(type(message), message.id).sent == students
        from contest.jobs.queue import redis_connection

        conn = redis_connection()
        for key in conn.scan_iter(match=f"*{prefix}*", count=1000):
            conn.delete(key)
        db.session.remove()
        db.drop_all() if database else None
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    print(f"{args.students} recipients, {'PostgreSQL' if args.database else 'SQLite'}, Redis {redis_url}")
    print(f"{'batch':>6} {'seconds':>8} {'recipients/s':>13} {'vs batch 1':>11}")
    base = None
    for batch in (1, 50, 200, 1000):
        seconds = run(batch, args.students, args.database, redis_url)
        base = base or seconds
        print(f"{batch:>6} {seconds:>8.2f} {args.students / seconds:>13.0f} {base / seconds:>10.1f}×")


if __name__ == "__main__":
    main()
