"""Topics, categories, rubric criteria, award tiers and signatories: validation, order, removal."""

import pytest
from sqlalchemy import select

from contest.contests import items
from contest.contests.models import AwardTier, ContestJuror, Criterion
from contest.contests.services import FieldErrors
from contest.enums import Role
from contest.errors import InvalidInput
from contest.extensions import db
from tests.factories import make_setup_contest

CRITERION = dict(
    name={"ru": "Аргументация"},
    description={"en": "Is the argument supported?"},
    min_score=0.0,
    max_score=5.0,
    step=0.5,
    weight=1.5,
    levels=[],
)


@pytest.fixture(autouse=True)
def _ctx(request_ctx):
    yield


@pytest.mark.parametrize(
    "change, field",
    [
        ({"weight": 0}, "weight"),
        ({"weight": -1}, "weight"),
        ({"min_score": 5.0, "max_score": 5.0}, "max_score"),
        ({"min_score": 6.0}, "max_score"),
        ({"min_score": -1.0}, "min_score"),
        ({"step": 0}, "step"),
        ({"step": 2.0}, "step"),  # 0..5 by 2 does not land on 5
        ({"step": 0.3}, "step"),
        ({"max_score": 1000.0, "step": 1.0}, "step"),  # more than 200 steps
        ({"levels": [{"score": 7.0, "text": {"en": "x"}}]}, "levels_kk"),
        ({"levels": [{"score": 2.25, "text": {"en": "x"}}]}, "levels_kk"),
        ({"name": {"kk": "", "ru": "  "}}, "name_kk"),
    ],
)
def test_bad_criterion_is_refused_on_its_field(app, make_user, change, field):
    contest = make_setup_contest()
    with pytest.raises(FieldErrors) as caught:
        items.save_criterion(contest=contest, actor=make_user(Role.ORGANIZER), **{**CRITERION, **change})
    assert list(caught.value.errors) == [field]
    assert len(contest.criteria) == 1


def test_criterion_with_half_steps_and_levels_is_saved(app, make_user):
    contest = make_setup_contest()
    levels = [{"score": 2.5, "text": {"en": "Fair"}}, {"score": 5.0, "text": {"en": "Original", "kk": ""}}]
    criterion = items.save_criterion(
        contest=contest, actor=make_user(Role.ORGANIZER), **{**CRITERION, "levels": levels}
    )
    db.session.commit()
    assert criterion.values() == [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]
    assert criterion.levels == [
        {"score": 5.0, "text": {"en": "Original"}},
        {"score": 2.5, "text": {"en": "Fair"}},
    ]
    assert [c.position for c in contest.criteria] == [0, 1]


def test_reorder_moves_one_place_and_keeps_positions_dense(app):
    contest = make_setup_contest()
    for title in ("B", "C"):
        items.save_topic(contest=contest, title={"en": title})
    items.move_item(contest=contest, item=contest.topics[2], offset=-1)
    assert [t.title.get("en") for t in contest.topics] == ["The law and me", "C", "B"]
    items.move_item(contest=contest, item=contest.topics[0], offset=-1)  # already first: stays
    assert [(t.title["en"], t.position) for t in contest.topics] == [
        ("The law and me", 0),
        ("C", 1),
        ("B", 2),
    ]


def test_topic_and_category_need_a_text(app):
    contest = make_setup_contest()
    with pytest.raises(InvalidInput) as caught:
        items.save_topic(contest=contest, title={"kk": " "})
    assert caught.value.field == "title_kk"
    with pytest.raises(InvalidInput):
        items.save_category(contest=contest, name={})


def test_topics_and_categories_stay_once_open(app, make_user):
    contest = make_setup_contest("open")
    organizer = make_user(Role.ORGANIZER)
    for item in (contest.topics[0], contest.categories[0]):
        with pytest.raises(InvalidInput):
            items.remove_item(contest=contest, item=item, actor=organizer)
    assert (len(contest.topics), len(contest.categories)) == (1, 1)


def test_removing_a_draft_category_removes_its_tiers_and_jury_links(app, make_user):
    contest = make_setup_contest()
    organizer = make_user(Role.ORGANIZER)
    other = items.save_category(contest=contest, name={"en": "College"})
    doomed = contest.categories[0]
    items.save_award_tier(
        contest=contest, name={"en": "1st"}, rule="count", category_id=doomed.id, count=1, min_score=None
    )
    db.session.add(
        ContestJuror(contest_id=contest.id, user_id=organizer.id, category_ids=[doomed.id, other.id])
    )
    db.session.commit()
    items.remove_item(contest=contest, item=doomed, actor=organizer)
    db.session.commit()
    assert [c.id for c in contest.categories] == [other.id]
    assert db.session.scalars(select(AwardTier)).all() == []
    assert db.session.scalar(select(ContestJuror.category_ids)) == [other.id]


@pytest.mark.parametrize(
    "args, field",
    [
        ({"rule": "count", "count": 0}, "count"),
        ({"rule": "count", "count": None}, "count"),
        ({"rule": "threshold", "min_score": None}, "min_score"),
        ({"rule": "threshold", "min_score": -1.0}, "min_score"),
        ({"rule": "lottery"}, "rule"),
        ({"rule": "count", "count": 1, "category_id": 999999}, "category_id"),
        ({"rule": "count", "count": 1, "name": {}}, "name_kk"),
    ],
)
def test_bad_award_tier_is_refused(app, args, field):
    contest = make_setup_contest()
    values = {"name": {"en": "1st degree"}, "category_id": None, "count": None, "min_score": None, **args}
    with pytest.raises(FieldErrors) as caught:
        items.save_award_tier(contest=contest, **values)
    assert list(caught.value.errors) == [field]
    assert contest.award_tiers == []


def test_award_tiers_keep_only_their_rule_value_and_track_participation(app, make_user):
    contest = make_setup_contest()
    top = items.save_award_tier(
        contest=contest,
        name={"kk": "I дәрежелі диплом"},
        rule="count",
        category_id=contest.categories[0].id,
        count=1,
        min_score=12.0,
    )
    cert = items.save_award_tier(
        contest=contest,
        name={"en": "Participation"},
        rule="participation",
        category_id=None,
        count=3,
        min_score=None,
    )
    assert (top.count, top.min_score, cert.count) == (1, None, None)
    assert contest.participation_certificates is True
    items.remove_item(contest=contest, item=cert, actor=make_user(Role.ORGANIZER))
    assert contest.participation_certificates is False


def test_signatory_needs_a_name(app):
    contest = make_setup_contest()
    with pytest.raises(InvalidInput) as caught:
        items.save_signatory(contest=contest, name="  ", title={"en": "Director"})
    assert caught.value.field == "name"
    signatory = items.save_signatory(contest=contest, name=" Ә. Нұрланов ", title={"kk": "Директор"})
    assert (signatory.name, signatory.position) == ("Ә. Нұрланов", 0)


def test_rubric_changes_are_logged_in_drafts_and_open_contests(app, make_user):
    """Every set-up change is logged (issue 14), a draft's too: the log then tells how the
    rubric the jurors use came to be."""
    from contest.audit.models import AuditEvent

    organizer = make_user(Role.ORGANIZER)
    draft, running = make_setup_contest("draft"), make_setup_contest("open")
    items.save_criterion(contest=draft, actor=organizer, **CRITERION)
    items.save_criterion(contest=running, actor=organizer, **CRITERION)
    query = select(AuditEvent.contest_id, AuditEvent.action).order_by(AuditEvent.id)
    events = db.session.execute(query).all()
    assert [tuple(e) for e in events] == [(draft.id, "contest.rubric_changed"),
                                          (running.id, "contest.rubric_changed")]
    assert (
        db.session.scalar(
            select(Criterion.weight).where(Criterion.contest_id == running.id, Criterion.position == 1)
        )
        == 1.5
    )
