"""Ranking services: an extra juror through the assignment rules, settings, and the cache."""
import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.contests.models import Phase
from contest.db import utcnow
from contest.enums import Role
from contest.errors import InvalidInput, NotAllowed
from contest.extensions import db
from contest.judging.models import Assignment, DeclaredConflict, ReviewStatus
from contest.ranking import services
from contest.ranking.cache import RANKINGS
from contest.ranking.queries import cached_contest_ranking
from tests.factories import make_contest, make_entry, make_juror, make_review, make_user

pytestmark = pytest.mark.postgres


@pytest.fixture
def ctx(app):
    """A request context: domain errors translate their message when raised."""
    with app.test_request_context():
        yield app


def _jurors_of(entry) -> set[int]:
    return set(db.session.scalars(select(Assignment.juror_id).where(Assignment.entry_id == entry.id)))


def disputed_entry_case():
    """A Russian essay in category 1 by a student of School 7, reviewed by two jurors who
    disagree. Around it: jurors that the rules exclude for each reason, and two eligible
    ones with different loads."""
    contest = make_contest(criteria=((0, 100, 1, 1),))
    student = make_user(Role.STUDENT, school="School No. 7", region="Almaty")
    entry = make_entry(contest, student, language="ru")
    other = make_entry(contest, language="ru")
    first, second = make_juror(contest=contest), make_juror(contest=contest)
    make_review(contest, entry, first, [90])
    make_review(contest, entry, second, [30])
    cat2 = [contest.categories[1].id]
    excluded = {
        "language": make_juror(contest=contest, languages=("kk",)),
        "category": make_juror(contest=contest, category_ids=cat2),
        "school": make_juror(contest=contest, school="school no 7"),
        "declared": make_juror(contest=contest),
        "capacity": make_juror(contest=contest, capacity=1),
        "inactive": make_juror(contest=contest, active=False),
        "not in contest": make_juror(),
    }
    db.session.add(DeclaredConflict(entry_id=entry.id, juror_id=excluded["declared"].id, reason="my pupil"))
    make_review(contest, other, excluded["capacity"], [50], status="new")
    busy, free = make_juror(contest=contest), make_juror(contest=contest)
    make_review(contest, other, busy, [50], status="draft")
    db.session.commit()
    return contest, entry, busy, free


def test_add_extra_juror_picks_the_least_loaded_eligible_juror_then_reports_none_left(ctx):
    contest, entry, busy, free = disputed_entry_case()
    organizer = make_user(Role.ORGANIZER)
    before = _jurors_of(entry)
    added = services.add_extra_juror(contest=contest, entry=entry, actor=organizer)
    assert (added.juror_id, added.status, added.created_by_id) == (free.id, ReviewStatus.NEW, organizer.id)
    again = services.add_extra_juror(contest=contest, entry=entry, actor=organizer)
    assert again.juror_id == busy.id
    with pytest.raises(InvalidInput) as err:
        services.add_extra_juror(contest=contest, entry=entry, actor=organizer)
    assert "No eligible juror is left for" in str(err.value.message)
    db.session.commit()
    assert _jurors_of(entry) == before | {free.id, busy.id}
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "assignment.added_for_disagreement").order_by(AuditEvent.id)).all()
    assert [e.new for e in events] == [{"entry_id": entry.id, "juror_id": free.id},
                                       {"entry_id": entry.id, "juror_id": busy.id}]


def test_add_extra_juror_counts_regions_only_when_the_contest_does(ctx):
    contest = make_contest(criteria=((0, 100, 1, 1),), same_region_conflict=True)
    entry = make_entry(contest, make_user(Role.STUDENT, region="Turkistan"))
    neighbour = make_juror(contest=contest, region="Turkistan")
    with pytest.raises(InvalidInput):
        services.add_extra_juror(contest=contest, entry=entry, actor=make_user(Role.ORGANIZER))
    contest.same_region_conflict = False
    added = services.add_extra_juror(contest=contest, entry=entry, actor=make_user(Role.ORGANIZER))
    assert added.juror_id == neighbour.id


def test_add_juror_view_flashes_when_nobody_is_left(client, auth):
    contest = make_contest()
    entry = make_entry(contest)
    make_juror(contest=contest, languages=("kk",))
    auth.login(make_user(Role.ORGANIZER))
    url = f"/contests/{contest.id}/ranking/entries/{entry.id}/add-juror"
    response = client.post(url, follow_redirects=True)
    assert f"No eligible juror is left for {entry.code}" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count()).select_from(Assignment)) == 0


def test_add_juror_view_creates_the_assignment(client, auth):
    contest = make_contest()
    entry = make_entry(contest)
    juror = make_juror(contest=contest, full_name="Dana Nurlanovna")
    auth.login(make_user(Role.ORGANIZER))
    url = f"/contests/{contest.id}/ranking/entries/{entry.id}/add-juror"
    response = client.post(url, follow_redirects=True)
    assert f"Dana Nurlanovna will review {entry.code} as well." in response.get_data(as_text=True)
    assert _jurors_of(entry) == {juror.id}


def test_published_contest_refuses_changes(ctx):
    contest = make_contest(phase="published")
    entry = make_entry(contest)
    make_juror(contest=contest)
    organizer = make_user(Role.ORGANIZER)
    with pytest.raises(NotAllowed):
        services.add_extra_juror(contest=contest, entry=entry, actor=organizer)
    with pytest.raises(NotAllowed):
        services.set_ranking_method(contest=contest, method="mean", bridging="jurors", actor=organizer)
    assert (contest.phase, contest.ranking_method) == (Phase.PUBLISHED, "severity")


def test_set_ranking_rules_refuses_a_criterion_of_another_contest(ctx):
    contest, other = make_contest(), make_contest()
    with pytest.raises(InvalidInput):
        services.set_ranking_rules(contest=contest, chain=[("criterion", other.criteria[0].id)],
                                   threshold=25, rank_by_topic=False, actor=make_user(Role.ORGANIZER))
    assert contest.tiebreaks == []


def test_rank_by_topic_splits_groups(ctx):
    contest = make_contest(criteria=((0, 100, 1, 1),))
    a, b = make_entry(contest), make_entry(contest, topic=contest.topics[1])
    juror = make_juror(contest=contest)
    make_review(contest, a, juror, [60])
    make_review(contest, b, juror, [40])
    assert list(cached_contest_ranking(contest)) == [(contest.categories[0].id, None)]
    services.set_ranking_rules(contest=contest, chain=[], threshold=25, rank_by_topic=True,
                               actor=make_user(Role.ORGANIZER))
    assert list(cached_contest_ranking(contest)) == [(contest.categories[0].id, contest.topics[0].id),
                                                     (contest.categories[0].id, contest.topics[1].id)]


def _adjusted(result) -> dict[int, float]:
    return {p.entry.entry_id: round(p.entry.adjusted, 2) for g in result.values() for p in g.places}


def test_cache_reuses_an_unchanged_ranking_and_recomputes_after_a_review_changes(ctx):
    contest = make_contest(criteria=((0, 100, 1, 1),), ranking_method="mean")
    a, b = make_entry(contest), make_entry(contest)
    j1, j2 = make_juror(contest=contest), make_juror(contest=contest)
    make_review(contest, a, j1, [80])
    review = make_review(contest, b, j1, [60])
    RANKINGS.clear()
    first = cached_contest_ranking(contest)
    assert cached_contest_ranking(contest) is first
    assert (RANKINGS.hits, RANKINGS.misses) == (1, 1)
    # A re-scored review: every save bumps the version (optimistic locking) and updated_at.
    review.scores = {str(contest.criteria[0].id): 95.0}
    review.version += 1
    review.updated_at = utcnow()
    db.session.commit()
    second = cached_contest_ranking(contest)
    assert _adjusted(first) == {a.id: 80.0, b.id: 60.0}
    assert _adjusted(second) == {a.id: 80.0, b.id: 95.0}
    # A new submitted review, then a reopened one (back to draft): each changes the result.
    make_review(contest, a, j2, [40])
    assert _adjusted(cached_contest_ranking(contest)) == {a.id: 60.0, b.id: 95.0}
    review.status = ReviewStatus.DRAFT
    db.session.commit()
    assert _adjusted(cached_contest_ranking(contest)) == {a.id: 60.0}
    assert RANKINGS.misses == 4


def test_cache_key_follows_method_and_settings(ctx):
    contest = make_contest(criteria=((0, 100, 1, 1),), ranking_method="mean")
    entry = make_entry(contest)
    make_review(contest, entry, make_juror(contest=contest), [70])
    RANKINGS.clear()
    mean = cached_contest_ranking(contest)
    assert cached_contest_ranking(contest, method="severity") is not mean
    contest.disagreement_threshold = 5.0
    db.session.commit()
    assert cached_contest_ranking(contest) is not mean
    assert RANKINGS.misses == 3
