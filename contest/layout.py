"""The site header of every page (templates/_site_header.html), rendered once per process for
what it shows: the language, whether someone is signed in and in which role, the script root.
Its two dozen url_for and gettext calls cost a page more than most of its own content; what
changes per request (the CSRF token of its two forms, the page to come back to after switching
the language) is filled into the rendered header."""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

# Placeholders no page can contain; escaping leaves them as they are.
_CSRF, _NEXT = "\x00csrf\x00", "\x00next\x00"
_headers: dict[tuple, str] = {}


def site_header() -> Markup:
    signed_in = bool(current_user and current_user.is_authenticated)
    key = (request.script_root, str(get_locale()), signed_in, str(current_user.role) if signed_in else "")
    html = _headers.get(key)
    if html is None:
        html = str(render_template("_site_header.html", csrf=_CSRF, next_path=_NEXT))
        if len(_headers) < 1024:
            _headers[key] = html
    back = request.full_path if request.query_string else request.path
    return Markup(html.replace(_CSRF, str(escape(generate_csrf()))).replace(_NEXT, str(escape(back))))


def init_app(app: Flask) -> None:
    app.jinja_env.globals["site_header"] = site_header
