"""`flask --app contest demo`: a contest ready to rank, built through the real services."""
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.contests.models import Contest, ContestJuror, Phase
from contest.demo.generator import write_essay
from contest.demo.phrases import WEAK
from contest.enums import Role
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.judging.models import Assignment, ReviewStatus
from contest.ranking.queries import compute_contest_ranking
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from tests.factories import make_setup_contest


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.postgres
def test_demo_builds_a_judged_contest_ready_to_rank(runner):
    result = runner.invoke(args=["demo", "--entries", "12"])

    assert result.exit_code == 0, result.output
    db.session.rollback()
    contest = db.session.scalars(select(Contest)).one()
    assert contest.phase == Phase.JUDGING
    assert contest.title["en"] == "Zero tolerance to offenses"
    assert [t.title["en"] for t in contest.topics] == [
        "I am a law-abiding citizen!", "Driver and pedestrian", "Looking to the future without offenses"]
    assert (len(contest.categories), len(contest.criteria), len(contest.signatories)) == (3, 4, 2)
    assert [(t.rule, t.count, t.category_id) for t in contest.award_tiers] == [
        ("count", 1, None), ("count", 2, None), ("count", 3, None)]
    roles = Counter(db.session.scalars(select(User.role)))
    assert roles == {Role.ORGANIZER: 1, Role.JUROR: 8, Role.STUDENT: 12}
    assert all(u.email.endswith("@demo.example.kz") and u.active for u in db.session.scalars(select(User)))
    assert _count(ContestJuror) == 8
    entries = list(db.session.scalars(select(Entry)))
    assert [e.status for e in entries] == [EntryStatus.READY] * 12
    assert Counter(db.session.scalars(select(EntryVersion.format))) == {"pdf": 4, "docx": 4, "txt": 4}
    assert all(e.word_count >= contest.min_words for e in entries)
    assert {e.language for e in entries} <= {"kk", "ru", "en"}
    assignments = list(db.session.scalars(select(Assignment)))
    assert len(assignments) == 36
    assert {a.status for a in assignments} == {ReviewStatus.SUBMITTED}
    assert all(a.total is not None and 0 <= a.total <= 100 for a in assignments)
    assert Counter(a.entry_id for a in assignments) == {e.id: 3 for e in entries}
    assert db.session.scalar(select(func.count(Job.id)).where(Job.status != JobStatus.DONE)) == 0
    ranking = compute_contest_ranking(contest)
    ranked = sorted(p.entry.entry_id for group in ranking.values() for p in group.places)
    assert ranked == sorted(e.id for e in entries)
    assert "organizer@demo.example.kz" in result.output
    assert all(f"juror{n}@demo.example.kz" in result.output for n in range(1, 9))
    accounts = (Path(runner.app.instance_path) / "demo-accounts.txt")
    assert f"All 21 accounts with their passwords: {accounts}" in result.output
    lines = accounts.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "role\te-mail\tpassword\tname"
    assert sorted(line.split("\t")[1] for line in lines[1:]) == sorted(db.session.scalars(select(User.email)))
    assert all(len(line.split("\t")[2]) >= 10 for line in lines[1:])
    assert accounts.stat().st_mode & 0o077 == 0


@pytest.mark.postgres
def test_demo_refuses_a_database_with_a_real_user(runner, make_user):
    make_user(Role.ORGANIZER, email="head@lawinstitute.kz")

    result = runner.invoke(args=["demo", "--entries", "3"])

    assert result.exit_code == 1
    assert "Demo refused: this database holds real data (1 user(s)" in result.output
    assert "CONTEST_INSTANCE_PATH=$PWD/instance-demo make demo" in result.output
    db.session.rollback()
    assert [u.email for u in db.session.scalars(select(User))] == ["head@lawinstitute.kz"]
    assert (_count(Contest), _count(Entry)) == (0, 0)


def test_demo_refuses_a_contest_not_made_by_a_demo_user(runner):
    make_setup_contest()

    result = runner.invoke(args=["demo", "--entries", "3"])

    assert result.exit_code == 1
    assert "0 user(s) and 1 contest(s) not from a demo" in result.output
    db.session.rollback()
    assert (_count(Contest), _count(User)) == (1, 0)


def test_demo_replaces_an_earlier_demo(runner):
    first = runner.invoke(args=["demo", "--entries", "3"])
    second = runner.invoke(args=["demo", "--entries", "3", "--seed", "7"])

    assert (first.exit_code, second.exit_code) == (0, 0), second.output
    assert "earlier demo in this database was replaced" in second.output
    db.session.rollback()
    assert (_count(Contest), _count(Entry), _count(User)) == (1, 3, 12)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_generated_essays_grow_with_quality_and_keep_the_minimum(language):
    import random

    weak = write_essay(random.Random(1), language=language, topic="road", quality=0.0, min_words=150)
    strong = write_essay(random.Random(1), language=language, topic="road", quality=1.0, min_words=150)

    assert weak.word_count >= 150
    assert strong.word_count > weak.word_count
    assert not any(filler in strong.text for filler in WEAK[language])
