"""Device cookies (OWASP): a browser that signed in to an account before is trusted for it.

The cookie holds up to MAX_ACCOUNTS (user id, random nonce) pairs, signed with the app's
secret so it cannot be forged; the throttle counts a trusted browser's failures on its nonce
alone. It is given on every sign-in (flask_login's user_logged_in signal) and when a password
reset is completed, and is kept across sign-outs: it proves a device, not a session.
"""
from __future__ import annotations

import secrets

from flask import Flask, after_this_request, current_app, has_request_context, request
from flask_login import user_logged_in
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "contest_device"
MAX_ACCOUNTS = 5
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="contest-device-cookie")


def known_devices() -> dict[int, str]:
    """{user id: nonce} from this request's device cookie; empty if absent or forged."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return {}
    try:
        pairs = _serializer().loads(raw)
    except BadSignature:
        return {}
    return {int(uid): str(nonce) for uid, nonce in pairs if isinstance(uid, int)}


def trust_this_device(user) -> None:
    """Give this browser a fresh nonce for `user` (the cookie is set on the response)."""
    if not has_request_context():
        return
    pairs = [[user.id, secrets.token_urlsafe(16)]]
    pairs += [[uid, nonce] for uid, nonce in known_devices().items() if uid != user.id]
    value = _serializer().dumps(pairs[:MAX_ACCOUNTS])

    @after_this_request
    def _set_cookie(response):
        response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response


def init_app(app: Flask) -> None:
    user_logged_in.connect(lambda _app, user, **_extra: trust_this_device(user), app, weak=False)
