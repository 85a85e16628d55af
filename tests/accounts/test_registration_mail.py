"""E-mail to addresses that never confirmed: fixed text only, and not too often.

Registration and reset e-mails are limited per address and per client (case 52)."""
import pytest
from sqlalchemy import func, select

from contest.extensions import db
from contest.jobs.models import Job
from contest.mail.models import OutgoingEmail
from tests.accounts.helpers import mails_to, run_jobs

pytestmark = pytest.mark.postgres

SPAM = "Ваш аккаунт заблокирован, войдите по ссылке http://evil.example/login"
REGISTRATION = {
    "full_name": SPAM, "email": "stranger@example.kz", "password": "a long password",
    "school": "School http://evil.example/s", "region": "Almaty evil.example", "grade": "9-11",
    "language": "ru",
}


def _register(client, email="stranger@example.kz", addr="203.0.113.5"):
    return client.post("/account/register", data={**REGISTRATION, "email": email},
                       environ_base={"REMOTE_ADDR": addr})


def _assert_no_registrant_text(message):
    for text in (message.subject, message.body):
        assert "evil.example" not in text and "заблокирован" not in text and "School" not in text


def test_confirmation_mail_carries_no_registrant_text(client):
    assert _register(client).status_code == 200
    run_jobs()
    [message] = mails_to("stranger@example.kz")
    _assert_no_registrant_text(message)
    assert "http://contest.test/account/confirm/" in message.body
    assert message.body.splitlines()[0] == "Здравствуйте, stranger@example.kz!"  # by address, in ru


def test_already_registered_mail_carries_no_registrant_text(client, make_user):
    make_user(email="stranger@example.kz", full_name="Real Owner")
    assert _register(client).status_code == 200
    run_jobs()
    [message] = mails_to("stranger@example.kz")
    _assert_no_registrant_text(message)
    assert "http://contest.test/account/reset" in message.body


def test_registration_mails_are_limited_per_address(app, client):
    limit = app.config["ACCOUNT_MAILS_PER_ADDRESS"]
    codes = [_register(client, addr=f"198.51.100.{i}").status_code for i in range(limit + 2)]
    assert codes == [200] * limit + [429] * 2
    run_jobs()
    assert len(mails_to("stranger@example.kz")) == limit


def test_reset_requests_share_the_address_limit(app, client, make_user):
    user = make_user(email="owner@example.kz")
    limit = app.config["ACCOUNT_MAILS_PER_ADDRESS"]
    codes = [client.post("/account/reset", data={"email": user.email},
                         environ_base={"REMOTE_ADDR": f"198.51.100.{i}"}).status_code
             for i in range(limit + 1)]
    assert codes == [200] * limit + [429]
    run_jobs()
    assert len(mails_to(user.email)) == limit


def test_registration_mails_are_limited_per_client(app, client):
    limit = app.config["ACCOUNT_MAILS_PER_CLIENT"]
    codes = [_register(client, email=f"victim{i}@example.kz").status_code for i in range(limit + 1)]
    assert codes == [200] * limit + [429]
    assert _register(client, email="other@example.kz", addr="192.0.2.9").status_code == 200
    run_jobs()
    assert db.session.scalar(select(func.count(OutgoingEmail.id))) == limit + 1


def test_refused_registration_stores_and_queues_nothing(app, client):
    for i in range(app.config["ACCOUNT_MAILS_PER_ADDRESS"]):
        _register(client, addr=f"198.51.100.{i}")
    jobs = db.session.scalar(select(func.count(Job.id)))
    assert _register(client, addr="198.51.100.99").status_code == 429
    assert db.session.scalar(select(func.count(Job.id))) == jobs
