"""A juror in headless Chromium against a real server: sign in, open an essay, score part
of it, reload (the autosaved draft is kept), finish and submit. Screenshots go to
test-artifacts/, and the reading view for docs/screenshots/juror-reading.png (see
tests.conftest.screenshot_folder)."""
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.db import utcnow
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from tests.conftest import screenshot_folder
from tests.factories import PASSWORD, make_assignment, make_contest, make_entry, make_juror

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
ESSAY = """Every morning I cross the same road on my way to school. For years I thought the traffic \
light was only a suggestion: if no car was coming, why wait? Then my younger brother started to walk \
with me, and I saw that he copied everything I did.

The law is not only a list of punishments. It is an agreement between people who do not know each \
other: the driver trusts that I will wait, and I trust that he will stop. When one of us breaks the \
agreement, even once and even when nobody sees it, the trust becomes weaker for everyone.

Zero tolerance does not mean that we must be cruel to those who make mistakes. It means that we stop \
telling ourselves that small offences do not count. A bribe of a few hundred tenge, a fight that \
"nobody will notice", a cigarette sold to a thirteen-year-old: these are the first steps of a long road.

I decided to start with myself. Now I wait for the green light, even when the street is empty, because \
somebody smaller than me is always watching. This is what being a law-abiding citizen means to me: not \
fear of the police, but respect for the people around me."""


def _contest():
    contest = make_contest(phase="judging", criteria=((0, 10, 1, 2), (0, 5, 0.5, 1), (0, 5, 1, 1)),
                           judging_ends_at=utcnow() + timedelta(days=9, hours=3))
    names = [("Argument", "A clear position, supported by reasons and examples."),
             ("Knowledge of the law", "Correct use of legal ideas and terms."),
             ("Language", "Clarity, structure, spelling.")]
    for criterion, (name, description) in zip(contest.criteria, names):
        criterion.name, criterion.description = {"en": name}, {"en": description}
    contest.criteria[0].levels = [{"score": 10, "text": {"en": "Original, convincing throughout"}},
                                  {"score": 6, "text": {"en": "Clear but predictable"}},
                                  {"score": 2, "text": {"en": "No position"}}]
    contest.topics[0].title = {"en": "I am a law-abiding citizen!"}
    contest.categories[0].name = {"en": "Grades 9–11"}
    db.session.commit()
    return contest


@pytest.mark.browser
def test_juror_scores_reloads_and_submits_in_chromium(app, server):
    from playwright.sync_api import expect, sync_playwright

    contest = _contest()
    juror = make_juror(contest=contest, full_name="Aigerim Nurlanovna", language="en")
    first = make_assignment(make_entry(contest, text=ESSAY), juror)
    second = make_assignment(make_entry(contest, text=ESSAY), juror)
    c1, c2, c3 = (c.id for c in contest.criteria)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 950})
        page.goto(f"{server}/account/login")
        page.fill("input[name=email]", juror.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.goto(f"{server}/judging/")
        expect(page.locator("h1")).to_have_text("My essays")
        page.screenshot(path=str(ARTIFACTS / "juror-dashboard.png"), full_page=True)
        page.click(f"a[href='/judging/review/{first.id}']")

        page.click("button[data-font='1']")
        expect(page.locator("#essay")).to_have_class("essay fs-20")
        page.fill(f"#score_{c1}", "7")
        page.fill(f"#comment_{c1}", "A personal, convincing example.")
        expect(page.locator("#save-status")).to_contain_text("Draft saved", timeout=10000)
        page.reload()
        expect(page.locator(f"#score_{c1}")).to_have_value("7")
        expect(page.locator(f"#comment_{c1}")).to_have_value("A personal, convincing example.")
        expect(page.locator("#essay")).to_have_class("essay fs-20")  # remembered in localStorage
        page.click("button[data-font='-1']")
        page.click("#rubric-title")
        page.locator("details.levels summary").first.click()
        page.screenshot(path=str(ARTIFACTS / "juror-reading.png"))

        page.click("button.level[data-score='6']")
        page.fill(f"#score_{c2}", "3.5")
        page.fill(f"#score_{c3}", "4")
        page.fill("#feedback", "Good structure; say more about the law itself.")
        page.once("dialog", lambda dialog: dialog.accept())
        page.click("button[data-action=submit]")
        page.wait_for_url(f"{server}/judging/review/{second.id}")
        expect(page.locator(".flash-success")).to_contain_text("Review submitted")
        page.screenshot(path=str(ARTIFACTS / "juror-next-entry.png"))
        page.keyboard.press("k")  # previous entry: the submitted one, read-only now
        page.wait_for_url(f"{server}/judging/review/{first.id}")
        expect(page.locator(f"#score_{c1}")).to_be_disabled()
        browser.close()
    db.session.rollback()  # a fresh snapshot: the server wrote these rows
    done = db.session.get(Assignment, first.id)
    assert (done.status, done.scores) == (ReviewStatus.SUBMITTED, {str(c1): 6.0, str(c2): 3.5, str(c3): 4.0})
    assert round(done.total, 4) == round(100 * (2 * 0.6 + 0.7 + 0.8) / 4, 4)
    assert done.feedback == "Good structure; say more about the law itself."
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.submit")).all()) == 1
    screenshot_folder().mkdir(parents=True, exist_ok=True)
    shutil.copy(ARTIFACTS / "juror-reading.png", screenshot_folder() / "juror-reading.png")
