"""Reset links: single use, and every one dies with a password change or a newer link."""
from datetime import timedelta

import pytest

from contest.accounts.models import TokenPurpose
from contest.accounts.services import issue_token
from contest.extensions import db
from tests.accounts.helpers import link_in_last_mail
from tests.factories import PASSWORD

pytestmark = pytest.mark.postgres

NEW = {"password": "a brand new password", "confirm": "a brand new password"}


def _request_link(client, user_or_email):
    email = getattr(user_or_email, "email", user_or_email)
    client.post("/account/reset", data={"email": email})
    return link_in_last_mail(email)


def test_newer_link_kills_the_older_one(client, make_user):
    user = make_user()
    older = _request_link(client, user)
    newer = _request_link(client, user)
    assert older != newer
    assert client.get(older).status_code == 400
    assert client.post(older, data=NEW).status_code == 400
    assert client.post(newer, data=NEW).status_code == 302


def test_reset_through_one_link_kills_every_other(client, make_user):
    user = make_user()
    raws = [issue_token(purpose=TokenPurpose.RESET, ttl=timedelta(hours=2), user=user)[1] for _ in range(2)]
    db.session.commit()
    assert client.post(f"/account/reset/{raws[1]}", data=NEW).status_code == 302
    assert client.get(f"/account/reset/{raws[0]}").status_code == 400
    attacker = {"password": "attacker password x", "confirm": "attacker password x"}
    assert client.post(f"/account/reset/{raws[0]}", data=attacker).status_code == 400
    assert client.post("/account/login", data={"email": user.email,
                                                "password": NEW["password"]}).status_code == 302


def test_password_change_kills_open_reset_links(client, auth, make_user):
    user = make_user()
    link = _request_link(client, user)
    auth.login(user)
    changed = client.post("/account/password", data={"current": PASSWORD, **NEW})
    assert changed.status_code == 302
    auth.logout()
    assert client.get(link).status_code == 400
    assert client.post(link, data={"password": "attacker password x",
                                   "confirm": "attacker password x"}).status_code == 400


def test_reset_takes_over_an_account_someone_else_registered_unconfirmed(client):
    """Someone registered the owner's address with their own password and never confirmed:
    the owner's reset sets the owner's password, and the squatter's stops working."""
    squatter = {"full_name": "Squatter", "email": "owner@example.kz", "password": "squatter password",
                "school": "S", "grade": "9-11", "region": "Almaty", "language": "kk"}
    client.post("/account/register", data=squatter)
    link = _request_link(client, "owner@example.kz")
    assert client.post(link, data=NEW).status_code == 302
    login = {"email": "owner@example.kz"}
    assert client.post("/account/login", data={**login, "password": "squatter password"}).status_code == 200
    assert client.post("/account/login", data={**login, "password": NEW["password"]}).status_code == 302
