"""The demo at national size: tens of thousands of entries and thousands of jurors, built
in minutes so the scale figures can be reproduced through the web (issue 24).

What differs from the ordinary demo (seed.py), and why:
- Rows go in with bulk inserts, not one service call per student: the services' per-row
  checks, audit events and e-mails are what make 100,000 calls take hours.
- Essays are typed text (format "text", as if pasted), drawn from a pool of generated
  essays; each distinct text is stored once (storage is content-addressed) and extracted
  once with the real extraction code (`extraction.core.extract`, no sandbox: the text is
  our own), and every entry with that text gets that result.
- The contest is not blind, so no redaction is claimed for texts nobody redacted.
- Every generated juror and student shares one password, printed once; the organizer
  has their own.
Assignment uses the real planner; every review is submitted with scores from latent
quality + juror severity + noise, as in the ordinary demo. The contest is left in judging.
"""
from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from flask import current_app
from sqlalchemy import insert, update

from contest.accounts.models import User
from contest.accounts.services import hash_password
from contest.audit.services import record_event
from contest.contests import phases
from contest.contests.models import Contest, ContestJuror, JurorProfile, Phase
from contest.db import utcnow
from contest.demo import content, generator
from contest.demo.phrases import TOPIC_KEYS
from contest.demo.seed import DemoRefused, _empty_database, _set_up_contest, _staff, foreign_rows
from contest.enums import Role
from contest.extensions import db
from contest.extraction.core import extract
from contest.judging.assignment import EntryInfo, JurorInfo, plan_assignments
from contest.judging.models import Assignment, ReviewStatus
from contest.ranking.totals import Criterion as TotalCriterion
from contest.ranking.totals import weighted_total
from contest.schools import regions
from contest.schools.models import School
from contest.submissions import storage
from contest.submissions.models import Entry, EntryStatus, EntryVersion

POOL_PER_LANGUAGE = 200  # distinct generated essays per language
BATCH = 5000  # rows per INSERT round trip
SCHOOLS_PER_1000_ENTRIES = 8
ALL_ROUNDERS = 12  # the first jurors read every language and category: no entry goes short


@dataclass
class ScaleResult:
    contest: Contest
    organizer_email: str
    organizer_password: str
    shared_password: str
    juror_emails: list[str]
    student_emails: list[str]
    entries: int
    reviews: int
    replaced: bool


def _batches(rows, size=BATCH):
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _insert_returning_ids(model, rows: list[dict]) -> list[int]:
    """Bulk insert, ids back in the order of `rows` (one statement per batch)."""
    ids = []
    for chunk in _batches(rows):
        ids += db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True),
                                  chunk).all()
    return ids


def run_scale_demo(*, entries: int, jurors: int, seed: int = 2026, log=print) -> ScaleResult:
    """Build the contest at size; commits as it goes. Refuses like the ordinary demo."""
    found = foreign_rows()
    if any(found.values()):
        raise DemoRefused(f"this database holds real data ({found['users']} user(s) and "
                          f"{found['contests']} contest(s) not from a demo); the demo never touches it.")
    if current_app.config.get("MAIL_SERVER"):
        raise DemoRefused("MAIL_SERVER is set: the demo's e-mails would really be sent.")
    rng = random.Random(seed)
    replaced = _empty_database()
    organizer = _staff(Role.ORGANIZER, content.ORGANIZER[0], content.ORGANIZER[1], content.ORGANIZER[2])
    organizer.user.is_admin = True
    contest = _set_up_contest(organizer.user)
    contest.blind = False
    contest.formats = sorted({*contest.formats, "text"})
    record_event(action="demo.scale", actor=organizer.user, obj=contest, contest_id=contest.id,
                 new={"entries": entries, "jurors": jurors, "blind": False})
    db.session.commit()
    shared_password = secrets.token_urlsafe(9)
    password_hash = hash_password(shared_password)
    categories = [c.id for c in contest.categories]
    topics = [t.id for t in contest.topics]

    log(f"Schools and {jurors:,} jurors...")
    school_rows = _schools(rng, max(20, entries * SCHOOLS_PER_1000_ENTRIES // 1000))
    juror_infos, juror_ids, juror_emails, severity = _jurors(
        contest, rng, jurors, school_rows, categories, password_hash)
    db.session.commit()

    pool_size = min(POOL_PER_LANGUAGE, max(10, entries // 3))
    log(f"Essays: a pool of {3 * pool_size} texts, extracted once each...")
    pool = _essay_pool(rng, pool_size)

    log(f"{entries:,} students with one essay each...")
    entry_infos, quality, student_emails = _students_and_entries(
        contest, rng, entries, school_rows, categories, topics, pool, password_hash)
    db.session.commit()

    phases.change_phase(contest=contest, target=Phase.JUDGING, actor=organizer.user, force=True,
                        reason="Scale demo: every essay is in; judging starts.")
    log("Planning the assignment with the real planner...")
    plan = plan_assignments(entry_infos, juror_infos, k=contest.reviews_per_entry, seed=contest.id)
    log(f"{len(plan.pairs):,} reviews, scored and submitted...")
    reviews = _submitted_reviews(contest, plan.pairs, quality, severity, juror_ids, rng, organizer.user.id)
    db.session.commit()
    return ScaleResult(contest, organizer.account.email, organizer.account.password, shared_password,
                       juror_emails, student_emails, entries=len(entry_infos), reviews=reviews,
                       replaced=replaced)


def _schools(rng: random.Random, count: int) -> list[tuple[int, str, str]]:
    """(id, region code, name) of `count` schools spread over the regions."""
    codes = sorted(regions.codes())
    rows = [{"region": codes[i % len(codes)], "name": f"№{i + 1} мектеп-гимназия",
             "key": f"{i + 1} мектеп гимназия"} for i in range(count)]
    ids = _insert_returning_ids(School, rows)
    return [(school_id, row["region"], row["name"]) for school_id, row in zip(ids, rows)]


def _jurors(contest, rng, count, schools, categories, password_hash):
    now = utcnow()
    langs = (("ru",), ("ru", "kk"), ("kk",), ("ru", "en"), ("ru", "kk", "en"))
    users, profiles = [], []
    for i in range(count):
        school = rng.choice(schools) if rng.random() < 0.6 else None
        region = school[1] if school else rng.choice(schools)[1]
        users.append({"email": f"scale-juror{i + 1:05d}@{content.DEMO_DOMAIN}",
                      "password_hash": password_hash,
                      "full_name": f"Juror {i + 1:05d}", "role": Role.JUROR, "language": "ru",
                      "school": school[2] if school else "", "school_id": school[0] if school else None,
                      "region": region, "created_at": now, "updated_at": now})
        profiles.append(rng.choices(langs, (45, 25, 15, 10, 5))[0] if i >= ALL_ROUNDERS else langs[-1])
    ids = _insert_returning_ids(User, users)
    db.session.execute(insert(JurorProfile), [{"user_id": u, "languages": list(p), "capacity": None}
                                              for u, p in zip(ids, profiles)])
    cats = [sorted(categories) if i < ALL_ROUNDERS
            else sorted(rng.sample(categories, rng.randint(1, min(3, len(categories)))))
            for i in range(len(ids))]
    for chunk in _batches([{"contest_id": contest.id, "user_id": u, "category_ids": c, "capacity": None}
                           for u, c in zip(ids, cats)]):
        db.session.execute(insert(ContestJuror), chunk)
    infos = [JurorInfo(u, frozenset(p), frozenset(c), row["school"] or None, row["region"])
             for u, p, c, row in zip(ids, profiles, cats, users)]
    severity = {u: rng.gauss(0, 0.06) for u in ids}
    return infos, ids, [row["email"] for row in users], severity


def _essay_pool(rng: random.Random, size: int) -> dict[str, list[tuple[str, str, int, object]]]:
    """Per language: (stored name, sha256, extraction result) of distinct generated essays."""
    pool = {}
    for language in ("kk", "ru", "en"):
        items = []
        for _ in range(size):
            essay = generator.write_essay(rng, language=language, topic=rng.choice(TOPIC_KEYS),
                                          quality=rng.random())
            data = generator.essay_txt(essay)
            stored_name, digest = storage.store_bytes(data, "txt")
            items.append((stored_name, digest, len(data), extract(data, "txt", max_pages=5)))
        pool[language] = items
    return pool


def _students_and_entries(contest, rng, count, schools, categories, topics, pool, password_hash):
    now = utcnow()
    languages = rng.choices(("ru", "kk", "en"), weights=(55, 35, 10), k=count)
    first_last = content.STUDENT_NAMES
    users, picks = [], []
    for i, language in enumerate(languages):
        school = rng.choice(schools)
        first, last = first_last[language]
        users.append({"email": f"scale-student{i + 1:06d}@{content.DEMO_DOMAIN}",
                      "password_hash": password_hash, "full_name": f"{rng.choice(first)} {rng.choice(last)}",
                      "role": Role.STUDENT, "language": language, "school": school[2], "school_id": school[0],
                      "region": school[1], "grade": "", "publish_name_consent": rng.random() < 0.8,
                      "created_at": now, "updated_at": now})
        picks.append((rng.choice(categories), rng.choice(topics), rng.randrange(len(pool[language]))))
    student_ids = _insert_returning_ids(User, users)
    year = contest.year
    entry_rows = []
    for n, (student_id, language, (category_id, topic_id, k)) in enumerate(
            zip(student_ids, languages, picks), start=1):
        result = pool[language][k][3]
        entry_rows.append({"contest_id": contest.id, "student_id": student_id, "topic_id": topic_id,
                           "category_id": category_id, "code": f"{contest.code_prefix}-{year}-{n:04d}",
                           "status": EntryStatus.READY, "language": result.language,
                           "word_count": result.word_count, "updated_at": now,
                           # submitted over the 30 days before the build, in code order
                           "created_at": now - timedelta(days=30) * (count - n) / count})
    entry_ids = _insert_returning_ids(Entry, entry_rows)
    version_rows = []
    for entry_id, language, (_c, _t, k) in zip(entry_ids, languages, picks):
        stored_name, digest, size, result = pool[language][k]
        key = hashlib.sha256(f"scale-{entry_id}".encode()).hexdigest()[:64]
        version_rows.append({"entry_id": entry_id, "number": 1, "stored_name": stored_name, "sha256": digest,
                             "size": size, "format": "text", "uploaded_at": now, "extraction_status": "ok",
                             "attempts": 1, "submit_key": key, "text": result.text,
                             "juror_text": result.text, "word_count": result.word_count,
                             "language": result.language, "flags": [],
                             "language_shares": dict(result.language_shares), "extracted_at": now})
    version_ids = _insert_returning_ids(EntryVersion, version_rows)
    for chunk in _batches([{"id": e, "current_version_id": v} for e, v in zip(entry_ids, version_ids)]):
        db.session.execute(update(Entry), chunk)
    db.session.execute(update(Contest).where(Contest.id == contest.id).values(entry_counter=count))
    infos = [EntryInfo(e, row["language"] or "ru", row["category_id"], u["school"], u["region"])
             for e, row, u in zip(entry_ids, entry_rows, users)]
    quality = {e: rng.betavariate(2.2, 2.2) for e in entry_ids}
    return infos, quality, [u["email"] for u in users]


def _submitted_reviews(contest, pairs, quality, severity, juror_ids, rng, organizer_id) -> int:
    criteria = list(contest.criteria)
    total_criteria = [TotalCriterion(c.id, c.weight, c.min_score, c.max_score) for c in criteria]
    now = utcnow()

    def score(c, level):
        raw = c.min_score + min(1.0, max(0.0, level)) * (c.max_score - c.min_score)
        steps = round((raw - c.min_score) / c.step)
        return min(c.max_score, c.min_score + steps * c.step)

    def rows():
        for entry_id, juror_id in pairs:
            level = quality[entry_id] + severity[juror_id]
            scores = {c.id: score(c, level + rng.gauss(0, 0.07)) for c in criteria}
            yield {"contest_id": contest.id, "entry_id": entry_id, "juror_id": juror_id,
                   "status": ReviewStatus.SUBMITTED, "version": 1,
                   "scores": {str(k): v for k, v in scores.items()}, "criterion_comments": {},
                   "private_comment": "", "feedback": "", "total": weighted_total(scores, total_criteria),
                   "created_at": now, "updated_at": now, "submitted_at": now, "created_by_id": organizer_id}

    done = 0
    for chunk in _batches(rows()):
        db.session.execute(insert(Assignment), chunk)
        done += len(chunk)
    db.session.execute(update(Contest).where(Contest.id == contest.id).values(rubric_locked=True))
    return done
