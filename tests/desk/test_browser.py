"""The organizer's desk in headless Chromium against a real server: filter the entries
registry, export exactly that view, and take the screenshots for docs/screenshots/ (registry,
overview, statistics and audit log, in Kazakh and Russian)."""
import csv
import io
import random
from pathlib import Path

import pytest

from contest.audit.services import record_event
from contest.awards.models import Award
from contest.extensions import db
from contest.schools.services import set_school
from tests.conftest import screenshot_folder
from tests.factories import (
    PASSWORD,
    add_tiers,
    make_assignment,
    make_contest,
    make_entry,
    make_juror,
    make_member,
    make_review,
    make_user,
)

PEOPLE = [("Әлия Нұрғалиева", "aktobe", "№5 мектеп-гимназия", "kk"),
          ("Айдос Серікұлы", "aktobe", "Ақтөбе облыстық физика-математика мектебі", "kk"),
          ("Мария Ковалёва", "astana", "Гимназия №3", "ru"),
          ("Данияр Ахметов", "almaty", "Лицей №134", "ru"),
          ("Жанель Омарова", "shymkent", "№12 IT лицейі", "kk"),
          ("Илья Петров", "karaganda", "Школа-лицей №1", "ru"),
          ("Асель Жумабаева", "almaty", "Лицей №134", "kk"),
          ("Тимур Ким", "astana", "Гимназия №3", "ru"),
          ("Аружан Бекова", "turkistan", "Түркістан дарынды балалар мектебі", "kk"),
          ("Сергей Иванов", "east_kazakhstan", "Гимназия №11", "ru"),
          ("Дана Тәжібаева", "aktobe", "№5 мектеп-гимназия", "kk"),
          ("Ерлан Сапаров", "jambyl", "Тараз лицейі", "kk")]


def _desk():
    rng = random.Random(3)
    contest = make_contest(phase="judging", k=2, ranking_method="mean",
                           title={"kk": "Құқық бұзушылыққа мүлдем төзбеушілік", "ru": "Нулевая терпимость"})
    contest.categories[0].name = {"kk": "9–11 сыныптар", "ru": "9–11 классы"}
    contest.categories[1].name = {"kk": "Колледж", "ru": "Колледж"}
    contest.topics[0].title = {"kk": "Мен — заңға бағынатын азаматпын!",
                               "ru": "Я — законопослушный гражданин!"}
    contest.topics[1].title = {"kk": "Болашаққа құқық бұзушылықсыз", "ru": "В будущее без правонарушений"}
    jurors = [make_juror(contest=contest, full_name=name) for name in ("Гүлнар Әбенова", "Олег Смирнов")]
    owner = make_member(contest, make_user("organizer", is_admin=False, full_name="Сәуле Ұйымдастырушы",
                                           language="kk"), role="owner")
    tiers = add_tiers(contest, (1, 1, 1))
    statuses = ["ready"] * 9 + ["needs_attention", "processing", "ready"]
    entries = []
    for i, (name, region, school, language) in enumerate(PEOPLE):
        student = make_user(full_name=name, grade=rng.choice(["5-8", "9-11", "college"]), commit=False)
        set_school(student, region=region, name=school)
        db.session.commit()
        entry = make_entry(contest, student, language=language, status=statuses[i],
                           category=contest.categories[i % 2], topic=contest.topics[i % 3 % 2])
        entries.append(entry)
        if statuses[i] == "ready" and i < 8:
            for juror in jurors:
                make_review(contest, entry, juror, (rng.randint(4, 10), rng.choice([2.5, 3.5, 4.5])))
        elif statuses[i] == "ready":
            make_assignment(entry, jurors[0])
    for place, (entry, tier) in enumerate(zip(entries[:3], tiers), start=1):
        db.session.add(Award(contest_id=contest.id, entry_id=entry.id, tier_id=tier.id, place=place,
                             score=95.0 - 7 * place))
    record_event(action="contest.blind", actor=owner, obj=contest, contest_id=contest.id,
                 old={"blind": True}, new={"blind": False}, reason="Қазылар алқасының шешімі")
    record_event(action="entry.reupload_requested", actor=owner, obj=entries[9], contest_id=contest.id,
                 old={"status": "needs_attention"}, new={"decision": "reupload"},
                 reason="Сканер бетті қисық түсірген")
    record_event(action="contest.role_granted", actor=owner, contest_id=contest.id,
                 new={"user_id": jurors[0].id, "role": "jury_chair"})
    record_event(action="contest.settings", actor=owner, obj=contest, contest_id=contest.id,
                 old={"reviews_per_entry": 3, "show_rubric": False, "formats": ["pdf"]},
                 new={"reviews_per_entry": 2, "show_rubric": True, "formats": ["docx", "pdf"]})
    db.session.commit()
    return contest, entries, owner


def _shot(page, name: str) -> None:
    folder = screenshot_folder()
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


@pytest.mark.browser
def test_organizer_filters_the_registry_exports_it_and_screenshots_the_desk(app, server):
    from playwright.sync_api import expect, sync_playwright

    contest, entries, owner = _desk()
    base = f"{server}/contests/{contest.id}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page.goto(f"{server}/account/login")
        page.fill("input[name=email]", owner.email)
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")

        page.goto(f"{base}/desk/entries")
        page.select_option("#region", "aktobe")
        page.fill("#q", "МЕКТЕ")  # any case, in Kazakh too
        page.click("#registry-filters button[type=submit]")
        expect(page.locator("table.registry tbody tr")).to_have_count(3)
        expect(page.locator("table.registry")).to_contain_text("Ақтөбе облысы")
        with page.expect_download() as download:
            page.click("#export-csv")
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][:4] == ["Коды", "Автор", "Мектебі", "Өңірі"]
        assert sorted(r[0] for r in rows[1:]) == sorted(e.code for e in (entries[0], entries[1], entries[10]))
        assert {r[3] for r in rows[1:]} == {"Ақтөбе облысы"}

        for lang in ("kk", "ru"):
            owner.language = lang
            db.session.commit()
            page.goto(f"{base}/desk/entries")
            _shot(page, f"desk-registry-{lang}.png")
            page.goto(f"{base}/manage")
            expect(page.locator("#counts")).to_be_visible()
            _shot(page, f"desk-overview-{lang}.png")
            page.goto(f"{base}/desk/statistics")
            _shot(page, f"desk-statistics-{lang}.png")
            page.goto(f"{base}/desk/audit")
            _shot(page, f"desk-audit-{lang}.png")
        expect(page.locator("h2").first).to_contain_text("Журнал аудита")
        browser.close()
