"""The desk: team roles, the entries registry (filters, sort, pages, export) and live counts."""
import csv
import io

import pytest
from openpyxl import load_workbook

from contest.audit.models import AuditEvent
from contest.awards.models import Award
from contest.contests.models import ContestMember, ContestRole
from contest.enums import Role
from contest.extensions import db
from tests.factories import (
    add_tiers,
    make_assignment,
    make_contest,
    make_entry,
    make_juror,
    make_member,
    make_review,
    make_user,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def desk(app, client, auth):
    contest = make_contest(phase="judging", k=1)
    cat1, cat2 = contest.categories
    aliya = make_user(full_name="Әлия Нұрғалиева", school="Lyceum 7", region="aktobe", grade="9-11")
    boris = make_user(full_name="Boris Ivanov", school="School 12", region="astana", grade="college")
    dana = make_user(full_name="=HYPERLINK(\"x\")", school="Lyceum 7", region="aktobe", grade="9-11")
    a = make_entry(contest, aliya, language="kk", category=cat1)
    b = make_entry(contest, boris, language="ru", category=cat2, status="needs_attention")
    d = make_entry(contest, dana, language="en", category=cat1)
    juror = make_juror(contest=contest)
    make_review(contest, a, juror, (8, 4))
    make_assignment(d, juror)
    tier = add_tiers(contest, (1,))[0]
    db.session.add(Award(contest_id=contest.id, entry_id=a.id, tier_id=tier.id, place=1, score=80.0))
    db.session.commit()
    owner = make_member(contest, role="owner")
    auth.login(owner)
    return contest, {"a": a, "b": b, "d": d}, owner


def _codes(page: str, entries) -> set[str]:
    return {key for key, e in entries.items() if f">{e.code}</a>" in page}


def test_registry_lists_every_column(client, desk):
    contest, entries, _owner = desk
    page = client.get(f"/contests/{contest.id}/desk/entries").get_data(as_text=True)
    assert _codes(page, entries) == {"a", "b", "d"}
    for text in ("Әлия Нұрғалиева", "Lyceum 7", "Category 2", "Topic 1", "Kazakh", "Needs attention",
                 "1 / 1", "80.00", "First degree", "3 entries"):
        assert text in page, text


def test_registry_shows_each_entrys_flags_and_filters_by_them(client, desk):
    """Flags are read as text and parsed only when there are any: an entry without flags shows
    no badge, one with flags shows each."""
    contest, entries, _owner = desk
    b = entries["b"]
    b.current_version.flags = [{"code": "too_short", "level": "attention", "words": 10, "limit": 300},
                               {"code": "bad_chars", "level": "warning", "count": 3}]
    db.session.commit()

    def row(page: str, entry) -> str:
        start = page.index(f">{entry.code}</a>")
        return page[start:page.index("</tr>", start)]

    page = client.get(f"/contests/{contest.id}/desk/entries").get_data(as_text=True)
    assert '<span class="badge warn">Too short</span>' in row(page, b)
    assert '<span class="badge">Some characters could not be read</span>' in row(page, b)
    for key in ("a", "d"):
        assert "badge" not in row(page, entries[key]).replace('class="badge ok"', "")
    page = client.get(f"/contests/{contest.id}/desk/entries?flag=too_short").get_data(as_text=True)
    assert _codes(page, entries) == {"b"}
    page = client.get(f"/contests/{contest.id}/desk/entries?flag=any").get_data(as_text=True)
    assert _codes(page, entries) == {"b"}


@pytest.mark.parametrize(("args", "expected"), [
    ("q=lyceum", {"a", "d"}), ("q=boris", {"b"}), ("status=needs_attention", {"b"}),
    ("language=kk", {"a"}), ("region=astana", {"b"}), ("grade=9-11", {"a", "d"}), ("school=school+12", {"b"}),
    ("reviews=complete", {"a"}), ("reviews=none", {"b", "d"}), ("award=any", {"a"}),
    ("award=none", {"b", "d"}),
])
def test_registry_filters(client, desk, args, expected):
    contest, entries, _owner = desk
    page = client.get(f"/contests/{contest.id}/desk/entries?{args}").get_data(as_text=True)
    assert _codes(page, entries) == expected


def test_registry_filters_by_category_and_sorts(client, desk):
    contest, entries, _owner = desk
    cat2 = contest.categories[1]
    page = client.get(f"/contests/{contest.id}/desk/entries?category_id={cat2.id}").get_data(as_text=True)
    assert _codes(page, entries) == {"b"}
    page = client.get(f"/contests/{contest.id}/desk/entries?sort=author&desc=y").get_data(as_text=True)
    positions = [page.index(entries[k].code + "</a>") for k in ("a", "b", "d")]
    assert positions[0] < positions[1] < positions[2]  # Ә > B > = in descending order


def test_registry_pages(client, desk, monkeypatch):
    from contest.desk import registry

    monkeypatch.setattr(registry, "PAGE_SIZE", 2)
    contest, entries, _owner = desk
    first = client.get(f"/contests/{contest.id}/desk/entries").get_data(as_text=True)
    second = client.get(f"/contests/{contest.id}/desk/entries?page=2").get_data(as_text=True)
    assert (_codes(first, entries), _codes(second, entries)) == ({"a", "b"}, {"d"})
    assert "Page 2 of 2" in second


def test_registry_filters_and_header_follow_names_query_and_language(client, desk):
    """The filter fields and the sortable header are kept per process by what they show (the
    contest's names, the query string, the language): a renamed category, another filter, a
    sort or another language must each show at once."""
    contest, _entries, owner = desk
    url = f"/contests/{contest.id}/desk/entries"
    first = client.get(url).get_data(as_text=True)
    assert client.get(url).get_data(as_text=True) == first  # the same view again
    assert "Code ↑" in first and "Author ↑" not in first
    contest.categories[1].name = {"en": "Seniors renamed", "ru": "Старшие", "kk": "Үлкендер"}
    db.session.commit()
    renamed = client.get(url).get_data(as_text=True)
    assert "Seniors renamed" in renamed and "Seniors renamed" not in first
    filtered = client.get(f"{url}?school=Lyceum&sort=author").get_data(as_text=True)
    assert 'value="Lyceum"' in filtered and "Author ↑" in filtered and "Code ↑" not in filtered
    again = client.get(url).get_data(as_text=True)
    assert 'value="Lyceum"' not in again and "Code ↑" in again
    owner.language = "ru"
    db.session.commit()
    assert "Старшие" in client.get(url).get_data(as_text=True)


def test_registry_export_is_the_filtered_view(client, desk):
    contest, entries, _owner = desk
    response = client.get(f"/contests/{contest.id}/desk/entries/export.csv?q=lyceum&sort=code")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["Code", "Author", "School", "Region"]
    assert [r[0] for r in rows[1:]] == [entries["a"].code, entries["d"].code]
    assert rows[2][1] == "'=HYPERLINK(\"x\")"  # neutralised
    assert rows[1][-4:] == ["80.0", "1", "First degree", ""]  # no school coordinator
    response = client.get(f"/contests/{contest.id}/desk/entries/export.xlsx?status=needs_attention")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[2]][:2] == [entries["b"].code, "Boris Ivanov"]
    assert sheet.max_row == 2


def test_registry_export_names_the_supervisor(client, desk):
    contest, entries, _owner = desk
    entries["a"].supervisor = "Гүлнар Серікқызы"
    db.session.commit()
    rows = list(csv.reader(io.StringIO(client.get(f"/contests/{contest.id}/desk/entries/export.csv?sort=code")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][4] == "Supervisor"
    assert {r[0]: r[4] for r in rows[1:]} == {entries["a"].code: "Гүлнар Серікқызы", entries["b"].code: "",
                                              entries["d"].code: ""}


def test_registry_export_in_the_organizers_language(client, desk):
    contest, _entries, owner = desk
    owner.language = "ru"
    db.session.commit()
    response = client.get(f"/contests/{contest.id}/desk/entries/export.csv",
                          headers={"Accept-Language": "ru"})
    header = response.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header.startswith("Код,Автор,Школа,Регион,Научный руководитель")


def test_overview_shows_live_counts(client, desk):
    contest, _entries, _owner = desk
    page = client.get(f"/contests/{contest.id}/manage").get_data(as_text=True)
    assert "Submitted today" in page and "<dd>3</dd>" in page  # three entries today
    assert "1 of 2 reviews (50%)" in page  # two ready entries x k=1, one review submitted


def test_organizer_home_lists_own_contests_with_counts(client, desk):
    contest, _entries, _owner = desk
    make_contest(title={"en": "Someone else's"})
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Zero tolerance" in page and "Waiting for extraction" in page
    assert "Someone else" not in page


def test_owner_grants_and_changes_roles_keeping_one_owner(client, desk):
    contest, _entries, owner = desk
    colleague = make_user(Role.ORGANIZER, is_admin=False, full_name="Colleague")
    client.post(f"/contests/{contest.id}/desk/team", data={"user_id": colleague.id, "role": "jury_chair"})
    member = db.session.scalar(db.select(ContestMember).where(ContestMember.user_id == colleague.id))
    assert member.role == ContestRole.JURY_CHAIR
    member_id = member.id
    mine = db.session.scalar(db.select(ContestMember).where(ContestMember.user_id == owner.id))
    client.post(f"/contests/{contest.id}/desk/team/{mine.id}/role", data={"role": "observer"})
    db.session.refresh(mine)
    assert mine.role == ContestRole.OWNER  # the last owner stays
    client.post(f"/contests/{contest.id}/desk/team/{member_id}/role", data={"role": "remove"})
    db.session.expire_all()
    assert db.session.get(ContestMember, member_id) is None
    actions = list(db.session.scalars(db.select(AuditEvent.action)
                                      .where(AuditEvent.contest_id == contest.id)))
    assert actions == ["contest.role_granted", "contest.role_removed"]


def test_observer_reads_but_cannot_change(client, auth, desk):
    contest, _entries, _owner = desk
    auth.logout()
    auth.login(make_member(contest, role="observer"))
    assert client.get(f"/contests/{contest.id}/desk/entries").status_code == 200
    assert client.get(f"/contests/{contest.id}/edit").status_code == 403
    page = client.get(f"/contests/{contest.id}/manage").get_data(as_text=True)
    assert "Settings" not in page and "Move to:" not in page


def test_audit_viewer_filters_shows_before_after_and_exports(client, desk):
    from datetime import timedelta

    from contest.audit.services import record_event
    from contest.db import utcnow

    contest, entries, owner = desk
    other = make_user(Role.ORGANIZER, full_name="Other Person")
    record_event(action="entry.decided", actor=other, obj=entries["b"], contest_id=contest.id,
                 old={"status": "needs_attention"}, new={"status": "ready"}, reason="=cmd|' /C calc'!A0")
    record_event(action="contest.updated", actor=owner, obj=contest, contest_id=contest.id,
                 old={"min_words": 100, "blind": True}, new={"min_words": 150, "blind": True})
    record_event(action="contest.updated", actor=owner, contest_id=contest.id + 1, new={"x": 1})
    db.session.commit()
    base = f"/contests/{contest.id}/desk/audit"
    page = client.get(base).get_data(as_text=True)
    assert "Events: 2" in page and "Fewest words:</span> 100" in page and "Fewest words:</span> 150" in page
    assert "Blind judging" not in page  # unchanged keys are left out
    page = client.get(f"{base}?actor_id={other.id}").get_data(as_text=True)
    assert "Events: 1" in page and "entry.decided" in page
    page = client.get(f"{base}?object_type=entry&object_id={entries['b'].id}").get_data(as_text=True)
    assert "Events: 1" in page
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    assert "Events: 0" in client.get(f"{base}?since={tomorrow}").get_data(as_text=True)
    text = client.get(f"{base}.csv?action=entry.decided").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Time", "Person", "Action", "Object", "Changes", "Reason", "Changes as stored"]
    assert rows[1][1:5] == ["Other Person", "entry.decided", f"Entry {entries['b'].id}",
                            "Status: Needs attention → Ready for judging"]
    assert rows[1][5].startswith("'=")  # neutralised
    assert rows[1][6] == "status: needs_attention → ready"


def test_audit_viewer_is_for_owners_and_the_jury_chair(client, auth, desk):
    contest, _entries, _owner = desk
    for role, status in (("jury_chair", 200), ("co_organizer", 403), ("observer", 403)):
        auth.logout()
        auth.login(make_member(contest, role=role))
        assert client.get(f"/contests/{contest.id}/desk/audit").status_code == status, role


def test_participants_lists_students_with_entries_and_jurors_with_reviews(client, desk):
    contest, entries, _owner = desk
    base = f"/contests/{contest.id}/desk/participants"
    page = client.get(f"{base}/students?region=aktobe").get_data(as_text=True)
    assert "People: 2" in page and entries["a"].code in page and "Aktobe Region" in page
    assert "Boris Ivanov" not in page
    page = client.get(f"{base}/students?q=boris").get_data(as_text=True)
    assert "People: 1" in page and entries["b"].code in page
    page = client.get(f"{base}/jurors").get_data(as_text=True)
    assert "People: 1" in page and "1 / 2" in page


def test_a_filter_too_long_to_apply_says_so_in_the_pages_language(client, desk):
    contest, entries, _owner = desk
    client.post("/language", data={"lang": "ru", "next": "/"})
    url = f"/contests/{contest.id}/desk/entries?school={'x' * 101}&q=boris"
    page = client.get(url).get_data(as_text=True)
    assert "Длиннее 100 символов: этот фильтр не применяется." in page
    assert 'aria-invalid="true" id="school"' in page
    assert 'id="q" maxlength="100" name="q" type="text" value="boris"' in page
    assert _codes(page, entries) == {"b"}  # the search applies, the school filter does not
