"""Roles per contest, generated from the URL map with real objects of another contest.

Contest B has an entry, a juror link, an assignment, a diploma and set-up items. Every
organizer route that names a contest or one of its objects is requested with B's real ids:
an organizer who holds a role only in contest A gets 404 (as for a missing object); each
role in B gets exactly what contests.permissions.GRANTS gives it (403 for the rest);
a site administrator gets everything.
"""
from types import SimpleNamespace

import pytest
from flask import url_for

from contest.accounts.permissions import PUBLIC
from contest.awards.models import Diploma
from contest.contests.models import ContestRole
from contest.contests.permissions import GRANTS
from contest.enums import Role
from contest.extensions import db
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_member, make_user
from tests.test_access_matrix import _routes

pytestmark = pytest.mark.postgres

OBJECT_ARGS = {"contest_id", "entry_id", "assignment_id", "diploma_id", "link_id", "item_id"}


@pytest.fixture
def other(app):
    """Contest B with one of everything an organizer route can name."""
    contest = make_contest(phase="judging")
    entry = make_entry(contest)
    _as_scanned_paper_entry(contest, entry)
    juror = make_juror(contest=contest)
    assignment = make_assignment(entry, juror)
    diploma = Diploma(code="B-TEST-0001", contest_id=contest.id, entry_id=entry.id, language="en",
                      slot=f"entry:{entry.id}")
    db.session.add(diploma)
    db.session.commit()
    from contest.contests.models import ContestJuror

    link = db.session.scalar(db.select(ContestJuror).where(ContestJuror.contest_id == contest.id))
    message, imp, extension = _outreach_objects(contest, entry)
    return SimpleNamespace(contest=contest, values={
        "contest_id": contest.id, "entry_id": entry.id, "assignment_id": assignment.id,
        "diploma_id": diploma.id, "link_id": link.id, "item_id": contest.categories[0].id,
        "number": 1, "kind": None, "fmt": "csv", "message_id": message.id, "import_id": imp.id,
        "extension_id": extension.id})


def _as_scanned_paper_entry(contest, entry):
    """Entry B entered by the organizers from a photo read by OCR, so the paper-entry and
    transcription routes have their object (not a 404 for the wrong kind of entry)."""
    import io

    from PIL import Image

    from contest.paper.models import PaperEntry
    from contest.submissions import storage

    buffer = io.BytesIO()
    Image.new("L", (60, 80), 255).save(buffer, "PNG")
    stored_name, digest = storage.store_bytes(buffer.getvalue(), "png")
    version = entry.current_version
    version.format, version.stored_name, version.sha256 = "image", stored_name, digest
    version.flags = [{"code": "ocr", "severity": "info", "confidence": 40}]
    db.session.add(PaperEntry(entry_id=entry.id, contest_id=contest.id, channel="paper",
                              claim_key="K7Q2M9XD"))
    db.session.commit()


def _outreach_objects(contest, entry):
    """A message, a juror import and a deadline extension of contest B."""
    from contest.contests.import_models import JurorImport
    from contest.db import utcnow
    from contest.messages.models import Audience, Message
    from contest.submissions.extension_models import DeadlineExtension

    objects = (Message(contest_id=contest.id, audience=Audience.JURORS, subject={"en": "S"},
                       body={"en": "B"}),
               JurorImport(contest_id=contest.id, rows=[]),
               DeadlineExtension(contest_id=contest.id, student_id=entry.student_id, until=utcnow(),
                                 reason="r"))
    db.session.add_all(objects)
    db.session.commit()
    return objects


def _object_routes(app, other):
    """(endpoint, url, method, view) of every non-public organizer route naming B's objects."""
    for rule, values, method in _routes(app):
        view = app.view_functions[rule.endpoint]
        if (PUBLIC in view.access or Role.ORGANIZER not in view.access
                or not OBJECT_ARGS & set(rule.arguments)):
            continue
        for arg in rule.arguments:
            if other.values.get(arg) is not None:
                values[arg] = other.values[arg]
        if rule.endpoint == "ranking.export":
            values["kind"] = "ranking"
        if "kind" in rule.arguments and rule.endpoint.startswith("contest_items."):
            values["kind"] = "categories"
        if rule.endpoint == "awards.preview":
            values.update(kind="award", language="kk")
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        yield rule.endpoint, url, method, view


def test_every_contest_route_declares_its_capability(app, other):
    missing = [endpoint for endpoint, _u, _m, view in _object_routes(app, other)
               if Role.STUDENT not in view.access and not hasattr(view, "contest_capability")]
    assert missing == []


@pytest.mark.parametrize("role", ["owner", "transcriber"])
def test_organizer_of_another_contest_gets_404(app, client, auth, other, role):
    mine = make_contest()
    auth.login(make_member(mine, role=role))
    problems = [f"{method} {url}: {response.status_code}"
                for _e, url, method, _v in _object_routes(app, other)
                if (response := client.open(url, method=method)).status_code != 404]
    assert problems == []


@pytest.mark.parametrize("role", [*ContestRole, "admin"])
def test_each_role_gets_what_it_is_granted(app, client, auth, other, role):
    if role == "admin":
        user, granted = make_user(Role.ORGANIZER, is_admin=True), None
    else:
        user, granted = make_member(other.contest, role=role), GRANTS[role]
    auth.login(user)
    problems = []
    for _endpoint, url, method, view in _object_routes(app, other):
        if not hasattr(view, "contest_capability"):
            continue
        needed = view.contest_capability_post if method == "POST" else view.contest_capability
        response = client.open(url, method=method)
        if granted is not None and needed not in granted:
            ok = response.status_code == 403
        else:  # an earlier POST may have removed the object a later one names: 404 is fine there
            refused = (403, 404) if method == "GET" else (403,)
            ok = response.status_code < 500 and response.status_code not in refused
        if not ok:
            problems.append(f"{method} {url} ({needed}): {response.status_code}")
    assert problems == []


def test_a_transcriber_reaches_only_the_transcription_pages(app, client, auth, other):
    """A transcriber of contest B: the transcription queue, screen and page images of B are
    served; every other organizer page of B answers 403 (contest_access) or 404 (entry pages
    checked object by object), like a stranger's."""
    auth.login(make_member(other.contest, role="transcriber"))
    served, problems = [], []
    for endpoint, url, method, view in _object_routes(app, other):
        code = client.open(url, method=method).status_code
        if getattr(view, "contest_capability", None) == "transcribe":
            served.append(endpoint)
            if code >= 400 and not (method == "POST" and code == 302):
                problems.append(f"{method} {url}: {code}")
        elif code not in (403, 404):
            problems.append(f"{method} {url}: {code}")
    assert problems == []
    assert sorted(set(served)) == ["transcription.edit", "transcription.page_image", "transcription.queue"]


def test_contest_lists_show_only_the_contests_held(app, client, auth):
    mine = make_contest(title={"en": "Mine contest"})
    make_contest(title={"en": "Theirs contest"})
    auth.login(make_member(mine, role="observer"))
    for endpoint in ("contests.manage", "judging.contests", "submissions.attention_overview"):
        with app.test_request_context():
            url = url_for(endpoint)
        page = client.get(url).get_data(as_text=True)
        assert ("Mine contest" in page, "Theirs contest" in page) == (True, False), endpoint


def test_a_transcriber_finds_only_the_queue(app, client, auth):
    """The contest a transcriber types for is in none of the organizer's lists of contests;
    their dashboard links its transcription queue instead."""
    typed = make_contest(title={"en": "Typed contest"})
    auth.login(make_member(typed, role="transcriber"))
    for endpoint in ("contests.manage", "judging.contests", "submissions.attention_overview"):
        with app.test_request_context():
            url = url_for(endpoint)
        assert "Typed contest" not in client.get(url).get_data(as_text=True), endpoint
    home = client.get("/dashboard").get_data(as_text=True)
    assert "Typed contest" in home and f"/organizer/contests/{typed.id}/transcription" in home
    assert f"/contests/{typed.id}/desk" not in home and "0 entries wait to be typed." in home


def test_creator_owns_the_new_contest(app, client, auth):
    from contest.contests.models import ContestMember

    user = make_user(Role.ORGANIZER, is_admin=False)
    auth.login(user)
    response = client.post("/contests/new", data={
        "title_kk": "Жаңа", "code_prefix": "NEW", "year": 2027, "timezone": "Asia/Almaty",
        "formats": ["pdf"], "languages": ["kk"], "max_file_mb": 5, "max_pages": 10, "min_words": 0,
        "max_words": 0, "soft_margin_pct": 0, "entries_per_student": 1, "reviews_per_entry": 3,
        "ranking_method": "mean"})
    assert response.status_code == 302
    member = db.session.scalar(db.select(ContestMember).where(ContestMember.user_id == user.id))
    assert member.role == ContestRole.OWNER
    assert client.get(response.headers["Location"]).status_code == 200
