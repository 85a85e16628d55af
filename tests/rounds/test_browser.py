"""Two rounds in headless Chromium against a real server: the organizer closes the first
round, shortlists with an override, confirms and assigns the final round; a final juror
scores in the browser; the awards page and the published results follow the final round.

Screenshots: test-artifacts/rounds/.
"""
from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

from sqlalchemy import select, update

from contest.extensions import db
from contest.judging.models import Assignment, ReviewStatus
from contest.rounds.models import RoundState
from contest.rounds.queries import get_round, shortlisted_entry_ids
from tests.conftest import wait_for
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "rounds"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _login(page, base, user):
    page.on("dialog", lambda dialog: dialog.accept())  # "submit the review?" and the like
    page.goto(base + "/account/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/dashboard"))


def _organizer_shortlists(page, base, t):
    from playwright.sync_api import expect

    page.goto(f"{base}/rounds/contests/{t.contest.id}")
    expect(page.locator("main")).to_contain_text("Close the first round before making the shortlist")
    page.click("#round-1 button[type=submit]")
    expect(page.locator(".flash").first).to_contain_text("The round is closed.")
    page.select_option("#kind", "top_n")
    page.fill("#value", "2")
    page.click("#shortlist form.inline-form button[type=submit] >> nth=0")
    expect(page.locator("main")).to_contain_text("Cut line")
    page.screenshot(path=str(SHOTS / "01-cut-line.png"), full_page=True)
    row = page.locator("table.shortlist tr", has_text=t.entries[2].code)
    row.locator("input[name=reason]").fill("A strong essay with one harsh first-round reviewer")
    row.locator("button[type=submit]").click()
    expect(page.locator(".flash").first).to_contain_text("The shortlist is changed.")
    page.check("#notify")
    page.click("text=Confirm the shortlist and start the final round")
    expect(page.locator(".flash").first).to_contain_text("the final round has started")
    page.screenshot(path=str(SHOTS / "02-confirmed.png"), full_page=True)
    page.click("text=Assign the final round's jurors")
    expect(page.locator("main")).to_contain_text("Final round: only the shortlisted essays")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash").first).to_contain_text("new assignments saved")


def _juror_scores_final_round(page, base, t, scores):
    from playwright.sync_api import expect

    _login(page, base, t.jurors[0])
    db.session.rollback()
    todo = list(db.session.scalars(select(Assignment).where(
        Assignment.juror_id == t.jurors[0].id, Assignment.round_no == 2)))
    c1, c2 = (c.id for c in t.contest.criteria)
    for assignment in todo:
        page.goto(f"{base}/judging/review/{assignment.id}")
        expect(page.locator("main")).not_to_contain_text("Student")  # blind in the final round too
        first, second = scores[assignment.entry_id]
        page.fill(f"#score_{c1}", str(first))
        page.fill(f"#score_{c2}", str(second))
        page.click("button[data-action=submit]")
        expect(page.locator(".flash").first).to_contain_text("Review submitted")
    page.screenshot(path=str(SHOTS / "03-juror-dashboard.png"), full_page=True)
    return len(todo)


def _outbox(instance_path):
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted((instance_path / "outbox").glob("*.eml"))]


def test_two_rounds_from_first_round_to_final_awards(two_rounds, server, worker, app, instance_path):
    from playwright.sync_api import expect, sync_playwright

    t = two_rounds
    SHOTS.mkdir(parents=True, exist_ok=True)
    # final-round scores: entry 1 (second in the first round) wins its category
    e = {i: t.entries[i].id for i in (0, 1, 2, 8, 9)}
    scores = {e[0]: (3, 2), e[1]: (10, 5), e[2]: (6, 3), e[8]: (9, 5), e[9]: (4, 2)}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=LAUNCH_ARGS)
        organizer = browser.new_context(locale="en-US").new_page()
        _login(organizer, server, t.organizer)
        _organizer_shortlists(organizer, server, t)
        db.session.rollback()
        assert get_round(t.contest.id, 1).state == RoundState.CLOSED
        assert set(shortlisted_entry_ids(t.final.id)) == set(scores)
        juror = browser.new_context(locale="en-US").new_page()
        assert _juror_scores_final_round(juror, server, t, scores) == 5
        keys = [str(c.id) for c in t.contest.criteria]
        pairs = db.session.execute(select(Assignment.id, Assignment.entry_id).where(
            Assignment.juror_id == t.jurors[1].id, Assignment.round_no == 2)).all()
        db.session.rollback()  # write from a fresh transaction: the worker writes too
        for assignment_id, entry_id in pairs:  # the second final juror, through the database
            db.session.execute(update(Assignment).where(Assignment.id == assignment_id).values(
                scores=dict(zip(keys, scores[entry_id])), status=ReviewStatus.SUBMITTED))
        db.session.commit()
        organizer.goto(f"{server}/contests/{t.contest.id}/awards")
        first_row = organizer.locator("table.awards-table >> nth=0").locator("tbody tr >> nth=0")
        expect(first_row).to_contain_text(t.entries[1].code)
        organizer.click("text=Publish the results")
        expect(organizer.locator("main")).to_contain_text("Published: revision 1")
        organizer.screenshot(path=str(SHOTS / "04-final-awards.png"), full_page=True)
        browser.close()
    subjects = wait_for(lambda: {m["Subject"] for m in _outbox(instance_path)} if len(
        list((instance_path / "outbox").glob("*.eml"))) >= 10 else None, timeout=60)
    assert "Сіздің эссеңіз «Заң және біз» байқауының қорытынды кезеңінде" in subjects  # a kk finalist
    assert "Итоги первого тура конкурса «Закон и мы»" in subjects  # a ru student left out
