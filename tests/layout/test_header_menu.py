"""The header on phones and on a laptop (issue 17): below 900 px the links fold into a Menu
button and open as 44 px rows; at 1366 px the organizer's header takes two rows, not three;
the upload form offers what the phone's picker and camera need."""
from __future__ import annotations

import re

import pytest

from contest.enums import Role
from contest.extensions import db
from tests import factories

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _login(page, base: str, user) -> None:
    page.goto(base + "/account/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard"))


def _boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector, "els => els.filter(e => e.offsetParent !== null).map(e => {"
                  "const r = e.getBoundingClientRect();"
                  "return {text: e.textContent.trim(), h: r.height, w: r.width}; })")


@pytest.mark.browser
def test_menu_folds_on_phones_and_header_is_two_rows_at_1366(server, app):
    from playwright.sync_api import sync_playwright

    organizer = factories.make_user(Role.ORGANIZER, language="kk")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=LAUNCH_ARGS)
        try:
            phone = browser.new_page(viewport={"width": 360, "height": 740})
            _login(phone, server, organizer)
            toggle = phone.locator("button.menu-toggle")
            assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
            assert not phone.locator(".main-nav a[href='/judging/contests']").is_visible()
            assert phone.locator("button[name=lang][value=ru]").is_visible()  # languages stay at hand

            toggle.click()

            assert toggle.get_attribute("aria-expanded") == "true"
            links = _boxes(phone, ".site-menu a, .site-menu button")
            assert len(links) >= 8
            assert [link["text"] for link in links if link["h"] < 44] == []
            controls = _boxes(phone, ".lang-switch button, button.menu-toggle")
            small = [b for b in controls if min(b["h"], b["w"]) < 44]
            assert small == []
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360
            phone.keyboard.press("Escape")
            assert not phone.locator(".main-nav a[href='/judging/contests']").is_visible()

            laptop = browser.new_page(viewport={"width": 1366, "height": 900})
            _login(laptop, server, organizer)
            assert not laptop.locator("button.menu-toggle").is_visible()
            tops = {round(b["y"]) for b in laptop.eval_on_selector_all(
                ".site-header a, .site-header button",
                "els => els.filter(e => e.offsetParent !== null)"
                ".map(e => ({y: e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2}))")}
            rows = sorted(tops)
            distinct = [y for i, y in enumerate(rows) if i == 0 or y - rows[i - 1] > 12]
            assert len(distinct) == 2, rows
        finally:
            browser.close()


@pytest.mark.parametrize(("formats", "accept", "camera"), [
    (["pdf", "docx", "txt"], ".pdf,application/pdf,.docx,application/vnd.openxmlformats-officedocument"
                             ".wordprocessingml.document,.txt,text/plain", False),
    (["pdf", "text"], ".pdf,application/pdf", False),
    (["pdf", "jpg", "png"], ".pdf,application/pdf,.jpg,.jpeg,image/jpeg,.png,image/png", True),
    (["pdf", "image"], ".pdf,application/pdf,image/*,.jpg,.jpeg,.png,.heic,.heif,image/jpeg,image/png,"
                       "image/heic,image/heif", True),
])
def test_upload_form_tells_the_phone_what_to_offer(app, client, auth, formats, accept, camera):
    contest = factories.make_contest(phase="open", formats=formats)
    student = factories.make_user(Role.STUDENT)
    db.session.commit()
    auth.login(student)

    html = client.get(f"/contests/{contest.id}/submit").get_data(as_text=True)

    assert f'accept="{accept}"' in html
    assert ('capture="environment"' in html) == camera
