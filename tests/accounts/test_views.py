"""Registration, sign-in, sign-out, password change and reset, invitations, setup."""
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from contest.accounts.models import Token, TokenPurpose, User
from contest.accounts.services import issue_setup_link, issue_token
from contest.audit.models import AuditEvent
from contest.db import utcnow
from contest.enums import Role
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from tests.accounts.helpers import link_in_last_mail, run_jobs
from tests.factories import PASSWORD

pytestmark = pytest.mark.postgres

REGISTRATION = {
    "full_name": "Әлия Нұрғалиева", "email": "aliya@example.kz", "password": "a long password",
    "school": "School 7", "grade": "9-11", "region": "Almaty", "language": "kk",
    "is_minor": "y", "guardian_consent": "y",
}


def _link_in_last_mail(to: str) -> str:
    return link_in_last_mail(to)


def _without_csrf(html: bytes) -> bytes:
    """CSRF tokens carry a timestamp; everything else must be identical."""
    return re.sub(rb'name="csrf_token" type="hidden" value="[^"]*"|value="[^"]*" name="csrf_token"|'
                  rb'name="csrf_token" value="[^"]*"', b"", html)


def test_register_creates_inactive_student_and_mails_link(client):
    response = client.post("/account/register", data=REGISTRATION)
    assert response.status_code == 200
    user = db.session.scalar(select(User).where(User.email == "aliya@example.kz"))
    assert (user.role, user.active, user.guardian_consent) == (Role.STUDENT, False, True)
    assert _link_in_last_mail("aliya@example.kz").startswith("/account/confirm/")


def test_register_minor_without_guardian_consent_is_refused(client):
    data = {**REGISTRATION, "guardian_consent": ""}
    data.pop("guardian_consent")
    response = client.post("/account/register", data=data)
    assert response.status_code == 200
    assert db.session.scalar(select(User)) is None


def test_register_answers_the_same_for_known_email(client, make_user):
    make_user(email="aliya@example.kz")
    known = client.post("/account/register", data=REGISTRATION)
    db.session.execute(User.__table__.delete())
    db.session.commit()
    unknown = client.post("/account/register", data=REGISTRATION)
    assert known.status_code == unknown.status_code
    assert _without_csrf(known.data) == _without_csrf(unknown.data)


def test_confirm_link_activates_once(client):
    client.post("/account/register", data=REGISTRATION)
    link = _link_in_last_mail("aliya@example.kz")
    assert client.get(link).status_code == 200  # GET shows a button, uses nothing up
    assert client.post(link).status_code == 302
    assert db.session.scalar(select(User.active)) is True
    assert client.post(link).status_code == 400


def test_login_and_logout(client, auth, make_user):
    user = make_user()
    assert auth.login(user).headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    auth.logout()
    assert client.get("/dashboard").status_code == 302


def test_login_wrong_password_and_unknown_email_answer_the_same(client, auth, make_user):
    make_user(email="known@example.kz")
    wrong = auth.login("known@example.kz", "wrong password")
    unknown = auth.login("nobody@example.kz", "wrong password")
    assert wrong.status_code == unknown.status_code == 200
    assert b"The e-mail or password is not right." in wrong.data
    assert b"The e-mail or password is not right." in unknown.data


def test_logout_is_post_only(client, auth, make_user):
    auth.login(make_user())
    assert client.get("/account/logout").status_code == 405


def test_session_cookie_replayed_after_logout_is_refused(app, make_user):
    user = make_user()
    first = app.test_client()
    first.post("/account/login", data={"email": user.email, "password": PASSWORD})
    stolen = first.get_cookie("session").value
    first.post("/account/logout")
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/dashboard").status_code == 302


def test_password_change_ends_other_sessions(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    for c in (laptop, phone):
        c.post("/account/login", data={"email": user.email, "password": PASSWORD})
    response = laptop.post("/account/password", data={
        "current": PASSWORD, "password": "another long password", "confirm": "another long password"})
    assert response.status_code == 302
    assert laptop.get("/dashboard").status_code == 200
    assert phone.get("/dashboard").status_code == 302


def test_reset_token_is_single_use(client, make_user):
    user = make_user()
    client.post("/account/reset", data={"email": user.email})
    link = _link_in_last_mail(user.email)
    data = {"password": "brand new password", "confirm": "brand new password"}
    assert client.post(link, data=data).status_code == 302
    assert client.post(link, data=data).status_code == 400
    assert client.post("/account/login", data={"email": user.email,
                                               "password": "brand new password"}).status_code == 302


def test_reset_token_expires(client, make_user):
    user = make_user()
    _token, raw = issue_token(purpose=TokenPurpose.RESET, ttl=timedelta(seconds=-1), user=user)
    db.session.commit()
    assert client.get(f"/account/reset/{raw}").status_code == 400


def test_reset_answers_the_same_for_unknown_email(client, make_user):
    make_user(email="known@example.kz")
    known = client.post("/account/reset", data={"email": "known@example.kz"})
    unknown = client.post("/account/reset", data={"email": "unknown@example.kz"})
    assert known.status_code == unknown.status_code == 200
    assert (_without_csrf(known.data).replace(b"known@", b"X@")
            == _without_csrf(unknown.data).replace(b"unknown@", b"X@"))
    run_jobs()
    assert db.session.scalar(select(OutgoingEmail.to)) == "known@example.kz"


def test_reset_link_uses_base_url_not_host_header(client, make_user):
    user = make_user()
    client.post("/account/reset", data={"email": user.email}, headers={"Host": "evil.example"})
    run_jobs()
    body = db.session.scalar(select(OutgoingEmail.body))
    assert "http://contest.test/account/reset/" in body
    assert "evil.example" not in body


def test_invitation_creates_juror_once(client, auth, make_user):
    organizer = make_user(Role.ORGANIZER)
    auth.login(organizer)
    client.post("/admin/people", data={"email": "juror@example.kz", "role": "juror", "language": "ru"})
    auth.logout()
    link = _link_in_last_mail("juror@example.kz")
    form = {"full_name": "Juror One", "password": "a long password", "confirm": "a long password",
            "language": "ru"}
    assert client.post(link, data=form).status_code == 302
    juror = db.session.scalar(select(User).where(User.email == "juror@example.kz"))
    assert juror.role == Role.JUROR
    client.post("/account/logout")
    assert client.post(link, data=form).status_code == 400
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user.invited", "user.created"} <= actions


def test_setup_link_creates_first_organizer_then_dies(client):
    link = issue_setup_link()
    db.session.commit()
    path = link.removeprefix("http://contest.test")
    form = {"email": "boss@example.kz", "full_name": "Boss", "password": "a long password",
            "confirm": "a long password", "language": "kk"}
    assert client.post(path, data=form).status_code == 302
    assert db.session.scalar(select(User.role).where(User.email == "boss@example.kz")) == Role.ORGANIZER
    assert issue_setup_link() is None
    assert client.post(path, data={**form, "email": "second@example.kz"}).status_code == 400


def test_create_organizer_cli(runner):
    result = runner.invoke(args=["create-organizer", "--email", "Org@Example.kz", "--name", "Org",
                                 "--password", "a long password"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.email == "org@example.kz")) == Role.ORGANIZER


@pytest.mark.parametrize("target", [
    "//evil.example", "\\\\evil.example", "/\\evil.example", "https:evil.example",
    "javascript:alert(1)", "/\x00/evil", "http://evil.example/", "/%0d%0aSet-Cookie:x",
])
def test_login_next_offsite_goes_to_default(client, make_user, target):
    user = make_user()
    response = client.post("/account/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    location = response.headers["Location"]
    assert location in ("/dashboard", target) and location.startswith("/")
    assert not location.startswith(("//", "/\\"))
    if target.startswith("/%0d"):
        assert location == target  # a same-site path stays, encoded
    else:
        assert location == "/dashboard"


def test_tokens_are_stored_hashed(client, make_user):
    user = make_user()
    client.post("/account/reset", data={"email": user.email})
    raw = _link_in_last_mail(user.email).rsplit("/", 1)[1]
    assert db.session.scalar(select(Token.token_hash)) != raw
    assert not Path(raw).exists()


def test_expired_tokens_compare_in_utc(make_user):
    user = make_user()
    token, _raw = issue_token(purpose=TokenPurpose.RESET, ttl=timedelta(minutes=5), user=user)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Token, token.id).is_usable(utcnow())
