"""The database adapter of the ranking: only submitted reviews count, grouped by category."""
import pytest

from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.ranking.queries import compute_contest_ranking
from tests.factories import make_contest, make_entry, make_juror

pytestmark = pytest.mark.postgres


def _review(contest, entry, juror, scores, status=ReviewStatus.SUBMITTED):
    c1, c2 = contest.criteria
    db.session.add(Assignment(contest_id=contest.id, entry_id=entry.id, juror_id=juror.id, status=status,
                              scores={str(c1.id): scores[0], str(c2.id): scores[1]}))


def test_ranking_counts_submitted_reviews_per_category(app):
    contest = make_contest(ranking_method="mean")
    a, b = make_entry(contest), make_entry(contest)
    other = make_entry(contest, category=contest.categories[1])
    j1, j2 = make_juror(contest=contest), make_juror(contest=contest)
    _review(contest, a, j1, (10, 5))   # total 100
    _review(contest, b, j1, (5, 0))    # (0.5*2 + 0)/3 = 33.33
    _review(contest, b, j2, (0, 0), status=ReviewStatus.DRAFT)  # a draft does not count
    _review(contest, other, j2, (0, 5))  # (0 + 1)/3 = 33.33
    db.session.commit()
    result = compute_contest_ranking(contest)
    first = result[(contest.categories[0].id, None)]
    assert [(p.place, p.entry.entry_id) for p in first.places] == [(1, a.id), (2, b.id)]
    assert round(first.places[1].entry.raw_mean, 2) == 33.33
    second = result[(contest.categories[1].id, None)]
    assert [p.entry.entry_id for p in second.places] == [other.id]
