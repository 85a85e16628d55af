"""Flask-Login wiring: sessions carry "id:session_version" so ending sessions is one bump."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from contest.accounts.models import User
from contest.extensions import db, login_manager


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _, version = session_id.partition(":")
        if not (user_id.isdigit() and version.isdigit()):
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version) or not user.active:
            return None
        return user
