"""Individual extensions: one student or one school gets a later deadline with a reason; every
submission check honours it through one function; nothing changes for anyone else."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.db import utcnow
from contest.enums import Role
from contest.errors import InvalidInput, NotAllowed
from contest.extensions import db
from contest.submissions.deadlines import effective_deadline, grant_extension, latest
from contest.submissions.models import Entry
from contest.submissions.services import Upload, replace_entry, submit_entry, withdraw_entry
from tests import factories
from tests.mail.helpers import deliver_all, outbox, text_of

pytestmark = pytest.mark.postgres
TEXT = "An essay about the law and the citizen. " * 10


def _submit(contest, student, key="k1"):
    return submit_entry(student=student, contest=contest, topic_id=contest.topics[0].id,
                        category_id=contest.categories[0].id, upload=Upload(text=TEXT), submit_key=key)


@pytest.fixture
def closed(app):
    """An open contest whose deadline passed an hour ago (the clock is the stored closing time)."""
    now = utcnow()
    return factories.make_contest(formats=["text"], opens_at=now - timedelta(days=5),
                                  closes_at=now - timedelta(hours=1))


@pytest.fixture
def organizer(app):
    return factories.make_user(Role.ORGANIZER)


def test_latest_only_moves_the_deadline_later():
    base = utcnow()
    assert latest(None, [base]) is None
    assert latest(base, []) == base
    assert latest(base, [base - timedelta(days=1), base + timedelta(days=2)]) == base + timedelta(days=2)


def test_one_student_extension_opens_every_check_for_that_student_only(closed, organizer):
    ill = factories.make_user(Role.STUDENT, school="School 7")
    other = factories.make_user(Role.STUDENT, school="School 7")
    until = utcnow() + timedelta(days=2)
    grant_extension(contest=closed, actor=organizer, student=ill, until=until, reason="Was ill (certificate)")
    assert effective_deadline(closed, ill) == until
    assert effective_deadline(closed, other) == closed.closes_at
    version = _submit(closed, ill)
    entry = db.session.get(Entry, version.entry_id)
    replace_entry(student=ill, entry=entry, upload=Upload(text=TEXT + " more"), submit_key="k2")
    withdraw_entry(student=ill, entry=entry)
    with pytest.raises(NotAllowed):
        _submit(closed, other, key="k3")


def test_school_extension_applies_to_its_students_as_typed(closed, organizer):
    pupil = factories.make_user(Role.STUDENT, school="  №12 мектеп-лицей ")
    elsewhere = factories.make_user(Role.STUDENT, school="№14 мектеп")
    grant_extension(contest=closed, actor=organizer, school="№12 МЕКТЕП-ЛИЦЕЙ",
                    until=utcnow() + timedelta(days=1), reason="Power cut at the school")
    _submit(closed, pupil)
    with pytest.raises(NotAllowed):
        _submit(closed, elsewhere, key="k2")


def test_an_expired_extension_closes_again(closed, organizer):
    student = factories.make_user(Role.STUDENT)
    grant_extension(contest=closed, actor=organizer, student=student,
                    until=closed.closes_at + timedelta(minutes=30), reason="Late by half an hour")
    with pytest.raises(NotAllowed):
        _submit(closed, student)


def test_extension_needs_a_reason_a_later_time_and_one_target(closed, organizer):
    student = factories.make_user(Role.STUDENT)
    later = utcnow() + timedelta(days=1)
    with pytest.raises(InvalidInput):
        grant_extension(contest=closed, actor=organizer, student=student, until=later, reason="  ")
    with pytest.raises(InvalidInput):
        grant_extension(contest=closed, actor=organizer, student=student, until=closed.closes_at, reason="x")
    with pytest.raises(InvalidInput):
        grant_extension(contest=closed, actor=organizer, student=student, school="S", until=later, reason="x")
    with pytest.raises(InvalidInput):
        grant_extension(contest=closed, actor=organizer, student=organizer, until=later, reason="x")


def test_a_second_grant_replaces_the_first_and_both_are_audited(closed, organizer):
    student = factories.make_user(Role.STUDENT)
    first, second = utcnow() + timedelta(days=1), utcnow() + timedelta(days=3)
    grant_extension(contest=closed, actor=organizer, student=student, until=first, reason="Ill")
    grant_extension(contest=closed, actor=organizer, student=student, until=second, reason="Still ill")
    assert effective_deadline(closed, student) == second
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "deadline.extended")
                                .order_by(AuditEvent.id)).all()
    assert [e.reason for e in events] == ["Ill", "Still ill"]
    assert events[1].old == {"until": first.isoformat(), "reason": "Ill"}
    assert events[1].new["until"] == second.isoformat() and events[1].actor_id == organizer.id


def test_organizer_page_grants_and_the_student_sees_their_deadline_and_countdown(app, client, auth, closed,
                                                                                  organizer):
    student = factories.make_user(Role.STUDENT, email="ill@example.kz", language="ru",
                                  full_name="Болат Ахметов")
    other = factories.make_user(Role.STUDENT)
    auth.login(organizer)
    response = client.post(f"/contests/{closed.id}/extensions", data={
        "email": "ill@example.kz", "until": (utcnow() + timedelta(days=2)).astimezone(
            __import__("zoneinfo").ZoneInfo("Asia/Almaty")).strftime("%Y-%m-%dT%H:%M"),
        "reason": "Болел, есть справка"})
    assert response.status_code == 302
    page = client.get(f"/contests/{closed.id}/extensions").get_data(as_text=True)
    assert "Болат Ахметов" in page and "Болел, есть справка" in page
    deliver_all()
    [message] = outbox(app)
    assert message["To"] == "ill@example.kz"
    assert message["Subject"] == "Ваш срок сдачи в конкурсе «Нулевая терпимость» продлён"
    assert "(Алматы)" in text_of(message)
    auth.logout()
    auth.login(student)
    for url in ("/dashboard", f"/contests/{closed.id}/submit", "/submit"):
        page = client.get(url).get_data(as_text=True)
        assert "продлено для вас" in page, url
        assert "data-countdown" in page or url == "/submit", url
    auth.logout()
    auth.login(other)
    assert "Нулевая терпимость" not in client.get("/submit").get_data(as_text=True)
    assert client.get(f"/contests/{closed.id}/extensions").status_code == 403


def test_unknown_student_email_changes_nothing(client, auth, closed, organizer):
    auth.login(organizer)
    response = client.post(f"/contests/{closed.id}/extensions", data={
        "email": "nobody@example.kz", "until": "2030-01-01T10:00", "reason": "x"})
    assert response.status_code == 200 and "No student has this e-mail." in response.get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "deadline.extended")) is None


def test_moving_to_judging_warns_while_an_extension_runs(closed, organizer):
    from contest.contests.models import Phase
    from contest.contests.phases import guards

    assert guards(closed, Phase.JUDGING).soft == []
    grant_extension(contest=closed, actor=organizer, student=factories.make_user(Role.STUDENT),
                    until=utcnow() + timedelta(days=1), reason="Ill")
    [warning] = guards(closed, Phase.JUDGING).soft
    assert "1 deadline extension(s) have not run out yet" in str(warning)
    assert guards(closed, Phase.JUDGING, now=utcnow() + timedelta(days=2)).soft == []
