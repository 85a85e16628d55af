"""A juror's declared conflict refills the entry only once its blind redaction is done: an
entry whose redaction is pending (a term added, a restoration, blind turned on) never reaches
a new juror with a stale or missing redaction; the refill happens when the job finishes."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.blind import services as blind_services
from contest.blind.models import EntryRedaction, RedactionStatus
from contest.enums import Role
from contest.extensions import db
from contest.jobs.models import Job
from contest.jobs.services import run_job
from contest.judging import assign_services
from contest.judging import services as judging
from contest.judging.models import Assignment
from contest.submissions.models import EntryVersion
from tests.conftest import wait_for
from tests.factories import make_contest, make_entry, make_juror, make_user

ESSAY = "Менің атым Ержан Омаров, №25 мектеп-гимназиясында оқимын. Заң бәріне ортақ.\n\nТел. +7 701 234 56 78"


def _judged_entry():
    """A blind contest in judging (one review per entry, two jurors), one redacted entry
    assigned to one juror; returns (contest, organizer, entry, assigned juror, spare juror)."""
    organizer = make_user(Role.ORGANIZER)
    contest = make_contest(phase="judging", blind=True, k=1, n_categories=1)
    student = make_user(Role.STUDENT, full_name="Омаров Ержан", school="№25 мектеп-гимназия")
    entry = make_entry(contest, student, text=ESSAY, language="kk")
    blind_services.schedule_redaction(contest=contest)
    db.session.commit()
    _run_redaction_jobs()
    jurors = [make_juror(contest=contest) for _ in range(2)]
    preview = assign_services.preview_plan(contest=contest)
    assign_services.save_plan(contest=contest, actor=organizer, fingerprint=preview.fingerprint)
    db.session.commit()
    [assignment] = db.session.scalars(select(Assignment)).all()
    mine = next(j for j in jurors if j.id == assignment.juror_id)
    spare = next(j for j in jurors if j.id != assignment.juror_id)
    return contest, organizer, entry, assignment, mine, spare


def _run_redaction_jobs() -> int:
    ids = [j.id for j in db.session.scalars(select(Job).where(Job.name.contains("redact_entry_job"),
                                                              Job.status != "done"))]
    for job_id in ids:
        run_job(job_id)
    db.session.expire_all()
    return len(ids)


def _jurors_of(entry) -> set[int]:
    return set(db.session.scalars(select(Assignment.juror_id).where(Assignment.entry_id == entry.id)))


def _reassign_events():
    return [e.new for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assignment.reassign").order_by(AuditEvent.id))]


@pytest.mark.postgres
def test_a_conflict_during_a_pending_redaction_refills_only_when_it_is_done(app):
    contest, organizer, entry, assignment, mine, spare = _judged_entry()
    blind_services.add_term(contest=contest, term="бәріне", actor=organizer, entry=entry)  # re-run pending
    db.session.commit()
    judging.declare_conflict(assignment=assignment, actor=mine, reason="I know this student")
    db.session.commit()
    assert _jurors_of(entry) == set()  # not handed to the spare juror while names are being removed
    assert db.session.get(EntryRedaction, entry.id).status == RedactionStatus.PENDING
    assert _reassign_events() == []

    assert _run_redaction_jobs() == 1
    assert _jurors_of(entry) == {spare.id}  # refilled by the redaction job once it was done
    text = db.session.get(EntryVersion, entry.current_version_id).juror_text
    assert text is not None and "Омаров" not in text and "бәріне" not in text
    assert _reassign_events() == [{"jurors": [spare.id]}]
    assert _run_redaction_jobs() == 0 and _jurors_of(entry) == {spare.id}  # nothing twice


@pytest.mark.postgres
def test_a_conflict_after_the_redaction_is_done_refills_at_once(app):
    contest, organizer, entry, assignment, mine, spare = _judged_entry()
    judging.declare_conflict(assignment=assignment, actor=mine, reason="I know this student")
    db.session.commit()
    assert _jurors_of(entry) == {spare.id}
    assert db.session.get(EntryRedaction, entry.id).refill_pending is False


@pytest.mark.worker
@pytest.mark.postgres
def test_a_real_worker_refills_after_redacting(app, worker):
    contest, organizer, entry, assignment, mine, spare = _judged_entry()
    blind_services.rerun(entry=entry, actor=organizer)
    db.session.commit()
    judging.declare_conflict(assignment=assignment, actor=mine, reason="I know this student")
    db.session.commit()

    def refilled():
        db.session.rollback()
        return _jurors_of(entry) == {spare.id}

    wait_for(refilled, timeout=60)
    record = db.session.get(EntryRedaction, entry.id)
    version = db.session.get(EntryVersion, entry.current_version_id)
    assert record.status == RedactionStatus.DONE and record.refill_pending is False
    assert version.juror_text and "Омаров" not in version.juror_text and "[…]" in version.juror_text


@pytest.mark.postgres
def test_every_other_way_to_give_an_entry_a_juror_waits_for_its_redaction(app):
    from contest.errors import InvalidInput
    from contest.ranking import services as ranking

    contest, organizer, entry, assignment, mine, spare = _judged_entry()
    blind_services.rerun(entry=entry, actor=organizer)
    db.session.commit()
    with pytest.raises(InvalidInput, match="still being removed"):
        assign_services.add_juror(entry=entry, juror_id=spare.id, actor=organizer)
    db.session.rollback()
    with pytest.raises(InvalidInput, match="still being removed"):
        ranking.add_extra_juror(contest=contest, entry=entry, actor=organizer)  # reviews disagree
    db.session.rollback()
    assert _jurors_of(entry) == {mine.id}
    _run_redaction_jobs()
    added = ranking.add_extra_juror(contest=contest, entry=entry, actor=organizer)
    db.session.commit()
    assert added.juror_id == spare.id and _jurors_of(entry) == {mine.id, spare.id}


@pytest.mark.postgres
def test_progress_is_shown_on_the_overview_and_the_assignment_page(app, client, auth):
    organizer = make_user(Role.ORGANIZER)
    contest = make_contest(phase="open", blind=True)
    for _ in range(2):
        make_entry(contest, make_user(Role.STUDENT, full_name="Омаров Ержан"), text=ESSAY, language="kk")
    blind_services.schedule_redaction(contest=contest)
    db.session.commit()
    auth.login(organizer)
    pages = (f"/contests/{contest.id}/manage", f"/judging/contests/{contest.id}/assign")
    for path in pages:
        assert "Removing names from the essays: 0 of 2 done." in client.get(path).get_data(as_text=True), path
    _run_redaction_jobs()
    for path in pages:
        assert "Names removed from all 2 essays." in client.get(path).get_data(as_text=True), path
