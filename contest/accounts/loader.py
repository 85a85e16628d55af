"""Flask-Login wiring: sessions carry "id:session_version" so ending sessions is one bump."""
from flask import Flask, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from contest.accounts import devices
from contest.accounts.models import User
from contest.db import as_loaded, plain_rows
from contest.extensions import db, login_manager

# Every signed-in request reads its user: the columns as a plain row (contest.db.plain_rows),
# made a User by contest.db.as_loaded, cost about a third of an ORM load of the same row.
_USER_KEYS = tuple(attribute.key for attribute in User.__mapper__.column_attrs)
_USER_COLUMNS = tuple(User.__mapper__.c[key] for key in _USER_KEYS)
_USER_BY_ID = select(*_USER_COLUMNS).where(User.id == bindparam("id"))


def _user_and_contest_role():
    """The user with their role in the contest the URL names (NULL if none), in one statement:
    every organizer page of a contest asks for that role, and a statement of its own is a
    round trip more on PostgreSQL."""
    from contest.contests.models import ContestMember

    role = (select(ContestMember.role).where(ContestMember.contest_id == bindparam("contest_id"),
                                              ContestMember.user_id == User.id).scalar_subquery())
    return select(*_USER_COLUMNS, role).where(User.id == bindparam("id"))


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
        with_role = isinstance(contest_id, int)
        rows = plain_rows(db.session, _USER_AND_ROLE if with_role else _USER_BY_ID,
                          {"id": int(user_id), "contest_id": contest_id})
        if not rows:
            return None
        values = dict(zip(_USER_KEYS, rows[0]))
        if values["session_version"] != int(version) or not values["active"]:
            return None
        user, role = as_loaded(db.session, User, values), rows[0][-1] if with_role else None
        if with_role:
            from contest.contests.permissions import remember_contest_role

            remember_contest_role(user, contest_id, role)
        return user
