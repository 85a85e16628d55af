"""The HTML of the pages bench/pages.py measures (and their neighbours that share the layout),
in kk, ru and en, written to a folder: run it before and after a change meant to keep them
the same, then `diff -r` the two folders. CSRF tokens and times of the draft save are masked.

    PROF_DATABASE_URL=<a database bench/prof_pages.py kept> python bench/page_snapshots.py OUT_DIR

The draft save comes first with fixed values, so that a second run reads the same state.
"""
import os
import re
import sys
import tempfile
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import pages  # noqa: E402

JUROR, STUDENT = "j0@example.kz", "s1@example.kz"
REGISTRY_VIEWS = ("", "?q=school+1&sort=school&page=2", "?status=ready&sort=author&desc=y", "?page=3",
                  "?category_id=2&reviews=incomplete", "?q=%D0%B6%D0%BE%D0%BA", "?award=any&sort=score",
                  "?coordinator=x&page=2", "?flag=any", "?page=999", "?sort=words&desc=y&region=Region+3")


def _enrich() -> None:
    """Once per database: what the bench's data lacks and the pages show (a coordinator's
    pupils, flags, awards with a tier, messages in the juror's and the organizer's inbox)."""
    from sqlalchemy import insert, select, update

    from contest.accounts.models import User
    from contest.awards.models import Award
    from contest.contests.models import AwardTier
    from contest.coordinators.models import Pupil
    from contest.db import utcnow
    from contest.extensions import db
    from contest.messages.models import Message, MessageRecipient
    from contest.submissions.models import EntryVersion

    if db.session.scalar(select(User.id).where(User.email == "coordinator@example.kz")):
        return
    now = utcnow()
    coordinator = User(email="coordinator@example.kz", full_name="Гүлнар <Coordinator>", role="coordinator",
                       language="kk", school="School 1", region="Region 1")
    tier = AwardTier(contest_id=1, name={"kk": "Бірінші орын", "ru": "Первое место", "en": "First & best"},
                     rule="count", count=5, position=0)
    db.session.add_all([coordinator, tier])
    db.session.flush()
    db.session.execute(insert(Pupil), [{"coordinator_id": coordinator.id, "user_id": i, "created_at": now}
                                       for i in range(2, 40, 3)])
    db.session.execute(insert(Award), [{"contest_id": 1, "entry_id": i, "tier_id": tier.id if i < 6 else None,
                                        "place": i, "score": 90 - i * 1.25, "updated_at": now}
                                       for i in range(1, 30)])
    db.session.execute(update(EntryVersion).where(EntryVersion.entry_id.in_(range(1, 80, 7)))
                       .values(flags=[{"code": "no_text", "level": "attention"}, {"code": "too_long"}]))
    message = Message(contest_id=1, audience="jurors", subject={"kk": "Хабар", "ru": "Сообщение <b>",
                                                                 "en": "A message & more"},
                      body={"kk": "Мәтін", "ru": "Текст\nвторая строка", "en": "Text"}, status="done",
                      created_at=now)
    db.session.add(message)
    db.session.flush()
    for email in (JUROR, pages.ORGANIZER, STUDENT):
        user_id = db.session.scalar(select(User.id).where(User.email == email))
        db.session.add(MessageRecipient(message_id=message.id, user_id=user_id, status="sent", sent_at=now))
    db.session.commit()


def _mask(body: str) -> str:
    body = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value="…"', body)
    body = re.sub(r'"csrf_token": "[^"]*"|csrf-token" content="[^"]*"', "csrf…", body)
    body = re.sub(r'name="version" id="review-version" value="\d+"', 'name="version" …', body)
    return re.sub(r'"saved_at":\s*"[^"]*"|"version":\s*\d+', "…", body)


def main(out: Path) -> None:
    url = os.environ["PROF_DATABASE_URL"]
    folder = Path(tempfile.mkdtemp(prefix="snap-"))
    redis_url, embedded = pages._redis_url(folder)
    (folder / "config.py").write_text(f"SQLALCHEMY_DATABASE_URI = {url!r}\nSECRET_KEY = 'b'\n"
                                      f"REDIS_URL = {redis_url!r}\nREDIS_PREFIX = 'snap:'\n")
    os.environ["CONTEST_INSTANCE_PATH"] = str(folder)
    out.mkdir(parents=True, exist_ok=True)
    try:
        from contest import create_app
        from contest.extensions import db

        app = create_app()
        app.config["WTF_CSRF_ENABLED"] = False
        with app.app_context():
            _enrich()
        for lang in ("kk", "ru", "en"):
            with app.app_context():
                db.session.execute(text('UPDATE "user" SET language = :l WHERE email IN (:a, :b, :c)'),
                                   {"l": lang, "a": JUROR, "b": STUDENT, "c": pages.ORGANIZER})
                db.session.commit()
            clients = {}
            for who, email in (("juror", JUROR), ("student", STUDENT), ("organizer", pages.ORGANIZER)):
                client = clients[who] = app.test_client()
                response = client.post("/account/login", data={"email": email, "password": pages.PASSWORD})
                assert response.status_code == 302, (who, response.status_code)
            juror, organizer = clients["juror"], clients["organizer"]
            anonymous = app.test_client()
            anonymous.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
            dashboard = juror.get("/judging/").get_data(as_text=True)
            aids = re.findall(r'href="/judging/review/(\d+)"', dashboard)
            first = juror.get(f"/judging/review/{aids[0]}").get_data(as_text=True)
            version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', first)
            version = version.group(1) or version.group(2)
            criteria = re.findall(r'name="score_(\d+)"', first)
            form = {"version": version, "feedback": f"Snapshot {lang}", "private_comment": "note"}
            form.update({f"score_{c}": (i * 3) % 11 for i, c in enumerate(criteria)})
            shots = {
                "save.json": juror.post(f"/judging/review/{aids[0]}/save", data=form,
                                        headers={"Accept": "application/json"}),
                "save-stale.json": juror.post(f"/judging/review/{aids[0]}/save", data=form,
                                              headers={"Accept": "application/json"}),
                "save-bad.json": juror.post(f"/judging/review/{aids[0]}/save", data={**form, "version": "x"},
                                            headers={"Accept": "application/json"}),
                "dashboard.html": juror.get("/judging/"),
                "home-juror.html": juror.get("/dashboard"),
                "profile-juror.html": juror.get("/"),
                "home-student.html": clients["student"].get("/dashboard"),
                "home-organizer.html": organizer.get("/dashboard"),
                "overview.html": organizer.get("/contests/1"),
                "results.html": anonymous.get("/contests/2/results"),
                "results-organizer.html": organizer.get("/contests/2/results"),
                "home-anonymous.html": anonymous.get("/"),
                "login.html": anonymous.get("/account/login"),
            }
            for i, aid in enumerate(aids[:3] + aids[-2:]):
                shots[f"reading-{i}.html"] = juror.get(f"/judging/review/{aid}")
            for i, view in enumerate(REGISTRY_VIEWS):
                shots[f"registry-{i}.html"] = organizer.get(f"/contests/1/desk/entries{view}")
            shots["registry.csv"] = organizer.get(
                "/contests/1/desk/entries/export.csv?q=school+1&sort=school")
            for name, response in shots.items():
                body = f"{response.status_code} {response.headers.get('Location', '')}\n"
                body += _mask(response.get_data(as_text=True))
                (out / f"{lang}-{name}").write_text(body)
        print(f"{len(list(out.iterdir()))} pages written to {out}")
    finally:
        if embedded:
            embedded.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
