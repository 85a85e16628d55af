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


# How tall the editor's two tab rows are together, whether each row scrolls sideways, and
# whether the current tab lies inside its row's visible part.
_TABS = """() => {
  const rows = [...document.querySelectorAll('.editor-head nav.tabs')];
  const current = document.querySelector('.editor-head a.current');
  const box = current.parentElement.getBoundingClientRect(), tab = current.getBoundingClientRect();
  return {height: Math.round(rows.reduce((sum, r) => sum + r.getBoundingClientRect().height, 0)),
          scrolls: rows.map(r => r.scrollWidth > r.clientWidth),
          links: rows.map(r => r.querySelectorAll('a').length),
          currentShown: tab.left >= box.left - 1 && tab.right <= box.right + 1,
          pageWidth: document.documentElement.scrollWidth, scrollY: window.scrollY};
}"""


def test_contest_editor_tabs_take_two_rows_on_a_phone(server, app):
    """At 360 px the owner's 13 editor tabs and 14 running tabs filled the first screen and
    more (about 850 px of tabs before the page's own content); each row now scrolls sideways,
    with the current section scrolled into view. At 1366 px they wrap as before (kk and ru)."""
    from playwright.sync_api import sync_playwright

    contest = factories.make_contest(phase="judging")
    owner = factories.make_member(contest, role="owner")
    paths = {"settings": f"/contests/{contest.id}/edit", "jury": f"/contests/{contest.id}/jury",
             "audit log": f"/contests/{contest.id}/desk/audit"}
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=LAUNCH_ARGS)
        try:
            for lang, width in (("kk", WIDTH), ("ru", WIDTH), ("kk", 1366), ("ru", 1366)):
                context = browser.new_context(locale=lang, viewport={"width": width, "height": 740},
                                              extra_http_headers={"Accept-Language": lang})
                page = context.new_page()
                _login(page, server, owner)
                with page.expect_navigation():
                    page.click(f"button[name=lang][value={lang}]")
                for name, path in paths.items():
                    assert page.goto(server + path).status == 200, path
                    seen[lang, width, name] = page.evaluate(_TABS)
                    page.screenshot(path=str(SHOTS / f"{lang}-{width}-editor-{name.replace(' ', '-')}.png"))
                context.close()
        finally:
            browser.close()
    for (lang, width, name), tabs in seen.items():
        assert tabs["links"] == [13, 14], (lang, width, name, tabs)
        assert tabs["currentShown"] and tabs["scrollY"] == 0, (lang, width, name, tabs)
        assert tabs["pageWidth"] <= width, (lang, width, name, tabs)
        if width == WIDTH:
            assert tabs["scrolls"] == [True, True] and tabs["height"] < 120, (lang, name, tabs)
        else:
            assert tabs["scrolls"] == [False, False], (lang, name, tabs)
