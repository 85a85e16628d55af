"""The e-mails of registration and password reset, written by the worker.

They go to addresses that may never have confirmed, so they carry no text a registrant
chose (no name, school or region): the address itself, fixed sentences and our links.
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l

from contest.accounts import services
from contest.accounts.models import TokenPurpose, User


def send_confirmation(user: User) -> None:
    """A fresh confirmation link; any older one stops working."""
    services.revoke_open_tokens(user, TokenPurpose.CONFIRM)
    _token, raw = services.issue_token(purpose=TokenPurpose.CONFIRM, ttl=timedelta(days=2), user=user,
                                       email=user.email)
    services._mail(user, user.language, "mail/confirm.txt", _l("Confirm your registration"),
                   email=user.email, url=services.external_url("accounts.confirm", token=raw))


def send_already_registered(user: User) -> None:
    services._mail(user, user.language, "mail/already_registered.txt", _l("Your account"),
                   email=user.email, login_url=services.external_url("accounts.login"),
                   reset_url=services.external_url("accounts.reset_request"))


def send_reset_link(user: User) -> None:
    """A reset link; every older one stops working."""
    hours = current_app.config["RESET_TOKEN_HOURS"]
    services.revoke_open_tokens(user, TokenPurpose.RESET)
    _token, raw = services.issue_token(purpose=TokenPurpose.RESET, ttl=timedelta(hours=hours), user=user,
                                       email=user.email)
    services._mail(user, user.language, "mail/reset.txt", _l("Reset your password"), email=user.email,
                   url=services.external_url("accounts.reset", token=raw), hours=hours)
