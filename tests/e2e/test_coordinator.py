"""A school coordinator in headless Chromium against a real server and a real worker.py:
registers (confirming from the e-mail), adds three pupils, submits their essays as PDFs, one
pupil claims their entry from the e-mailed link, and after the organizer publishes the
results the coordinator downloads the three pupils' documents, each naming the pupil and the
coordinator as supervisor. The contest, its jury and the reviews are made directly (the
journey test covers those screens). Screenshots: test-artifacts/coordinator/.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy import select

from contest.contests.models import AwardTier, Phase
from contest.coordinators.models import Pupil
from contest.enums import Role
from contest.extensions import db
from contest.submissions.models import Entry, EntryStatus
from tests.conftest import wait_for
from tests.e2e.test_journey import LAUNCH_ARGS, Journey, _login
from tests.extraction.hostile import text_pdf
from tests.factories import PASSWORD, add_tiers, make_contest, make_juror, make_review, make_user

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "coordinator"
TEACHER, TEACHER_MAIL = "Gulnar Serikova", "gulnar@school5.e2e.kz"
PUPILS = (("Aliya Nurlanova", ""), ("Bekzat Ospanov", "bekzat@e2e.example.kz"), ("Dana Kim", ""))
ESSAYS = (  # three different essays: the same text three times would be flagged as near-duplicates
    "Every morning I cross the wide road near our school. The traffic lights there were broken for a "
    "month, and drivers did not slow down. My friends and I wrote a letter to the city council, and "
    "now a police officer helps the younger children in the mornings.",
    "My grandfather drives a small truck from the village to the market. He says that the road was "
    "quiet forty years ago and that nobody wore a seat belt. Today he always fastens it and asks me to "
    "do the same, because one careless second can change a whole family's life.",
    "Cyclists in our town ride between cars without helmets or lights. Last winter my cousin fell on "
    "the ice and broke his arm. Since then our class has made posters about bright jackets, safe "
    "helmets and the rules every rider should know before leaving home in the dark.",
)


def _contest():
    contest = make_contest(n_topics=1, n_categories=1, k=1, blind=False, formats=["pdf", "docx", "txt"],
                           participation_certificates=True, title={"en": "Road safety 2026"})
    add_tiers(contest, (1,))
    db.session.add(AwardTier(contest_id=contest.id, rule="participation", position=9,
                             name={"en": "Participant"}, document_title={"en": "Certificate"}))
    db.session.commit()
    return contest


def _register_and_add_pupils(j: Journey) -> object:
    from playwright.sync_api import expect

    page = j.person()
    j.go(page, "/account/login")
    page.click("text=Register as a school coordinator")
    page.fill("#full_name", TEACHER)
    page.fill("#email", TEACHER_MAIL)
    page.fill("#password", PASSWORD)
    page.select_option("#region", "aktobe")
    page.fill("#school", "School-gymnasium No. 5")
    page.select_option("#language", "en")
    j.shot(page, "coordinator-registers")
    page.click("main form button[type=submit]")
    expect(page.locator("main")).to_contain_text("Check your e-mail")
    j.go(page, j.link_from_mail(TEACHER_MAIL, "/account/confirm/"))
    page.click("text=Activate my account")
    page.wait_for_url(re.compile(r"/dashboard"))
    for name, address in PUPILS:
        page.click("nav >> text=My pupils")
        page.click("text=Add a pupil")
        page.fill("#full_name", name)
        page.select_option("#grade", "9-11")
        page.select_option("#language", "en")
        page.check("#guardian_consent")
        page.fill("#guardian_name", f"Parent of {name}")
        if address:
            page.fill("#contact_email", address)
            page.check("#email_consent")
        j.shot(page, "coordinator-adds-pupil")
        page.click("main form button[type=submit]")
        expect(page.locator(".flash").first).to_contain_text("The pupil was added.")
    return page


def _submit_essays(j: Journey, page) -> None:
    from playwright.sync_api import expect

    for n, (name, _address) in enumerate(PUPILS):
        page.click("nav >> text=My pupils")
        page.click(f"text={name}")
        page.click("text=Submit an essay to Road safety 2026")
        essay = {"name": f"essay-{n}.pdf", "mimeType": "application/pdf",
                 "buffer": text_pdf([[ESSAYS[n]] * 3])}
        page.set_input_files("input[type=file]", files=[essay])
        page.click("main form button[type=submit]")
        expect(page.locator("main")).to_contain_text("ZT-2026-000")
        j.shot(page, "coordinator-receipt")
    wait_for(lambda: db.session.scalar(select(db.func.count(Entry.id)).where(
        Entry.status == EntryStatus.READY)) == 3, timeout=90)
    page.click("nav >> text=My pupils")
    expect(page.locator("main .pupil-list")).to_contain_text("Ready for judging")
    j.shot(page, "coordinator-pupils-ready")


def _pupil_claims(j: Journey, page) -> None:
    from playwright.sync_api import expect

    name, address = PUPILS[1]
    page.click("nav >> text=My pupils")
    page.click(f"text={name}")
    page.click("text=Send the link to the pupil")
    expect(page.locator(".flash").first).to_contain_text(f"The link was sent to {address}.")
    pupil = j.person()
    j.go(pupil, j.link_from_mail(address, "/claim/"))
    pupil.fill("#password", "pupil password 12")
    pupil.fill("#confirm", "pupil password 12")
    pupil.check("#publish_consent")
    pupil.uncheck("#email_consent")
    j.shot(pupil, "pupil-claims")
    pupil.click("main form button[type=submit]")
    expect(pupil.locator("main")).to_contain_text("ZT-2026-000")
    j.shot(pupil, "pupil-own-essays")
    j.go(pupil, "/dashboard")
    pupil.click("main >> text=My consent")
    expect(pupil.locator("#publish_consent")).to_be_checked()
    expect(pupil.locator("#email_consent")).not_to_be_checked()
    pupil.check("#email_consent")
    pupil.click("main form button[type=submit]")
    expect(pupil.locator("#email_consent")).to_be_checked()


def _judge_and_publish(j: Journey, contest) -> None:
    from playwright.sync_api import expect

    db.session.rollback()  # a fresh snapshot: the server and the worker wrote since
    juror = make_juror(contest=contest, languages=("en",), school="Lyceum No. 21", region="almaty")
    contest.phase = Phase.JUDGING
    for entry, score in zip(db.session.scalars(select(Entry).order_by(Entry.id)), (9, 6, 4)):
        make_review(contest, entry, juror, (score, 4), commit=False,
                    feedback=f"Feedback {score}: keep going.")
    db.session.commit()
    make_user(Role.ORGANIZER, email="organizer@e2e.example.kz")
    organizer = j.person()
    _login(j, organizer, "organizer@e2e.example.kz")
    j.go(organizer, f"/contests/{contest.id}/awards")
    organizer.click("text=Publish the results")
    expect(organizer.locator("main")).to_contain_text("Published: revision 1")


def _download_documents(j: Journey, page) -> tuple[list[str], list[str]]:
    """Each pupil's document text, and the jurors' feedback the coordinator reads on the pupil's page."""
    texts, feedback = [], []
    for name, _address in PUPILS:
        page.click("nav >> text=My pupils")
        page.click(f"text={name}")
        deadline = time.monotonic() + 90
        while page.locator("[data-document]").count() == 0:
            assert time.monotonic() < deadline, "the worker did not issue the documents"
            time.sleep(1)
            page.reload()
        feedback.append(page.locator("ul.feedback li").first.inner_text())
        j.shot(page, "coordinator-pupil-document")
        with page.expect_download() as download:
            page.click("[data-document]")
        saved = SHOTS / f"{name}.pdf"  # kept beside the screenshots, to look at
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF-")
        with pdfplumber.open(saved) as pdf:
            texts.append(" ".join((p.extract_text() or "") for p in pdf.pages))
    return texts, feedback


@pytest.mark.browser
@pytest.mark.worker
def test_a_coordinator_submits_for_three_pupils_and_downloads_their_documents(app, server, worker,
                                                                              instance_path, tmp_path):
    from playwright.sync_api import sync_playwright

    contest = _contest()
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in [*SHOTS.glob("*.png"), *SHOTS.glob("*.pdf")]:
        old.unlink()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=LAUNCH_ARGS)
        j = Journey(browser, server, instance_path / "outbox")
        j.shot = lambda page, name: _shot(j, page, name)
        coordinator = _register_and_add_pupils(j)
        _submit_essays(j, coordinator)
        _pupil_claims(j, coordinator)
        _judge_and_publish(j, contest)
        texts, feedback = _download_documents(j, coordinator)
        browser.close()

    flat = [" ".join(t.split()) for t in texts]
    assert feedback == ["Feedback 9: keep going.", "Feedback 6: keep going.", "Feedback 4: keep going."]
    for (name, _address), text in zip(PUPILS, flat):
        assert name in text and TEACHER in text, text
    assert "First degree" in flat[0] and "Participant" in flat[1] and "Participant" in flat[2]
    db.session.rollback()
    claimed = db.session.scalars(select(Pupil).where(Pupil.claimed_at.is_not(None))).all()
    assert [(p.contact_email, p.email_consent) for p in claimed] == [("bekzat@e2e.example.kz", True)]
    assert {e.supervisor for e in db.session.scalars(select(Entry))} == {TEACHER}


def _shot(j: Journey, page, name: str) -> None:
    j.step += 1
    page.screenshot(path=str(SHOTS / f"{j.step:02d}-{name}.png"), full_page=True)
