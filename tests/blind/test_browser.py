"""The organizer's redaction pages and the editor's blind section in headless Chromium, in
Kazakh and Russian, on a phone (360 px) and a laptop (1366 px): nothing overflows sideways,
and the marks and restore buttons are there. Screenshots go to test-artifacts/."""
from pathlib import Path

import pytest

from contest.audit.services import record_event
from contest.blind.services import prepare_juror_copy
from contest.enums import Role
from contest.extensions import db
from tests.factories import PASSWORD, make_contest, make_entry, make_user

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TEXT = ("Омаров Ержан, 10 сынып\n\nМенің атым Ержан Омаров. Мен Алматы қаласындағы №25 "
        "мектеп-гимназиясында оқимын. Телефоным: +7 701 234 56 78, поштам erzhan07@mail.kz.\n\n"
        + "Заң – қоғамның тірегі. Әр азамат заңды құрметтеуі керек. Менің арманым – заңгер болу. " * 6)


@pytest.mark.browser
def test_redaction_pages_fit_phone_and_laptop_in_kk_and_ru(app, server):
    from playwright.sync_api import sync_playwright

    contest = make_contest(phase="judging", blind=True, jurors_may_open_files=True)
    student = make_user(Role.STUDENT, full_name="Омаров Ержан", school="№25 мектеп-гимназия")
    entry = make_entry(contest, student, text=TEXT, language="kk")
    entry.current_version.margin_text = "Айдана Сейтқали, 9 сынып\n\nТел. +7 702 555 66 77"  # a DOCX header
    prepare_juror_copy(version=entry.current_version, entry=entry, contest=contest)
    record_event(action="contest.blind", actor=student, obj=contest, contest_id=contest.id,
                 old={"blind": False}, new={"blind": True})
    record_event(action="redaction.term_added", actor=student, obj=entry, contest_id=contest.id,
                 new={"term": "Сәуле апай", "entry": entry.code})
    doubtful = make_entry(contest, text="My name is John. " + "The law matters. " * 30)
    prepare_juror_copy(version=doubtful.current_version, entry=doubtful, contest=contest)
    make_entry(contest, make_user(Role.STUDENT, full_name="Жанель Омарова", school="№12 IT лицейі",
                                  region="shymkent"), status="needs_attention", language="kk")
    organizers = {lang: make_user(Role.ORGANIZER, language=lang) for lang in ("kk", "ru")}
    db.session.commit()
    pages = {"entry": f"/organizer/redaction/entries/{entry.id}",
             "contest": f"/organizer/redaction/contests/{contest.id}",
             "settings": f"/contests/{contest.id}/edit",
             "attention": "/organizer/attention",
             "queue": f"/organizer/contests/{contest.id}/attention",
             "audit": f"/contests/{contest.id}/desk/audit"}
    ARTIFACTS.mkdir(exist_ok=True)
    overflow = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for lang in ("kk", "ru"):
            organizer = organizers[lang]
            for width in (360, 1366):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(f"{server}/account/login")
                page.fill("input[name=email]", organizer.email)
                page.fill("input[name=password]", PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_load_state()
                for name, path in pages.items():
                    page.goto(server + path)
                    page.screenshot(path=str(ARTIFACTS / f"blind-{name}-{lang}-{width}.png"), full_page=True)
                    if page.evaluate("document.scrollingElement.scrollWidth") > width + 1:
                        overflow.append(f"{name} {lang} {width}")
                page.goto(server + pages["entry"])
                assert page.locator("mark.removed").count() >= 5
                assert page.locator("button.restore").count() == page.locator("mark.removed").count()
                assert "Айдана Сейтқали" in page.content()  # the header, for the organizer only
                page.close()
        browser.close()
    assert overflow == []
