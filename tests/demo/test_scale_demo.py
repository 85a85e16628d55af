"""`flask --app contest demo --entries N --jurors M`: the demo at size, by bulk inserts."""
import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from contest.accounts.models import User
from contest.contests.models import Contest, ContestJuror, Phase
from contest.enums import Role
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.ranking.queries import compute_contest_ranking
from contest.submissions import storage
from contest.submissions.models import Entry, EntryStatus, EntryVersion


@pytest.mark.postgres
def test_scale_demo_builds_a_judged_contest_that_ranks_and_serves(runner, client, auth):
    result = runner.invoke(args=["demo", "--entries", "240", "--jurors", "15"])

    assert result.exit_code == 0, result.output
    db.session.rollback()
    contest = db.session.scalars(select(Contest)).one()
    assert contest.phase == Phase.JUDGING and contest.blind is False
    assert Counter(db.session.scalars(select(User.role))) == {Role.ORGANIZER: 1, Role.JUROR: 15,
                                                              Role.STUDENT: 240}
    assert db.session.scalar(select(func.count(ContestJuror.id))) == 15
    entries = list(db.session.scalars(select(Entry)))
    assert {e.status for e in entries} == {EntryStatus.READY}
    assert len({e.code for e in entries}) == 240 and contest.entry_counter == 240
    versions = {v.id: v for v in db.session.scalars(select(EntryVersion))}
    for entry in entries:  # every entry points at its own extracted version, whose file exists
        version = versions[entry.current_version_id]
        assert version.entry_id == entry.id and version.word_count == entry.word_count > 100
        assert storage.path_of(version.stored_name).exists()
    assignments = list(db.session.scalars(select(Assignment)))
    assert Counter(a.entry_id for a in assignments) == {e.id: 3 for e in entries}
    assert {a.status for a in assignments} == {ReviewStatus.SUBMITTED}
    assert all(0 <= a.total <= 100 for a in assignments)
    ranking = compute_contest_ranking(contest)
    ranked = sorted(p.entry.entry_id for g in ranking.values() for p in g.places)
    assert ranked == sorted(e.id for e in entries)

    shared = re.search(r"jurors\s+\S+ \.\.\. \S+\s+(\S+)", result.output).group(1)
    juror = db.session.scalars(select(User).where(User.role == Role.JUROR).order_by(User.id)).first()
    codes = set(db.session.scalars(select(Entry.code).join(Assignment, Assignment.entry_id == Entry.id)
                                   .where(Assignment.juror_id == juror.id)))
    assert codes
    auth.login(juror.email, shared)
    dashboard = client.get("/judging/").get_data(as_text=True)
    assert any(code in dashboard for code in codes)
