"""One message from writing to the recipient, in headless Chromium against a real server and a
real worker.py: the organizer writes in kk and ru, previews the recipients, sends; the worker
delivers; the student finds it on the dashboard and in the outbox. Then the new pages are
photographed at 360 and 1366 px in kk and ru (test-artifacts/outreach-*.png)."""
from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import select, update

from contest.accounts.models import User
from contest.contests.juror_import_services import preview_import
from contest.db import utcnow
from contest.enums import Role
from contest.extensions import db
from contest.messages.models import Audience, Message, MessageStatus
from contest.submissions.deadlines import grant_extension
from tests import factories
from tests.conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.worker]


def _login(page, server, user):
    page.goto(f"{server}/account/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")


def _world():
    now = utcnow()
    contest = factories.make_contest(
        title={"kk": "«Құқық бұзушылыққа төзбеушілік» эссе байқауы",
               "ru": "Конкурс эссе «Нулевая терпимость»"},
        issuer={"kk": "Алматы қаласы Білім басқармасы", "ru": "Управление образования города Алматы"},
        closes_at=now - timedelta(hours=2), judging_ends_at=now + timedelta(days=20))
    contest.categories[0].name = {"kk": "9–11 сыныптар", "ru": "9–11 классы"}
    organizer = factories.make_user(Role.ORGANIZER, language="kk", full_name="Айгүл Серікқызы")
    student = factories.make_user(Role.STUDENT, language="ru", full_name="Болат Ахметов",
                                  email="bolat@example.kz")
    factories.make_entry(contest, student)
    juror = factories.make_juror(contest=contest, language="kk", full_name="Ержан Қасымов")
    grant_extension(contest=contest, actor=organizer, student=student, until=now + timedelta(days=2, hours=3),
                    reason="Ауырып қалды, анықтама бар")
    db.session.commit()
    return contest, organizer, student, juror


_WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >
  document.documentElement.clientWidth + 1 && !e.closest('.table-scroll')).slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _shot(page, name: str, lang: str, width: int) -> None:
    page.screenshot(path=str(ARTIFACTS / f"outreach-{name}-{lang}-{width}.png"), full_page=True)


def test_message_from_writing_to_dashboard_and_outbox(app, server, worker):
    from playwright.sync_api import expect, sync_playwright

    contest, organizer, student, juror = _world()
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        _login(page, server, organizer)
        page.goto(f"{server}/contests/{contest.id}/messages/new")
        page.select_option("select[name=audience]", "students")
        page.fill("input[name=subject_kk]", "Жұмыстарды қабылдау мерзімі")
        page.fill("textarea[name=body_kk]", "Құрметті қатысушылар! Нәтижелер 20 желтоқсанда жарияланады.")
        page.fill("input[name=subject_ru]", "Сроки конкурса")
        page.fill("textarea[name=body_ru]", "Уважаемые участники! Итоги будут объявлены 20 декабря.")
        page.click("button[value=preview]")
        expect(page.locator("[data-recipient-count]")).to_have_text("1")
        expect(page.locator(".recipients-sample")).to_contain_text("Болат Ахметов")
        page.click("button[value=send]")
        expect(page.locator("[data-message-status]")).to_have_attribute("data-message-status", "done",
                                                                        timeout=60000)
        expect(page.locator("table")).to_contain_text("bolat@example.kz")
        page.context.clear_cookies()
        _login(page, server, student)
        page.goto(f"{server}/dashboard")
        expect(page.locator(".dashboard-messages")).to_contain_text("Итоги будут объявлены 20 декабря.")
        expect(page.locator(".dashboard-deadlines .countdown")).not_to_be_empty()
        browser.close()
    db.session.rollback()  # a fresh snapshot: the server and the worker wrote in other processes
    message = db.session.scalar(select(Message))
    assert (message.status, message.sent) == (MessageStatus.DONE, 1)
    outbox = Path(app.config["OUTBOX_FOLDER"])
    files = wait_for(lambda: list(outbox.glob("*.eml")), timeout=30)
    parsed = [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    [mail] = [m for m in parsed if m["Subject"] == "Сроки конкурса"]
    assert mail["To"] == "bolat@example.kz"
    assert mail["From"].addresses[0].display_name == "Управление образования города Алматы"
    assert "Итоги будут объявлены 20 декабря." in mail.get_content()


def test_screenshots_of_the_new_pages(app, server):
    from playwright.sync_api import sync_playwright

    contest, organizer, student, juror = _world()
    from contest.messages.services import Draft, create_message, run_delivery

    message = create_message(contest=contest, actor=organizer, draft=Draft(
        Audience.JURORS, subject={"kk": "Бағалау мерзімі", "ru": "Срок оценки"},
        body={"kk": "Құрметті қазылар! Бағалауды 20 желтоқсанға дейін аяқтаңыз.",
              "ru": "Уважаемые члены жюри! Завершите оценку до 20 декабря."}))
    db.session.commit()
    run_delivery(message.id)
    csv = ("ФИО;E-mail;Языки;Категории;Школа;Регион;Нагрузка\n"
           "Асель Нурланова;asel@example.kz;kk, ru;9–11 классы;№5 мектеп;Астана;12\n"
           "Иван Петров;ivan(at)example.kz;ru;;;;\n"
           "Дана Ержанова;dana@example.kz;французский;10–11;;;много\n").encode()
    imp = preview_import(contest=contest, filename="jury.csv", data=csv, actor=organizer)
    db.session.commit()
    pages = {"messages-new": f"/contests/{contest.id}/messages/new",
             "message-sent": f"/contests/{contest.id}/messages/{message.id}",
             "extensions": f"/contests/{contest.id}/extensions",
             "jury-import": f"/contests/{contest.id}/jury/import/{imp.id}",
             "settings-judging": f"/contests/{contest.id}/edit"}
    ARTIFACTS.mkdir(exist_ok=True)
    overflow = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for lang in ("kk", "ru"):
            db.session.rollback()  # a fresh snapshot before writing (the server wrote meanwhile)
            db.session.execute(update(User).values(language=lang))
            db.session.commit()
            for width in (1366, 360):
                page = browser.new_page(viewport={"width": width, "height": 900})
                _login(page, server, organizer)
                for name, url in pages.items():
                    page.goto(f"{server}{url}")
                    if name == "messages-new":
                        page.select_option("select[name=audience]", "unfinished")
                        page.fill("input[name=subject_kk]", "Бағалау мерзімі")
                        page.fill("textarea[name=body_kk]", "Құрметті қазылар! Бағалауды аяқтаңыз.")
                        page.fill("input[name=subject_ru]", "Срок оценки")
                        page.fill("textarea[name=body_ru]", "Уважаемые члены жюри! Завершите оценку.")
                        page.click("button[value=preview]")
                    page.wait_for_load_state()
                    if page.evaluate("document.documentElement.scrollWidth") > width + 1:
                        overflow.append((name, lang, width, page.evaluate(_WIDE)))
                    _shot(page, name, lang, width)
                for user, name, url in ((student, "student-dashboard", "/dashboard"),
                                        (juror, "juror-dashboard", "/judging/")):
                    page.context.clear_cookies()
                    _login(page, server, user)
                    page.goto(f"{server}{url}")
                    page.wait_for_timeout(300)  # the countdown's first tick
                    _shot(page, name, lang, width)
                page.close()
        browser.close()
    assert overflow == []  # nothing wider than the phone's screen (tables scroll inside their box)
    assert len(list(ARTIFACTS.glob("outreach-*.png"))) >= 28

