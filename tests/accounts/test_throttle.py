"""Sign-in throttling (OWASP device cookies): attackers are slowed, victims are not locked out.

Each test plays both sides: the attacker's answers and what the victim sees meanwhile.
Clients are told apart by address (REMOTE_ADDR) and by their own cookie jar.
"""
import pytest

from contest.accounts import throttle
from contest.enums import Role
from tests.accounts.helpers import expire_waits, link_in_last_mail
from tests.factories import PASSWORD

pytestmark = pytest.mark.postgres

ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
HOME = {"REMOTE_ADDR": "198.51.100.7"}
CAFE = {"REMOTE_ADDR": "192.0.2.40"}
WRONG = "not the password"


def _login(client, email, password, env):
    return client.post("/account/login", data={"email": email, "password": password}, environ_base=env)


def _attack(app, email, attempts, env=ATTACKER):
    attacker = app.test_client()
    return [_login(attacker, email, f"guess {i}", env).status_code for i in range(attempts)]


def _trusted_browser(app, user, env=HOME):
    """A browser the user signed in from before (and signed out of)."""
    browser = app.test_client()
    assert _login(browser, user.email, PASSWORD, env).status_code == 302
    browser.post("/account/logout", environ_base=env)
    return browser


@pytest.mark.parametrize("failures, expected", [
    (0, 0), (4, 0), (5, 2), (6, 4), (7, 8), (10, 64), (14, 900), (1000, 900)])
def test_delay_doubles_after_the_free_failures_up_to_the_cap(failures, expected):
    assert throttle.delay_after(failures, free=5, base=2, cap=900) == expected


def test_victim_signs_in_from_known_device_during_an_attack(app, make_user):
    victim = make_user(email="victim@example.kz")
    laptop = _trusted_browser(app, victim)
    codes = _attack(app, victim.email, 30)
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 25  # the attacker is slowed at once
    response = _login(laptop, victim.email, PASSWORD, HOME)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"


def test_unknown_client_waits_progressively_even_with_the_right_password(app, make_user):
    victim = make_user(email="victim@example.kz")
    assert _attack(app, victim.email, 5) == [200] * 5
    new_phone = app.test_client()
    refused = _login(new_phone, victim.email, PASSWORD, CAFE)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"
    assert b"Try again in 2 seconds" in refused.data
    waits = []
    for _ in range(3):
        expire_waits()  # the wait is over
        assert _attack(app, victim.email, 1) == [200]
        waits.append(_login(new_phone, victim.email, PASSWORD, CAFE).headers["Retry-After"])
    assert waits == ["4", "8", "16"]
    expire_waits()
    assert _login(new_phone, victim.email, PASSWORD, CAFE).status_code == 302


@pytest.mark.parametrize("app_config", [{"LOGIN_DELAY_SECONDS": 1}])
def test_wait_ends_by_itself(app, make_user):
    import time

    victim = make_user(email="victim@example.kz")
    _attack(app, victim.email, 5)
    browser = app.test_client()
    assert _login(browser, victim.email, PASSWORD, CAFE).status_code == 429
    time.sleep(1.05)
    assert _login(browser, victim.email, PASSWORD, CAFE).status_code == 302


def test_unknown_email_is_throttled_exactly_like_a_known_one(app, make_user):
    make_user(email="known@example.kz")
    known = _attack(app, "known@example.kz", 8)
    unknown = _attack(app, "nobody@example.kz", 8, env=CAFE)
    assert known == unknown == [200] * 5 + [429] * 3


def test_completed_reset_clears_the_counters_and_trusts_that_browser(app, make_user):
    victim = make_user(email="victim@example.kz")
    _attack(app, victim.email, 7)
    new_laptop = app.test_client()
    assert _login(new_laptop, victim.email, PASSWORD, CAFE).status_code == 429
    new_laptop.post("/account/reset", data={"email": victim.email}, environ_base=CAFE)
    link = link_in_last_mail(victim.email)
    new = {"password": "a brand new password", "confirm": "a brand new password"}
    assert new_laptop.post(link, data=new, environ_base=CAFE).status_code == 302
    assert _login(app.test_client(), victim.email, new["password"], HOME).status_code == 302  # cleared
    _attack(app, victim.email, 10)  # the attack goes on
    assert _login(new_laptop, victim.email, new["password"], CAFE).status_code == 302  # trusted now


def test_device_cookie_trusts_only_its_own_account(app, make_user):
    sister, brother = make_user(email="sister@example.kz"), make_user(email="brother@example.kz")
    family_pc = _trusted_browser(app, sister)
    _attack(app, brother.email, 5)
    assert _login(family_pc, brother.email, PASSWORD, HOME).status_code == 429
    assert _login(family_pc, sister.email, PASSWORD, HOME).status_code == 302


def test_guessing_with_a_stolen_device_cookie_is_limited(app, make_user):
    victim = make_user(email="victim@example.kz")
    laptop = _trusted_browser(app, victim)
    thief = app.test_client()
    thief.set_cookie("contest_device", laptop.get_cookie("contest_device").value)
    limit = app.config["LOGIN_DEVICE_MAX_FAILURES"]
    assert [_login(thief, victim.email, WRONG, ATTACKER).status_code for _ in range(limit)] == [200] * limit
    _attack(app, victim.email, 5, env=CAFE)  # the account is waiting for unknown clients
    assert _login(thief, victim.email, PASSWORD, ATTACKER).status_code == 429  # no longer trusted
    assert _login(laptop, victim.email, PASSWORD, HOME).status_code == 429  # the same cookie
    fresh = _trusted_browser_after_reset(app, victim)
    assert _login(fresh, victim.email, "after reset password", HOME).status_code == 302


def _trusted_browser_after_reset(app, user):
    browser = app.test_client()
    browser.post("/account/reset", data={"email": user.email}, environ_base=HOME)
    data = {"password": "after reset password", "confirm": "after reset password"}
    assert browser.post(link_in_last_mail(user.email), data=data, environ_base=HOME).status_code == 302
    return browser


def test_password_spraying_from_one_client_is_slowed(app, make_user):
    users = [make_user(email=f"pupil{i}@example.kz") for i in range(8)]
    sprayer = app.test_client()
    codes = [_login(sprayer, users[i % 8].email, f"Password{i // 8}", ATTACKER).status_code
             for i in range(24)]
    free = app.config["LOGIN_CLIENT_FREE_FAILURES"]
    assert codes[:free] == [200] * free and codes[free:] == [429] * (24 - free)


def test_spraying_does_not_stop_a_school_behind_the_same_address(app, make_user):
    """Pupils who signed in from their browser before keep signing in; the sprayer waits."""
    regular = make_user(Role.STUDENT, email="regular@example.kz")
    pupil_pc = _trusted_browser(app, regular, env=ATTACKER)  # the same school address
    free = app.config["LOGIN_CLIENT_FREE_FAILURES"]
    sprayed = [_attack(app, f"s{i}@example.kz", 1)[0] for i in range(free)]
    assert sprayed == [200] * free
    assert _login(app.test_client(), "z@example.kz", WRONG, ATTACKER).status_code == 429
    assert _login(pupil_pc, regular.email, PASSWORD, ATTACKER).status_code == 302
    assert _login(app.test_client(), regular.email, PASSWORD, HOME).status_code == 302  # elsewhere


def test_spoofed_forwarded_for_changes_nothing_without_trusted_proxies(app, make_user):
    sprayer = app.test_client()
    codes = [sprayer.post("/account/login", data={"email": f"p{i}@example.kz", "password": WRONG},
                          environ_base=ATTACKER, headers={"X-Forwarded-For": f"10.0.{i}.1"}).status_code
             for i in range(21)]
    assert codes[-1] == 429


def test_redis_down_fails_open(app, make_user):
    user = make_user(email="someone@example.kz")
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    app.extensions.pop("contest_redis", None)
    try:
        assert _login(app.test_client(), user.email, PASSWORD, HOME).status_code == 302
    finally:
        app.extensions.pop("contest_redis", None)
