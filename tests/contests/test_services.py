"""Contest settings, window and time zones, deadline rules, logo, rubric lock, cloning."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from contest.audit.models import AuditEvent
from contest.contests import items, services
from contest.contests.models import (
    AwardTier,
    Category,
    Contest,
    ContestJuror,
    Criterion,
    Phase,
    Signatory,
    Topic,
)
from contest.contests.services import ContestSettings, FieldErrors
from contest.db import utcnow
from contest.enums import Role
from contest.errors import Conflict, InvalidInput
from contest.extensions import db
from tests.factories import make_setup_contest

pytestmark = pytest.mark.postgres

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100

VALID = ContestSettings(
    title={"kk": "Заң және мен"},
    code_prefix="zt",
    year=2026,
    opens_local=datetime(2026, 3, 1, 9, 0),
    closes_local=datetime(2026, 4, 1, 18, 0),
)


@pytest.fixture(autouse=True)
def _ctx(request_ctx):
    yield


def _errors(settings: ContestSettings) -> dict:
    return {name: str(message) for name, message in services.settings_errors(settings).items()}


def test_valid_settings_have_no_errors(app):
    assert _errors(VALID) == {}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": {"kk": " ", "ru": ""}}, "title_kk"),
        ({"closes_local": datetime(2026, 3, 1, 9, 0)}, "closes_at"),  # closes == opens
        ({"closes_local": datetime(2026, 2, 1, 9, 0)}, "closes_at"),  # closes before opens
        ({"closes_local": None}, "closes_at"),
        ({"opens_local": None}, "opens_at"),
        ({"formats": []}, "formats"),
        ({"formats": ["exe"]}, "formats"),
        ({"languages": []}, "languages"),
        ({"languages": ["de"]}, "languages"),
        ({"reviews_per_entry": 0}, "reviews_per_entry"),
        ({"entries_per_student": 0}, "entries_per_student"),
        ({"min_words": 500, "max_words": 500}, "max_words"),
        ({"min_words": -1}, "min_words"),
        ({"soft_margin_pct": 101}, "soft_margin_pct"),
        ({"max_file_mb": 0}, "max_file_mb"),
        ({"max_file_mb": 26}, "max_file_mb"),
        ({"max_pages": 0}, "max_pages"),
        ({"code_prefix": "ZT-2026"}, "code_prefix"),
        ({"year": 1999}, "year"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
    ],
)
def test_settings_error_names_the_field(app, change, field):
    assert list(_errors(replace(VALID, **change))) == [field]


def test_create_contest_stores_window_in_utc_from_almaty(app, make_user):
    organizer = make_user(Role.ORGANIZER)
    contest = services.create_contest(settings=VALID, actor=organizer)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Contest, contest.id)
    assert stored.opens_at == datetime(2026, 3, 1, 4, 0, tzinfo=UTC)  # Almaty is UTC+5
    assert stored.closes_at == datetime(2026, 4, 1, 13, 0, tzinfo=UTC)
    assert (stored.phase, stored.code_prefix, stored.title) == (Phase.DRAFT, "ZT", {"kk": "Заң және мен"})
    assert services.to_local(stored.closes_at, stored.timezone) == datetime(2026, 4, 1, 18, 0)


def test_window_in_another_zone_converts_with_its_offset(app, make_user):
    contest = services.create_contest(
        settings=replace(VALID, timezone="Europe/Moscow"), actor=make_user(Role.ORGANIZER)
    )
    assert contest.opens_at == datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


def test_invalid_settings_create_nothing(app, make_user):
    with pytest.raises(FieldErrors) as caught:
        services.create_contest(
            settings=replace(VALID, reviews_per_entry=0, languages=[]), actor=make_user(Role.ORGANIZER)
        )
    assert set(caught.value.errors) == {"reviews_per_entry", "languages"}
    assert db.session.scalar(select(func.count(Contest.id))) == 0


def _settings_of(contest: Contest, **change) -> ContestSettings:
    window = {
        "opens_local": services.to_local(contest.opens_at, contest.timezone),
        "closes_local": services.to_local(contest.closes_at, contest.timezone),
    }
    return replace(VALID, **{**window, **change})


def test_open_contest_deadline_can_be_extended_and_is_logged(app, make_user):
    organizer = make_user(Role.ORGANIZER)
    contest = make_setup_contest("open")
    old_close = contest.closes_at
    later = services.to_local(old_close + timedelta(days=7), contest.timezone)
    services.update_contest(
        contest=contest, settings=_settings_of(contest, closes_local=later), actor=organizer
    )
    db.session.commit()
    assert contest.closes_at == old_close + timedelta(days=7)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contest.window"))
    assert event.actor_id == organizer.id
    assert event.old["closes_at"] == old_close.isoformat()
    assert event.new["closes_at"] == (old_close + timedelta(days=7)).isoformat()


def test_open_contest_deadline_cannot_move_before_now(app, make_user):
    contest = make_setup_contest("open")
    old_close = contest.closes_at
    past = services.to_local(utcnow() - timedelta(hours=1), contest.timezone)
    with pytest.raises(FieldErrors) as caught:
        services.update_contest(
            contest=contest,
            settings=_settings_of(contest, closes_local=past),
            actor=make_user(Role.ORGANIZER),
        )
    assert list(caught.value.errors) == ["closes_at"]
    db.session.rollback()
    assert db.session.get(Contest, contest.id).closes_at == old_close
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contest.window")) is None


def test_draft_deadline_may_be_in_the_past(app, make_user):
    contest = make_setup_contest("draft")
    past = services.to_local(utcnow() - timedelta(days=2), contest.timezone)
    services.update_contest(
        contest=contest,
        settings=_settings_of(contest, opens_local=past - timedelta(days=1), closes_local=past),
        actor=make_user(Role.ORGANIZER),
    )
    assert contest.closes_at < utcnow()


def test_window_fixed_once_judging(app, make_user):
    contest = make_setup_contest("judging")
    later = services.to_local(contest.closes_at + timedelta(days=1), contest.timezone)
    with pytest.raises(FieldErrors) as caught:
        services.update_contest(
            contest=contest,
            settings=_settings_of(contest, closes_local=later),
            actor=make_user(Role.ORGANIZER),
        )
    assert list(caught.value.errors) == ["closes_at"]


def test_unchanged_window_saves_other_settings_when_open(app, make_user):
    contest = make_setup_contest("open")
    services.update_contest(
        contest=contest,
        settings=_settings_of(contest, reviews_per_entry=4, blind=False),
        actor=make_user(Role.ORGANIZER),
    )
    assert (contest.reviews_per_entry, contest.blind) == (4, False)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"GIF89a" + b"\x00" * 50, "The logo must be a PNG or JPEG image."),
        (b"<svg onload=alert(1)>", "The logo must be a PNG or JPEG image."),
        (PNG + b"\x00" * (512 * 1024), "The logo must be at most 512 KB."),
    ],
)
def test_bad_logo_is_refused_and_keeps_the_old_one(app, data, message):
    contest = make_setup_contest()
    services.update_diploma(contest=contest, issuer={}, logo=JPEG)
    with pytest.raises(InvalidInput) as caught:
        services.update_diploma(contest=contest, issuer={"en": "Institute"}, logo=data)
    assert (str(caught.value.message), caught.value.field) == (message, "logo")
    assert (contest.logo, contest.logo_mime) == (JPEG, "image/jpeg")


def test_logo_accepted_by_signature_and_removable(app):
    contest = make_setup_contest()
    services.update_diploma(contest=contest, issuer={"ru": " Институт ", "en": ""}, logo=PNG)
    assert (contest.logo_mime, contest.issuer) == ("image/png", {"ru": "Институт"})
    services.update_diploma(contest=contest, issuer={}, remove_logo=True)
    assert (contest.logo, contest.logo_mime) == (None, "")


def test_locked_rubric_refuses_changes_until_unlocked_with_logged_reason(app, make_user):
    organizer = make_user(Role.ORGANIZER)
    contest = make_setup_contest("judging")
    services.lock_rubric(contest=contest)
    criterion = contest.criteria[0]
    args = dict(
        name={"en": "Argument"}, description={}, min_score=0, max_score=5, step=1, weight=1, levels=[]
    )
    with pytest.raises(Conflict):
        items.save_criterion(contest=contest, actor=organizer, criterion=criterion, **args)
    with pytest.raises(Conflict):
        items.remove_item(contest=contest, item=criterion, actor=organizer)
    with pytest.raises(Conflict):
        items.move_item(contest=contest, item=criterion, offset=1)
    with pytest.raises(InvalidInput):
        services.unlock_rubric(contest=contest, actor=organizer, reason="  ")
    assert contest.rubric_locked is True
    services.unlock_rubric(contest=contest, actor=organizer, reason="Typo in the weight")
    items.save_criterion(contest=contest, actor=organizer, criterion=criterion, **args)
    db.session.commit()
    assert criterion.max_score == 5
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.reason, AuditEvent.actor_id).order_by(AuditEvent.id)
    ).all()
    assert [tuple(e) for e in events] == [
        ("contest.rubric_locked", "", None),
        ("contest.rubric_unlocked", "Typo in the weight", organizer.id),
        ("contest.rubric_changed", "", organizer.id),
    ]


def test_unlock_of_unlocked_rubric_is_refused(app, make_user):
    with pytest.raises(InvalidInput):
        services.unlock_rubric(contest=make_setup_contest(), actor=make_user(Role.ORGANIZER), reason="x")


def _full_contest(organizer):
    contest = make_setup_contest(
        "published",
        year=2025,
        logo=PNG,
        logo_mime="image/png",
        issuer={"kk": "Институт"},
        rubric_locked=True,
        entry_counter=42,
    )
    items.save_category(contest=contest, name={"en": "University"})
    items.save_award_tier(
        contest=contest,
        name={"en": "1st degree"},
        rule="count",
        category_id=contest.categories[1].id,
        count=1,
        min_score=None,
    )
    items.save_award_tier(
        contest=contest, name={"en": "Honorary"}, rule="threshold", category_id=None, count=None, min_score=30
    )
    items.save_signatory(contest=contest, name="A. Director", title={"ru": "Директор"})
    contest.criteria[0].levels = [{"score": 10, "text": {"en": "Original"}}]
    db.session.add(ContestJuror(contest_id=contest.id, user_id=organizer.id, category_ids=[]))
    db.session.commit()
    return contest


def test_clone_copies_the_setup_into_new_rows(app, make_user):
    organizer = make_user(Role.ORGANIZER)
    source = _full_contest(organizer)
    clone = services.clone_contest(source=source, actor=organizer)
    db.session.commit()
    assert (clone.phase, clone.year, clone.entry_counter, clone.rubric_locked) == (
        Phase.DRAFT,
        2026,
        0,
        False,
    )
    assert (clone.title, clone.issuer, clone.logo) == (source.title, source.issuer, PNG)
    assert clone.closes_at == source.closes_at.replace(year=source.closes_at.year + 1)
    for name in ("topics", "categories", "criteria", "award_tiers", "signatories"):
        old, new = getattr(source, name), getattr(clone, name)
        assert len(new) == len(old) > 0
        assert not {o.id for o in old} & {n.id for n in new}
    assert clone.award_tiers[0].category_id == clone.categories[1].id
    assert clone.award_tiers[1].category_id is None
    assert clone.criteria[0].levels == [{"score": 10, "text": {"en": "Original"}}]
    jurors = db.session.scalar(select(func.count(ContestJuror.id)).where(ContestJuror.contest_id == clone.id))
    assert jurors == 0
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "contest.cloned"))
    assert (event.contest_id, event.new) == (clone.id, {"from_contest": source.id})


def test_clone_shares_no_mutable_values(app, make_user):
    organizer = make_user(Role.ORGANIZER)
    source = _full_contest(organizer)
    clone = services.clone_contest(source=source, actor=organizer)
    clone.criteria[0].levels[0]["text"]["en"] = "Changed"  # in place: a shallow copy would leak
    clone.topics[0].title["en"] = "New topic"
    clone.formats.append("text")
    assert source.criteria[0].levels == [{"score": 10, "text": {"en": "Original"}}]
    assert source.topics[0].title == {"kk": "Заң және мен", "en": "The law and me"}
    assert source.formats == ["pdf", "docx", "txt"]
    db.session.commit()
    counts = [
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Topic, Category, Criterion, AwardTier, Signatory)
    ]
    assert counts == [2, 4, 2, 4, 2]
