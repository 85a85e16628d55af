"""Every change of a contest's set-up is in the audit log with the old and new values of exactly
the fields that changed, and nothing is logged when nothing changed (issue 14)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.contests import forms, items, services
from contest.enums import Role
from contest.extensions import db
from tests import factories

pytestmark = pytest.mark.postgres

BASE = {"code_prefix": "ZT", "year": "2026", "timezone": "Asia/Almaty", "title_kk": "Байқау",
        "opens_at": "2026-11-01T09:00", "closes_at": "2026-12-01T18:00",
        "judging_ends_at": "2026-12-20T18:00",
        "reminder_days": "3, 1", "formats": ["pdf"], "languages": ["kk"], "max_file_mb": "10",
        "max_pages": "30", "min_words": "0", "max_words": "0", "soft_margin_pct": "0",
        "entries_per_student": "1", "reviews_per_entry": "3", "blind": "y"}
SET = "contest.settings"

# (form field, its new value in the form, action, old value, new value as logged). An absent
# checkbox is False; texts are logged per language; moments in UTC (Almaty is UTC+5).
CHANGES = [
    ("title_kk", "Жаңа атау", SET, "Байқау", "Жаңа атау"),
    ("title_ru", "Конкурс", SET, None, "Конкурс"),
    ("title_en", "Contest", SET, None, "Contest"),
    ("description_kk", "Сипаттама", SET, None, "Сипаттама"),
    ("description_ru", "Описание", SET, None, "Описание"),
    ("description_en", "About", SET, None, "About"),
    ("rules_kk", "Ережелер", SET, None, "Ережелер"),
    ("rules_ru", "Правила", SET, None, "Правила"),
    ("rules_en", "Rules", SET, None, "Rules"),
    ("code_prefix", "ab", SET, "ZT", "AB"),
    ("year", "2027", SET, 2026, 2027),
    ("reminder_days", "5, 2", SET, [3, 1], [5, 2]),
    ("formats", ["pdf", "docx"], SET, ["pdf"], ["docx", "pdf"]),
    ("languages", ["kk", "ru"], SET, ["kk"], ["kk", "ru"]),
    ("max_file_mb", "12", SET, 10, 12),
    ("max_pages", "20", SET, 30, 20),
    ("min_words", "100", SET, 0, 100),
    ("max_words", "900", SET, 0, 900),
    ("soft_margin_pct", "10", SET, 0, 10),
    ("entries_per_student", "2", SET, 1, 2),
    ("reviews_per_entry", "4", SET, 3, 4),
    ("jurors_may_open_files", "y", SET, False, True),
    ("same_region_conflict", "y", SET, False, True),
    ("show_rubric", "y", SET, False, True),
    ("share_feedback", "y", SET, False, True),
    ("blind", None, "contest.blind", True, False),
    ("opens_at", "2026-10-25T09:00", "contest.window",
     "2026-11-01T04:00:00+00:00", "2026-10-25T04:00:00+00:00"),
    ("closes_at", "2026-12-02T18:00", "contest.window",
     "2026-12-01T13:00:00+00:00", "2026-12-02T13:00:00+00:00"),
    ("judging_ends_at", "2026-12-21T18:00", "contest.judging_deadline",
     "2026-12-20T13:00:00+00:00", "2026-12-21T13:00:00+00:00"),
]
# Not settings: the reason that goes with turning blind off, and the form's CSRF token. The time
# zone moves the window and the deadline with it (test_time_zone_change_logs_the_moved_dates).
NOT_IN_CHANGES = {"blind_reason", "csrf_token", "timezone"}


def _events_after(last_id: int) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id)))


def _last_id() -> int:
    return db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def _saved(client, contest, form) -> None:
    data = {k: v for k, v in form.items() if v is not None}
    response = client.post(f"/contests/{contest.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


@pytest.fixture
def editor(app, client, auth):
    """A draft contest saved once with BASE by its organizer (logged in)."""
    organizer = factories.make_user(Role.ORGANIZER)
    contest = factories.make_setup_contest("draft", timezone="Asia/Almaty")
    auth.login(organizer)
    _saved(client, contest, BASE)
    return contest, organizer


def test_the_parametrized_changes_cover_every_field_of_the_settings_form(app):
    with app.test_request_context():
        names = {f.name for f in forms.ContestForm(meta={"csrf": False})}
    assert names - NOT_IN_CHANGES == {c[0] for c in CHANGES}


@pytest.mark.parametrize(("name", "value", "action", "old", "new"), CHANGES, ids=[c[0] for c in CHANGES])
def test_changing_one_setting_logs_one_event_with_its_old_and_new_value(client, editor, name, value, action,
                                                                        old, new):
    contest, organizer = editor
    last = _last_id()
    _saved(client, contest, {**BASE, name: value})
    events = _events_after(last)
    assert [(e.action, e.old, e.new, e.actor_id, e.contest_id) for e in events] == [
        (action, {name: old}, {name: new}, organizer.id, contest.id)]


def test_saving_the_settings_unchanged_logs_nothing(client, editor):
    contest, _organizer = editor
    last = _last_id()
    _saved(client, contest, BASE)
    assert _events_after(last) == []


def test_time_zone_change_logs_the_moved_dates(client, editor):
    """The window is typed in the contest's zone: a new zone moves the moments it names."""
    contest, _organizer = editor
    last = _last_id()
    _saved(client, contest, {**BASE, "timezone": "Europe/Moscow"})  # UTC+3: two hours later in UTC
    logged = {e.action: (e.old, e.new) for e in _events_after(last)}
    assert logged[SET][1] == {"timezone": "Europe/Moscow"}
    assert logged["contest.window"] == (
        {"opens_at": "2026-11-01T04:00:00+00:00", "closes_at": "2026-12-01T13:00:00+00:00"},
        {"opens_at": "2026-11-01T06:00:00+00:00", "closes_at": "2026-12-01T15:00:00+00:00"})
    assert logged["contest.judging_deadline"] == ({"judging_ends_at": "2026-12-20T13:00:00+00:00"},
                                                  {"judging_ends_at": "2026-12-20T15:00:00+00:00"})


# --- the parts of a contest: topics, categories, criteria, award tiers, signatories, diploma ----

def _log() -> list[tuple]:
    return [(e.action, e.object_type, e.old, e.new)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_topics_added_renamed_moved_and_removed_are_logged(app, request_ctx):
    contest = factories.make_setup_contest("draft")
    actor = factories.make_user(Role.ORGANIZER)
    first = contest.topics[0]
    topic = items.save_topic(contest=contest, title={"kk": "Тіл"}, actor=actor)
    items.save_topic(contest=contest, title={"kk": "Тіл", "ru": "Язык"}, topic=topic, actor=actor)
    items.save_topic(contest=contest, title={"kk": "Тіл", "ru": "Язык"}, topic=topic, actor=actor)  # same
    items.move_item(contest=contest, item=topic, offset=-1, actor=actor)
    items.remove_item(contest=contest, item=first, actor=actor)
    assert _log() == [
        ("contest.item_added", "topic", {"title_kk": None}, {"title_kk": "Тіл"}),
        ("contest.item_changed", "topic", {"title_ru": None}, {"title_ru": "Язык"}),
        ("contest.item_moved", "topic", {"place": 2}, {"place": 1}),
        ("contest.item_removed", "topic", {"title_en": "The law and me", "title_kk": "Заң және мен"},
         {"title_en": None, "title_kk": None}),
    ]


def test_removing_a_category_logs_its_award_tiers_too(app, request_ctx):
    contest = factories.make_setup_contest("draft")
    category = contest.categories[0]
    tier = items.save_award_tier(contest=contest, name={"en": "Gold"}, rule="count", category_id=category.id,
                                 count=1, min_score=None)
    items.save_award_tier(contest=contest, name={"en": "Gold"}, rule="count", category_id=category.id,
                          count=3, min_score=None, tier=tier)
    items.remove_item(contest=contest, item=category, actor=None)
    log = _log()
    assert log[1] == ("contest.item_changed", "awardtier", {"count": 1}, {"count": 3})
    assert [(action, kind) for action, kind, _o, _n in log[2:]] == [
        ("contest.item_removed", "category"), ("contest.item_removed", "awardtier")]


def test_criterion_edit_logs_the_changed_numbers(app, request_ctx):
    contest = factories.make_setup_contest("open")
    criterion = contest.criteria[0]
    items.save_criterion(contest=contest, actor=None, criterion=criterion, name={"en": "Argument"},
                         description={}, min_score=0, max_score=10, step=1, weight=3, levels=[])
    assert _log() == [("contest.rubric_changed", "criterion", {"weight": 2}, {"weight": 3})]


def test_signatory_and_diploma_changes_are_logged(app, request_ctx):
    contest = factories.make_setup_contest("draft")
    person = items.save_signatory(contest=contest, name="Ә. Нұрланов", title={"kk": "Директор"})
    items.save_signatory(contest=contest, name="Ә. Нұрланов", title={"kk": "Директоры"}, signatory=person)
    services.update_diploma(contest=contest, issuer={"kk": "Институт"})
    services.update_diploma(contest=contest, issuer={"kk": "Институт"})  # unchanged: nothing
    log = _log()
    assert log[1] == ("contest.item_changed", "signatory",
                      {"title_kk": "Директор"}, {"title_kk": "Директоры"})
    assert log[2:] == [("contest.diploma", "contest", {"issuer_kk": None}, {"issuer_kk": "Институт"})]
