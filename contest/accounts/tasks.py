"""Account jobs: the registration and reset e-mails, sent by the worker whether or not the
request's e-mail had an account (the request itself does the same work either way)."""
from __future__ import annotations

from contest.accounts import notifications
from contest.accounts.models import User
from contest.extensions import db
from contest.jobs import task


@task
def send_registration_mail(*, user_id: int, kind: str) -> None:
    """kind "confirm": a link for a new account still waiting (none once it is confirmed);
    kind "again": someone registered an address that already has an account."""
    user = db.session.get(User, user_id)
    if user is None:
        return
    if kind == "confirm" and not user.active:
        notifications.send_confirmation(user)
    elif kind == "again":
        notifications.send_already_registered(user)


@task
def send_reset_link(*, user_id: int | None) -> None:
    """Nothing for an e-mail without an account (the job exists so both cases cost the same)."""
    user = db.session.get(User, user_id) if user_id is not None else None
    if user is not None:
        notifications.send_reset_link(user)
