"""The demo contest, built through the real services: set-up, accounts, uploads, extraction,
assignment and scored reviews. The contest is left in judging, ready to rank and publish.

Every demo account has an e-mail @demo.example.kz and every demo contest is created by the
demo organizer; a database holding anything else is real and is never touched. A database
holding only an earlier demo is emptied and filled again.
"""
from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, or_, select

from contest.accounts import services as accounts
from contest.accounts.models import TokenPurpose, User
from contest.contests import items, jurors, phases
from contest.contests.models import Contest, Phase
from contest.contests.services import ContestSettings, create_contest, update_diploma
from contest.db import utcnow
from contest.demo import content, generator
from contest.demo.phrases import FEEDBACK, TOPIC_KEYS
from contest.enums import Role
from contest.extensions import db
from contest.jobs.models import Job, JobStatus
from contest.jobs.services import run_job
from contest.judging.assign_services import preview_plan, save_plan
from contest.judging.models import Assignment
from contest.judging.services import ReviewInput, submit_review
from contest.submissions.models import Entry, EntryStatus
from contest.submissions.services import Upload, submit_entry

DEMO_EMAIL = f"%@{content.DEMO_DOMAIN}"
ALMATY = ZoneInfo("Asia/Almaty")


class DemoRefused(RuntimeError):
    """The database holds data that is not from a demo (or e-mail would really be sent)."""


@dataclass
class Account:
    role: str
    email: str
    password: str
    name: str
    note: str = ""


@dataclass
class DemoResult:
    contest: Contest
    organizer: Account
    jurors: list[Account]
    students: list[Account]
    entries: int = 0
    assignments: int = 0
    finalists: int = 0  # with --rounds 2: the shortlist judged again by the final jury
    final_reviews: int = 0
    replaced: bool = False
    not_ready: list[str] = field(default_factory=list)


def foreign_rows() -> dict[str, int]:
    """Rows that are not from a demo: users outside the demo domain, contests not created
    by a demo user."""
    users = db.session.scalar(select(func.count(User.id)).where(User.email.not_like(DEMO_EMAIL)))
    demo_ids = select(User.id).where(User.email.like(DEMO_EMAIL))
    contests = db.session.scalar(select(func.count(Contest.id)).where(
        or_(Contest.created_by_id.is_(None), Contest.created_by_id.not_in(demo_ids))))
    return {"users": users or 0, "contests": contests or 0}


def _empty_database() -> bool:
    """Remove an earlier demo (every row is a demo row: checked before). True if one was there."""
    had_demo = bool(db.session.scalar(select(func.count(User.id))))
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    return had_demo


def _password() -> str:
    return secrets.token_urlsafe(9)


def _email(login: str) -> str:
    return f"{login}@{content.DEMO_DOMAIN}"


def run_demo(*, entries: int = 60, seed: int = 2026, rounds: int = 1, log=print) -> DemoResult:
    """Build the whole demo; commits as it goes. Raises DemoRefused before writing anything
    when the database holds real data or SMTP is configured. With rounds=2 the first round is
    closed, the top 3 of each category are shortlisted (students told by e-mail) and a final
    jury of three reads every finalist (full panel)."""
    found = foreign_rows()
    if any(found.values()):
        raise DemoRefused(f"this database holds real data ({found['users']} user(s) and "
                          f"{found['contests']} contest(s) not from a demo); the demo never touches it.")
    if current_app.config.get("MAIL_SERVER"):
        raise DemoRefused("MAIL_SERVER is set: the demo's e-mails would really be sent. "
                          "Run it with e-mail going to the outbox folder.")
    rng = random.Random(seed)
    replaced = _empty_database()
    organizer = _staff(Role.ORGANIZER, content.ORGANIZER[0], content.ORGANIZER[1], content.ORGANIZER[2])
    organizer.user.is_admin = True  # the demo's only organizer administers the site
    contest = _set_up_contest(organizer.user)
    juror_accounts = _jury(contest, organizer.user)
    db.session.commit()
    log(f"Contest and jury set up; submitting {entries} essays (PDF, DOCX, TXT in kk/ru/en)...")
    students, quality = _students_and_entries(contest, entries, rng)
    db.session.commit()
    log("Extracting the essays with the real extraction code (in this process)...")
    _run_queued_jobs()
    not_ready = list(db.session.scalars(select(Entry.code).where(
        Entry.contest_id == contest.id, Entry.status != EntryStatus.READY)))
    phases.change_phase(contest=contest, target=Phase.JUDGING, actor=organizer.user, force=True,
                        reason="Demo: every essay is in; judging starts before the deadline.")
    preview = preview_plan(contest=contest)
    save_plan(contest=contest, actor=organizer.user, fingerprint=preview.fingerprint, inline=True)
    db.session.commit()
    log(f"Assigned {len(preview.plan.pairs)} reviews to {len(juror_accounts)} jurors; scoring them...")
    assignments = _score_everything(contest, {a.user.id: a for a in juror_accounts}, quality, rng)
    db.session.commit()
    _run_queued_jobs()
    result = DemoResult(contest, organizer.account, [j.account for j in juror_accounts],
                        [s.account for s in students], entries=len(quality), assignments=assignments,
                        replaced=replaced, not_ready=not_ready)
    if rounds == 2:
        result.finalists, result.final_reviews = _final_round(contest, organizer.user, juror_accounts,
                                                              quality, rng, log)
    return result


FINAL_JURY = ("juror2", "juror5", "juror8")  # they read kk, ru and en and cover every category


def _final_round(contest: Contest, organizer: User, people: list[_Person], quality: dict,
                 rng: random.Random, log) -> tuple[int, int]:
    """Close the first round, shortlist the top 3 per category, judge the finalists again."""
    from contest.rounds import services as rounds
    from contest.rounds.queries import get_round, shortlisted_entry_ids

    final_jury = [p for p in people if p.user.email.split("@")[0] in FINAL_JURY]
    rounds.setup_rounds(contest=contest, actor=organizer, mode="panel", reviews_per_entry=None,
                        juror_ids=[p.user.id for p in final_jury])
    rounds.close_round(contest=contest, round_no=1, actor=organizer)
    rounds.propose_shortlist(contest=contest, kind="top_n", value=3, actor=organizer)
    rounds.confirm_shortlist(contest=contest, actor=organizer, notify=True)
    db.session.commit()
    finalists = len(shortlisted_entry_ids(get_round(contest.id, 2).id))
    preview = preview_plan(contest=contest)
    save_plan(contest=contest, actor=organizer, fingerprint=preview.fingerprint, inline=True)
    db.session.commit()
    log(f"Final round: {finalists} finalists, {len(preview.plan.pairs)} reviews by the final jury; "
        "scoring...")
    done = _score_everything(contest, {p.user.id: p for p in final_jury}, quality, rng, round_no=2)
    db.session.commit()
    _run_queued_jobs()
    return finalists, done


@dataclass
class _Person:
    user: User
    account: Account
    severity: float = 0.0


def _staff(role: Role, login: str, name: str, language: str, note: str = "") -> _Person:
    password = _password()
    user = accounts.create_staff_user(email=_email(login), full_name=name, password=password, role=role,
                                      language=language)
    return _Person(user, Account(role.value, user.email, password, name, note))


def _set_up_contest(organizer: User) -> Contest:
    now = utcnow().astimezone(ALMATY).replace(tzinfo=None, second=0, microsecond=0)
    settings = ContestSettings(
        title=content.TITLE, description=content.DESCRIPTION, code_prefix="ZT", year=now.year,
        opens_local=(now - timedelta(days=21)).replace(hour=9, minute=0),
        closes_local=(now + timedelta(days=2)).replace(hour=18, minute=0),
        min_words=100, max_words=1500, soft_margin_pct=10, max_pages=5, reviews_per_entry=3)
    contest = create_contest(settings=settings, actor=organizer)
    for title in content.TOPICS:
        items.save_topic(contest=contest, title=title)
    for name in content.CATEGORIES:
        items.save_category(contest=contest, name=name)
    for name, description, lo, hi, step, weight, levels in content.CRITERIA:
        items.save_criterion(contest=contest, actor=organizer, name=name, description=description,
                             min_score=lo, max_score=hi, step=step, weight=weight, levels=levels)
    for name, count in content.TIERS:
        items.save_award_tier(contest=contest, name=name, rule="count", category_id=None, count=count,
                              min_score=None)
    for name, title in content.SIGNATORIES:
        items.save_signatory(contest=contest, name=name, title=title)
    update_diploma(contest=contest, issuer=content.ISSUER)
    phases.change_phase(contest=contest, target=Phase.OPEN, actor=organizer)
    return contest


def _jury(contest: Contest, organizer: User) -> list[_Person]:
    people = []
    for login, name, language, reads, category_indexes, school, severity in content.JURORS:
        leaning = "harsh" if severity < 0 else "lenient" if severity > 0 else "neutral"
        person = _staff(Role.JUROR, login, name, language,
                        note=f"reads {'/'.join(reads)}; {leaning}: {severity * 100:+.0f} points")
        person.severity = severity
        jurors.update_juror_profile(juror=person.user, actor=organizer, languages=list(reads), school=school,
                                    region="Almaty")
        jurors.attach_juror(contest=contest, juror=person.user, actor=organizer, capacity=None,
                            category_ids=[contest.categories[i].id for i in category_indexes])
        people.append(person)
    return people


def _students_and_entries(contest: Contest, count: int, rng: random.Random) -> tuple[list[_Person], dict]:
    """Register `count` students (confirmed) and submit one generated essay each."""
    people, quality = [], {}
    languages = rng.choices(("kk", "ru", "en"), weights=(4, 4, 2), k=count)
    for i, language in enumerate(languages):
        category_index = i % len(contest.categories)
        person = _student(i + 1, language, category_index, rng)
        q = rng.betavariate(2.2, 2.2)
        topic_index = rng.randrange(len(TOPIC_KEYS))
        author_line = f"{person.user.full_name}, {person.user.school}" if rng.random() < 0.35 else ""
        essay = generator.write_essay(rng, language=language, topic=TOPIC_KEYS[topic_index], quality=q,
                                      author_line=author_line)
        filename, data = generator.essay_file(essay, generator.FORMATS[i % 3], author=person.user.full_name)
        version = submit_entry(student=person.user, contest=contest, topic_id=contest.topics[topic_index].id,
                               category_id=contest.categories[category_index].id,
                               upload=Upload(filename=filename, data=data), submit_key=secrets.token_hex(16))
        quality[version.entry_id] = q
        person.account.note = f"{language}, {generator.FORMATS[i % 3].upper()}, entry {version.entry.code}"
        people.append(person)
    return people, quality


def _student(n: int, language: str, category_index: int, rng: random.Random) -> _Person:
    first, last = content.STUDENT_NAMES[language]
    name = f"{rng.choice(first)} {rng.choice(last)}"
    password = _password()
    minor = category_index < 2
    user = accounts.register_student(
        email=_email(f"student{n:02d}"), password=password, full_name=name,
        school=rng.choice(content.STUDENT_SCHOOLS), grade=rng.choice(content.GRADES[category_index]),
        region=rng.choice(content.REGIONS), language=language, is_minor=minor, guardian_consent=minor,
        publish_name_consent=rng.random() < 0.8)
    _token, raw = accounts.issue_token(purpose=TokenPurpose.CONFIRM, ttl=timedelta(hours=1), user=user,
                                       email=user.email)
    accounts.confirm_registration(raw_token=raw)
    return _Person(user, Account("student", user.email, password, name))


def _run_queued_jobs() -> None:
    """Run every queued job (extraction, e-mail to the outbox) here, as a worker would; a
    worker that picks the same job from Redis later finds it done and skips it."""
    from contest.extraction import sandbox

    sandbox.preload()
    for job_id in list(db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED)
                                          .order_by(Job.created_at))):
        run_job(job_id)


def _score(criterion, level: float) -> float:
    """A point on the criterion's scale (level 0..1), on its step grid, within its range."""
    raw = criterion.min_score + level * (criterion.max_score - criterion.min_score)
    steps = round((raw - criterion.min_score) / criterion.step)
    return min(criterion.max_score, max(criterion.min_score, criterion.min_score + steps * criterion.step))


def _score_everything(contest: Contest, people: dict[int, _Person], quality: dict[int, float],
                      rng: random.Random, round_no: int = 1) -> int:
    """Every assignment of the round scored and submitted: latent quality + juror severity + noise."""
    from contest.rounds.queries import criteria_for

    criteria = criteria_for(contest.id, round_no)
    languages = dict(db.session.execute(
        select(Entry.id, Entry.language).where(Entry.contest_id == contest.id)).all())
    strengths = {(e, c.id): rng.gauss(0, 0.05) for e in quality for c in criteria}
    done = 0
    for assignment in db.session.scalars(select(Assignment).where(Assignment.contest_id == contest.id,
                                                                  Assignment.round_no == round_no)
                                         .order_by(Assignment.id)):
        juror = people[assignment.juror_id]
        q = quality[assignment.entry_id]
        scores = {c.id: _score(c, q + juror.severity + strengths[(assignment.entry_id, c.id)]
                               + rng.gauss(0, 0.07)) for c in criteria}
        feedback = FEEDBACK[languages[assignment.entry_id] or "ru"][0 if q > 0.66 else 1 if q < 0.4 else 2]
        data = ReviewInput(base_version=assignment.version, scores=scores, criterion_comments={},
                           feedback=feedback)
        done += submit_review(assignment=assignment, contest=contest, actor=juror.user, data=data,
                              criteria=criteria)
    return done
