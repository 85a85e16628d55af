"""Account writes: registration, sign-in checks, passwords, and single-use tokens.

Services flush, never commit; the view or CLI command commits once.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from sqlalchemy import func, select, update

from contest.accounts import tasks, throttle
from contest.accounts.models import Token, TokenPurpose, User
from contest.audit.services import record_event
from contest.db import utcnow
from contest.enums import Role
from contest.errors import DomainError, InvalidInput, NotFound, TokenError
from contest.extensions import db
from contest.jobs import enqueue_after_commit
from contest.mail.services import send_email
from contest.schools import regions
from contest.schools.services import set_school


@functools.cache
def _hasher_with(params: tuple) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(**dict(params))
    # Verified against for unknown e-mails so both answers take the same time.
    return hasher, hasher.hash("not-a-real-password")


def _hasher() -> tuple[PasswordHasher, str]:
    """Argon2 with the library's recommended parameters, unless the config's ARGON2_PARAMS
    lowers them: the test suite signs in thousands of times, each a deliberate ~0.1 s of CPU."""
    return _hasher_with(tuple(sorted((current_app.config.get("ARGON2_PARAMS") or {}).items())))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def password_matches(user: User | None, password: str) -> bool:
    """Argon2 check; always spends the same work whether or not the user exists."""
    hasher, dummy = _hasher()
    stored = user.password_hash if user and user.password_hash else dummy
    try:
        return hasher.verify(stored, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def external_url(endpoint: str, **values) -> str:
    """Absolute link for e-mails and the console, built from BASE_URL, never from the request."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


class TooManyMails(DomainError):
    """Registration or reset e-mails to this address, or from this client, are over the limit."""


def _wait_message(seconds: int):
    return _ln("Too many failed sign-in attempts. Try again in %(num)s second.",
               "Too many failed sign-in attempts. Try again in %(num)s seconds.", seconds)


def authenticate(*, email: str, password: str, client: str | None, devices: dict[int, str]) -> User | None:
    """The user if the password is right and the account active, else None.

    Throttled (see throttle.py): raises throttle.TooManyAttempts, before any password check,
    when this attempt must wait. `devices` are the browser's device cookie entries."""
    user = get_user_by_email(email)
    device = devices.get(user.id) if user is not None else None
    attempt = throttle.begin_attempt(email=email, client=client, device=device, message=_wait_message)
    if not password_matches(user, password) or not user.active:
        return None
    throttle.succeeded(attempt)
    user.last_login_at = utcnow()
    if _hasher()[0].check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def end_sessions(user: User) -> None:
    """Invalidate every session and remember cookie of the user (logout, password change)."""
    user.session_version += 1
    db.session.flush()


# --- tokens -------------------------------------------------------------------------------

def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, purpose: TokenPurpose, ttl: timedelta, email: str = "", role: Role | None = None,
                user: User | None = None, created_by: User | None = None) -> tuple[Token, str]:
    """Create a token; returns the row and the raw secret (only its hash is stored)."""
    raw = secrets.token_urlsafe(32)
    token = Token(purpose=purpose, token_hash=_digest(raw), email=normalize_email(email), role=role,
                  user_id=user.id if user else None, created_by_id=created_by.id if created_by else None,
                  expires_at=utcnow() + ttl)
    db.session.add(token)
    db.session.flush()
    return token, raw


def peek_token(raw: str, purpose: TokenPurpose) -> Token:
    """The usable token for a raw secret, without using it up (to show a form)."""
    token = db.session.scalar(select(Token).where(Token.token_hash == _digest(raw), Token.purpose == purpose))
    if token is None or not token.is_usable(utcnow()):
        raise TokenError(_l("This link is invalid or has expired. Ask for a new one."))
    return token


def consume_token(raw: str, purpose: TokenPurpose) -> Token:
    """Use a token up atomically: of two simultaneous uses exactly one succeeds."""
    now = utcnow()
    used = db.session.execute(
        update(Token)
        .where(Token.token_hash == _digest(raw), Token.purpose == purpose, Token.used_at.is_(None),
               Token.revoked_at.is_(None), Token.expires_at > now)
        .values(used_at=now)
    ).rowcount
    if not used:
        raise TokenError(_l("This link is invalid or has expired. Ask for a new one."))
    return db.session.scalar(select(Token).where(Token.token_hash == _digest(raw)))


def revoke_open_tokens(user: User, purpose: TokenPurpose) -> None:
    """Every unused link of this kind for the user stops working (a newer one, a new password)."""
    db.session.execute(
        update(Token)
        .where(Token.user_id == user.id, Token.purpose == purpose, Token.used_at.is_(None),
               Token.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def set_password(user: User, new: str) -> None:
    """Any password change: other sessions end and every open reset link dies."""
    user.password_hash = hash_password(new)
    revoke_open_tokens(user, TokenPurpose.RESET)
    end_sessions(user)


def revoke_token(*, token: Token, actor: User) -> None:
    token.revoked_at = utcnow()
    record_event(action="token.revoked", actor=actor, obj=token, new={"purpose": token.purpose.value})


# --- registration and reset -------------------------------------------------------------------

def _mail(user_or_email, language: str, template: str, subject, **context) -> None:
    to = user_or_email.email if isinstance(user_or_email, User) else user_or_email
    with force_locale(language):
        send_email(to=to, subject=str(subject), body=render_template(template, **context))


def _check_mail_limit(email: str, client: str | None) -> None:
    if not throttle.allow_account_mail(email=email, client=client):
        raise TooManyMails(_l("Too many e-mails were asked for. Try again in an hour."))


def _region_code(text: str) -> str:
    """The region's code; text that names no region of the list is refused."""
    code = regions.normalize(text)
    if code is None:
        raise InvalidInput(_l("Choose the region or city from the list."), field="region")
    return code


def register_student(*, email: str, password: str, full_name: str, school: str, grade: str,
                     region: str, language: str, is_minor: bool, guardian_consent: bool,
                     publish_name_consent: bool, client: str | None = None) -> User | None:
    """Create an inactive student account; the worker e-mails the confirmation link.

    An e-mail that already has an account gets a notice instead. Both cases hash the password,
    queue one job and show the same page, so neither the answer nor its time reveals who is
    registered. Limited per address and per client (TooManyMails).
    """
    if is_minor and not guardian_consent:
        raise InvalidInput(_l("A parent or guardian must agree before a minor can take part."),
                           field="guardian_consent")
    region_code = _region_code(region)
    _check_mail_limit(email, client)
    password_hash = hash_password(password)  # for a known e-mail too: the same work
    existing = get_user_by_email(email)
    if existing is not None:
        enqueue_after_commit(tasks.send_registration_mail, user_id=existing.id, kind="again")
        return None
    user = User(email=normalize_email(email), password_hash=password_hash,
                full_name=full_name.strip(), role=Role.STUDENT,
                grade=grade, language=language, is_minor=is_minor,
                guardian_consent=guardian_consent, publish_name_consent=publish_name_consent,
                active=False)
    set_school(user, region=region_code, name=school)
    db.session.add(user)
    db.session.flush()
    enqueue_after_commit(tasks.send_registration_mail, user_id=user.id, kind="confirm")
    return user


def confirm_registration(*, raw_token: str) -> User:
    token = consume_token(raw_token, TokenPurpose.CONFIRM)
    user = db.session.get(User, token.user_id)
    user.active = True
    db.session.flush()
    return user


def change_password(*, user: User, current: str, new: str) -> None:
    if not password_matches(user, current):
        raise InvalidInput(_l("The current password is not right."), field="current")
    set_password(user, new)
    record_event(action="user.password_changed", actor=user, obj=user)


def request_password_reset(*, email: str, client: str | None = None) -> None:
    """Queue a reset e-mail; the same work (one job) whether or not the account exists, and
    the caller answers the same either way. Limited like registration (TooManyMails)."""
    _check_mail_limit(email, client)
    user = get_user_by_email(email)
    enqueue_after_commit(tasks.send_reset_link, user_id=user.id if user is not None else None)


def reset_password(*, raw_token: str, new: str) -> User:
    """A completed reset: the new password, the account active (the mailbox is proven), every
    other link and session ended, and the sign-in counters of the account cleared."""
    token = consume_token(raw_token, TokenPurpose.RESET)
    user = db.session.get(User, token.user_id)
    set_password(user, new)
    user.active = True
    throttle.clear_account(user.email)
    record_event(action="user.password_reset", actor=user, obj=user)
    return user


def invite_user(*, email: str, role: Role, created_by: User, language: str) -> Token:
    """E-mail a single-use invitation to join as a juror or organizer."""
    if role == Role.STUDENT:
        raise InvalidInput(_l("Students register themselves."), field="role")
    token = _send_invitation(email=email, role=role, created_by=created_by, language=language)
    record_event(action="user.invited", actor=created_by, obj=token, new={"email": token.email,
                 "role": role.value})
    return token


def _send_invitation(*, email: str, role: Role, created_by: User, language: str) -> Token:
    days = current_app.config["INVITE_TOKEN_DAYS"]
    token, raw = issue_token(purpose=TokenPurpose.INVITE, ttl=timedelta(days=days), email=email,
                             role=role, created_by=created_by)
    token.language = language
    _mail(email, language, "mail/invite.txt", _l("You are invited to the essay contest"),
          role=role, url=external_url("accounts.accept_invite", token=raw), days=days)
    return token


def _open_invitation(token_id: int) -> Token:
    token = db.session.get(Token, token_id)
    if token is None or token.purpose != TokenPurpose.INVITE:
        raise NotFound(_l("This invitation does not exist."))
    if token.used_at is not None:
        raise InvalidInput(_l("This invitation has already been accepted."))
    if token.revoked_at is not None:
        raise InvalidInput(_l("This invitation has been revoked."))
    return token


def resend_invitation(*, token_id: int, actor: User) -> Token:
    """A fresh link (and a fresh expiry) for an open invitation; the old link stops working."""
    old = _open_invitation(token_id)
    old.revoked_at = utcnow()
    token = _send_invitation(email=old.email, role=old.role, created_by=actor,
                             language=old.language or "kk")
    record_event(action="user.invite_resent", actor=actor, obj=token,
                 old={"token_id": old.id}, new={"email": token.email, "role": token.role.value})
    return token


def revoke_invitation(*, token_id: int, actor: User) -> Token:
    """Make an open invitation's link useless (logged)."""
    token = _open_invitation(token_id)
    token.revoked_at = utcnow()
    record_event(action="user.invite_revoked", actor=actor, obj=token,
                 new={"email": token.email, "role": token.role.value})
    return token


def create_staff_user(*, email: str, full_name: str, password: str, role: Role,
                      language: str = "kk") -> User:
    """A juror or organizer account (from an invitation, the setup link or the CLI)."""
    if get_user_by_email(email) is not None:
        raise InvalidInput(_l("An account with this e-mail already exists."), field="email")
    user = User(email=normalize_email(email), full_name=full_name.strip(), role=role,
                password_hash=hash_password(password), language=language, active=True)
    db.session.add(user)
    db.session.flush()
    record_event(action="user.created", actor=user, obj=user, new={"role": role.value})
    return user


def accept_invite(*, raw_token: str, full_name: str, password: str, language: str) -> User:
    token = consume_token(raw_token, TokenPurpose.INVITE)
    return create_staff_user(email=token.email, full_name=full_name, password=password,
                             role=token.role, language=language)


def organizer_exists() -> bool:
    return bool(db.session.scalar(select(func.count(User.id)).where(User.role == Role.ORGANIZER)))


def issue_setup_link() -> str | None:
    """A one-time link that creates the first organizer; None once one exists."""
    if organizer_exists():
        return None
    _token, raw = issue_token(purpose=TokenPurpose.SETUP,
                              ttl=timedelta(hours=current_app.config["SETUP_TOKEN_HOURS"]))
    return external_url("accounts.setup", token=raw)


def complete_setup(*, raw_token: str, email: str, full_name: str, password: str,
                   language: str) -> User:
    if organizer_exists():
        raise TokenError(_l("This link is invalid or has expired. Ask for a new one."))
    consume_token(raw_token, TokenPurpose.SETUP)
    user = create_staff_user(email=email, full_name=full_name, password=password,
                             role=Role.ORGANIZER, language=language)
    user.is_admin = True  # the first organizer administers the site (sees every contest)
    return user
