"""`flask --app contest demo --rounds 2`: a first round, a shortlist and a judged final round."""
from collections import Counter

from sqlalchemy import func, select

from contest.contests.models import Contest
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.mail.models import OutgoingEmail
from contest.ranking.queries import compute_contest_ranking
from contest.rounds.models import RoundState
from contest.rounds.queries import get_round, list_rounds, shortlisted_entry_ids


def test_demo_with_two_rounds_judges_the_shortlist_again(runner):
    result = runner.invoke(args=["demo", "--entries", "18", "--rounds", "2"])

    assert result.exit_code == 0, result.output
    db.session.rollback()
    contest = db.session.scalars(select(Contest)).one()
    assert [(r.number, r.state) for r in list_rounds(contest.id)] == [(1, RoundState.CLOSED),
                                                                     (2, RoundState.OPEN)]
    finalists = shortlisted_entry_ids(get_round(contest.id, 2).id)
    assert len(finalists) == 9  # the top 3 of each of the three categories (6 entries each)
    final = list(db.session.scalars(select(Assignment).where(Assignment.round_no == 2)))
    assert {a.entry_id for a in final} == set(finalists)
    assert {a.status for a in final} == {ReviewStatus.SUBMITTED}
    jury = set(db.session.scalars(select(Assignment.juror_id).where(Assignment.round_no == 2)))
    assert len(jury) == 3
    assert Counter(a.round_no for a in db.session.scalars(select(Assignment)))[1] == 54
    ranked = {p.entry.entry_id for group in compute_contest_ranking(contest).values() for p in group.places}
    assert ranked == set(finalists)
    assert db.session.scalar(select(func.count(OutgoingEmail.id))) >= 18
    assert "Two rounds: 9 finalists shortlisted" in result.output
