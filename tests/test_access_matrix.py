"""Every route x every role, generated from the URL map so no new route can escape.

Each view declares who may use it (`@access`). Anonymous visitors of a non-public view
are sent to the sign-in page; signed-in users without the role get 403. Allowed users
never get 403, a sign-in redirect or a server error (object routes with made-up ids
answer 404 or 400, which is what a missing object gives).
"""
import pytest

from contest.accounts.permissions import PUBLIC, SIGNED_IN
from contest.enums import Role

pytestmark = pytest.mark.postgres

ROLES = [None, Role.STUDENT, Role.JUROR, Role.ORGANIZER]
PLACEHOLDERS = {"int": 987654, "string": "nope", "path": "nope", "default": "nope"}


def _placeholder(converter):
    """A made-up value the URL's converter accepts (ints: an id that does not exist)."""
    kind = type(converter).__name__
    if kind == "IntegerConverter":
        return PLACEHOLDERS["int"]
    if kind == "AnyConverter":
        return sorted(converter.items)[0]
    return PLACEHOLDERS["string"]


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        values = {arg: _placeholder(rule._converters.get(arg)) for arg in rule.arguments}
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        yield rule, values, method


def _allowed(access, role):
    return PUBLIC in access or (role is not None and (SIGNED_IN in access or role in access))


def test_every_view_declares_access(app):
    missing = [rule.rule for rule, _v, _m in _routes(app)
               if not hasattr(app.view_functions[rule.endpoint], "access")]
    assert missing == []


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_route_matrix(app, client, auth, make_user, role):
    if role is not None:
        auth.login(make_user(role))
    problems = []
    for rule, values, method in _routes(app):
        access = app.view_functions[rule.endpoint].access
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        response = client.open(url, method=method)
        location = response.headers.get("Location", "")
        to_login = response.status_code == 302 and "/account/login" in location
        if _allowed(access, role):
            ok = response.status_code < 500 and response.status_code != 403 and not to_login
        elif role is None:
            ok = to_login
        else:
            ok = response.status_code == 403
        if not ok:
            problems.append(f"{method} {url} as {role}: {response.status_code} {location}")
        if rule.endpoint == "accounts.logout" and role is not None:
            auth.login(make_user(role))  # the matrix just signed us out; sign in again
    assert problems == []
