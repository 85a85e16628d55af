"""Flask-Login wiring: sessions carry "id:session_version" so ending sessions is one bump."""
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select

from contest.accounts import devices
from contest.accounts.models import User
from contest.extensions import db, login_manager

# Built once: every signed-in request runs it (session.get builds its statement each time).
_USER_BY_ID = select(User).where(User.id == bindparam("id"))


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
        user = db.session.execute(_USER_BY_ID, {"id": int(user_id)}).scalar()
        if user is None or user.session_version != int(version) or not user.active:
            return None
        return user
