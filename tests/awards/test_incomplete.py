"""Awards pages when some submitted reviews cannot be totalled (a criterion added after the
rubric was unlocked), and the order of entries sharing a place."""
from sqlalchemy import select

from contest.awards import services
from contest.awards.models import Publication
from contest.contests.models import Criterion
from contest.enums import Role
from contest.errors import InvalidInput
from contest.extensions import db
from tests.factories import make_contest, make_entry, make_juror, make_review, make_user

INCOMPLETE = "missing or out-of-range score"


def _add_criterion(contest):
    """What unlocking the rubric and adding a criterion after judging leaves behind."""
    db.session.add(Criterion(contest_id=contest.id, name={"en": "Late criterion"}, min_score=0,
                             max_score=10, step=1, weight=1, position=9))
    db.session.commit()
    db.session.refresh(contest)


def test_awards_page_explains_incomplete_scores_instead_of_failing(judged, client, auth):
    _add_criterion(judged.contest)
    auth.login(judged.organizer)
    response = client.get(f"/contests/{judged.contest.id}/awards")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and INCOMPLETE in html
    assert "No entry has a submitted review yet" not in html


def test_results_preview_explains_incomplete_scores_instead_of_failing(judged, client, auth):
    _add_criterion(judged.contest)
    auth.login(judged.organizer)
    response = client.get(f"/contests/{judged.contest.id}/results")
    assert response.status_code == 200
    assert INCOMPLETE in response.get_data(as_text=True)


def test_publishing_incomplete_scores_is_refused_and_changes_nothing(judged, client, auth):
    _add_criterion(judged.contest)
    try:
        services.publish_results(contest=judged.contest, actor=judged.organizer)
    except InvalidInput as exc:
        assert INCOMPLETE in str(exc.message)
    else:
        raise AssertionError("publishing incomplete scores must be refused")
    db.session.rollback()
    assert db.session.scalars(select(Publication)).all() == []
    auth.login(judged.organizer)
    response = client.post(f"/contests/{judged.contest.id}/awards/publish", data={"reason": ""},
                           follow_redirects=True)
    assert response.status_code == 200 and INCOMPLETE in response.get_data(as_text=True)
    assert db.session.scalars(select(Publication)).all() == []


def test_entries_sharing_a_place_are_listed_by_code_whatever_the_row_order(client, auth):
    contest = make_contest(phase="judging", ranking_method="mean", k=1, criteria=((0, 100, 1, 1),))
    juror = make_juror(contest=contest)
    entries = [make_entry(contest) for _ in range(3)]  # codes ...-0001, -0002, -0003
    # Reviews inserted in the reverse order of the codes: the database returns them so.
    for entry in reversed(entries):
        make_review(contest, entry, juror, [50])
    organizer = make_user(Role.ORGANIZER)
    auth.login(organizer)
    html = client.get(f"/contests/{contest.id}/awards").get_data(as_text=True)
    codes = [e.code for e in entries]
    positions = [html.index(f'id="entry-{e.id}"') for e in entries]
    assert positions == sorted(positions), codes
    ranking = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    assert [ranking.index(code) for code in codes] == sorted(ranking.index(code) for code in codes)
