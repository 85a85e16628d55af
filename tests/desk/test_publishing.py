"""Publishing explains itself: the unfinished reviews with their jurors, what will be frozen,
and publishing without them with a reason on the first try."""
import pytest

from contest.awards.models import Publication
from contest.contests.models import Phase
from contest.enums import Role
from contest.extensions import db
from tests.factories import (
    add_tiers,
    make_assignment,
    make_contest,
    make_entry,
    make_juror,
    make_review,
    make_user,
)

pytestmark = pytest.mark.postgres


def test_blocked_publication_lists_unfinished_reviews_and_publishes_with_a_reason(app, client, auth):
    contest = make_contest(phase="judging", ranking_method="mean", k=1)
    done, late = make_juror(contest=contest, full_name="Done Juror"), make_juror(contest=contest,
                                                                                  full_name="Late Juror")
    first, second = make_entry(contest), make_entry(contest)
    make_review(contest, first, done, (8, 4))
    make_assignment(second, late, status="draft")
    add_tiers(contest, (1,))
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/contests/{contest.id}/awards").get_data(as_text=True)
    box = page[page.index('id="unfinished"'):]
    assert "Reviews not finished: 1" in box and second.code in box and "Late Juror" in box
    assert f'href="/judging/entries/{second.id}"' in box and "Draft saved" in box
    assert "the places of 1 entries in 1 groups, 1 awards" in page
    assert "Why publish without the unfinished reviews" in page
    client.post(f"/contests/{contest.id}/awards/publish", data={"reason": ""})
    assert db.session.scalar(db.select(Publication).where(Publication.contest_id == contest.id)) is None
    client.post(f"/contests/{contest.id}/awards/publish", data={"reason": "The juror is ill."})
    db.session.expire_all()
    assert db.session.scalar(db.select(Publication.reason).where(Publication.contest_id == contest.id)) \
        == "The juror is ill."
    assert contest.phase == Phase.PUBLISHED
