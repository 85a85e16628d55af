"""Screenshots of the organizer's statistics and ranking pages in Kazakh and Russian, at 1366
and 360 px, on a jury that is weakly linked in one category and split off in the other.

Run from the repository root: `python docs/screenshots/shoot_statistics.py`. It fills a
temporary SQLite instance (migrations, then seeded rows), starts the app on loopback and
drives headless Chromium; the PNGs go to docs/screenshots/statistics-*.png and ranking-*.png.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
JURORS = ["Айгүл Сапарова", "Бауыржан Омаров", "Гүлнар Әбенова", "Дәурен Қасымов", "Ерлан Нұрланов",
          "Жанар Төлеуова", "Зарина Ахметова", "Ильяс Серіков", "Қанат Бекенов", "Мария Иванова",
          "Нұрлан Жақсылықов", "Ольга Петрова", "Сәуле Мұратова"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed() -> tuple[int, dict]:
    """Category 1: 60 essays read by three fixed panels of three jurors, joined by one juror
    who swapped two reviews with each other panel. Category 2: 30 essays read by four other
    jurors, mixed (a separate part of the jury). Returns the contest id and the organizers."""
    from contest.enums import Role
    from tests.factories import make_contest, make_entry, make_juror, make_review, make_user

    rng = np.random.default_rng(19)
    contest = make_contest(phase="judging", criteria=((0, 10, 1, 2), (0, 10, 1, 1)),
                           title={"kk": "Құқықтық мәдениет — 2026", "ru": "Правовая культура — 2026",
                                  "en": "Legal culture 2026"})
    cat1, cat2 = contest.categories
    jurors = [make_juror(contest=contest, full_name=name) for name in JURORS]
    severity = rng.normal(0, 1.2, len(jurors))
    panels = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    readers = [list(panels[i % 3]) for i in range(60)]
    for other in (1, 2):  # juror 0 swaps two essays with each other panel
        for n in range(2):
            mine = next(i for i in range(60) if i % 3 == 0 and 0 in readers[i] and i > 10 * other + n)
            theirs = next(i for i in range(60) if i % 3 == other and i > 10 * other + 3 * n)
            partner = readers[theirs][0]
            readers[mine][readers[mine].index(0)] = partner
            readers[theirs][0] = 0
    readers += [list(rng.choice([9, 10, 11, 12], 3, replace=False)) for _ in range(30)]
    for i, panel in enumerate(readers):
        entry = make_entry(contest, category=cat1 if i < 60 else cat2)
        quality = rng.normal(6.0, 1.5)
        for j in panel:
            noise = rng.normal(0, 0.8, 2)
            scores = np.clip(np.round(quality + severity[j] + noise), 0, 10)
            make_review(contest, entry, jurors[j], [float(scores[0]), float(scores[1])])
    organizers = {lang: make_user(Role.ORGANIZER, email=f"organizer-{lang}@example.kz", language=lang,
                                  full_name="Organizer") for lang in ("kk", "ru")}
    return contest.id, {lang: user.email for lang, user in organizers.items()}


def shoot(base: str, contest_id: int, organizers: dict) -> None:
    from playwright.sync_api import sync_playwright

    from tests.factories import PASSWORD

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for lang, email in organizers.items():
            for width in (1366, 360):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/account/login")
                page.fill("input[name=email]", email)
                page.fill("input[name=password]", PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_url("**/dashboard")
                page.goto(f"{base}/contests/{contest_id}/ranking/statistics")
                page.screenshot(path=str(OUT / f"statistics-{lang}-{width}.png"), full_page=True)
                page.goto(f"{base}/contests/{contest_id}/ranking")
                note = page.locator("p.linkage").first
                note.scroll_into_view_if_needed()
                page.evaluate("window.scrollBy(0, -120)")
                page.screenshot(path=str(OUT / f"ranking-linkage-{lang}-{width}.png"))
                context.close()
        browser.close()


def main() -> None:
    instance = Path(tempfile.mkdtemp(prefix="contest-stats-shots-"))
    (instance / "config.py").write_text("SECRET_KEY = 'stats-shots'\n")
    os.environ["CONTEST_INSTANCE_PATH"] = str(instance)
    from flask_migrate import upgrade

    from contest import create_app

    app = create_app()
    with app.app_context():
        upgrade()
        contest_id, organizers = seed()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "flask", "--app", "contest", "run", "--port", str(port),
                             "--no-reload"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        shoot(base, contest_id, organizers)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
