"""Response headers and safe redirects."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, g, session
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

DOWNLOAD_CSP = "default-src 'none'; sandbox"


def safe_next(target: str | None, default: str) -> str:
    """Only same-site absolute paths pass ("/x"); anything that a browser could read as
    another host (//x, /\\x, \\\\x, https:x, javascript:, control characters) gives the default."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(ch) < 32 or ch in "\\\x7f" for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:  # only then are X-Forwarded-For/-Proto believed, and only the proxies' entries
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.after_request
    def _headers(response):
        if response.headers.get("Content-Disposition", "").startswith("attachment"):
            # A download opened in the browser anyway runs no script and reaches nothing.
            response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        # No query here: the user this request already loaded (is_anonymous reads no
        # column), or a signed-in session cookie. With the database down the error page
        # must still get its headers.
        user = g.get("_login_user")
        if (user is not None and not user.is_anonymous) or session.get("_user_id"):
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
