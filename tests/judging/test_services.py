"""Judging services through the database: plans, manual changes, reviews, conflicts, reminders."""

import random
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from contest.audit.models import AuditEvent
from contest.contests.models import Phase
from contest.db import utcnow
from contest.enums import Role
from contest.errors import Conflict, InvalidInput
from contest.extensions import db
from contest.judging import assign_services, permissions, queries, services
from contest.judging.assignment import ineligible_reason
from contest.judging.models import Assignment, DeclaredConflict, JurorReminder, ReviewStatus
from contest.judging.services import ReviewInput
from contest.judging.tasks import send_juror_reminder
from contest.mail.models import OutgoingEmail
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _request(app):
    """Domain errors carry translated messages, which need a request's locale."""
    with app.test_request_context():
        yield


def _pairs():
    return set(db.session.execute(select(Assignment.entry_id, Assignment.juror_id)))


def _events(action):
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
    )


def _population(seed, *, n_entries=60, n_jurors=12, same_region=False, capacity=None):
    """A contest with entries in kk/ru/en over 3 categories from 8 schools in 4 regions, and
    jurors who each read ru plus kk or en and judge two categories."""
    rng = random.Random(seed)
    contest = make_contest(n_categories=3, same_region_conflict=same_region)
    schools = [(f"School {i}", f"Region {i % 4}") for i in range(8)]
    entries = []
    for _ in range(n_entries):
        school, region = rng.choice(schools)
        student = make_user(Role.STUDENT, school=school, region=region, commit=False)
        entries.append(
            make_entry(
                contest,
                student,
                language=rng.choice(("ru", "ru", "kk", "en")),
                category=rng.choice(contest.categories),
                commit=False,
            )
        )
    db.session.commit()
    jurors = []
    for _ in range(n_jurors):
        school, region = rng.choice(schools)
        jurors.append(
            make_juror(
                languages=("ru", rng.choice(("kk", "en"))),
                contest=contest,
                category_ids=[c.id for c in rng.sample(contest.categories, 2)],
                school=school.upper(),
                region=region,
                capacity=capacity,
            )
        )
    return contest, entries, jurors


def _plan(contest, organizer):
    preview = assign_services.preview_plan(contest=contest)
    assign_services.save_plan(contest=contest, actor=organizer, fingerprint=preview.fingerprint)
    db.session.commit()
    return preview


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("same_region", [False, True])
def test_plan_saved_respects_every_constraint(app, seed, same_region):
    contest, entries, jurors = _population(seed, same_region=same_region)
    organizer = make_user(Role.ORGANIZER)
    preview = _plan(contest, organizer)
    by_id = {j.id: j for j in jurors}
    from contest.contests.models import ContestJuror, JurorProfile

    cats = {cj.user_id: set(cj.category_ids) for cj in db.session.scalars(select(ContestJuror))}
    langs = {p.user_id: set(p.languages) for p in db.session.scalars(select(JurorProfile))}
    per_entry = Counter()
    for a in db.session.scalars(select(Assignment)):
        entry = db.session.get(type(entries[0]), a.entry_id)
        student, juror = db.session.get(type(organizer), entry.student_id), by_id[a.juror_id]
        assert entry.language in langs[juror.id]
        assert entry.category_id in cats[juror.id]
        assert student.school.casefold() != juror.school.casefold()
        if same_region:
            assert student.region != juror.region
        per_entry[a.entry_id] += 1
    short = {s.entry_id: s.missing for s in preview.plan.shortfalls}
    assert {e.id: 3 - short.get(e.id, 0) for e in entries} == {e.id: per_entry[e.id] for e in entries}
    assert sum(per_entry.values()) == len(preview.plan.pairs)
    assert _events("assignment.plan")[0].new == {
        "added": len(preview.plan.pairs),
        "kept": 0,
        "short_entries": len(short),
    }


def test_plan_balances_loads_when_everyone_is_eligible(app):
    contest = make_contest(n_categories=1)
    for i in range(50):
        make_entry(contest, make_user(school=f"S{i}", region="R", commit=False), commit=False)
    db.session.commit()
    jurors = [make_juror(contest=contest, school="Jury school") for _ in range(7)]
    _plan(contest, make_user(Role.ORGANIZER))
    loads = Counter(db.session.scalars(select(Assignment.juror_id)))
    assert sum(loads.values()) == 150
    assert max(loads.values()) - min(loads[j.id] for j in jurors) <= 1


def test_plan_respects_capacity(app):
    contest, _entries, _jurors = _population(5, n_entries=40, n_jurors=10, capacity=9)
    _plan(contest, make_user(Role.ORGANIZER))
    loads = Counter(db.session.scalars(select(Assignment.juror_id)))
    assert max(loads.values()) <= 9


def test_infeasible_plan_shows_shortfalls_and_preview_saves_nothing(app):
    contest = make_contest(n_categories=2)
    cat1, cat2 = contest.categories
    ru = [make_entry(contest, category=cat1, language="ru") for _ in range(4)]
    kk = [make_entry(contest, category=cat2, language="kk") for _ in range(3)]
    for _ in range(3):
        make_juror(languages=("ru",), contest=contest, category_ids=[cat1.id, cat2.id])
    make_juror(languages=("kk",), contest=contest, category_ids=[cat1.id])
    preview = assign_services.preview_plan(contest=contest)
    assert db.session.scalar(select(func.count(Assignment.id))) == 0
    assert [(g.language, g.category_id, g.cause, g.entries, g.missing) for g in preview.groups] == [
        ("kk", cat2.id, "no_matching_jurors", 3, 9)
    ]
    assert sorted(preview.groups[0].entry_ids) == sorted(e.id for e in kk)
    text = assign_services.shortfall_message(
        preview.groups[0], language="Қазақша", category="Category 2", k=3
    )
    assert text == (
        "3 essays in Қазақша, Category 2 (9 reviews missing): 1 juror reads Қазақша but does "
        "not judge Category 2."
    )
    assign_services.save_plan(
        contest=contest, actor=make_user(Role.ORGANIZER), fingerprint=preview.fingerprint
    )
    db.session.commit()
    assert {e for e, _j in _pairs()} == {e.id for e in ru}


def test_rerun_keeps_reviews_and_only_fills_gaps(app):
    contest, entries, jurors = _population(7, n_entries=30, n_jurors=9)
    organizer = make_user(Role.ORGANIZER)
    _plan(contest, organizer)
    before = {a.id: (a.entry_id, a.juror_id) for a in db.session.scalars(select(Assignment))}
    short_before = {e.id for e in entries if sum(1 for x, _j in before.values() if x == e.id) < 3}
    started = db.session.scalars(select(Assignment).order_by(Assignment.id).limit(2)).all()
    started[0].status, started[0].scores = ReviewStatus.DRAFT, {str(contest.criteria[0].id): 7.0}
    started[1].status, started[1].total = ReviewStatus.SUBMITTED, 55.0
    db.session.commit()
    again = assign_services.preview_plan(contest=contest)
    assert (again.plan.pairs, len(again.plan.kept)) == ([], len(before))
    late = make_entry(contest, language="ru", category=contest.categories[0])
    make_juror(languages=("ru", "kk", "en"), contest=contest, school="Late school")
    _plan(contest, organizer)
    after = {a.id: (a.entry_id, a.juror_id) for a in db.session.scalars(select(Assignment))}
    assert {k: after[k] for k in before} == before
    filled = {e for e, _j in set(after.values()) - set(before.values())}
    assert late.id in filled and filled <= short_before | {late.id}
    assert db.session.get(Assignment, started[0].id).scores == {str(contest.criteria[0].id): 7.0}
    assert db.session.get(Assignment, started[1].id).status == ReviewStatus.SUBMITTED


def test_save_plan_refuses_when_the_plan_changed_since_preview(app):
    contest = make_contest(n_categories=1)
    make_entry(contest)
    for _ in range(3):
        make_juror(contest=contest)
    preview = assign_services.preview_plan(contest=contest)
    make_entry(contest)
    with pytest.raises(Conflict):
        assign_services.save_plan(
            contest=contest, actor=make_user(Role.ORGANIZER), fingerprint=preview.fingerprint
        )
    db.session.rollback()
    assert _pairs() == set()


def test_add_juror_checks_eligibility_and_logs_an_override(app):
    contest = make_contest(n_categories=1)
    entry = make_entry(contest, make_user(school="School 9"))
    fine, same = make_juror(contest=contest), make_juror(contest=contest, school="school 9")
    organizer = make_user(Role.ORGANIZER)
    assign_services.add_juror(entry=entry, juror_id=fine.id, actor=organizer)
    with pytest.raises(InvalidInput) as refused:
        assign_services.add_juror(entry=entry, juror_id=same.id, actor=organizer)
    assert refused.value.field == "reason"
    assign_services.add_juror(entry=entry, juror_id=same.id, actor=organizer, reason="Only kk reader left")
    db.session.commit()
    assert _pairs() == {(entry.id, fine.id), (entry.id, same.id)}
    assert [(e.new["juror_id"], e.new["ineligible"], e.reason) for e in _events("assignment.override")] == [
        (same.id, "same_school", "Only kk reader left")
    ]
    assert [e.new["juror_id"] for e in _events("assignment.add")] == [fine.id]


def test_add_juror_refuses_a_declared_conflict_even_with_a_reason(app):
    contest = make_contest(n_categories=1)
    entry, juror = make_entry(contest), make_juror(contest=contest)
    db.session.add(DeclaredConflict(entry_id=entry.id, juror_id=juror.id, reason="my pupil"))
    db.session.commit()
    with pytest.raises(InvalidInput):
        assign_services.add_juror(
            entry=entry, juror_id=juror.id, actor=make_user(Role.ORGANIZER), reason="please"
        )
    db.session.rollback()
    assert _pairs() == set()


def test_removing_a_started_review_needs_confirmation_and_is_logged(app):
    contest = make_contest()
    entry, juror = make_entry(contest), make_juror(contest=contest)
    cid = contest.criteria[0].id
    assignment = make_assignment(entry, juror, status="draft", scores={cid: 4.0})
    organizer = make_user(Role.ORGANIZER)
    with pytest.raises(InvalidInput):
        assign_services.remove_assignment(assignment=assignment, actor=organizer, confirm=False)
    assign_services.remove_assignment(
        assignment=assignment, actor=organizer, confirm=True, reason="left jury"
    )
    db.session.commit()
    assert _pairs() == set()
    [event] = _events("assignment.remove")
    assert (event.old, event.reason) == (
        {
            "entry_id": entry.id,
            "juror_id": juror.id,
            "status": "draft",
            "scores": {str(cid): 4.0},
            "total": None,
        },
        "left jury",
    )


# --- reviews ----------------------------------------------------------------------------------


def _review(contest, **scores):
    """A ReviewInput from criterion position -> score."""
    crit = contest.criteria
    return ReviewInput(
        base_version=scores.pop("base", 0),
        scores={crit[int(k[1:])].id: v for k, v in scores.items()},
        criterion_comments={crit[0].id: "Clear thesis."},
        private_comment="ok",
        feedback="Good",
    )


def _setup_review():
    contest = make_contest()
    entry, juror = make_entry(contest), make_juror(contest=contest)
    return contest, juror, make_assignment(entry, juror)


def test_two_saves_from_one_version_second_conflicts_and_first_is_kept(app):
    contest, juror, a = _setup_review()
    services.save_draft(
        assignment=a, contest=contest, actor=juror, data=_review(contest, c0=6), criteria=contest.criteria
    )
    db.session.commit()
    stale = db.session.get(Assignment, a.id)
    with pytest.raises(Conflict) as refused:
        services.save_draft(
            assignment=stale,
            contest=contest,
            actor=juror,
            data=_review(contest, c0=2),
            criteria=contest.criteria,
        )
    db.session.rollback()
    assert refused.value.code == "stale"
    fresh = db.session.get(Assignment, a.id)
    assert (fresh.version, fresh.status, fresh.scores) == (
        1,
        ReviewStatus.DRAFT,
        {str(contest.criteria[0].id): 6.0},
    )


def test_conditional_update_refuses_a_save_raced_by_another_process(app):
    contest, juror, a = _setup_review()
    db.session.execute(Assignment.__table__.update().where(Assignment.id == a.id).values(version=1))
    # The session still believes version 0: only the database's WHERE version = 0 can catch it.
    with pytest.raises(Conflict):
        services.save_draft(
            assignment=a, contest=contest, actor=juror, data=_review(contest, c0=3), criteria=contest.criteria
        )
    db.session.rollback()
    assert db.session.get(Assignment, a.id).scores == {}


@pytest.mark.parametrize(("position", "value"), [(0, 11), (0, -1), (0, 2.5), (1, 0.3), (0, float("nan"))])
def test_scores_outside_range_or_step_are_refused(app, position, value):
    contest, juror, a = _setup_review()
    with pytest.raises(InvalidInput) as refused:
        services.save_draft(
            assignment=a,
            contest=contest,
            actor=juror,
            data=_review(contest, **{f"c{position}": value}),
            criteria=contest.criteria,
        )
    db.session.rollback()
    assert refused.value.field == f"score_{contest.criteria[position].id}"
    assert (db.session.get(Assignment, a.id).version, _events("review.scores")) == (0, [])


def test_submit_needs_every_criterion_then_freezes_with_total(app):
    contest, juror, a = _setup_review()
    with pytest.raises(InvalidInput):
        services.submit_review(
            assignment=a, contest=contest, actor=juror, data=_review(contest, c0=8), criteria=contest.criteria
        )
    db.session.rollback()
    assert (
        services.submit_review(
            assignment=a,
            contest=contest,
            actor=juror,
            data=_review(contest, c0=8, c1=2.5),
            criteria=contest.criteria,
        )
        is True
    )
    db.session.commit()
    a = db.session.get(Assignment, a.id)
    # weights 2 and 1: (2 * 8/10 + 1 * 2.5/5) / 3 * 100
    assert (a.status, round(a.total, 6), a.version) == (ReviewStatus.SUBMITTED, round(70.0, 6), 1)
    assert a.submitted_at is not None and contest.rubric_locked is True
    with pytest.raises(Conflict):
        services.save_draft(
            assignment=a,
            contest=contest,
            actor=juror,
            data=_review(contest, c0=1, base=1),
            criteria=contest.criteria,
        )


def test_double_submit_makes_one_submission(app):
    contest, juror, a = _setup_review()
    data = _review(contest, c0=5, c1=5)
    first = services.submit_review(
        assignment=a, contest=contest, actor=juror, data=data, criteria=contest.criteria
    )
    db.session.commit()
    second = services.submit_review(
        assignment=db.session.get(Assignment, a.id),
        contest=contest,
        actor=juror,
        data=data,
        criteria=contest.criteria,
    )
    db.session.commit()
    assert (first, second) == (True, False)
    assert len(_events("review.submit")) == 1
    assert db.session.get(Assignment, a.id).version == 1


def test_score_changes_are_audited_with_old_and_new_values(app):
    contest, juror, a = _setup_review()
    c0, c1 = (str(c.id) for c in contest.criteria)
    for base, scores in enumerate(({"c0": 4}, {"c0": 4}, {"c0": 6, "c1": 1.5})):
        services.save_draft(
            assignment=a,
            contest=contest,
            actor=juror,
            data=_review(contest, base=base, **scores),
            criteria=contest.criteria,
        )
        db.session.commit()
    assert [(e.old, e.new, e.actor_id) for e in _events("review.scores")] == [
        ({"scores": {}}, {"scores": {c0: 4.0}}, juror.id),
        ({"scores": {c0: 4.0}}, {"scores": {c0: 6.0, c1: 1.5}}, juror.id),
    ]


def test_reopen_is_logged_with_reason_and_returns_to_draft(app):
    contest, juror, a = _setup_review()
    services.submit_review(
        assignment=a,
        contest=contest,
        actor=juror,
        data=_review(contest, c0=10, c1=5),
        criteria=contest.criteria,
    )
    organizer = make_user(Role.ORGANIZER)
    with pytest.raises(InvalidInput):
        services.reopen_review(assignment=a, actor=organizer, reason="  ")
    services.reopen_review(assignment=a, actor=organizer, reason="Scores swapped by mistake")
    db.session.commit()
    a = db.session.get(Assignment, a.id)
    assert (a.status, a.total, a.submitted_at, a.version) == (ReviewStatus.DRAFT, None, None, 2)
    [event] = _events("review.reopen")
    assert (event.old, event.new, event.reason, event.actor_id) == (
        {"status": "submitted", "total": 100.0},
        {"status": "draft"},
        "Scores swapped by mistake",
        organizer.id,
    )


def test_saves_are_refused_once_judging_is_over(app):
    contest, juror, a = _setup_review()
    contest.phase = Phase.PUBLISHED
    db.session.commit()
    with pytest.raises(services.NotAllowed):
        services.save_draft(
            assignment=a, contest=contest, actor=juror, data=_review(contest, c0=1), criteria=contest.criteria
        )


def test_declared_conflict_removes_access_and_reassigns_the_entry(app):
    contest = make_contest(n_categories=1, k=2)
    entry = make_entry(contest)
    jurors = [make_juror(contest=contest) for _ in range(3)]
    _plan(contest, make_user(Role.ORGANIZER))
    mine = db.session.scalars(select(Assignment).order_by(Assignment.id)).first()
    me = next(j for j in jurors if j.id == mine.juror_id)
    [spare] = {j.id for j in jurors} - {j for _e, j in _pairs()}
    services.declare_conflict(assignment=mine, actor=me, reason="I taught this class")
    db.session.commit()
    assert {j for _e, j in _pairs()} == {j.id for j in jurors} - {me.id}
    assert permissions.visible_assignment(me, mine.id) is None
    assert [(c.entry_id, c.juror_id, c.reason) for c in db.session.scalars(select(DeclaredConflict))] == [
        (entry.id, me.id, "I taught this class")
    ]
    assert [e.old["juror_id"] for e in _events("assignment.remove")] == [me.id]
    assert [e.new["jurors"] for e in _events("assignment.reassign")] == [[spare]]


def test_a_declared_conflict_is_refilled_locally_by_the_least_loaded_eligible_juror(app):
    """No new plan of the whole contest: the spare juror with the fewest reviews takes it,
    and a juror of another language is never chosen."""
    contest = make_contest(n_categories=1, k=1)
    entries = [make_entry(contest) for _ in range(4)]
    me, busy, light = (make_juror(contest=contest) for _ in range(3))
    make_juror(languages=("kk",), contest=contest)  # idle, but cannot read these English essays
    for e in entries[1:]:
        make_assignment(e, busy)
    make_assignment(entries[1], light)
    mine = make_assignment(entries[0], me)
    services.declare_conflict(assignment=mine, actor=me, reason="my pupil")
    db.session.commit()
    assert [e.new["jurors"] for e in _events("assignment.reassign")] == [[light.id]]
    assert (entries[0].id, light.id) in _pairs()


def _rows():
    return {a.id: (a.entry_id, a.juror_id) for a in db.session.scalars(select(Assignment))}


def test_a_reassignment_is_local_and_takes_the_least_loaded_eligible_juror_with_room(app):
    """After a whole plan, one conflict: only that entry's pair changes; the new juror is the
    idle eligible one, not the idle one of another category nor the idle one at capacity."""
    contest, entries, jurors = _population(11, n_entries=60, n_jurors=12)
    _plan(contest, make_user(Role.ORGANIZER))
    mine = db.session.scalars(select(Assignment).order_by(Assignment.id)).first()
    entry = next(e for e in entries if e.id == mine.entry_id)
    me = next(j for j in jurors if j.id == mine.juror_id)
    others = [c.id for c in contest.categories if c.id != entry.category_id]
    everything = ("ru", "kk", "en")
    idle = make_juror(languages=everything, contest=contest, school="Late 1", region="Far")
    make_juror(languages=everything, contest=contest, category_ids=others, school="Late 2", region="Far")
    # At capacity, and a capacity the planner refuses (the forms never allow it): a plan of the
    # whole contest would raise here, the local repair only passes this juror over.
    make_juror(languages=everything, contest=contest, capacity=-1, school="Late 3", region="Far")
    before = _rows()
    services.declare_conflict(assignment=mine, actor=me, reason="my pupil")
    db.session.commit()
    after = _rows()
    [added] = after.keys() - before.keys()
    assert before.keys() - after.keys() == {mine.id}
    assert {k: v for k, v in after.items() if k != added} == {k: v for k, v in before.items() if k != mine.id}
    assert after[added] == (entry.id, idle.id)


def test_a_repair_among_balanced_jurors_takes_one_of_the_least_loaded(app):
    contest, entries, jurors = _population(12, n_entries=60, n_jurors=12)
    _plan(contest, make_user(Role.ORGANIZER))
    before = _rows()
    loads = Counter(j for _e, j in before.values())

    def eligible(entry):
        info, holding = queries.entry_info(entry), {j for e, j in before.values() if e == entry.id}
        return {j.id: loads[j.id] for j in queries.juror_infos(contest)
                if j.id not in holding and ineligible_reason(info, j, False) is None}

    # The first pair whose entry has eligible jurors of different loads: the choice matters.
    mine, entry = next((a, e) for a in db.session.scalars(select(Assignment).order_by(Assignment.id))
                       for e in entries if e.id == a.entry_id and len(set(eligible(e).values())) > 1)
    choices = eligible(entry)
    services.declare_conflict(assignment=mine, actor=next(j for j in jurors if j.id == mine.juror_id),
                              reason="my pupil")
    db.session.commit()
    after = _rows()
    [added] = after.keys() - before.keys()
    assert {k: v for k, v in after.items() if k != added} == {k: v for k, v in before.items() if k != mine.id}
    assert after[added][0] == entry.id and choices[after[added][1]] == min(choices.values())


def test_a_repair_short_of_free_jurors_takes_what_is_free_and_moves_nothing_else(app):
    contest = make_contest(n_categories=1, k=3)
    first, second = make_entry(contest), make_entry(contest)
    a, b, free, busy = (make_juror(contest=contest, capacity=1, school=f"Jury {i}") for i in range(4))
    make_assignment(first, a)
    make_assignment(first, b)
    make_assignment(second, busy)
    make_juror(contest=contest, capacity=-1, school="Jury 5")  # a plan would raise (see above)
    before = _rows()
    mine = db.session.scalar(select(Assignment).where(Assignment.juror_id == a.id))
    services.declare_conflict(assignment=mine, actor=a, reason="my pupil")
    db.session.commit()
    after = _rows()
    kept = [v for k, v in before.items() if k != mine.id]
    assert sorted(after.values()) == sorted([*kept, (first.id, free.id)])
    assert [e.new["jurors"] for e in _events("assignment.reassign")] == [[free.id]]


def test_declared_conflict_on_a_submitted_review_keeps_it_but_hides_it(app):
    contest, juror, a = _setup_review()
    services.submit_review(
        assignment=a,
        contest=contest,
        actor=juror,
        data=_review(contest, c0=1, c1=1),
        criteria=contest.criteria,
    )
    services.declare_conflict(assignment=a, actor=juror, reason="recognised the author")
    db.session.commit()
    assert db.session.get(Assignment, a.id).status == ReviewStatus.SUBMITTED
    assert permissions.visible_assignment(juror, a.id) is None


# --- reminders --------------------------------------------------------------------------------


def _judging_contest_with_lagging_juror():
    contest = make_contest(phase="judging", judging_ends_at=utcnow() + timedelta(days=2))
    slow, quick = make_juror(contest=contest), make_juror(contest=contest)
    for i in range(4):
        entry = make_entry(contest)
        make_assignment(entry, slow, status="submitted" if i == 0 else "new")
        make_assignment(entry, quick, status="submitted")
    week_ago = utcnow() - timedelta(days=6)
    db.session.execute(Assignment.__table__.update().values(created_at=week_ago))
    db.session.commit()
    return contest, slow


def test_reminders_go_to_jurors_behind_once_per_day(app):
    contest, slow = _judging_contest_with_lagging_juror()
    first = services.queue_reminders(contest=contest)
    db.session.commit()
    again = services.queue_reminders(contest=contest)
    db.session.commit()
    assert ([r.juror_id for r in first], again) == ([slow.id], [])
    [reminder] = db.session.scalars(select(JurorReminder)).all()
    assert reminder.extra == {"done": 1, "assigned": 4, "days_left": 1}
    send_juror_reminder(reminder_id=reminder.id)
    send_juror_reminder(reminder_id=reminder.id)
    db.session.commit()
    [mail] = db.session.scalars(select(OutgoingEmail)).all()
    assert mail.to == slow.email
    assert mail.subject == "Reminder: essays waiting for your review in \"Zero tolerance\""
    assert (
        'You have reviewed 1 of the 4 essays assigned to you in the contest "Zero tolerance".\n'
        "Days left for judging: 1."
    ) in mail.body


def test_remind_jurors_command_queues_reminders(app, runner):
    _contest, slow = _judging_contest_with_lagging_juror()
    result = runner.invoke(args=["remind-jurors"])
    assert result.output == "1 reminder(s) queued.\n"
    assert [r.juror_id for r in db.session.scalars(select(JurorReminder))] == [slow.id]
    assert runner.invoke(args=["remind-jurors"]).output == "0 reminder(s) queued.\n"
