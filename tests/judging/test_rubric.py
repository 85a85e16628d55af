"""The rubric a save, a submit or the reading view reads with its assignment
(contest.judging.rubric): the same criteria as get_criteria, in the same order with the same
numbers, on every round; and a rubric changed between two saves is the one the second save
checks (the parsed rubric is kept per process by its text, so there is nothing to invalidate)."""

import pytest

from contest.contests.items import remove_item, save_criterion
from contest.contests.models import Criterion
from contest.enums import Role
from contest.extensions import db
from contest.judging.models import Assignment
from contest.judging.queries import get_criteria, get_review_to_score, reading_view
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres

JSON = {"Accept": "application/json"}


def _criterion(contest, round_no, position, **numbers):
    criterion = Criterion(contest_id=contest.id, round_no=round_no, position=position,
                          name={"en": f"R{round_no} P{position}", "ru": "Глубина «мысли»"},
                          description={"en": "What \"depth\" means"},
                          levels=[{"score": 1.5, "text": {"en": "Some"}}], **numbers)
    db.session.add(criterion)
    db.session.commit()
    return criterion


def test_review_to_score_reads_the_rubric_as_get_criteria_does(app):
    contest = make_contest(phase="judging", criteria=())
    # positions against the id order, and numbers that 15 digits do not write exactly
    _criterion(contest, 1, 2, min_score=0.1, max_score=0.1 + 0.2 + 10, step=1 / 3, weight=0.1 + 0.2)
    _criterion(contest, 1, 0, min_score=0, max_score=10, step=0.5, weight=2)
    _criterion(contest, 1, 1, min_score=1, max_score=5, step=1, weight=1e-7)
    _criterion(contest, 1, 1, min_score=0, max_score=20, step=2, weight=1)
    juror = make_juror(contest=contest)
    first = make_assignment(make_entry(contest), juror)
    second = make_assignment(make_entry(contest), juror)
    second.round_no = 2  # a round without its own rubric: the first round's
    db.session.commit()

    for assignment in (first, second):
        _a, _c, rubric = get_review_to_score(juror.id, assignment.id)
        expected = get_criteria(contest.id, assignment.round_no)
        assert [tuple(c) for c in rubric] == [tuple(c) for c in expected]
        assert len(rubric) == 4 and rubric[0].weight == 2 and rubric[3].weight == 0.1 + 0.2
        assert reading_view(juror.id, assignment.id).criteria == rubric

    own = _criterion(contest, 2, 0, min_score=0, max_score=20, step=1, weight=1)
    _a, _c, rubric = get_review_to_score(juror.id, second.id)
    assert [c.id for c in rubric] == [own.id] == [c.id for c in get_criteria(contest.id, 2)]
    assert reading_view(juror.id, second.id).criteria == rubric


def test_review_to_score_of_a_contest_without_rubric_and_of_an_invisible_assignment(app):
    contest = make_contest(phase="judging", criteria=())
    juror, other = make_juror(contest=contest), make_juror(contest=contest)
    assignment = make_assignment(make_entry(contest), juror)
    assert get_review_to_score(juror.id, assignment.id)[2] == ()
    assert get_review_to_score(other.id, assignment.id) is None


def test_a_save_checks_the_rubric_as_it_is_after_a_change(app, client, auth):
    contest = make_contest(phase="judging")
    owner = make_user(Role.ORGANIZER)
    juror = make_juror(contest=contest)
    a = make_assignment(make_entry(contest), juror)
    first, second = contest.criteria
    auth.login(juror)
    saved = client.post(f"/judging/review/{a.id}/save", headers=JSON,
                        data={"version": "0", f"score_{first.id}": "7"})
    assert (saved.status_code, saved.json["version"]) == (200, 1)

    save_criterion(contest=contest, actor=owner, name=first.name, description={}, min_score=0,
                   max_score=5, step=1, weight=2, levels=[], criterion=first)
    added = save_criterion(contest=contest, actor=owner, name={"en": "Style"}, description={},
                           min_score=0, max_score=3, step=1, weight=1, levels=[])
    remove_item(contest=contest, item=second, actor=owner)
    db.session.commit()

    refused = client.post(f"/judging/review/{a.id}/save", headers=JSON,
                          data={"version": "1", f"score_{first.id}": "7"})
    assert (refused.status_code, refused.json["error"], refused.json["field"]) == (
        400, "Give a score from 0 to 5.", f"score_{first.id}")
    saved = client.post(f"/judging/review/{a.id}/save", headers=JSON, data={
        "version": "1", f"score_{first.id}": "4", f"score_{second.id}": "2", f"score_{added.id}": "3"})
    assert (saved.status_code, saved.json["version"]) == (200, 2)
    db.session.expire_all()
    assert db.session.get(Assignment, a.id).scores == {str(first.id): 4.0, str(added.id): 3.0}
