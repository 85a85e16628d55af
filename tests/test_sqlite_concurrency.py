"""Several processes writing to one SQLite file at once: no "database is locked" errors,
no lost writes (WAL, busy timeout, write transactions that begin IMMEDIATE)."""
import multiprocessing
import os

import pytest
from sqlalchemy import func, select

from contest.extensions import db
from contest.mail.models import OutgoingEmail

WRITERS, WRITES = 4, 40


def _writer(n: int, instance_path: str) -> None:
    os.environ["CONTEST_INSTANCE_PATH"] = instance_path
    from contest import create_app
    from contest.mail.models import OutgoingEmail as Email

    app = create_app({"TESTING": True})
    with app.app_context():
        for i in range(WRITES):
            # read then write in one transaction: the pattern that fails with deferred BEGIN
            count = db.session.scalar(select(func.count(Email.id)))
            db.session.add(Email(to=f"w{n}-{i}@example.kz", subject=str(count), body="x"))
            db.session.commit()


def test_parallel_writers_lose_nothing(app, instance_path):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.fail("this test is for the SQLite run")  # it is not marked postgres
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(n, str(instance_path))) for n in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutgoingEmail.id))) == WRITERS * WRITES
