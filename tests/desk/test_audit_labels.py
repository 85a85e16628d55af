"""The audit-log viewer names actions and objects in the reader's language, not by code."""
import csv
import io
import re
from pathlib import Path

import pytest

from contest.audit.services import record_event
from contest.desk.labels import AUDIT_ACTIONS
from contest.enums import Role
from contest.extensions import db
from tests.factories import make_contest, make_entry, make_member, make_user

ROOT = Path(__file__).resolve().parents[2] / "contest"
# Every action string handed to record_event, also the ones chosen by a condition.
ACTION = re.compile(r'"([a-z]+\.[a-z_]+)"')


def _actions_in_code() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"record_event\((?:[^()]|\([^()]*\))*\)", text):
            found |= set(ACTION.findall(call.group()))
        for m in re.finditer(r'action="([a-z]+\.[a-z_]+)"', text):  # passed on by a helper (_decide)
            found.add(m.group(1))
    return found


def test_every_action_in_the_code_has_a_label():
    actions = _actions_in_code()
    assert len(actions) > 40  # the scan finds them
    assert sorted(actions - set(AUDIT_ACTIONS)) == []


@pytest.mark.postgres
@pytest.mark.parametrize(("lang", "words"), [
    ("ru", ("Слепое оценивание включено или выключено", "Работа не принята", "Конкурс", "Работа")),
    ("kk", ("Жасырын бағалау қосылды немесе өшірілді", "Жұмыс қабылданбады", "Байқау", "Жұмыс")),
])
def test_the_viewer_and_its_csv_show_labels_in_the_readers_language(app, client, auth, lang, words):
    contest = make_contest(phase="judging")
    entry = make_entry(contest)
    owner = make_member(contest, user=make_user(Role.ORGANIZER, is_admin=False, language=lang))
    record_event(action="contest.blind", actor=owner, obj=contest, contest_id=contest.id,
                 old={"blind": True}, new={"blind": False}, reason="x")
    record_event(action="entry.rejected", actor=owner, obj=entry, contest_id=contest.id,
                 old={"status": "needs_attention"}, new={"status": "rejected"})
    record_event(action="someone.new_thing", actor=owner, obj=entry, contest_id=contest.id)
    db.session.commit()
    auth.login(owner)
    page = client.get(f"/contests/{contest.id}/desk/audit").get_data(as_text=True)
    for word in words:
        assert word in page, word
    assert "<code>contest.blind</code>" not in page
    assert "someone.new_thing" in page  # an action without a label is shown as its code
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', page)
    assert (("entry.rejected", words[1]) in options), options  # the filter names actions too
    text = client.get(f"/contests/{contest.id}/desk/audit.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert {r[2] for r in rows[1:]} == {words[0], words[1], "someone.new_thing"}
    assert f"{words[3]} {entry.id}" in {r[3] for r in rows[1:]}
