"""Which language a request is served in, and changing it."""
from __future__ import annotations

from functools import cache

from babel import support
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from wtforms.i18n import messages_path


def select_locale() -> str:
    """The signed-in user's choice, else this browser's choice, else Accept-Language, else kk."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a job or the shell: callers force the recipient's locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def wtforms_translations() -> support.NullTranslations:
    """WTForms' built-in messages in the request's language, loaded once per process."""
    return _wtforms_catalogue(str(get_locale()))


@cache
def _wtforms_catalogue(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")
