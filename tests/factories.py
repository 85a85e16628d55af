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


def make_contest(phase="draft", *, complete: bool = True, commit: bool = True, **fields):
    """A contest; `complete` adds a topic, a category, a criterion and a window (open now,
    closing in 30 days) so it can be opened."""
    from datetime import timedelta

    from contest.contests.models import Category, Contest, Criterion, Phase, Topic
    from contest.db import utcnow

    now = utcnow()
    contest = Contest(
        code_prefix=fields.pop("code_prefix", "ZT"), year=fields.pop("year", 2026),
        title=fields.pop("title", {"kk": "Құқықтық мәдениет", "ru": "Правовая культура"}),
        phase=Phase(phase), **fields)
    if complete:
        contest.opens_at = fields.get("opens_at") or now - timedelta(days=1)
        contest.closes_at = fields.get("closes_at") or now + timedelta(days=30)
        contest.topics = [Topic(title={"kk": "Заң және мен", "en": "The law and me"}, position=0)]
        contest.categories = [Category(name={"ru": "9–11 классы", "en": "Grades 9–11"}, position=0)]
        contest.criteria = [Criterion(name={"en": "Argument"}, min_score=0, max_score=10, step=1,
                                      weight=2, position=0)]
    db.session.add(contest)
    if commit:
        db.session.commit()
    return contest
