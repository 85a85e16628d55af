"""The whole journey in headless Chromium against a real server and a real worker.py:
an organizer sets a contest up in the editor and invites two jurors (who accept from the
e-mailed link), a student registers (confirming from the e-mail), submits a PDF and sees it
extracted, the organizer starts judging and assigns, both jurors score, the organizer
publishes, the student downloads the diploma and a visitor verifies it.

Screenshots of every step: test-artifacts/journey/.
"""
from __future__ import annotations

import email
import io
import re
import time
from datetime import datetime, timedelta
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from sqlalchemy import select

from contest.awards.models import Diploma
from contest.contests.models import Contest, Phase
from contest.enums import Role
from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.submissions.models import Entry, EntryStatus
from tests.extraction.hostile import essay_pdf
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "journey"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
STUDENT = "Aruzhan Bekova"
WAIT_MS = 60_000


class Journey:
    """Browser contexts (one per person), numbered screenshots and the outbox."""

    def __init__(self, browser, base: str, outbox: Path):
        self.browser, self.base, self.outbox, self.step = browser, base, outbox, 0

    def person(self):
        context = self.browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900},
                                           accept_downloads=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    def shot(self, page, name: str) -> None:
        self.step += 1
        page.screenshot(path=str(SHOTS / f"{self.step:02d}-{name}.png"), full_page=True)

    def go(self, page, path: str) -> None:
        page.goto(self.base + path)

    def link_from_mail(self, to: str, pattern: str) -> str:
        """The path of the first link matching `pattern` in a message to `to` (the worker
        delivers it to the outbox folder)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for path in sorted(self.outbox.glob("*.eml")):
                message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
                if message["To"] != to:
                    continue
                found = re.search(rf"https?://[^/\s]+({pattern}[^\s]*)", message.get_content())
                if found:
                    return found.group(1)
            time.sleep(0.3)
        raise AssertionError(f"no e-mail to {to} with a link like {pattern}")


def _login(j: Journey, page, email_address: str, password: str = PASSWORD) -> None:
    j.go(page, "/account/login")
    page.fill("input[name=email]", email_address)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard"))


def _almaty(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Asia/Almaty")).strftime("%Y-%m-%dT%H:%M")


def _create_contest(j: Journey, page) -> int:
    from playwright.sync_api import expect

    j.go(page, "/contests/new")
    page.fill("#title_en", "Driver and pedestrian 2026")
    page.fill("#code_prefix", "DP")
    now = datetime.now(ZoneInfo("UTC"))
    page.fill("#opens_at", _almaty(now - timedelta(days=1)))
    page.fill("#closes_at", _almaty(now + timedelta(days=3)))
    page.fill("#reviews_per_entry", "2")
    j.shot(page, "organizer-new-contest")
    page.click("main form button[type=submit]")
    expect(page.locator("main h1")).to_contain_text("Driver and pedestrian 2026")
    contest_id = int(re.search(r"/contests/(\d+)/", page.url).group(1))
    for kind, field, value in (("topics", "#title_en", "Driver and pedestrian"),
                               ("categories", "#name_en", "Grades 9–11")):
        j.go(page, f"/contests/{contest_id}/{kind}")
        page.fill(field, value)
        page.click("main form.stack button[type=submit]")
        expect(page.locator("table.items")).to_contain_text(value)
    return contest_id


def _rubric_and_awards(j: Journey, page, contest_id: int) -> None:
    from playwright.sync_api import expect

    for name, weight, levels in (("Argument", "2", "10: Convincing, with examples\n5: Some reasons\n0: None"),
                                 ("Language", "1", "10: Clear and correct\n0: Hard to read")):
        j.go(page, f"/contests/{contest_id}/criteria")
        page.fill("#name_en", name)
        page.fill("#weight", weight)
        page.fill("#levels_en", levels)
        page.click("main form.stack >> button[type=submit] >> nth=-1")
        expect(page.locator("table.items")).to_contain_text(name)
    j.shot(page, "organizer-rubric")
    j.go(page, f"/contests/{contest_id}/tiers")
    page.fill("#name_en", "Diploma of the 1st degree")
    page.select_option("#rule", "count")
    page.fill("#count", "1")
    page.click("main form.stack >> button[type=submit] >> nth=-1")
    expect(page.locator("table.items")).to_contain_text("Diploma of the 1st degree")
    j.go(page, f"/contests/{contest_id}/manage")
    page.click("text=Move to: Open for submissions")
    expect(page.locator(".phase-steps li.current")).to_have_text("Open for submissions")
    j.shot(page, "organizer-contest-open")


def _invite_jurors(j: Journey, organizer, contest_id: int) -> list:
    from playwright.sync_api import expect

    jurors = []
    for n, name in ((1, "Daniyar Sadykov"), (2, "Irina Kim")):
        address = f"juror{n}@e2e.example.kz"
        j.go(organizer, "/admin/people")
        organizer.fill("#email", address)
        organizer.select_option("#role", "juror")
        organizer.select_option("#language", "en")
        organizer.click("main form.stack button[type=submit]")
        expect(organizer.locator(".flash").first).to_contain_text(f"Invitation sent to {address}")
        page = j.person()
        j.go(page, j.link_from_mail(address, "/account/invite/"))
        page.fill("#full_name", name)
        page.fill("#password", PASSWORD)
        page.fill("#confirm", PASSWORD)
        page.select_option("#language", "en")
        j.shot(page, f"juror{n}-accepts-invitation")
        page.click("main form button[type=submit]")
        page.wait_for_url(re.compile(r"/dashboard"))
        j.go(page, "/jurors/me")
        page.check("input[name=languages][value=en]")
        page.click("main form.stack button[type=submit]")
        j.go(organizer, f"/contests/{contest_id}/jury")
        organizer.select_option("#user_id", label=f"{name} <{address}>")
        organizer.check("input[name=category_ids]")
        organizer.click("main form.stack button[type=submit]")
        expect(organizer.locator("main")).to_contain_text(name)
        jurors.append(page)
    j.shot(organizer, "organizer-jury")
    return jurors


def _student_registers_and_submits(j: Journey, contest_id: int):
    from playwright.sync_api import expect

    page = j.person()
    j.go(page, "/account/register")
    page.fill("#full_name", STUDENT)
    page.fill("#email", "aruzhan@e2e.example.kz")
    page.fill("#password", PASSWORD)
    page.fill("#school", "Gymnasium No. 56")
    page.select_option("#grade", "9-11")
    page.select_option("#region", "almaty")
    page.select_option("#language", "en")
    page.check("#publish_name_consent")
    j.shot(page, "student-registers")
    page.click("main form button[type=submit]")
    j.go(page, j.link_from_mail("aruzhan@e2e.example.kz", "/account/confirm/"))
    page.click("text=Activate my account")
    page.wait_for_url(re.compile(r"/dashboard"))
    j.go(page, f"/contests/{contest_id}/submit")
    page.set_input_files("input[type=file]", files=[{"name": "my-essay.pdf", "mimeType": "application/pdf",
                                                      "buffer": essay_pdf("en", 2)}])
    j.shot(page, "student-upload")
    page.click("main form button[type=submit] >> nth=-1")
    expect(page.locator("main")).to_contain_text("DP-")
    j.shot(page, "student-receipt")
    page.click("main a[href*='/entries/'] >> nth=0")
    deadline = time.monotonic() + WAIT_MS / 1000
    while "Ready for judging" not in page.locator("main").inner_text():
        assert time.monotonic() < deadline, "the worker did not extract the entry"
        time.sleep(1)
        page.reload()
    j.shot(page, "student-entry-ready")
    return page


def _judging(j: Journey, organizer, jurors, contest_id: int) -> None:
    from playwright.sync_api import expect

    j.go(organizer, f"/contests/{contest_id}/manage")
    organizer.check("#force")
    organizer.fill("#reason", "Every invited student has submitted; the jury starts early.")
    organizer.click("text=Move to: Judging")
    expect(organizer.locator(".phase-steps li.current")).to_have_text("Judging")
    j.go(organizer, f"/judging/contests/{contest_id}/assign")
    j.shot(organizer, "organizer-assignment-plan")
    organizer.click("text=Save 2 new assignments")
    expect(organizer.locator(".flash").first).to_be_visible()
    for n, (page, scores) in enumerate(zip(jurors, (("8", "7"), ("6", "9"))), start=1):
        j.go(page, "/judging/")
        page.click("main a[href*='/judging/review/'] >> nth=0")
        inputs = page.locator("input.score")
        for i, value in enumerate(scores):
            inputs.nth(i).fill(value)
        page.fill("#feedback", "A clear essay with a personal example.")
        j.shot(page, f"juror{n}-scores")
        page.click("button[data-action=submit]")
        expect(page.locator("main")).to_contain_text("Review submitted")


def _publish_and_verify(j: Journey, organizer, student, contest_id: int, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    j.go(organizer, f"/contests/{contest_id}/ranking")
    j.shot(organizer, "organizer-ranking")
    j.go(organizer, f"/contests/{contest_id}/awards")
    organizer.click("text=Publish the results")
    expect(organizer.locator("main")).to_contain_text("Published: revision 1")
    j.shot(organizer, "organizer-published")
    deadline = time.monotonic() + WAIT_MS / 1000
    j.go(student, "/dashboard")
    while student.locator("text=Download your diploma (PDF)").count() == 0:
        assert time.monotonic() < deadline, "the worker did not issue the diploma"
        time.sleep(1)
        student.reload()
    j.shot(student, "student-dashboard-diploma")
    with student.expect_download() as download:
        student.click("text=Download your diploma (PDF)")
    saved = tmp_path / "diploma.pdf"
    download.value.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert STUDENT in "".join(p.extract_text() or "" for p in pdf.pages)
    db.session.rollback()
    code = db.session.scalars(select(Diploma.code).where(Diploma.slot.like("entry:%"))).one()
    visitor = j.person()
    j.go(visitor, "/verify")
    visitor.fill("#code", code)
    visitor.click("main form button[type=submit]")
    expect(visitor.locator("main")).to_contain_text(STUDENT)
    expect(visitor.locator("main")).to_contain_text("genuine", ignore_case=True)
    j.shot(visitor, "visitor-verifies")


@pytest.mark.browser
@pytest.mark.worker
def test_the_whole_journey_in_chromium(app, server, worker, instance_path, make_user, tmp_path):
    from playwright.sync_api import sync_playwright

    make_user(Role.ORGANIZER, email="organizer@e2e.example.kz", full_name="Gulnara Tulegenova")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=LAUNCH_ARGS)
        j = Journey(browser, server, instance_path / "outbox")
        organizer = j.person()
        _login(j, organizer, "organizer@e2e.example.kz")
        contest_id = _create_contest(j, organizer)
        _rubric_and_awards(j, organizer, contest_id)
        jurors = _invite_jurors(j, organizer, contest_id)
        student = _student_registers_and_submits(j, contest_id)
        _judging(j, organizer, jurors, contest_id)
        _publish_and_verify(j, organizer, student, contest_id, tmp_path)
        browser.close()

    db.session.rollback()
    contest = db.session.get(Contest, contest_id)
    assert contest.phase == Phase.PUBLISHED
    entry = db.session.scalars(select(Entry)).one()
    assert entry.status == EntryStatus.READY
    assert [a.status for a in db.session.scalars(select(Assignment))] == [ReviewStatus.SUBMITTED] * 2
    assert len(list(SHOTS.glob("*.png"))) == j.step
