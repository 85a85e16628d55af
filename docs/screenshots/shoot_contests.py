"""Screenshots of the contest editor, rubric preview and public contest page in kk and ru.

Run from the repository root: `python docs/screenshots/shoot_contests.py`. It seeds a temporary
instance, starts the app on a loopback port, drives headless Chromium and stops the server.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "a long password 1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(instance: Path) -> int:
    os.environ["CONTEST_INSTANCE_PATH"] = str(instance)
    from contest import create_app
    from contest.accounts.services import create_staff_user
    from contest.contests import items, services
    from contest.contests.models import Contest, Phase
    from contest.db import utcnow
    from contest.enums import Role
    from contest.extensions import db

    app = create_app()
    with app.app_context(), app.test_request_context():
        db.create_all()
        org = create_staff_user(email="org@example.kz", full_name="Айгүл Серікқызы", password=PASSWORD,
                                role=Role.ORGANIZER)
        now = utcnow()
        contest = Contest(
            code_prefix="ZT", year=2026, phase=Phase.OPEN, created_by_id=org.id,
            title={"kk": "«Мен заңға бағынатын азаматпын!» эссе байқауы",
                   "ru": "Конкурс эссе «Я — законопослушный гражданин!»",
                   "en": "Essay contest “I am a law-abiding citizen!”"},
            description={"kk": "Мектеп, колледж және университет студенттеріне арналған құқықтық сауаттылық "
                               "туралы эссе байқауы. Үздік жұмыстар I, II және III дәрежелі дипломдармен "
                               "марапатталады.",
                         "ru": "Конкурс эссе о правовой грамотности для школьников, студентов колледжей и "
                               "вузов. Лучшие работы награждаются дипломами I, II и III степени."},
            rules={"kk": "Бір оқушы бір эссе жібере алады. Эссе өз бетінше жазылуы керек.",
                   "ru": "Один участник — одно эссе. Работа должна быть написана самостоятельно."},
            opens_at=now - timedelta(days=3), closes_at=now + timedelta(days=12, hours=5),
            min_words=300, max_words=1500, soft_margin_pct=10, issuer={"ru": "Институт права"},
        )
        db.session.add(contest)
        db.session.flush()
        for title in ({"kk": "Мен заңға бағынатын азаматпын!", "ru": "Я — законопослушный гражданин!"},
                      {"kk": "Құқық бұзушылыққа мүлдем төзбеушілік", "ru": "Нулевая терпимость к правонарушениям"},
                      {"kk": "Жүргізуші және жаяу жүргінші", "ru": "Водитель и пешеход"}):
            items.save_topic(contest=contest, title=title)
        for name in ({"kk": "5–8 сыныптар", "ru": "5–8 классы"}, {"kk": "9–11 сыныптар", "ru": "9–11 классы"},
                     {"kk": "Колледж", "ru": "Колледж"}, {"kk": "Университет", "ru": "Университет"}):
            items.save_category(contest=contest, name=name)
        items.save_criterion(
            contest=contest, actor=org, name={"kk": "Тақырыптың ашылуы", "ru": "Раскрытие темы"},
            description={"kk": "Автор тақырыпты толық және дәлелді ашады ма?",
                         "ru": "Насколько полно и доказательно автор раскрывает тему?"},
            min_score=0, max_score=10, step=1, weight=2,
            levels=[{"score": 10, "text": {"kk": "Тақырып толық ашылған, мысалдармен дәлелденген",
                                           "ru": "Тема раскрыта полностью, подкреплена примерами"}},
                    {"score": 5, "text": {"kk": "Тақырып ішінара ашылған", "ru": "Тема раскрыта частично"}}])
        items.save_criterion(
            contest=contest, actor=org, name={"kk": "Дәлелдердің түпнұсқалығы", "ru": "Оригинальность аргументов"},
            description={"ru": "Собственные мысли, а не пересказ."}, min_score=0, max_score=5, step=0.5,
            weight=1, levels=[])
        items.save_criterion(
            contest=contest, actor=org, name={"kk": "Сауаттылық", "ru": "Грамотность"}, description={},
            min_score=0, max_score=5, step=1, weight=1, levels=[])
        items.save_award_tier(contest=contest, name={"kk": "I дәрежелі диплом", "ru": "Диплом I степени"},
                              rule="count", category_id=None, count=1, min_score=None)
        services.update_diploma(contest=contest, issuer={"kk": "Құқық институты", "ru": "Институт права"})
        db.session.commit()
        return contest.id


def shoot(port: int, contest_id: int) -> list[Path]:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    saved = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for lang in ("kk", "ru"):
            public = browser.new_page(viewport={"width": 1200, "height": 900}, locale=lang,
                                      timezone_id="Asia/Almaty")
            public.goto(f"{base}/contests/{contest_id}")
            public.click(f".lang-switch button[value={lang}]")
            public.wait_for_timeout(1200)
            saved.append(_save(public, f"contest-page-{lang}.png"))
            public.goto(f"{base}/contests")
            saved.append(_save(public, f"contest-list-{lang}.png"))
            public.close()
            page = browser.new_page(viewport={"width": 1200, "height": 900}, locale=lang)
            page.goto(f"{base}/account/login")
            page.fill("#email", "org@example.kz")
            page.fill("#password", PASSWORD)
            page.click("main button[type=submit]")
            page.click(f".lang-switch button[value={lang}]")
            for path, name in ((f"/contests/{contest_id}/edit", "contest-editor"),
                               (f"/contests/{contest_id}/manage", "contest-overview"),
                               (f"/contests/{contest_id}/criteria", "rubric-builder"),
                               (f"/contests/{contest_id}/rubric/preview", "rubric-preview")):
                page.goto(base + path)
                saved.append(_save(page, f"{name}-{lang}.png"))
            page.close()
        browser.close()
    return saved


def _save(page, name: str) -> Path:
    path = OUT / name
    page.screenshot(path=str(path), full_page=True)
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        (instance / "config.py").write_text("SECRET_KEY = 'screenshots'\n")
        contest_id = seed(instance)
        port = _free_port()
        env = {**os.environ, "CONTEST_INSTANCE_PATH": str(instance), "PYTHONPATH": str(ROOT)}
        server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "contest", "run", "--port", str(port)],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(50):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            for path in shoot(port, contest_id):
                print(path.relative_to(ROOT))
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
