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
