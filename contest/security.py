"""Response headers and safe redirects."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from flask_login import current_user
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
        # is_anonymous reads no column: after a commit the user's row is expired and
        # is_authenticated (the `active` column) would reload it just for this header.
        if current_user and not current_user.is_anonymous:
            response.headers["Cache-Control"] = "no-store"
            response.vary.add("Cookie")
        return response
