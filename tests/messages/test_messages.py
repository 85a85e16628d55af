"""Organizer messages: audiences, preview, per-recipient language with fallback, batches with
per-recipient outcome, nobody twice, dashboard, audit, and blind contests stay blind."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from contest.audit.models import AuditEvent
from contest.contests.models import Phase
from contest.enums import Role
from contest.errors import InvalidInput
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from contest.messages import audiences
from contest.messages.models import Audience, Message, MessageRecipient, MessageStatus, RecipientStatus
from contest.messages.services import Draft, create_message, run_delivery
from contest.submissions.models import Entry
from tests import factories
from tests.mail.helpers import deliver_all, outbox, text_of

pytestmark = pytest.mark.postgres

TEXTS = {"subject": {"kk": "Маңызды хабарлама", "en": "Important message"},
         "body": {"kk": "Эссе жүктеу мерзімі ұзартылды.", "en": "The deadline was extended."}}


@pytest.fixture
def world(app):
    contest = factories.make_contest(blind=True)
    cat1, cat2 = contest.categories
    kk = factories.make_user(Role.STUDENT, language="kk", full_name="Айгерім Сапарова")
    ru = factories.make_user(Role.STUDENT, language="ru", full_name="Иван Петров")
    en = factories.make_user(Role.STUDENT, language="en")
    idle = factories.make_user(Role.STUDENT)
    factories.make_user(Role.STUDENT, active=False)  # unconfirmed: never written to
    e_kk = factories.make_entry(contest, kk, category=cat1)
    factories.make_entry(contest, ru, category=cat2, status="needs_attention")
    factories.make_entry(contest, en, category=cat2, status="withdrawn")
    busy = factories.make_juror(contest=contest, language="ru")
    free = factories.make_juror(contest=contest)
    factories.make_review(contest, e_kk, busy, [1, 1], status="draft")
    factories.make_review(contest, e_kk, free, [1, 1])
    return {"contest": contest, "cat2": cat2, "kk": kk, "ru": ru, "en": en, "idle": idle,
            "busy": busy, "free": free, "organizer": factories.make_user(Role.ORGANIZER)}


def _ids(world, audience, category_id=None):
    return set(db.session.scalars(audiences.audience_ids(world["contest"], audience, category_id)))


def test_each_audience_lists_the_right_people(world):
    w = world
    assert _ids(w, Audience.STUDENTS) == {w["kk"].id, w["ru"].id}
    assert _ids(w, Audience.CATEGORY, w["cat2"].id) == {w["ru"].id}
    assert _ids(w, Audience.ATTENTION) == {w["ru"].id}
    assert _ids(w, Audience.NO_ENTRY) == {w["en"].id, w["idle"].id}
    assert _ids(w, Audience.JURORS) == {w["busy"].id, w["free"].id}
    assert _ids(w, Audience.UNFINISHED) == {w["busy"].id}
    assert _ids(w, Audience.WINNERS) == set()  # not published: nobody learns of awards
    assert audiences.count_audience(w["contest"], Audience.NO_ENTRY) == 2


def test_sending_in_batches_gives_each_their_language_once(app, world):
    app.config["MESSAGE_BATCH_SIZE"] = 1
    w = world
    message = create_message(contest=w["contest"], draft=Draft(Audience.STUDENTS, **TEXTS),
                             actor=w["organizer"])
    db.session.commit()
    run_delivery(message.id)
    run_delivery(message.id)  # a second run (a retried job) sends nothing more
    db.session.refresh(message)
    assert (message.status, message.total, message.sent, message.failed) == (MessageStatus.DONE, 2, 2, 0)
    rows = db.session.execute(select(MessageRecipient.user_id, MessageRecipient.status,
                                     MessageRecipient.language)).all()
    assert sorted(rows) == sorted([(w["kk"].id, RecipientStatus.SENT, "kk"),
                                   (w["ru"].id, RecipientStatus.SENT, "ru")])
    deliver_all()
    by_to = {m["To"]: m for m in outbox(app)}
    assert set(by_to) == {w["kk"].email, w["ru"].email}
    assert by_to[w["kk"].email]["Subject"] == "Маңызды хабарлама"
    # No Russian text: the Russian reader gets one the organizer wrote.
    assert by_to[w["ru"].email]["Subject"] == "Маңызды хабарлама"
    body = text_of(by_to[w["kk"].email])
    assert "Эссе жүктеу мерзімі ұзартылды." in body and "Құқық бұзушылыққа төзбеушілік" in body
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("message.%"))
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["message.created", "message.delivered"]


def test_the_worker_lists_only_active_accounts(app, world):
    w = world
    message = create_message(contest=w["contest"], draft=Draft(Audience.STUDENTS, **TEXTS),
                             actor=w["organizer"])
    db.session.commit()
    w["ru"].active = False  # deactivated between writing and sending
    run_delivery(message.id)
    db.session.refresh(message)
    assert message.total == 1  # the list is taken by the worker: only active accounts


def test_blind_contest_refuses_a_juror_message_that_names_an_author(world):
    w = world
    for text in ("Please read Айгерім Сапарованың essay first", "Ask Ивана Петрова", w["ru"].email):
        with pytest.raises(InvalidInput):
            create_message(contest=w["contest"], actor=w["organizer"], draft=Draft(
                Audience.UNFINISHED, subject={"ru": "Срочно"}, body={"ru": text}))
    message = create_message(contest=w["contest"], actor=w["organizer"], draft=Draft(
        Audience.UNFINISHED, subject={"ru": "Срочно"}, body={"ru": "Пожалуйста, завершите ZT-2026-0001."}))
    assert message.total == 1
    w["contest"].blind = False
    create_message(contest=w["contest"], actor=w["organizer"], draft=Draft(
        Audience.JURORS, subject={"ru": "Срочно"}, body={"ru": "Ask Ивана Петрова"}))


def test_winners_only_after_publication_and_texts_in_same_languages(world):
    w = world
    with pytest.raises(InvalidInput):
        create_message(contest=w["contest"], actor=w["organizer"], draft=Draft(Audience.WINNERS, **TEXTS))
    with pytest.raises(InvalidInput):
        create_message(contest=w["contest"], actor=w["organizer"], draft=Draft(
            Audience.STUDENTS, subject={"kk": "Тақырып"}, body={"ru": "Текст"}))
    with pytest.raises(InvalidInput):
        create_message(contest=w["contest"], actor=w["organizer"], draft=Draft(
            Audience.STUDENTS, subject={"kk": "A\nBcc: x@evil.example"}, body={"kk": "Текст"}))
    w["contest"].phase = Phase.PUBLISHED
    assert create_message(contest=w["contest"], actor=w["organizer"], draft=Draft(Audience.WINNERS, **TEXTS))


def test_preview_then_send_then_dashboard(app, client, auth, world):
    w = world
    auth.login(w["organizer"])
    form = {"audience": "jurors", "category_id": "0", "subject_kk": "Бағалау", "body_kk": "Сәлеметсіз бе!",
            "subject_ru": "Оценка", "body_ru": "Здравствуйте!", "action": "preview"}
    page = client.post(f"/contests/{w['contest'].id}/messages/new", data=form).get_data(as_text=True)
    assert 'data-recipient-count>2<' in page and w["busy"].full_name in page
    assert db.session.scalar(select(func.count(Message.id))) == 0  # a preview sends nothing
    response = client.post(f"/contests/{w['contest'].id}/messages/new", data={**form, "action": "send"})
    message = db.session.scalar(select(Message))
    assert response.headers["Location"] == f"/contests/{w['contest'].id}/messages/{message.id}"
    run_delivery(message.id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert w["busy"].email in page and 'data-message-status="done"' in page
    auth.logout()
    auth.login(w["busy"])
    assert "Здравствуйте!" in client.get("/judging/").get_data(as_text=True)
    assert "Здравствуйте!" in client.get("/dashboard").get_data(as_text=True)
    auth.logout()
    auth.login(w["kk"])
    assert "Сәлеметсіз бе!" not in client.get("/dashboard").get_data(as_text=True)
    assert client.get(f"/contests/{w['contest'].id}/messages").status_code == 403


def test_no_email_row_twice_for_one_recipient(app, world):
    w = world
    message = create_message(contest=w["contest"], draft=Draft(Audience.JURORS, **TEXTS),
                             actor=w["organizer"])
    db.session.commit()
    run_delivery(message.id)
    # Simulate a crash after the batch was committed: the row says pending again, the e-mail exists.
    db.session.execute(MessageRecipient.__table__.update().values(status="pending"))
    message.status = MessageStatus.SENDING
    db.session.commit()
    run_delivery(message.id)
    counts = db.session.execute(select(OutgoingEmail.to, func.count()).group_by(OutgoingEmail.to)).all()
    assert sorted(n for _to, n in counts) == [1, 1]


def test_winners_are_award_holders_once_published(world):
    from contest.awards.models import Award
    from contest.contests.models import AwardTier

    w = world
    contest = w["contest"]
    first = AwardTier(contest_id=contest.id, name={"en": "1st degree"}, rule="count", count=1)
    everyone = AwardTier(contest_id=contest.id, name={"en": "Participant"}, rule="participation")
    db.session.add_all([first, everyone])
    db.session.flush()
    entries = {e.student_id: e for e in db.session.scalars(select(Entry))}
    db.session.add_all([Award(contest_id=contest.id, entry_id=entries[w["kk"].id].id, tier_id=first.id),
                        Award(contest_id=contest.id, entry_id=entries[w["ru"].id].id, tier_id=everyone.id)])
    db.session.commit()
    assert _ids(w, Audience.WINNERS) == set()
    contest.phase = Phase.PUBLISHED
    assert _ids(w, Audience.WINNERS) == {w["kk"].id}


def test_the_juror_dashboard_reads_the_same_inbox_as_the_other_dashboards(app, client, auth):
    """The juror dashboard reads the inbox in its own statement: the ten newest sent messages,
    newest first, as contest.messages.queries.inbox gives the other dashboards."""
    from datetime import timedelta

    from contest.db import utcnow
    from contest.judging.queries import juror_dashboard
    from contest.messages.queries import inbox

    contest = factories.make_contest(phase="judging")
    juror = factories.make_juror(contest=contest, language="en")
    factories.make_assignment(factories.make_entry(contest), juror)
    start = utcnow()
    for i in range(13):
        message = Message(contest_id=contest.id, audience=Audience.JURORS, subject={"en": f"Subject {i:02d}"},
                          body={"en": f"Body {i}"}, status=MessageStatus.DONE)
        db.session.add(message)
        db.session.flush()
        status = RecipientStatus.FAILED if i == 12 else RecipientStatus.SENT  # never delivered: not shown
        db.session.add(MessageRecipient(message_id=message.id, user_id=juror.id, status=status,
                                        sent_at=start + timedelta(minutes=i)))
    db.session.commit()
    _groups, items = juror_dashboard(juror.id)
    assert [item.subject["en"] for item in items] == [f"Subject {i:02d}" for i in range(11, 1, -1)]
    assert items == inbox(juror.id)
    auth.login(juror)
    page = client.get("/judging/").get_data(as_text=True)
    shown = [f"Subject {i:02d}" for i in range(13) if f"Subject {i:02d}" in page]
    assert shown == [f"Subject {i:02d}" for i in range(2, 12)]
    assert page.index("Subject 11") < page.index("Subject 02")  # newest first
