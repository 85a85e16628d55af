"""Translated error pages.

500 and 503 come from a standalone template that needs neither the database nor Redis:
no signed-in user is loaded, the language is the visitor's choice in the session cookie
or Accept-Language, and if even that template fails a fixed trilingual page is sent. The
503 messages say what happened to what the visitor sent: with the database or the file
store unavailable, nothing of the request was saved.
"""
from flask import Flask, current_app, g, render_template, request, session
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from redis.exceptions import RedisError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from contest.submissions.storage import StorageError

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have access to this page.")),
    404: (_l("Not found"), _l("There is nothing here. The link may be wrong or out of date.")),
    405: (_l("Not allowed"), _l("This action cannot be done this way.")),
    413: (_l("Too large"), _l("The file or form is too large. Check the size limit and try again.")),
    429: (_l("Too many requests"), _l("Wait a moment and try again.")),
}
INTERNAL = (_l("Something went wrong"),
            _l("We could not finish this request. Something you sent counts only if you saw its "
               "confirmation or receipt; please check, and try again later."))
UNAVAILABLE = _l("Temporarily unavailable")
UNAVAILABLE_READ = _l("The site cannot reach its database right now. Please try again in a few minutes.")
UNAVAILABLE_WRITE = _l("The site cannot reach its database right now, so what you just sent was NOT saved. "
                       "Please send it again in a few minutes.")
STORAGE_FAILED = _l("Your essay was NOT received: the server could not store the file. Nothing was saved "
                    "and no receipt was issued. Please send it again later.")
SERVICE_ERRORS = (OperationalError, InterfaceError, PoolTimeout, RedisError)
FALLBACK = """<!doctype html><html><head><meta charset="utf-8"><title>{code}</title></head><body>
<h1>{code}</h1><p lang="kk">Қызмет уақытша қолжетімсіз. Бірнеше минуттан кейін қайталап көріңіз.</p>
<p lang="ru">Сервис временно недоступен. Повторите попытку через несколько минут.</p>
<p lang="en">The service is temporarily unavailable. Please try again in a few minutes.</p>
<p><a href="/">/</a></p></body></html>"""


def _render(code: int, detail=None):
    title, message = MESSAGES[code]
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def _language() -> str:
    """The visitor's language without the database: an already loaded user's choice, the
    session cookie, Accept-Language, else the default."""
    languages = current_app.config["LANGUAGES"]
    user = g.get("_login_user")
    chosen = getattr(user, "__dict__", {}).get("language")  # only if loaded: no query
    if chosen in languages:
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def render_static(code: int, title, message):
    """An error page that renders with the database and Redis down."""
    headers = {"Retry-After": "120"} if code == 503 else {}
    try:
        lang = _language()
        with force_locale(lang):  # the template alone: context processors would load the user
            html = current_app.jinja_env.get_template("errors/static.html").render(
                code=code, title=str(title), message=str(message), lang=lang)
    except Exception:  # noqa: BLE001 - the last resort must not fail
        current_app.logger.exception("error page failed")
        html = FALLBACK.format(code=code)
    return html, code, headers


def _unavailable(exc):
    current_app.logger.error("service unavailable: %s", exc)
    writing = request.method not in ("GET", "HEAD", "OPTIONS")
    return render_static(503, UNAVAILABLE, UNAVAILABLE_WRITE if writing else UNAVAILABLE_READ)


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, lambda exc, code=code: _render(code))
    app.register_error_handler(500, lambda exc: render_static(500, *INTERNAL))
    for error in SERVICE_ERRORS:
        app.register_error_handler(error, _unavailable)

    @app.errorhandler(StorageError)
    def _storage(exc):
        app.logger.error("upload not stored: %s", exc)
        return render_static(503, UNAVAILABLE, STORAGE_FAILED)

    @app.errorhandler(CSRFError)
    def _csrf(_exc):
        return _render(400, _l("This form has expired or was not sent from this site. "
                               "Go back, reload the page, and send it again; your text is still "
                               "in the form."))
