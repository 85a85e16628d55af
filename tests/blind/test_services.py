"""Blind setting consequences: re-run on turning it on, assignment waits, reasons, audit."""
import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.blind import queries, services
from contest.blind.models import EntryRedaction
from contest.contests.services import ContestSettings, FieldErrors, to_local, update_contest
from contest.enums import Role
from contest.errors import InvalidInput
from contest.extensions import db
from contest.jobs.models import Job
from contest.jobs.services import run_job
from contest.judging import assign_services
from contest.submissions.models import EntryVersion
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres
ESSAY = "Менің атым Ержан Омаров, №25 мектеп-гимназиясында оқимын. Заң бәріне ортақ.\n\nТел. +7 701 234 56 78"


def _settings(contest, **changes) -> ContestSettings:
    values = {name: getattr(contest, name) for name in (
        "code_prefix", "year", "timezone", "formats", "max_file_mb", "max_pages", "min_words", "max_words",
        "soft_margin_pct", "languages", "entries_per_student", "reviews_per_entry", "blind",
        "jurors_may_open_files", "same_region_conflict", "show_rubric", "share_feedback")}
    values.update(changes)
    return ContestSettings(title=contest.title, opens_local=to_local(contest.opens_at, contest.timezone),
                           closes_local=to_local(contest.closes_at, contest.timezone), **values)


def _save(contest, organizer, **changes):
    update_contest(contest=contest, settings=_settings(contest, **changes), actor=organizer)
    db.session.commit()


def _run_all_jobs() -> int:
    ids = [j.id for j in db.session.scalars(select(Job).where(Job.name.contains("redact_entry_job")))]
    for job_id in ids:
        run_job(job_id)
    db.session.expire_all()
    return len(ids)


def _blind_events():
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "contest.blind")))


def _entry(contest):
    student = make_user(Role.STUDENT, full_name="Омаров Ержан", school="№25 мектеп-гимназия")
    return make_entry(contest, student, text=ESSAY, language="kk")


def test_turning_blind_on_after_entries_arrived_redacts_them(app):
    organizer = make_user(Role.ORGANIZER)
    contest = make_contest(blind=False, jurors_may_open_files=True)
    entries = [_entry(contest) for _ in range(3)]
    _save(contest, organizer, blind=True)
    assert queries.redaction_progress(contest.id) == queries.Progress(0, 3)
    assert all(db.session.get(EntryVersion, e.current_version_id).juror_text is None for e in entries)
    with pytest.raises(InvalidInput):
        assign_services.save_plan(contest=contest, actor=organizer, fingerprint="x")
    assert _run_all_jobs() == 3
    assert queries.redaction_progress(contest.id) == queries.Progress(3, 3)
    version = db.session.get(EntryVersion, entries[0].current_version_id)
    assert version.juror_text == "Менің атым […], […] оқимын. Заң бәріне ортақ.\n\nТел. […]"
    assert [e.new for e in _blind_events()] == [{"blind": True}]


def test_a_second_run_of_the_same_job_changes_nothing(app):
    organizer = make_user(Role.ORGANIZER)
    contest = make_contest(blind=False)
    entry = _entry(contest)
    _save(contest, organizer, blind=True)
    _run_all_jobs()
    before = db.session.get(EntryRedaction, entry.id).spans
    assert _run_all_jobs() == 1  # the job is done: running it again is skipped
    assert services.redact_entry(entry_id=entry.id, generation=0) is False  # an older generation
    assert db.session.get(EntryRedaction, entry.id).spans == before


def test_turning_blind_off_once_judging_started_needs_a_reason(app, client, auth):
    organizer = make_user(Role.ORGANIZER)
    contest = make_contest(phase="judging", blind=True)
    entry = _entry(contest)
    juror = make_juror(contest=contest)
    make_assignment(entry, juror)
    with pytest.raises(FieldErrors) as refused:
        update_contest(contest=contest, settings=_settings(contest, blind=False), actor=organizer)
    db.session.rollback()
    assert "blind_reason" in refused.value.errors
    auth.login(juror)
    assert "Омаров" not in client.get("/judging/").get_data(as_text=True)
    _save(contest, organizer, blind=False, blind_reason="The jury asked for open judging")
    _save(contest, organizer, blind=True)
    assert [(e.old, e.new, e.reason) for e in _blind_events()] == [
        ({"blind": True}, {"blind": False}, "The jury asked for open judging"),
        ({"blind": False}, {"blind": True}, "")]


def test_turning_blind_off_before_judging_needs_no_reason_but_is_logged(app):
    organizer = make_user(Role.ORGANIZER)
    contest = make_contest(blind=True)
    _save(contest, organizer, blind=False)
    assert [e.new for e in _blind_events()] == [{"blind": False}]


def test_an_added_term_and_a_restored_span_re_run_the_entry(app):
    organizer = make_user(Role.ORGANIZER)
    contest = make_contest(blind=False)
    entry = _entry(contest)
    _save(contest, organizer, blind=True)
    _run_all_jobs()
    services.add_term(contest=contest, term="бәріне", actor=organizer, entry=entry)
    db.session.commit()
    _run_all_jobs()
    version = db.session.get(EntryVersion, entry.current_version_id)
    assert "бәріне" not in version.juror_text
    record = db.session.get(EntryRedaction, entry.id)
    school = next(s for s in record.spans if s[2] == "school")
    services.restore_span(entry=entry, start=school[0], end=school[1], actor=organizer)
    db.session.commit()
    _run_all_jobs()
    assert "№25 мектеп-гимназиясында" in db.session.get(EntryVersion, entry.current_version_id).juror_text


def test_doubtful_redactions_are_listed(app):
    organizer = make_user(Role.ORGANIZER)
    contest = make_contest(blind=False)
    student = make_user(Role.STUDENT, full_name="Иван Петров")
    doubtful = make_entry(contest, student, text="My name is John, and the law matters. " * 5)
    _entry(contest)
    _save(contest, organizer, blind=True)
    _run_all_jobs()
    assert [(e.id, d) for e, d in queries.list_doubtful(contest.id)] == [(doubtful.id, ["intro_no_match"])]
