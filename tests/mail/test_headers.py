"""E-mails people trust: subjects that decode exactly in kk/ru/en, From = MAIL_DEFAULT_SENDER with
the institution as display name, the contest and the institution named, times in the contest's
zone and the reader's language. Every check parses the sent bytes with Python's `email`."""
from __future__ import annotations

import secrets
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.headerregistry import Address

import pytest

from contest.enums import Role
from contest.extensions import db
from contest.mail.compose import build_message, sender_address
from contest.mail.services import format_when, send_email
from contest.submissions.services import Upload, submit_entry
from tests import factories
from tests.mail.helpers import deliver_all, outbox, text_of

pytestmark = pytest.mark.postgres

SUBJECTS = [
    # The receipt subject that arrived as "вашеэссе" (the fold fell between two encoded words).
    "Квитанция ZZZ-2026-0042: ваше эссе получено",
    "Квитанция ZTX-2026-0042: ваше эссе получено",
    "Напоминание от Нулевая ждут оценки получено конкурса",
    "Сообщение эссе Нулевая оценки Напоминание Квитанция",
    "Түбіртек ZT-2026-0042: эссеңіз қабылданды — «Құқық бұзушылыққа төзбеушілік» байқауы",
    "Receipt ZT-2026-0042: your essay was received in the contest \"Zero tolerance to offenses\" 2026",
    "Еске салу: «Құқық бұзушылыққа төзбеушілік» байқауында бағалауды күтіп тұрған эсселер бар",
    "Mixed: Zero tolerance / Нулевая терпимость / Құқық бұзушылыққа төзбеушілік",
]


@pytest.mark.parametrize("subject", SUBJECTS)
def test_subject_decodes_to_exactly_what_was_written(subject):
    raw = build_message(sender="contest@localhost", to="a@example.kz", subject=subject, body="Сәлем",
                        when=datetime(2026, 11, 29, tzinfo=UTC))
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == subject
    assert parsed.get_content().strip() == "Сәлем"
    assert max(len(line) for line in raw.split(b"\n")) <= 998


def test_sender_takes_the_display_name_and_keeps_the_configured_address():
    assert sender_address("contest@localhost", "") == "contest@localhost"
    parsed = message_from_bytes(build_message(
        sender=sender_address("Old name <noreply@institute.kz>", "Алматы қаласы Білім басқармасы"),
        to="a@example.kz", subject="Hi", body="x", when=datetime(2026, 1, 1, tzinfo=UTC)),
        policy=policy.default)
    [address] = parsed["From"].addresses
    assert address == Address("Алматы қаласы Білім басқармасы", addr_spec="noreply@institute.kz")


def test_header_values_with_line_breaks_are_refused():
    with pytest.raises(ValueError):
        build_message(sender="contest@localhost", to="a@example.kz", subject="Hi\r\nBcc: x@evil.example",
                      body="x", when=datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture
def app_config():
    return {"MAIL_DEFAULT_SENDER": "noreply@institute.kz"}


@pytest.mark.parametrize("lang, expected", [
    ("kk", "1 желтоқсан 2026, 15:30 (Ақтөбе)"),
    ("ru", "1 декабря 2026, 15:30 (Актобе)"),
    ("en", "1 December 2026, 15:30 (Aqtobe)"),
])
def test_times_are_in_the_contests_zone_and_the_readers_language(app, lang, expected):
    assert format_when(datetime(2026, 12, 1, 10, 30, tzinfo=UTC), "Asia/Aqtobe", lang) == expected


@pytest.mark.parametrize("lang, subject, institution", [
    ("ru", "Квитанция ZZZ-2026-0001: ваше эссе получено", "Управление образования города Алматы"),
    ("kk", "Түбіртек ZZZ-2026-0001: эссеңіз қабылданды", "Алматы қаласы Білім басқармасы"),
    ("en", "Receipt ZZZ-2026-0001: your essay was received", "Almaty City Department of Education"),
])
def test_receipt_names_contest_and_institution_in_the_students_language(app, lang, subject, institution):
    contest = factories.make_contest(code_prefix="ZZZ", formats=["text"], timezone="Asia/Aqtobe", issuer={
        "kk": "Алматы қаласы Білім басқармасы", "ru": "Управление образования города Алматы",
        "en": "Almaty City Department of Education"})
    student = factories.make_user(Role.STUDENT, language=lang, email="pupil@example.kz")
    version = submit_entry(student=student, contest=contest, topic_id=contest.topics[0].id,
                           category_id=contest.categories[0].id, upload=Upload(text="Essay text " * 30),
                           submit_key=secrets.token_urlsafe(8))
    db.session.commit()
    deliver_all()
    [message] = outbox(app)
    assert message["Subject"] == subject
    assert message["To"] == "pupil@example.kz"
    [sender] = message["From"].addresses
    assert sender == Address(institution, addr_spec="noreply@institute.kz")
    body = text_of(message)
    assert body.rstrip().endswith(f"--\n{contest.title_in(lang)}\n{institution}")
    assert format_when(version.uploaded_at, "Asia/Aqtobe", lang) in body
    assert "UTC" not in body


def test_email_without_a_contest_is_signed_by_the_configured_institution(app):
    app.config["INSTITUTION_NAME"] = {"ru": "Институт права", "kk": "Құқық институты"}
    send_email(to="a@example.kz", subject="Сброс пароля", body="Ссылка", language="ru")
    db.session.commit()
    deliver_all()
    [message] = outbox(app)
    assert message["From"].addresses[0] == Address("Институт права", addr_spec="noreply@institute.kz")
    assert text_of(message).rstrip().endswith("--\nИнститут права")
