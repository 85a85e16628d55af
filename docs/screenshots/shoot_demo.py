"""Screenshots of the demo contest (`flask --app contest demo`) for the README tour.

Run from the repository root: `python docs/screenshots/shoot_demo.py`. It builds the demo in a
temporary instance (migrations, then contest.demo.seed with 60 entries), starts the app and
one worker.py on loopback (Redis at REDIS_URL, default 127.0.0.1:6379, under a key prefix of
its own that is deleted afterwards), and drives headless Chromium: a juror's dashboard and
reading view, the organizer's ranking, publishing from the awards page, a student's dashboard
with the diploma, and the diploma itself (pdftoppm) into docs/diplomas/.
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
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
DIPLOMAS = ROOT / "docs" / "diplomas"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(instance: Path):
    """Migrate and run the demo; returns the result and the app."""
    from flask_migrate import upgrade

    from contest import create_app
    from contest.demo.seed import run_demo

    app = create_app()
    with app.app_context():
        upgrade()
        result = run_demo(entries=60, log=print)
        result.contest_id = result.contest.id
        return result, app


def kazakh_winner(app, students):
    """A student writing in Kazakh whose diploma has been drawn (None while the job runs)."""
    from sqlalchemy import select

    from contest.accounts.models import User
    from contest.awards.models import Diploma
    from contest.extensions import db
    from contest.submissions.models import Entry

    with app.app_context():
        emails = set(db.session.scalars(
            select(User.email).join(Entry, Entry.student_id == User.id)
            .join(Diploma, Diploma.entry_id == Entry.id)
            .where(User.language == "kk", Diploma.stored_name.is_not(None))))
    return next((s for s in students if s.email in emails), None)


def login(page, base: str, account) -> None:
    page.goto(f"{base}/account/login")
    page.fill("input[name=email]", account.email)
    page.fill("input[name=password]", account.password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard")


def shoot(base: str, result, app, instance: Path) -> None:
    from playwright.sync_api import sync_playwright

    contest_id = result.contest_id
    kk_juror = next(j for j in result.jurors if j.email.startswith("juror4"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)

        def person(locale="en-US"):
            context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 860},
                                          accept_downloads=True)
            context.set_default_timeout(20_000)
            page = context.new_page()
            page.on("dialog", lambda d: d.accept())
            return page

        juror = person("kk-KZ")
        login(juror, base, kk_juror)
        juror.goto(f"{base}/judging/")
        juror.screenshot(path=str(OUT / "demo-juror-dashboard-kk.png"), full_page=True)
        juror.click("main a[href*='/judging/review/'] >> nth=0")
        juror.screenshot(path=str(OUT / "demo-juror-review-kk.png"))

        organizer = person()
        login(organizer, base, result.organizer)
        organizer.goto(f"{base}/contests/{contest_id}/ranking")
        organizer.screenshot(path=str(OUT / "demo-ranking.png"))
        organizer.goto(f"{base}/contests/{contest_id}/ranking/statistics")
        organizer.screenshot(path=str(OUT / "demo-statistics.png"), full_page=True)
        organizer.goto(f"{base}/contests/{contest_id}/awards")
        organizer.click("form.publish-form button[type=submit]")
        organizer.wait_for_url("**/awards")
        organizer.screenshot(path=str(OUT / "demo-awards.png"))

        deadline = time.monotonic() + 120
        while (winner := kazakh_winner(app, result.students)) is None:
            if time.monotonic() > deadline:
                raise SystemExit("the worker did not issue the diplomas")
            time.sleep(1)
        student = person("kk-KZ")
        login(student, base, winner)
        student.screenshot(path=str(OUT / "demo-student-dashboard-kk.png"), full_page=True)
        with student.expect_download() as download:
            student.click("a[href*='/diplomas/'] >> nth=0")
        pdf = instance / "diploma.pdf"
        download.value.save_as(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf),
                        str(DIPLOMAS / "demo-diploma-kk")], check=True)
        browser.close()


def main() -> None:
    instance = Path(tempfile.mkdtemp(prefix="contest-demo-shots-"))
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"demo-shots-{uuid.uuid4().hex[:8]}:"
    (instance / "config.py").write_text(f"REDIS_URL = {redis_url!r}\nREDIS_PREFIX = {prefix!r}\n"
                                        "SECRET_KEY = 'demo-shots'\n")
    os.environ["CONTEST_INSTANCE_PATH"] = str(instance)
    result, app = build(instance)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "worker.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL),
             subprocess.Popen([sys.executable, "-m", "flask", "--app", "contest", "run", "--port", str(port),
                               "--no-reload"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)]
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        shoot(base, result, app, instance)
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=20)
        import redis

        conn = redis.Redis.from_url(redis_url)
        # the prefix's own keys and RQ's for our jobs, whose ids carry it with "-" for ":"
        # (contest.jobs.services.rq_job_id): "demo-shots-<hex>" matches both
        ours = prefix.rstrip(":")
        keys = list(conn.scan_iter(match=f"*{ours}*"))
        for shared in ("rq:queues", "rq:workers"):  # RQ's sets of every queue and worker seen
            names = [name for name in conn.smembers(shared) if ours.encode() in name]
            if names:
                conn.srem(shared, *names)
        for start in range(0, len(keys), 500):
            conn.delete(*keys[start:start + 500])
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
