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

ROLES = [None, Role.STUDENT, Role.JUROR, Role.ORGANIZER, Role.COORDINATOR]
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


def _coordinator_with_an_entry(client, auth, make_user, school, region):
    """A coordinator of `school` with one pupil, and a function that submits for the pupil."""
    import io
    import secrets

    from sqlalchemy import select

    from contest.coordinators.models import Pupil
    from contest.extensions import db
    from contest.schools.services import set_school

    coordinator = make_user(Role.COORDINATOR)
    set_school(coordinator, region=region, name=school)
    db.session.commit()
    auth.login(coordinator)
    client.post("/coordinator/pupils/new", data={"full_name": f"Pupil of {school}", "grade": "9-11",
                                                  "language": "en", "is_minor": ""})
    pupil = db.session.scalar(select(Pupil).where(Pupil.coordinator_id == coordinator.id))

    def submit(contest):
        data = {"topic": contest.topics[0].id, "category": contest.categories[0].id,
                "submit_key": secrets.token_urlsafe(18), "file": (io.BytesIO(b"An essay. " * 50), "e.txt")}
        return client.post(f"/coordinator/pupils/{pupil.id}/contests/{contest.id}/submit", data=data,
                           content_type="multipart/form-data")

    return coordinator, pupil, submit


def test_coordinators_of_two_schools_reach_only_their_own_pupils(app, client, auth, make_user):
    """Every route a coordinator may use, filled with the ids of school A's pupil and entry:
    A's coordinator is served, B's gets 404 (as for a missing object) and changes nothing."""
    from sqlalchemy import select

    from contest.extensions import db
    from contest.submissions.models import Entry
    from tests.factories import make_contest

    contest = make_contest()
    a, pupil, submit = _coordinator_with_an_entry(client, auth, make_user, "School 5", "aktobe")
    assert submit(contest).status_code == 302
    entry = db.session.scalar(select(Entry))
    ids = {"pupil_id": pupil.id, "entry_id": entry.id, "number": 1, "contest_id": contest.id}
    routes = [(rule, method) for rule, _v, method in _routes(app)
              if Role.COORDINATOR in app.view_functions[rule.endpoint].access and rule.arguments
              and set(rule.arguments) <= set(ids)]
    assert len(routes) >= 8
    auth.logout()
    b = make_user(Role.COORDINATOR, school="Lyceum 21", region="almaty")
    for who, allowed in ((b, False), (a, True)):
        auth.login(who)
        problems = []
        for rule, method in routes:
            if method == "POST" and allowed:
                continue  # A's own changes are tested in tests/coordinators
            with app.test_request_context():
                from flask import url_for

                url = url_for(rule.endpoint, **{k: ids[k] for k in rule.arguments})
            code = client.open(url, method=method).status_code
            if (code == 404) == allowed or code >= 500:
                problems.append(f"{method} {url} as {'A' if allowed else 'B'}: {code}")
        assert problems == []
        auth.logout()
    db.session.expire_all()
    assert (db.session.get(Entry, entry.id).status.value, len(db.session.get(Entry, entry.id).versions)) == (
        "received", 1)
