"""Flask-Login wiring: sessions carry "id:session_version" so ending sessions is one bump."""
from flask import Flask, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from contest.accounts import devices
from contest.accounts.models import User
from contest.extensions import db, login_manager

# Built once: every signed-in request runs it (session.get builds its statement each time).
_USER_BY_ID = select(User).where(User.id == bindparam("id"))


def _user_and_contest_role():
    """The user with their role in the contest the URL names (NULL if none), in one statement:
    every organizer page of a contest asks for that role, and a statement of its own is a
    round trip more on PostgreSQL."""
    from contest.contests.models import ContestMember

    role = (select(ContestMember.role).where(ContestMember.contest_id == bindparam("contest_id"),
                                              ContestMember.user_id == User.id).scalar_subquery())
    return select(User, role).where(User.id == bindparam("id"))


_USER_AND_ROLE = _user_and_contest_role()


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    devices.init_app(app)

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _, version = session_id.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        contest_id = (request.view_args or {}).get("contest_id") if has_request_context() else None
        if isinstance(contest_id, int):
            found = db.session.execute(_USER_AND_ROLE, {"id": int(user_id), "contest_id": contest_id}).first()
            user, role = found if found is not None else (None, None)
        else:
            user = db.session.execute(_USER_BY_ID, {"id": int(user_id)}).scalar()
        if user is None or user.session_version != int(version) or not user.active:
            return None
        if isinstance(contest_id, int):
            from contest.contests.permissions import remember_contest_role

            remember_contest_role(user, contest_id, role)
        return user
