"""Rounds end to end through the services: closing, the shortlist, the final round."""
import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.errors import InvalidInput, NotAllowed
from contest.extensions import db
from contest.judging import assign_services, services
from contest.judging.models import Assignment, DeclaredConflict, ReviewStatus
from contest.mail.models import OutgoingEmail
from contest.ranking.queries import compute_contest_ranking
from contest.rounds import guards
from contest.rounds.models import RoundState
from contest.rounds.queries import current_round_no, get_round, shortlisted_entry_ids
from contest.rounds.services import (
    close_round,
    confirm_shortlist,
    cut_places,
    override_shortlist,
    propose_shortlist,
    reopen_round,
    set_round_rubric,
)
from tests.factories import make_review


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _close(t, reason=""):
    close_round(contest=t.contest, round_no=1, actor=t.organizer, reason=reason)
    db.session.commit()


@pytest.mark.parametrize("kind, value, expected", [
    ("top_n", 2, [True, True, False, False]),
    ("top_n", 1, [True, True, False, False]),  # a tie at the cut: both share place 1
    ("top_pct", 50, [True, True, False, False]),
    ("top_pct", 30, [True, True, False, False]),  # ceil(1.2) = 2 places
    ("min_score", 70, [True, True, True, False]),
])
def test_cut_places_follow_the_rule(kind, value, expected):
    places = [(1, 90.0), (1, 90.0), (3, 70.0), (4, 40.0)]
    if kind == "top_n" and value == 2:
        places = [(1, 90.0), (2, 80.0), (3, 70.0), (4, 40.0)]
    if kind == "top_pct" and value == 50:
        places = [(1, 90.0), (2, 80.0), (3, 70.0), (4, 40.0)]
    assert cut_places(kind, value, places) == expected


def test_shortlist_refused_while_first_round_is_open(two_rounds):
    with pytest.raises(InvalidInput, match="Close the first round"):
        propose_shortlist(contest=two_rounds.contest, kind="top_n", value=3, actor=two_rounds.organizer)
    assert shortlisted_entry_ids(two_rounds.final.id) == []


def test_closing_with_unfinished_reviews_needs_a_reason(two_rounds):
    t = two_rounds
    db.session.add(Assignment(contest_id=t.contest.id, entry_id=t.entries[0].id, juror_id=t.jurors[1].id))
    db.session.commit()
    with pytest.raises(InvalidInput, match="1 review"):
        close_round(contest=t.contest, round_no=1, actor=t.organizer)
    assert get_round(t.contest.id, 1).state == RoundState.OPEN
    _close(t, "The juror is ill; three reviews are enough.")
    event = _events("round.close")[0]
    assert (event.new["unfinished"], event.reason) == (1, "The juror is ill; three reviews are enough.")


def test_review_of_a_closed_round_cannot_change(two_rounds):
    t = two_rounds
    assignment = db.session.scalar(select(Assignment).where(Assignment.entry_id == t.entries[0].id))
    _close(t)
    with pytest.raises(NotAllowed, match="round is closed"):
        services.reopen_review(assignment=assignment, actor=t.organizer, reason="typo")
    reopen_round(contest=t.contest, round_no=1, actor=t.organizer, reason="one more look")
    services.reopen_review(assignment=assignment, actor=t.organizer, reason="typo")
    assert assignment.status == ReviewStatus.DRAFT


def test_a_review_that_cannot_be_totalled_refuses_the_shortlist_with_a_message(two_rounds):
    t = two_rounds
    _close(t)
    propose_shortlist(contest=t.contest, kind="top_n", value=3, actor=t.organizer)
    db.session.commit()
    before = sorted(shortlisted_entry_ids(t.final.id))
    review = db.session.scalars(select(Assignment).where(Assignment.status == ReviewStatus.SUBMITTED)
                                .order_by(Assignment.id)).first()
    review.scores = {}  # e.g. a criterion added to the rubric after it was submitted
    db.session.commit()
    with pytest.raises(InvalidInput, match="missing or out-of-range score"):
        propose_shortlist(contest=t.contest, kind="top_n", value=2, actor=t.organizer)
    db.session.rollback()
    assert sorted(shortlisted_entry_ids(t.final.id)) == before


def test_propose_top_n_per_category_and_overrides_survive(two_rounds):
    t = two_rounds
    _close(t)
    rows = propose_shortlist(contest=t.contest, kind="top_n", value=3, actor=t.organizer)
    assert len(rows) == 10
    selected = set(shortlisted_entry_ids(t.final.id))
    # category 1: the three best of eight; category 2: both (scores 100 and 90)
    assert selected == {t.entries[i].id for i in (0, 1, 2, 8, 9)}
    with pytest.raises(InvalidInput, match="reason"):
        override_shortlist(contest=t.contest, entry_id=t.entries[3].id, selected=True, reason=" ",
                           actor=t.organizer)
    override_shortlist(contest=t.contest, entry_id=t.entries[3].id, selected=True,
                       reason="Strong essay, one harsh reviewer", actor=t.organizer)
    override_shortlist(contest=t.contest, entry_id=t.entries[9].id, selected=False,
                       reason="Plagiarism found", actor=t.organizer)
    propose_shortlist(contest=t.contest, kind="top_n", value=2, actor=t.organizer)
    db.session.commit()
    assert set(shortlisted_entry_ids(t.final.id)) == {t.entries[i].id for i in (0, 1, 3, 8)}
    assert [e.reason for e in _events("shortlist.override")] == ["Strong essay, one harsh reviewer",
                                                                "Plagiarism found"]


def test_final_assignment_waits_for_the_confirmed_shortlist(two_rounds):
    t = two_rounds
    with pytest.raises(InvalidInput, match="shortlist is confirmed"):
        guards.check_assignable(t.contest, 2)
    _close(t)
    with pytest.raises(InvalidInput, match="closed"):
        assign_services.save_plan(contest=t.contest, actor=t.organizer, fingerprint="x")
    assert db.session.scalar(select(Assignment.id).where(Assignment.round_no == 2)) is None


def test_confirm_opens_the_final_round_and_the_panel_reads_every_finalist(two_rounds):
    t = two_rounds
    _close(t)
    propose_shortlist(contest=t.contest, kind="top_n", value=2, actor=t.organizer)
    db.session.add(DeclaredConflict(entry_id=t.entries[0].id, juror_id=t.jurors[0].id, reason="my pupil"))
    confirm_shortlist(contest=t.contest, actor=t.organizer)
    db.session.commit()
    assert current_round_no(t.contest.id) == 2
    preview = assign_services.preview_plan(contest=t.contest)
    assign_services.save_plan(contest=t.contest, actor=t.organizer, fingerprint=preview.fingerprint)
    db.session.commit()
    pairs = set(db.session.execute(select(Assignment.entry_id, Assignment.juror_id)
                                   .where(Assignment.round_no == 2)).all())
    finalists = [t.entries[i].id for i in (0, 1, 8, 9)]
    expected = {(e, j.id) for e in finalists for j in t.jurors[:2]} - {(t.entries[0].id, t.jurors[0].id)}
    assert pairs == expected
    with pytest.raises(NotAllowed, match="confirmed"):
        propose_shortlist(contest=t.contest, kind="top_n", value=3, actor=t.organizer)


def _judge_final(t, scores):
    """Final-round reviews by both final jurors: scores[entry index] on the first rubric."""
    for index, pair in scores.items():
        for juror in t.jurors[:2]:
            make_review(t.contest, t.entries[index], juror, pair, round_no=2, commit=False)
    db.session.commit()


def _confirmed(t, notify=False):
    _close(t)
    propose_shortlist(contest=t.contest, kind="top_n", value=2, actor=t.organizer)
    confirm_shortlist(contest=t.contest, actor=t.organizer, notify=notify)
    db.session.commit()


def test_final_ranking_comes_from_the_final_round(two_rounds):
    t = two_rounds
    _confirmed(t)
    _judge_final(t, {0: (2, 1), 1: (10, 5), 8: (5, 5), 9: (9, 5)})
    groups = compute_contest_ranking(t.contest)
    order = {g[0]: [p.entry.entry_id for p in r.places] for g, r in groups.items()}
    assert order == {t.categories[0].id: [t.entries[1].id, t.entries[0].id],
                     t.categories[1].id: [t.entries[9].id, t.entries[8].id]}
    first = compute_contest_ranking(t.contest, round_no=1)
    assert len(first[(t.categories[0].id, None)].places) == 8


def test_weighted_combination_of_both_rounds(two_rounds):
    t = two_rounds
    _confirmed(t)
    t.final.previous_weight = 0.5
    _judge_final(t, {0: (6, 4), 1: (8, 4), 8: (5, 5), 9: (9, 5)})
    result = compute_contest_ranking(t.contest)[(t.categories[0].id, None)]
    scores = {p.entry.entry_id: round(p.entry.adjusted, 4) for p in result.places}
    # totals average the criteria's shares by weight (2 and 1): entry 0: first 100, final
    # (2 x 0.6 + 0.8) / 3 = 66.67 -> 83.33; entry 1: first 93.33, final 80 -> 86.67
    assert scores == {t.entries[0].id: 83.3333, t.entries[1].id: 86.6667}
    assert [p.entry.entry_id for p in result.places] == [t.entries[1].id, t.entries[0].id]


def test_final_round_with_its_own_rubric(two_rounds):
    from contest.judging.queries import get_criteria

    t = two_rounds
    made = set_round_rubric(contest=t.contest, round_no=2, actor=t.organizer, criteria=[
        {"name": {"en": "Depth"}, "min_score": 0, "max_score": 20, "step": 1, "weight": 1}])
    _confirmed(t)
    assert [c.id for c in get_criteria(t.contest.id, 2)] == [made[0].id]
    assert len(get_criteria(t.contest.id, 1)) == 2
    for index, value in {0: 5, 1: 15}.items():
        db.session.add(Assignment(contest_id=t.contest.id, entry_id=t.entries[index].id,
                                  juror_id=t.jurors[0].id, round_no=2, status=ReviewStatus.SUBMITTED,
                                  scores={str(made[0].id): value}))
    db.session.commit()
    result = compute_contest_ranking(t.contest)[(t.categories[0].id, None)]
    assert [(p.entry.entry_id, p.entry.adjusted) for p in result.places] == [
        (t.entries[1].id, 75.0), (t.entries[0].id, 25.0)]


def test_confirm_tells_students_in_their_language(two_rounds):
    t = two_rounds
    _confirmed(t, notify=True)
    mails = {m.to: m for m in db.session.scalars(select(OutgoingEmail))}
    assert len(mails) == 10
    kk_finalist = db.session.get(type(t.organizer), t.entries[0].student_id)  # language kk, place 1
    ru_out = db.session.get(type(t.organizer), t.entries[4].student_id)  # language ru, not shortlisted
    assert mails[kk_finalist.email].subject == "Сіздің эссеңіз «Заң және біз» байқауының қорытынды кезеңінде"
    assert t.entries[0].code in mails[kk_finalist.email].body
    assert mails[ru_out.email].subject == "Итоги первого тура конкурса «Закон и мы»"
    assert "не вошло в шорт-лист" in mails[ru_out.email].body
    assert _events("shortlist.confirm")[0].new["notify"] is True


def test_publishing_needs_the_final_round(two_rounds):
    from contest.contests.models import Phase
    from contest.contests.phases import guards as phase_guards

    t = two_rounds
    problems = phase_guards(t.contest, Phase.PUBLISHED).hard
    assert any("final round" in str(p) for p in problems)


def test_final_round_review_is_blind_autosaves_on_its_rubric_and_ranks_by_severity(two_rounds):
    from contest.judging.queries import get_criteria, reading_view
    from contest.judging.services import ReviewInput, save_draft, submit_review

    t = two_rounds
    made = set_round_rubric(contest=t.contest, round_no=2, actor=t.organizer, criteria=[
        {"name": {"en": "Depth"}, "min_score": 0, "max_score": 20, "step": 1, "weight": 1}])
    _confirmed(t)
    preview = assign_services.preview_plan(contest=t.contest)
    assign_services.save_plan(contest=t.contest, actor=t.organizer, fingerprint=preview.fingerprint)
    db.session.commit()
    mine = list(db.session.scalars(select(Assignment).where(Assignment.juror_id == t.jurors[0].id,
                                                            Assignment.round_no == 2)))
    view = reading_view(t.jurors[0].id, mine[0].id)
    assert view.author is None and [c.id for c in view.criteria] == [made[0].id]
    rubric = get_criteria(t.contest.id, 2)
    save_draft(assignment=mine[0], contest=t.contest, actor=t.jurors[0], criteria=rubric,
               data=ReviewInput(base_version=0, scores={made[0].id: 12}, criterion_comments={}))
    db.session.commit()
    assert (mine[0].status, mine[0].scores) == (ReviewStatus.DRAFT, {str(made[0].id): 12.0})
    for juror in t.jurors[:2]:
        for a in db.session.scalars(select(Assignment).where(Assignment.juror_id == juror.id,
                                                             Assignment.round_no == 2)):
            value = 10 + (a.entry_id % 5) + (3 if juror is t.jurors[1] else 0)
            submit_review(assignment=a, contest=t.contest, actor=juror, criteria=rubric,
                          data=ReviewInput(base_version=a.version, scores={made[0].id: value},
                                           criterion_comments={}))
    db.session.commit()
    groups = compute_contest_ranking(t.contest, method="severity")
    ranked = {p.entry.entry_id for g in groups.values() for p in g.places}
    assert ranked == set(shortlisted_entry_ids(t.final.id))
    severities = {j.juror_id: j.severity for g in groups.values() for j in g.ranking.jurors}
    assert severities[t.jurors[1].id] > severities[t.jurors[0].id]  # the lenient final juror is seen


def test_extra_juror_for_disagreement_goes_to_the_final_round_and_its_jury(two_rounds):
    from contest.ranking.services import add_extra_juror

    t = two_rounds
    _confirmed(t)
    db.session.add(Assignment(contest_id=t.contest.id, entry_id=t.entries[0].id, juror_id=t.jurors[0].id,
                              round_no=2))
    db.session.commit()
    extra = add_extra_juror(contest=t.contest, entry=t.entries[0], actor=t.organizer)
    assert (extra.round_no, extra.juror_id) == (2, t.jurors[1].id)  # juror 2 is not on the final jury
    with pytest.raises(InvalidInput, match="No eligible juror"):
        add_extra_juror(contest=t.contest, entry=t.entries[0], actor=t.organizer)


def test_no_final_round_juror_for_an_entry_left_out(two_rounds):
    from contest.ranking.services import add_extra_juror

    t = two_rounds
    _confirmed(t)  # top 2: entries 0 and 1 of category 1
    with pytest.raises(InvalidInput, match="not on the shortlist"):
        assign_services.add_juror(entry=t.entries[5], juror_id=t.jurors[0].id, actor=t.organizer)
    with pytest.raises(InvalidInput, match="not on the shortlist"):
        add_extra_juror(contest=t.contest, entry=t.entries[5], actor=t.organizer)
    added = assign_services.add_juror(entry=t.entries[1], juror_id=t.jurors[0].id, actor=t.organizer)
    assert added.round_no == 2
