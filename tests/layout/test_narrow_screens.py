"""Phones: the pages a student, a juror and an organizer meet most must not scroll sideways
at 360 px in Kazakh and Russian (issue 17, narrow-screen slice).

Headless Chromium against a real server; screenshots in test-artifacts/narrow/.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from contest.enums import Role
from tests import factories

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "narrow"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTH = 360
LONG_WORD = "Қазақстанреспубликасыныңзаңнамасы"  # an unbreakable word, as users paste them


def _data():
    """A judged contest: one student's entry read by two jurors, a long Kazakh rules text."""
    contest = factories.make_contest(phase="judging", k=2, blind=True,
                                     rules={"kk": "Эссе " + LONG_WORD * 2, "ru": "Эссе " + LONG_WORD * 2},
                                     formats=["pdf", "docx", "txt", "text"], languages=["kk", "ru", "en"])
    student = factories.make_user(Role.STUDENT, full_name="Әйгерім Сейітқасымова-Нұрмұхамбетова")
    jurors = [factories.make_juror(contest=contest) for _ in range(2)]
    entries = [factories.make_entry(contest, student if i == 0 else None) for i in range(3)]
    for entry in entries:
        for n, juror in enumerate(jurors):
            factories.make_review(contest, entry, juror, [6 + n, 3])
    entry = entries[0]
    entry.versions[0].original_name = "менің_эссем_құқықтық_мәдениет_туралы_соңғы_нұсқа_" + LONG_WORD + ".pdf"
    organizer = factories.make_user(Role.ORGANIZER)
    from contest.extensions import db
    db.session.commit()
    return {"student": (student, [f"/contests/{contest.id}", f"/entries/{entry.id}", "/dashboard"]),
            "juror": (jurors[0], ["/judging/"]),
            "organizer": (organizer, [f"/contests/{contest.id}/ranking",
                                      f"/judging/contests/{contest.id}/progress"])}


def _login(page, base: str, user) -> None:
    page.goto(base + "/account/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard"))


def test_no_sideways_scrolling_at_360px(server, app):
    from playwright.sync_api import sync_playwright

    people = _data()
    SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide, narrow_cells = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=LAUNCH_ARGS)
        try:
            for lang in ("kk", "ru"):
                for role, (user, paths) in people.items():
                    context = browser.new_context(locale=lang, viewport={"width": WIDTH, "height": 740},
                                                  extra_http_headers={"Accept-Language": lang})
                    page = context.new_page()
                    _login(page, server, user)
                    with page.expect_navigation():  # the header's language switcher
                        page.click(f"button[name=lang][value={lang}]")
                    for path in paths:
                        response = page.goto(server + path)
                        assert response.status == 200, (role, path, response.status)
                        assert page.evaluate("document.documentElement.lang").startswith(lang), (lang, path)
                        name = f"{lang}-{role}-{path.strip('/').replace('/', '-') or 'root'}"
                        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
                        width = page.evaluate("document.documentElement.scrollWidth")
                        if width > WIDTH:
                            too_wide.append((lang, role, path, width))
                        if path.endswith("/progress"):  # narrow columns broke names letter by letter
                            cells = page.evaluate("[...document.querySelectorAll('main td')]"
                                                  ".filter(td => td.offsetParent !== null)"
                                                  ".map(td => Math.round(td.getBoundingClientRect().width))")
                            narrow_cells.extend((lang, path, w) for w in cells if w < 200)
                    context.close()
        finally:
            browser.close()
    assert too_wide == [], f"pages wider than {WIDTH} px: {too_wide}"
    assert narrow_cells == [], f"table cells narrower than 200 px (not stacked as cards): {narrow_cells[:6]}"
