"""Which language a request is served in, and translations looked up once per request."""
from __future__ import annotations

import re
from functools import cache

from babel import support
from babel.dates import get_timezone_location
from babel.numbers import format_decimal
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
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


def page_locale():
    """flask_babel.get_locale(), reading the locale flask_babel has already chosen for this
    context (and force_locale has set) with one lookup of `g`: flask_babel's own takes three
    context-local lookups per call, and a page asks 30-40 times (gettext, names, the header)."""
    state = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(state, "babel_locale", None)
    return locale if locale is not None else get_locale()


def current_translations() -> support.NullTranslations:
    """flask_babel.get_translations(), looked up once per app context and locale (again
    inside force_locale, which sets another locale object). flask_babel resolves the domain,
    the locale and its catalogue cache on every call; a page calls gettext a few dozen times."""
    locale = page_locale()
    if locale is None:  # no app context: flask_babel answers with null translations
        return get_translations()
    cached = g.get("_contest_translations")
    if cached is None or cached[0] is not locale:
        cached = g._contest_translations = (locale, get_translations())
    return cached[1]


# A value quoted by the sentence around it, already in quotes of its own (a contest titled
# «Заңға мойынсұнамын!» in "«%(contest)s» байқауы"), or a date ending in an abbreviation's
# period ("2026 г.") before the sentence's period.
_DOUBLED = [(re.compile(r"««|«\""), "«"), (re.compile(r"»»|\"»"), "»"), (re.compile("„„"), "„"),
            (re.compile("““"), "“"), (re.compile("””"), "”"), (re.compile(r"(?<!\.)\.\.(?!\.)"), ".")]


def tidy(text: str) -> str:
    """Collapse doubled quotation marks and a doubled period (never an ellipsis) left where a
    translated sentence meets the value filled into it. Markup stays Markup: only quotation
    marks and periods are removed."""
    out = text
    for pattern, repl in _DOUBLED:
        out = pattern.sub(repl, out)
    return Markup(out) if isinstance(text, Markup) else out


@pass_context
def _template_gettext(__context, __string: str, **variables) -> str:
    """Jinja's newstyle gettext (same escaping and formatting) on current_translations();
    a sentence with values filled in is tidied (see tidy)."""
    rv = current_translations().ugettext(__string)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)
    return tidy(rv % variables) if variables else rv


@pass_context
def _template_ngettext(__context, __singular: str, __plural: str, __num: int, **variables) -> str:
    variables.setdefault("num", __num)
    rv = current_translations().ungettext(__singular, __plural, __num)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


def decimal(value: float | None, places: int | None = 1) -> str:
    """A number with `places` decimals in the page's language: 66,5 in kk and ru, 66.5 in en;
    as few decimals as it needs (0,5 and 10) when places is None; "—" for NaN (not enough
    data), "" for None."""
    if value is None:
        return ""
    if value != value:
        return "—"
    if places is None:
        return format_decimal(value, "#,##0.###", locale=get_locale())
    pattern = "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(round(value, places) + 0.0, pattern, locale=get_locale())


def signed(value: float, places: int = 1) -> str:
    """+1,5 / -0,3 / +0,0 in the page's language: never "-0.0" from float noise."""
    pattern = "+#,##0.{0};-#,##0.{0}".format("0" * places)
    return format_decimal(round(value, places) + 0.0, pattern, locale=get_locale())


def zone_city(timezone: str | None) -> str:
    """A time zone by its city in the page's language (Asia/Aqtobe: Ақтөбе, Актобе, Aqtobe)."""
    if not timezone:
        return ""
    try:
        return get_timezone_location(timezone, locale=get_locale(), return_city=True)
    except LookupError:
        return timezone


def init_templates(app: Flask) -> None:
    """Templates' _(), gettext() and ngettext() (after Flask-Babel installed its own), and the
    locale's number and time-zone filters."""
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext)
    app.jinja_env.filters.update(decimal=decimal, zone=zone_city)
