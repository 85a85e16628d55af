"""Scheduled reminders before the judging deadline: the due slot, once per juror and day,
jurors with unfinished reviews only, never after judging has closed. The clock is passed in."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.contests.models import Phase
from contest.enums import Role
from contest.extensions import db
from contest.judging.models import JurorReminder
from contest.judging.reminders import due_slot, queue_due_reminders, reconcile_reminders
from contest.judging.tasks import send_juror_reminder
from contest.mail.models import OutgoingEmail
from tests import factories
from tests.mail.helpers import deliver_all, outbox, text_of

pytestmark = pytest.mark.postgres
ENDS = datetime(2026, 12, 10, 13, 0, tzinfo=UTC)  # 18:00 in Almaty


@pytest.mark.parametrize("before, slot", [
    (timedelta(days=5), None), (timedelta(days=3, seconds=1), None), (timedelta(days=3), 3),
    (timedelta(days=2), 3), (timedelta(days=1, seconds=1), 3), (timedelta(days=1), 1),
    (timedelta(hours=1), 1), (timedelta(0), None), (-timedelta(days=1), None),
])
def test_due_slot_windows(before, slot):
    assert due_slot(ENDS, [3, 1], ENDS - before) == slot


def test_due_slot_without_deadline_or_days():
    assert due_slot(None, [3, 1], ENDS) is None
    assert due_slot(ENDS, [], ENDS - timedelta(hours=1)) is None


@pytest.fixture
def judging(app):
    contest = factories.make_contest(phase="judging", judging_ends_at=ENDS, reminder_days=[3, 1])
    slow = factories.make_juror(contest=contest, language="ru", full_name="Медленный Юрист")
    done = factories.make_juror(contest=contest)
    entries = [factories.make_entry(contest) for _ in range(2)]
    factories.make_review(contest, entries[0], slow, [5, 3])
    factories.make_review(contest, entries[1], slow, [5, 3], status="draft")
    factories.make_review(contest, entries[0], done, [5, 3])
    return contest, slow, done


def test_reminders_follow_the_slots_once_per_juror_and_day(judging):
    contest, slow, done = judging
    assert queue_due_reminders(contest=contest, now=ENDS - timedelta(days=4)) == []
    [first] = queue_due_reminders(contest=contest, now=ENDS - timedelta(days=3))
    assert (first.juror_id, first.day, first.extra["slot"]) == (slow.id, "2026-12-07", 3)
    for later in (timedelta(days=3) - timedelta(minutes=1), timedelta(days=2), timedelta(days=1, hours=1)):
        assert queue_due_reminders(contest=contest, now=ENDS - later) == []  # same slot: nothing new
    [second] = queue_due_reminders(contest=contest, now=ENDS - timedelta(hours=20))
    assert (second.juror_id, second.day) == (slow.id, "2026-12-09")
    assert queue_due_reminders(contest=contest, now=ENDS - timedelta(hours=2)) == []
    assert queue_due_reminders(contest=contest, now=ENDS + timedelta(minutes=1)) == []
    db.session.commit()
    assert db.session.scalars(select(JurorReminder.juror_id)).all() == [slow.id, slow.id]


def test_no_reminders_once_judging_is_closed(judging):
    contest, _slow, _done = judging
    contest.phase = Phase.PUBLISHED
    assert queue_due_reminders(contest=contest, now=ENDS - timedelta(hours=5)) == []


def test_a_queued_reminder_is_dropped_when_its_job_runs_after_judging_closed(judging):
    contest, _slow, _done = judging
    contest.judging_ends_at = datetime.now(UTC) + timedelta(hours=5)
    [reminder] = queue_due_reminders(contest=contest)
    contest.phase = Phase.PUBLISHED
    db.session.commit()
    send_juror_reminder(reminder_id=reminder.id)
    assert db.session.scalar(select(OutgoingEmail)) is None


def test_the_reminder_email_names_the_deadline_in_the_contests_zone_and_language(app, judging):
    contest, slow, _done = judging
    contest.judging_ends_at = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=5)
    [reminder] = queue_due_reminders(contest=contest)
    db.session.commit()
    send_juror_reminder(reminder_id=reminder.id)
    send_juror_reminder(reminder_id=reminder.id)  # a retried job: still one e-mail
    db.session.commit()
    deliver_all()
    [message] = outbox(app)
    assert message["To"] == slow.email
    assert message["Subject"] == "Напоминание: эссе ждут вашей оценки в конкурсе «Нулевая терпимость»"
    from contest.mail.services import format_when

    body = text_of(message)
    assert format_when(contest.judging_ends_at, "Asia/Almaty", "ru") in body
    assert "Нулевая терпимость" in body


def test_the_workers_reconciler_round_queues_due_reminders(judging):
    contest, slow, _done = judging
    contest.judging_ends_at = datetime.now(UTC) + timedelta(days=2)
    db.session.commit()
    assert reconcile_reminders() == 1
    assert reconcile_reminders() == 0
    db.session.commit()
    assert db.session.scalars(select(JurorReminder.juror_id)).all() == [slow.id]


def test_editor_sets_judging_deadline_and_reminder_days(app, client, auth):
    organizer = factories.make_user(Role.ORGANIZER)
    contest = factories.make_setup_contest("draft", timezone="Asia/Almaty")
    auth.login(organizer)
    page = client.get(f"/contests/{contest.id}/edit").get_data(as_text=True)
    assert 'name="judging_ends_at"' in page and 'value="3, 1"' in page
    form = {"code_prefix": "ZT", "year": "2026", "timezone": "Asia/Almaty", "title_kk": "Байқау",
            "opens_at": "2026-11-01T09:00", "closes_at": "2026-12-01T18:00",
            "judging_ends_at": "2026-12-20T18:00",
            "reminder_days": "5, 2", "formats": ["pdf"], "languages": ["kk"], "max_file_mb": "10",
            "max_pages": "30", "min_words": "0", "max_words": "0", "soft_margin_pct": "0",
            "entries_per_student": "1", "reviews_per_entry": "3", "blind": "y"}
    assert client.post(f"/contests/{contest.id}/edit", data=form).status_code == 302
    db.session.refresh(contest)
    assert contest.judging_ends_at == datetime(2026, 12, 20, 13, 0, tzinfo=UTC)
    assert contest.reminder_days == [5, 2]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contest.judging_deadline"))
    assert event.new == {"judging_ends_at": "2026-12-20T13:00:00+00:00"} and event.actor_id == organizer.id
    bad = client.post(f"/contests/{contest.id}/edit", data={**form, "judging_ends_at": "2026-11-20T18:00",
                                                            "reminder_days": "3, x"})
    assert bad.status_code == 200
    db.session.refresh(contest)
    assert contest.judging_ends_at == datetime(2026, 12, 20, 13, 0, tzinfo=UTC)


def test_reminder_button_explains_a_missing_judging_deadline(app, client, auth):
    contest = factories.make_contest(phase="judging")
    auth.login(factories.make_user(Role.ORGANIZER))
    response = client.post(f"/judging/contests/{contest.id}/remind", follow_redirects=True)
    assert "Set the judging deadline in the contest settings first" in response.get_data(as_text=True)


def test_progress_page_names_the_deadline_in_the_contests_zone_and_the_reminder_days(app, client, auth):
    contest = factories.make_contest(phase="judging", judging_ends_at=ENDS, timezone="Asia/Aqtobe",
                                     reminder_days=[5, 2])
    auth.login(factories.make_user(Role.ORGANIZER))
    page = client.get(f"/judging/contests/{contest.id}/progress").get_data(as_text=True)
    assert "Judging ends 10 December 2026, 18:00 (Aqtobe)" in page and "5, 2 days before" in page
