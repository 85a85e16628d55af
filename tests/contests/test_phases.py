"""The phase machine: forward one step at a time, guards, forcing with a reason, audit events."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.awards.models import Publication
from contest.contests import phases
from contest.contests.models import Phase
from contest.contests.phases import PhaseRefused
from contest.db import utcnow
from contest.enums import Role
from contest.errors import InvalidInput
from contest.extensions import db
from tests.factories import make_assignment, make_entry, make_juror, make_review, make_setup_contest

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _ctx(request_ctx):
    yield


def _events():
    return [
        (e.action, e.old, e.new, e.reason)
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "contest.phase").order_by(AuditEvent.id)
        )
    ]


def _freeze_results(contest):
    """What the awards page does before the phase moves: a frozen publication."""
    db.session.add(Publication(contest_id=contest.id, revision=1, ranking=[]))
    db.session.flush()


def test_publishing_without_frozen_results_is_refused_even_forced(app, make_user):
    organizer = make_user(Role.ORGANIZER)
    contest = make_setup_contest("judging")
    with pytest.raises(PhaseRefused) as caught:
        phases.change_phase(contest=contest, target=Phase.PUBLISHED, actor=organizer, force=True,
                            reason="hurry")
    assert str(caught.value.problems[0]) == (
        "Publish from the Awards page: it freezes the ranking and the awards.")
    assert contest.phase == Phase.JUDGING


def test_full_cycle_records_each_change(app, make_user):
    organizer = make_user(Role.ORGANIZER)
    contest = make_setup_contest("draft", closes_at=utcnow() + timedelta(days=1))
    phases.change_phase(contest=contest, target=Phase.OPEN, actor=organizer)
    later = utcnow() + timedelta(days=2)
    phases.change_phase(contest=contest, target=Phase.JUDGING, actor=organizer, now=later)
    _freeze_results(contest)
    phases.change_phase(contest=contest, target=Phase.PUBLISHED, actor=organizer)
    phases.change_phase(contest=contest, target=Phase.ARCHIVED, actor=organizer)
    db.session.commit()
    assert contest.phase == Phase.ARCHIVED
    steps = [("draft", "open"), ("open", "judging"), ("judging", "published"), ("published", "archived")]
    assert _events() == [("contest.phase", {"phase": a}, {"phase": b, "forced": False}, "") for a, b in steps]
    actors = db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "contest.phase")).all()
    assert actors == [organizer.id] * 4
    assert db.session.scalars(select(AuditEvent.contest_id)).all() == [contest.id] * 4


@pytest.mark.parametrize(
    "start, target",
    [
        ("draft", "judging"),
        ("open", "draft"),
        ("judging", "open"),
        ("archived", "published"),
        ("open", "open"),
    ],
)
def test_only_the_next_phase_is_allowed(app, make_user, start, target):
    contest = make_setup_contest(start)
    with pytest.raises(PhaseRefused) as caught:
        phases.change_phase(
            contest=contest,
            target=Phase(target),
            actor=make_user(Role.ORGANIZER),
            force=True,
            reason="please",
        )
    assert str(caught.value.message) == "A contest moves one phase forward at a time."
    assert contest.phase == Phase(start)
    assert _events() == []


@pytest.mark.parametrize(
    "strip, message",
    [
        ("topics", "Add at least one topic."),
        ("categories", "Add at least one category."),
        ("criteria", "Add at least one rubric criterion."),
        ("window", "Set the submission window (opens and closes)."),
        ("closed", "The submission window has already closed; extend the deadline."),
    ],
)
def test_cannot_open_without_the_essentials_even_forced(app, make_user, strip, message):
    contest = make_setup_contest("draft")
    if strip in ("topics", "categories", "criteria"):
        setattr(contest, strip, [])
    elif strip == "window":
        contest.closes_at = None
    else:
        contest.opens_at, contest.closes_at = utcnow() - timedelta(days=3), utcnow() - timedelta(days=1)
    with pytest.raises(PhaseRefused) as caught:
        phases.change_phase(
            contest=contest,
            target=Phase.OPEN,
            actor=make_user(Role.ORGANIZER),
            force=True,
            reason="just do it",
        )
    assert [str(p) for p in caught.value.problems] == [message]
    assert contest.phase == Phase.DRAFT
    assert _events() == []


def test_empty_draft_lists_every_problem(app):
    contest = make_setup_contest("draft", complete=False)
    found = phases.guards(contest, Phase.OPEN)
    assert len(found.hard) == 4 and found.soft == []


def test_judging_before_the_deadline_needs_force_and_reason(app, make_user):
    organizer = make_user(Role.ORGANIZER)
    contest = make_setup_contest("open")
    with pytest.raises(PhaseRefused):
        phases.change_phase(contest=contest, target=Phase.JUDGING, actor=organizer)
    with pytest.raises(InvalidInput) as caught:
        phases.change_phase(contest=contest, target=Phase.JUDGING, actor=organizer, force=True, reason=" ")
    assert caught.value.field == "reason"
    assert contest.phase == Phase.OPEN
    phases.change_phase(
        contest=contest,
        target=Phase.JUDGING,
        actor=organizer,
        force=True,
        reason="Ministry asked to close early",
    )
    assert _events() == [
        (
            "contest.phase",
            {"phase": "open"},
            {"phase": "judging", "forced": True},
            "Ministry asked to close early",
        )
    ]


def test_publish_with_unfinished_reviews_needs_force_and_reason(app, make_user):
    organizer = make_user(Role.ORGANIZER)
    contest = make_setup_contest("judging")
    entry = make_entry(contest)
    juror_a, juror_b, juror_c = (make_juror(contest=contest) for _ in range(3))
    make_assignment(entry, juror_a, status="new")
    make_assignment(entry, juror_b, status="draft")
    make_review(contest, entry, juror_c, [7])
    _freeze_results(contest)
    with pytest.raises(PhaseRefused) as caught:
        phases.change_phase(contest=contest, target=Phase.PUBLISHED, actor=organizer)
    assert str(caught.value.problems[0]) == "2 review(s) are not finished."
    with pytest.raises(InvalidInput):
        phases.change_phase(contest=contest, target=Phase.PUBLISHED, actor=organizer, force=True)
    assert contest.phase == Phase.JUDGING
    phases.change_phase(
        contest=contest,
        target=Phase.PUBLISHED,
        actor=organizer,
        force=True,
        reason="Juror ill; two reviews are enough",
    )
    assert contest.phase == Phase.PUBLISHED
    assert _events()[0][2:] == ({"phase": "published", "forced": True}, "Juror ill; two reviews are enough")


def test_unfinished_reviews_ignore_withdrawn_entries(app):
    contest = make_setup_contest("judging")
    withdrawn = make_entry(contest, status="withdrawn")
    make_assignment(withdrawn, make_juror(contest=contest), status="draft")
    assert phases.unfinished_review_count(contest) == 0
