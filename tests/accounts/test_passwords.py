"""Passwords are hashed with argon2 at the library's recommended cost unless configured otherwise
(the test suite lowers it in its instance config; production must not)."""
import pytest
from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from contest import create_app
from contest.accounts.services import hash_password, password_matches


def test_the_default_config_hashes_at_the_recommended_cost(instance_path):
    app = create_app({"TESTING": True, "ARGON2_PARAMS": None})
    with app.app_context():
        stored = hash_password("a long password")
    recommended = PasswordHasher()
    assert f"m={recommended.memory_cost},t={recommended.time_cost},p={recommended.parallelism}" in stored
    assert not recommended.check_needs_rehash(stored)
    recommended.verify(stored, "a long password")
    with pytest.raises(VerifyMismatchError):
        recommended.verify(stored, "another password")


def test_a_hash_made_at_another_cost_still_verifies(app, make_user):
    user = make_user(email="cheap@example.kz")
    app.config["ARGON2_PARAMS"] = None
    assert password_matches(user, "correct horse battery")
    assert not password_matches(user, "wrong")
    assert not password_matches(None, "correct horse battery")
