"""Juror invitations (expiry, reuse, revocation, resend), juries and juror profiles."""

import re
from datetime import timedelta

from sqlalchemy import select

from contest.accounts.models import Token, TokenPurpose, User
from contest.audit.models import AuditEvent
from contest.contests.models import ContestJuror, JurorProfile
from contest.db import utcnow
from contest.enums import Role
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from tests.factories import make_setup_contest

ACCEPT = {
    "full_name": "Жанна Судья",
    "password": "a long password",
    "confirm": "a long password",
    "language": "kk",
}


def _links(to: str) -> list[str]:
    bodies = db.session.scalars(
        select(OutgoingEmail.body).where(OutgoingEmail.to == to).order_by(OutgoingEmail.id)
    ).all()
    return [re.search(r"http://contest\.test(\S+)", body).group(1) for body in bodies]


def _invite(client, auth, organizer, email="juror@example.kz", language="ru"):
    auth.login(organizer)
    client.post("/admin/people", data={"email": email, "role": "juror", "language": language})
    return db.session.scalar(select(Token).where(Token.email == email).order_by(Token.id.desc()))


def test_invitation_link_works_once(client, auth, make_user):
    _invite(client, auth, make_user(Role.ORGANIZER))
    auth.logout()
    link = _links("juror@example.kz")[0]
    assert client.post(link, data=ACCEPT).status_code == 302
    auth.logout()
    assert client.post(link, data={**ACCEPT, "full_name": "Someone else"}).status_code == 400
    assert db.session.scalars(select(User.full_name).where(User.role == Role.JUROR)).all() == ["Жанна Судья"]


def test_expired_invitation_is_refused(client, auth, make_user):
    token = _invite(client, auth, make_user(Role.ORGANIZER))
    auth.logout()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    link = _links("juror@example.kz")[0]
    assert client.get(link).status_code == 400
    assert client.post(link, data=ACCEPT).status_code == 400
    assert db.session.scalar(select(User).where(User.role == Role.JUROR)) is None


def test_revoked_invitation_is_refused_and_logged(client, auth, make_user):
    organizer = make_user(Role.ORGANIZER)
    token = _invite(client, auth, organizer)
    client.post(f"/admin/invitations/{token.id}/revoke")
    auth.logout()
    assert client.post(_links("juror@example.kz")[0], data=ACCEPT).status_code == 400
    assert db.session.scalar(select(User).where(User.role == Role.JUROR)) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.invite_revoked"))
    assert (event.actor_id, event.object_id, event.new) == (
        organizer.id,
        str(token.id),
        {"email": "juror@example.kz", "role": "juror"},
    )


def test_resend_kills_the_old_link_and_mails_a_working_one(client, auth, make_user):
    organizer = make_user(Role.ORGANIZER)
    old = _invite(client, auth, organizer, language="ru")
    client.post(f"/admin/invitations/{old.id}/resend")
    auth.logout()
    first, second = _links("juror@example.kz")
    assert first != second
    assert client.post(first, data=ACCEPT).status_code == 400
    assert client.post(second, data=ACCEPT).status_code == 302
    tokens = db.session.scalars(
        select(Token).where(Token.purpose == TokenPurpose.INVITE).order_by(Token.id)
    ).all()
    assert [(t.revoked_at is not None, t.used_at is not None, t.language) for t in tokens] == [
        (True, False, "ru"),
        (False, True, "ru"),
    ]
    assert db.session.scalar(select(AuditEvent.old).where(AuditEvent.action == "user.invite_resent")) == {
        "token_id": old.id
    }


def test_used_or_revoked_invitation_cannot_be_resent(client, auth, make_user):
    token = _invite(client, auth, make_user(Role.ORGANIZER))
    client.post(f"/admin/invitations/{token.id}/revoke")
    response = client.post(f"/admin/invitations/{token.id}/resend", follow_redirects=True)
    assert b"This invitation has been revoked." in response.data
    assert db.session.scalar(select(Token.id).where(Token.revoked_at.is_(None))) is None
    assert client.post("/admin/invitations/999999/resend").status_code == 404


def test_invitation_actions_are_for_organizers_only(client, auth, make_user):
    token = _invite(client, auth, make_user(Role.ORGANIZER))
    auth.logout()
    auth.login(make_user(Role.JUROR))
    assert client.post(f"/admin/invitations/{token.id}/revoke").status_code == 403
    assert client.post(f"/admin/invitations/{token.id}/resend").status_code == 403
    db.session.expire_all()
    assert db.session.get(Token, token.id).revoked_at is None


def test_attach_juror_with_categories_and_default_capacity(client, auth, make_user):
    contest = make_setup_contest("open")
    juror = make_user(Role.JUROR)
    db.session.add(JurorProfile(user_id=juror.id, languages=["kk"], capacity=40))
    db.session.commit()
    auth.login(make_user(Role.ORGANIZER))
    category = contest.categories[0].id
    response = client.post(
        f"/contests/{contest.id}/jury", data={"user_id": juror.id, "category_ids": [category]}
    )
    assert response.status_code == 302
    link = db.session.scalar(select(ContestJuror))
    assert (link.contest_id, link.user_id, link.category_ids, link.capacity) == (
        contest.id,
        juror.id,
        [category],
        40,
    )
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.contest_id == contest.id)) == (
        "contest.juror_attached"
    )
    again = client.post(
        f"/contests/{contest.id}/jury", data={"user_id": juror.id, "category_ids": [category]}
    )
    assert again.status_code == 200  # no longer offered in the list
    client.post(f"/contests/{contest.id}/jury/{link.id}", data={"category_ids": [category], "capacity": "0"})
    db.session.expire_all()
    assert db.session.get(ContestJuror, link.id).capacity == 40
    client.post(f"/contests/{contest.id}/jury/{link.id}/remove")
    assert db.session.scalar(select(ContestJuror)) is None


def test_attach_needs_a_category(client, auth, make_user):
    contest = make_setup_contest("open")
    juror = make_user(Role.JUROR)
    auth.login(make_user(Role.ORGANIZER))
    response = client.post(f"/contests/{contest.id}/jury", data={"user_id": juror.id})
    assert b"Choose at least one category this juror judges." in response.data
    assert db.session.scalar(select(ContestJuror)) is None


def test_juror_sets_own_languages_but_not_capacity(client, auth, make_user):
    juror = make_user(Role.JUROR, school="Lyceum 1", region="Astana")
    auth.login(juror)
    assert client.get("/jurors/me").headers["Location"] == f"/jurors/{juror.id}/profile"
    empty = client.post(f"/jurors/{juror.id}/profile", data={"school": "Lyceum 1"})
    assert b"Choose at least one language the juror reads." in empty.data
    client.post(
        f"/jurors/{juror.id}/profile",
        data={"languages": ["ru", "kk"], "school": "Lyceum 2", "region": "Almaty", "capacity": "999"},
    )
    profile = db.session.get(JurorProfile, juror.id)
    assert (profile.languages, profile.capacity) == (["kk", "ru"], None)
    db.session.refresh(juror)
    assert (juror.school, juror.region) == ("Lyceum 2", "almaty")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "juror.profile_updated"))
    assert (event.old["school"], event.new["school"]) == ("Lyceum 1", "Lyceum 2")


def test_juror_cannot_open_another_jurors_profile(client, auth, make_user):
    other = make_user(Role.JUROR)
    student = make_user(Role.STUDENT)
    auth.login(make_user(Role.JUROR))
    assert client.get(f"/jurors/{other.id}/profile").status_code == 404
    assert client.post(f"/jurors/{other.id}/profile", data={"languages": ["en"]}).status_code == 404
    assert db.session.get(JurorProfile, other.id) is None
    auth.logout()
    auth.login(student)
    assert client.get(f"/jurors/{other.id}/profile").status_code == 403


def test_organizer_sets_capacity_on_a_profile(client, auth, make_user):
    juror = make_user(Role.JUROR)
    organizer = make_user(Role.ORGANIZER)
    auth.login(organizer)
    assert client.get(f"/jurors/{organizer.id}/profile").status_code == 404  # not a juror
    client.post(f"/jurors/{juror.id}/profile", data={"languages": ["en"], "capacity": "25"})
    assert db.session.get(JurorProfile, juror.id).capacity == 25
