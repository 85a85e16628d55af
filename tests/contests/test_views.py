"""Contest pages over HTTP: who reaches what, drafts hidden, editor forms, public page."""

import re
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from sqlalchemy import func, select

from contest.audit.models import AuditEvent
from contest.contests.models import Contest, Criterion, Phase, Topic
from contest.db import utcnow
from contest.enums import Role
from contest.extensions import db
from tests.factories import make_setup_contest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
BLUEPRINTS = ("contests.", "contest_items.", "contest_jurors.")
PUBLIC_ENDPOINTS = {"contests.index", "contests.page", "contests.logo"}


def _editor_urls(contest) -> list[str]:
    c, k = contest.id, contest.criteria[0].id
    return [
        "/contests/manage",
        "/contests/new",
        f"/contests/{c}/manage",
        f"/contests/{c}/edit",
        f"/contests/{c}/topics",
        f"/contests/{c}/categories",
        f"/contests/{c}/criteria",
        f"/contests/{c}/tiers",
        f"/contests/{c}/signatories",
        f"/contests/{c}/criteria/{k}",
        f"/contests/{c}/rubric/preview",
        f"/contests/{c}/diploma",
        f"/contests/{c}/jury",
    ]


def _editor_posts(contest) -> list[str]:
    c, k = contest.id, contest.criteria[0].id
    return [
        f"/contests/{c}/phase",
        f"/contests/{c}/clone",
        f"/contests/{c}/rubric/unlock",
        f"/contests/{c}/criteria/{k}/delete",
        f"/contests/{c}/criteria/{k}/move",
        f"/contests/{c}/topics",
        f"/contests/{c}/edit",
        f"/contests/{c}/diploma",
        f"/contests/{c}/jury",
    ]


def test_every_contest_route_declares_access(app):
    views = {
        rule.endpoint: app.view_functions[rule.endpoint]
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(BLUEPRINTS)
    }
    assert len(views) == 21
    assert all(hasattr(view, "access") for view in views.values())
    public = {name for name, view in views.items() if "public" in view.access}
    assert public == PUBLIC_ENDPOINTS


def test_editor_pages_answer_organizers_only(client, auth, make_user):
    contest = make_setup_contest("draft")
    urls = _editor_urls(contest)
    assert {client.get(u).status_code for u in urls} == {302}  # anonymous: to the login page
    for role in (Role.STUDENT, Role.JUROR):
        auth.login(make_user(role))
        assert {u: client.get(u).status_code for u in urls} == {u: 403 for u in urls}
        assert {
            u: client.post(u, data={"target": "open", "reason": "x"}).status_code
            for u in _editor_posts(contest)
        } == {u: 403 for u in _editor_posts(contest)}
        auth.logout()
    assert db.session.scalar(select(func.count(Contest.id))) == 1
    assert db.session.get(Contest, contest.id).phase == Phase.DRAFT
    assert (
        db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action.like("contest.%"))) == 0
    )
    auth.login(make_user(Role.ORGANIZER))
    assert {u: client.get(u).status_code for u in urls} == {u: 200 for u in urls}


@pytest.mark.parametrize("role", [None, Role.STUDENT, Role.JUROR])
def test_draft_is_invisible_outside_organizers(client, auth, make_user, role):
    draft = make_setup_contest("draft", title={"en": "Secret draft contest"}, logo=PNG, logo_mime="image/png")
    make_setup_contest("open", title={"en": "Public contest"})
    if role:
        auth.login(make_user(role))
    listing = client.get("/contests")
    assert b"Public contest" in listing.data and b"Secret draft contest" not in listing.data
    assert client.get(f"/contests/{draft.id}").status_code == 404
    assert client.get(f"/contests/{draft.id}/logo").status_code == 404
    assert client.get("/contests/999999").status_code == 404


def test_organizer_previews_a_draft(client, auth, make_user):
    draft = make_setup_contest("draft", title={"en": "Secret draft contest"})
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/contests/{draft.id}")
    assert page.status_code == 200
    assert b"Draft: only organizers see this page." in page.data


def test_public_list_sorts_open_upcoming_and_closed(client):
    now = utcnow()
    make_setup_contest("open", title={"en": "Running"})
    make_setup_contest(
        "open",
        title={"en": "Next month"},
        opens_at=now + timedelta(days=30),
        closes_at=now + timedelta(days=60),
    )
    make_setup_contest("judging", title={"en": "Being judged"})
    make_setup_contest("archived", title={"en": "Old archive"})
    text = client.get("/contests").get_data(as_text=True)
    assert (
        text.index("Open now") < text.index("Running") < text.index("Coming soon") < text.index("Next month")
    )
    assert text.index("Judging and results") < text.index("Being judged")
    assert "Old archive" not in text


def test_public_page_uses_visitor_language_with_fallback(client):
    contest = make_setup_contest(
        "open",
        title={"kk": "Заң және мен", "ru": "Закон и я"},
        description={"ru": "Описание конкурса"},
        show_rubric=False,
    )
    ru = client.get(f"/contests/{contest.id}", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    en = client.get(f"/contests/{contest.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>Закон и я</h1>" in ru
    assert "<h1>Заң және мен</h1>" in en and "Описание конкурса" in en  # no English: kk, then ru
    assert "The law and me" in en and "Argument" not in en  # topic shown; rubric hidden


def test_public_page_deadline_in_utc_attribute_and_almaty_text(client):
    closes = datetime(2031, 5, 1, 13, 0, tzinfo=UTC)
    contest = make_setup_contest("open", closes_at=closes, show_rubric=True)
    text = client.get(f"/contests/{contest.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-deadline="2031-05-01T13:00:00+00:00"' in text
    assert "1 May 2031, 18:00" in text and "(Almaty)" in text  # server fallback: UTC+5
    assert 'src="/static/js/countdown.js"' in text
    assert re.search(r'name="score-\d+" value="10" disabled', text)  # rubric shown read-only


def test_create_contest_form_refuses_bad_dates_with_message(client, auth, make_user):
    auth.login(make_user(Role.ORGANIZER))
    form = _settings_form(opens_at="2026-04-01T09:00", closes_at="2026-03-01T09:00")
    response = client.post("/contests/new", data=form)
    assert response.status_code == 200
    assert b"The window must close after it opens." in response.data
    assert db.session.scalar(select(func.count(Contest.id))) == 0
    response = client.post("/contests/new", data=_settings_form())
    contest = db.session.scalar(select(Contest))
    assert response.headers["Location"] == f"/contests/{contest.id}/manage"
    assert (contest.opens_at, contest.closes_at) == (
        datetime(2026, 3, 1, 4, 0, tzinfo=UTC),
        datetime(2026, 4, 1, 13, 0, tzinfo=UTC),
    )
    assert (contest.title, contest.formats, contest.blind) == ({"kk": "Заң"}, ["pdf", "text"], True)


def _settings_form(**change) -> dict:
    form = {
        "title_kk": "Заң",
        "code_prefix": "ZT",
        "year": "2026",
        "timezone": "Asia/Almaty",
        "opens_at": "2026-03-01T09:00",
        "closes_at": "2026-04-01T18:00",
        "formats": ["pdf", "text"],
        "max_file_mb": "10",
        "max_pages": "30",
        "min_words": "300",
        "max_words": "1500",
        "soft_margin_pct": "10",
        "languages": ["kk", "ru"],
        "entries_per_student": "1",
        "reviews_per_entry": "3",
        "blind": "y",
        "show_rubric": "y",
    }
    return {**form, **change}


def test_edit_refuses_deadline_before_now_on_open_contest(client, auth, make_user):
    contest = make_setup_contest("open")
    old = contest.closes_at
    auth.login(make_user(Role.ORGANIZER))
    yesterday = (utcnow() + timedelta(hours=5) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/contests/{contest.id}/edit", data=_settings_form(opens_at="2020-01-01T00:00", closes_at=yesterday)
    )
    assert b"The contest is open: the deadline cannot be moved to before now." in response.data
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).closes_at == old


def test_phase_change_over_http_is_logged_or_explained(client, auth, make_user):
    organizer = make_user(Role.ORGANIZER)
    ready, empty = make_setup_contest("draft"), make_setup_contest("draft", complete=False)
    auth.login(organizer)
    client.post(f"/contests/{ready.id}/phase", data={"target": "open"})
    refused = client.post(f"/contests/{empty.id}/phase", data={"target": "open"}, follow_redirects=True)
    assert b"Add at least one topic." in refused.data
    db.session.expire_all()
    assert (db.session.get(Contest, ready.id).phase, db.session.get(Contest, empty.id).phase) == (
        Phase.OPEN,
        Phase.DRAFT,
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contest.phase"))
    assert (event.contest_id, event.actor_id, event.new["phase"]) == (ready.id, organizer.id, "open")


def test_clone_over_http_makes_a_draft(client, auth, make_user):
    contest = make_setup_contest("published", year=2025)
    auth.login(make_user(Role.ORGANIZER))
    response = client.post(f"/contests/{contest.id}/clone")
    clone = db.session.scalar(select(Contest).where(Contest.id != contest.id))
    assert response.headers["Location"] == f"/contests/{clone.id}/edit"
    assert (clone.phase, clone.year, len(clone.topics)) == (Phase.DRAFT, 2026, 1)


def test_rubric_unlock_over_http_needs_reason_and_logs_it(client, auth, make_user):
    contest = make_setup_contest("judging", rubric_locked=True)
    auth.login(make_user(Role.ORGANIZER))
    client.post(f"/contests/{contest.id}/rubric/unlock", data={"reason": ""})
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).rubric_locked is True
    edit = client.post(
        f"/contests/{contest.id}/criteria/{contest.criteria[0].id}",
        data={"name_en": "Changed", "min_score": "0", "max_score": "10", "step": "1", "weight": "1"},
        follow_redirects=True,
    )
    assert b"The rubric is locked" in edit.data
    client.post(f"/contests/{contest.id}/rubric/unlock", data={"reason": "Weight typo"})
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).rubric_locked is False
    assert (
        db.session.scalar(select(AuditEvent.reason).where(AuditEvent.action == "contest.rubric_unlocked"))
        == "Weight typo"
    )


def test_items_add_edit_move_delete_over_http(client, auth, make_user):
    contest = make_setup_contest("draft")
    other = make_setup_contest("draft")
    auth.login(make_user(Role.ORGANIZER))
    client.post(f"/contests/{contest.id}/topics", data={"title_ru": "Водитель и пешеход"})
    topic = db.session.scalar(select(Topic).where(Topic.contest_id == contest.id, Topic.position == 1))
    assert topic.title == {"ru": "Водитель и пешеход"}
    client.post(f"/contests/{contest.id}/topics/{topic.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert db.session.get(Topic, topic.id).position == 0
    assert client.post(f"/contests/{other.id}/topics/{topic.id}/delete").status_code == 404
    topic_id = topic.id
    client.post(f"/contests/{contest.id}/topics/{topic_id}/delete")
    db.session.expire_all()
    assert db.session.get(Topic, topic_id) is None
    levels = {
        "name_kk": "Дәлел",
        "min_score": "0",
        "max_score": "5",
        "step": "0.5",
        "weight": "2",
        "levels_en": "5: Original and supported\n2,5 - Fair",
        "levels_kk": "5: Түпнұсқа",
    }
    client.post(f"/contests/{contest.id}/criteria", data=levels)
    criterion = db.session.scalar(
        select(Criterion).where(Criterion.position == 1, Criterion.contest_id == contest.id)
    )
    assert criterion.levels == [
        {"score": 5.0, "text": {"kk": "Түпнұсқа", "en": "Original and supported"}},
        {"score": 2.5, "text": {"en": "Fair"}},
    ]
    bad = client.post(f"/contests/{contest.id}/criteria", data={**levels, "weight": "0"})
    assert b"The weight must be greater than 0." in bad.data
    assert db.session.scalar(select(func.count(Criterion.id)).where(Criterion.contest_id == contest.id)) == 2


def test_rubric_preview_shows_the_juror_form_read_only(client, auth, make_user):
    contest = make_setup_contest("draft")
    contest.criteria[0].levels = [{"score": 10, "text": {"en": "Convincing throughout"}}]
    db.session.commit()
    auth.login(make_user(Role.ORGANIZER))
    text = client.get(f"/contests/{contest.id}/rubric/preview").get_data(as_text=True)
    assert "1. Argument" in text and "Convincing throughout" in text
    assert len(re.findall(rf'name="score-{contest.criteria[0].id}" value="\d+" disabled', text)) == 11


def test_logo_upload_validates_and_serves_safely(client, auth, make_user):
    contest = make_setup_contest("open")
    auth.login(make_user(Role.ORGANIZER))
    bad = client.post(
        f"/contests/{contest.id}/diploma",
        content_type="multipart/form-data",
        data={"issuer_en": "Institute", "logo": (BytesIO(b"<html>not an image</html>"), "logo.png")},
    )
    assert b"The logo must be a PNG or JPEG image." in bad.data
    big = client.post(
        f"/contests/{contest.id}/diploma",
        content_type="multipart/form-data",
        data={"logo": (BytesIO(PNG + b"\x00" * 600_000), "logo.png")},
    )
    assert b"The logo must be at most 512 KB." in big.data
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).logo is None
    client.post(
        f"/contests/{contest.id}/diploma",
        content_type="multipart/form-data",
        data={"issuer_en": "Institute", "logo": (BytesIO(PNG), "whatever.gif")},
    )
    served = client.get(f"/contests/{contest.id}/logo")
    assert (served.data, served.mimetype, served.headers["X-Content-Type-Options"]) == (
        PNG,
        "image/png",
        "nosniff",
    )
