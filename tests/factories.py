"""Factories for test data: real rows through real services where it matters."""
from __future__ import annotations

import itertools

from contest.accounts.models import User
from contest.accounts.services import hash_password
from contest.enums import Role
from contest.extensions import db

PASSWORD = "correct horse battery"
_counter = itertools.count(1)
_HASH = None


def _password_hash() -> str:
    global _HASH  # argon2 is deliberately slow: hash the shared test password once
    if _HASH is None:
        _HASH = hash_password(PASSWORD)
    return _HASH


def make_user(role: Role | str = Role.STUDENT, *, email: str | None = None, commit: bool = True,
              **fields) -> User:
    n = next(_counter)
    user = User(
        email=email or f"user{n}@example.kz", full_name=fields.pop("full_name", f"User {n}"),
        role=Role(role), password_hash=_password_hash(), language=fields.pop("language", "en"),
        school=fields.pop("school", f"School {n}"), region=fields.pop("region", "Almaty"),
        active=fields.pop("active", True), **fields,
    )
    db.session.add(user)
    if commit:
        db.session.commit()
    return user


def make_contest(*, phase: str = "open", k: int = 3, blind: bool = True, commit: bool = True,
                 n_topics: int = 2, n_categories: int = 2, criteria: tuple = ((0, 10, 1, 2), (0, 5, 0.5, 1)),
                 **fields):
    """An open contest with topics, categories and a rubric of (min, max, step, weight) criteria."""
    from datetime import timedelta

    from contest.contests.models import Category, Contest, Criterion, Phase, Topic
    from contest.db import utcnow

    now = utcnow()
    contest = Contest(
        code_prefix=fields.pop("code_prefix", "ZT"), year=fields.pop("year", 2026),
        title=fields.pop("title", {"kk": "Құқық бұзушылыққа төзбеушілік", "ru": "Нулевая терпимость",
                                   "en": "Zero tolerance"}),
        phase=Phase(phase), opens_at=fields.pop("opens_at", now - timedelta(days=10)),
        closes_at=fields.pop("closes_at", now + timedelta(days=10)), reviews_per_entry=k, blind=blind,
        **fields,
    )
    contest.topics = [Topic(title={"en": f"Topic {i + 1}", "ru": f"Тема {i + 1}"}, position=i)
                      for i in range(n_topics)]
    contest.categories = [Category(name={"en": f"Category {i + 1}", "ru": f"Категория {i + 1}"}, position=i)
                          for i in range(n_categories)]
    contest.criteria = [Criterion(name={"en": f"Criterion {i + 1}", "kk": f"Критерий {i + 1}"}, min_score=lo,
                                  max_score=hi, step=step, weight=w, position=i)
                        for i, (lo, hi, step, w) in enumerate(criteria)]
    db.session.add(contest)
    if commit:
        db.session.commit()
    return contest


def make_entry(contest, student=None, *, text: str = "An essay about law and order. " * 40,
               status: str = "ready", language: str = "en", topic=None, category=None, commit: bool = True):
    """An entry with one extracted text version (no file on disk: format 'text')."""
    import hashlib

    from contest.submissions.models import Entry, EntryStatus, EntryVersion

    student = student or make_user(Role.STUDENT, commit=False)
    contest.entry_counter += 1
    digest = hashlib.sha256(text.encode()).hexdigest()
    entry = Entry(contest_id=contest.id, topic_id=(topic or contest.topics[0]).id,
                  category_id=(category or contest.categories[0]).id,
                  code=f"{contest.code_prefix}-{contest.year}-{contest.entry_counter:04d}",
                  status=EntryStatus(status), language=language, word_count=len(text.split()))
    entry.student_id = student.id if student.id else None
    if entry.student_id is None:
        db.session.flush()
        entry.student_id = student.id
    version = EntryVersion(number=1, original_name="essay.txt", stored_name=f"{digest}.txt", sha256=digest,
                           size=len(text.encode()), format="text", extraction_status="ok", text=text,
                           juror_text=text, word_count=len(text.split()), language=language, page_count=1)
    entry.versions.append(version)
    db.session.add(entry)
    db.session.flush()
    entry.current_version_id = version.id
    if commit:
        db.session.commit()
    return entry


def make_juror(*, languages=("kk", "ru", "en"), contest=None, category_ids=None, capacity=None, **fields):
    """A juror with a profile, attached to `contest` (all its categories unless given)."""
    from contest.contests.models import ContestJuror, JurorProfile

    juror = make_user(Role.JUROR, commit=False, **fields)
    db.session.flush()
    db.session.add(JurorProfile(user_id=juror.id, languages=list(languages), capacity=capacity))
    if contest is not None:
        ids = category_ids if category_ids is not None else [c.id for c in contest.categories]
        db.session.add(ContestJuror(contest_id=contest.id, user_id=juror.id, category_ids=ids,
                                    capacity=capacity))
    db.session.commit()
    return juror


def make_assignment(entry, juror, *, status: str = "new", scores: dict | None = None, version: int = 0,
                    commit: bool = True):
    """An assignment (with its review state) of `entry` to `juror`."""
    from contest.judging.models import Assignment, ReviewStatus

    assignment = Assignment(contest_id=entry.contest_id, entry_id=entry.id, juror_id=juror.id,
                            status=ReviewStatus(status), version=version,
                            scores={str(k): v for k, v in (scores or {}).items()})
    db.session.add(assignment)
    if commit:
        db.session.commit()
    return assignment
