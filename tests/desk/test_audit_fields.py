"""The audit-log viewer shows each changed field under a label in the reader's language and
its values readably: enum values by their labels, moments in the contest's zone, yes/no;
a field it does not know keeps its stored name (issue 14, item 6)."""
import csv
import io

import pytest

from contest.audit.services import record_event
from contest.enums import Role
from contest.extensions import db
from tests.factories import make_contest, make_entry, make_member, make_user

READER = {
    "ru": {"k": "Проверок на одно эссе (k)",
           "rubric": "Показывать критерии оценивания на публичной странице конкурса",
           "title": "Название (Русский)", "close": "Окончание приёма работ (крайний срок)",
           "status": "Статус", "decision": "Решение", "yes": "да", "no": "нет",
           "needs": "Требует внимания", "rejected": "Не принято", "closes": "1 декабря 2026, 18:00",
           "later": "2 декабря 2026, 18:00"},
    "kk": {"k": "Бір эссеге берілетін бағалау саны (k)",
           "rubric": "Рубриканы байқаудың ашық бетінде көрсету",
           "title": "Атауы (Русский)", "close": "Қабылдау аяқталады (соңғы мерзім)",
           "status": "Күйі", "decision": "Шешім", "yes": "иә", "no": "жоқ",
           "needs": "Назар аударуды қажет етеді", "rejected": "Қабылданбады",
           "closes": "1 желтоқсан 2026, 18:00",
           "later": "2 желтоқсан 2026, 18:00"},
}


@pytest.fixture
def logged(app):
    contest = make_contest(phase="judging", timezone="Asia/Almaty")
    entry = make_entry(contest)
    events = [
        dict(action="contest.settings", obj=contest,
             old={"reviews_per_entry": 3, "show_rubric": False, "title_ru": None},
             new={"reviews_per_entry": 4, "show_rubric": True, "title_ru": "Конкурс"}),
        dict(action="contest.window", obj=contest, old={"closes_at": "2026-12-01T13:00:00+00:00"},
             new={"closes_at": "2026-12-02T13:00:00+00:00"}),
        dict(action="entry.rejected", obj=entry, old={"status": "needs_attention", "decision": None},
             new={"status": "rejected", "decision": "rejected"}),
        dict(action="someone.new_thing", obj=entry, new={"mystery_key": 1}),
    ]
    return contest, events


@pytest.mark.postgres
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_viewer_shows_field_labels_and_readable_values(client, auth, logged, lang):
    contest, events = logged
    owner = make_member(contest, user=make_user(Role.ORGANIZER, is_admin=False, language=lang))
    events.append(dict(action="contest.role_granted", obj=None,
                       new={"user_id": owner.id, "role": "jury_chair"}))
    for event in events:
        record_event(actor=owner, contest_id=contest.id, **event)
    db.session.commit()
    auth.login(owner)
    page = client.get(f"/contests/{contest.id}/desk/audit").get_data(as_text=True)
    words = READER[lang]
    for label, value in [("k", "3"), ("k", "4"), ("rubric", words["no"]), ("rubric", words["yes"]),
                         ("title", "Конкурс"), ("status", words["needs"]), ("status", words["rejected"]),
                         ("decision", words["rejected"]), ("close", words["closes"]),
                         ("close", words["later"])]:
        assert f'{words[label]}:</span> {value}' in page, (label, value)
    assert 'title="reviews_per_entry">' in page  # the stored name stays at hand
    for raw in (">reviews_per_entry:", ">show_rubric:", "needs_attention<", "2026-12-01T13:00", ">status:"):
        assert raw not in page, raw
    assert ">mystery_key:</span> 1" in page  # an unknown field keeps its name
    assert f"{owner.full_name} ({owner.id})" in page  # people by name

    text = client.get(f"/contests/{contest.id}/desk/audit.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    by_action = {row[2]: row for row in rows[1:]}
    settings = next(row for row in rows[1:] if "(k)" in row[4])
    assert f'{words["k"]}: 3 → 4' in settings[4].splitlines()
    assert "reviews_per_entry: 3 → 4" in settings[6].splitlines()  # and as stored
    assert by_action["someone.new_thing"][4] == "mystery_key:  → 1"
