"""The new pages in headless Chromium at 360 and 1366 px, in kk and ru: the organizer's
transcription screen and paper-entry form, the juror's reading view of a text read from a
photo, the pupil's claim and upload forms. Nothing may stick out sideways; the screenshots go
to test-artifacts/ocr-*.png."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from contest.accounts.models import User
from contest.contests.models import Phase
from contest.enums import Role
from contest.extensions import db
from contest.submissions.models import Entry
from tests import factories
from tests.ocr import images
from tests.submissions.helpers import run_extraction, submit

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [pytest.mark.browser]
_WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >
  document.documentElement.clientWidth + 1 && !e.closest('.table-scroll')).slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _login(page, server, user):
    page.goto(f"{server}/account/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _world():
    formats = ["pdf", "docx", "txt", "image"]
    title = {"kk": "«Менің туған өлкем» эссе байқауы", "ru": "Конкурс эссе «Мой родной край»"}
    open_contest = factories.make_contest(formats=formats, title=title, languages=["kk", "ru", "en"],
                                          min_words=20, max_file_mb=2)
    judged = factories.make_contest(formats=formats, title=title, languages=["kk", "ru", "en"], min_words=20,
                                    max_file_mb=2, code_prefix="JD")
    author = factories.make_user(Role.STUDENT, full_name="Айгерім Сапарова", language="kk")
    blank = run_extraction(submit(author, open_contest, "page.jpg", images.blank_photo()).id)
    read = run_extraction(submit(author, judged, "page.jpg", images.kk_photo()).id)
    judged.phase = Phase.JUDGING
    organizer = factories.make_user(Role.ORGANIZER, full_name="Айгүл Серікқызы")
    juror = factories.make_juror(contest=judged, full_name="Ержан Қасымов")
    assignment = factories.make_assignment(db.session.get(Entry, read.entry_id), juror)
    pupil = factories.make_user(Role.STUDENT, full_name="Данияр Серікбаев")
    db.session.commit()
    return {
        organizer: {"transcribe": f"/organizer/entries/{blank.entry_id}/transcribe",
                    "review": f"/organizer/entries/{blank.entry_id}",
                    "paper-new": f"/organizer/contests/{open_contest.id}/paper-entries/new"},
        juror: {"juror-reading": f"/judging/review/{assignment.id}"},
        pupil: {"claim": "/entries/claim", "submit": f"/contests/{open_contest.id}/submit"},
    }


def test_screenshots_of_the_ocr_pages(app, server):
    from playwright.sync_api import sync_playwright

    world = _world()
    ARTIFACTS.mkdir(exist_ok=True)
    overflow, seen = [], {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for lang in ("kk", "ru"):
            db.session.rollback()
            db.session.execute(update(User).values(language=lang))
            db.session.commit()
            for width in (1366, 360):
                for user, pages in world.items():
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    _login(page, server, user)
                    for name, url in pages.items():
                        response = page.goto(server + url)
                        assert response.status == 200, (name, response.status)
                        seen[name, lang] = page.inner_text("main")
                        shot = ARTIFACTS / f"ocr-{name}-{lang}-{width}.png"
                        page.screenshot(path=str(shot), full_page=True)
                        wide = page.evaluate(_WIDE)
                        if wide:
                            overflow.append((name, lang, width, wide))
                    page.close()
        browser.close()
    assert overflow == []
    assert "Сканнан оқылды" in seen["juror-reading", "kk"] and "Сапарова" not in seen["juror-reading", "kk"]
    assert "Прочитано со скана" in seen["juror-reading", "ru"]
    assert "Мәтінді сақтау" in seen["transcribe", "kk"] and "Сохранить текст" in seen["transcribe", "ru"]
    assert "Алу кілті" in seen["claim", "kk"] and "Ключ получения" in seen["claim", "ru"]
