"""Regions from the fixed list, schools that grow as people register, and merging duplicates."""
import json

import pytest

from contest.accounts.models import User
from contest.audit.models import AuditEvent
from contest.enums import Role
from contest.extensions import db
from contest.judging.assignment import EntryInfo, JurorInfo, conflict_reason
from contest.schools import regions
from contest.schools.models import School
from contest.schools.names import school_key
from contest.schools.services import set_school
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres


def test_the_list_has_17_oblasts_and_3_cities_named_in_three_languages():
    found = regions.regions()
    assert len(found) == 20
    assert [r["code"] for r in found[-3:]] == ["astana", "almaty", "shymkent"]
    assert all(r["kk"] and r["ru"] and r["en"] for r in found)
    assert regions.label("aktobe", "kk") == "Ақтөбе облысы"
    assert regions.label("aktobe", "ru") == "Актюбинская область"
    assert regions.label("Somewhere", "ru") == "Somewhere"


@pytest.mark.parametrize(("text", "code"), [
    ("Ақтөбе", "aktobe"), ("Актобе", "aktobe"), ("Aktobe", "aktobe"), ("Актюбинская обл.", "aktobe"),
    ("Алматы", "almaty"), ("г. Алматы", "almaty"), ("Алматы облысы", "almaty_region"),
    ("Алматинская область", "almaty_region"), ("Almaty Region", "almaty_region"), ("Нур-Султан", "astana"),
    ("ВКО", "east_kazakhstan"), ("Шығыс Қазақстан облысы", "east_kazakhstan"), ("Семей", "abai"),
    ("Жетісу облысы", "jetisu"), ("Ұлытау", "ulytau"), ("Shymkent", "shymkent"), ("aktobe", "aktobe"),
    ("Москва", None), ("", None), ("Актобе, Караганда", None),
])
def test_free_text_regions_are_normalised(text, code):
    assert regions.normalize(text) == code


@pytest.mark.parametrize(("a", "b"), [("Школа №5", "школа 5"), ("School No. 5", "SCHOOL  #5"),
                                      ("Lyceum no.5", "lyceum 5")])
def test_school_names_written_differently_are_one_school(a, b):
    assert school_key(a) == school_key(b)


def test_registration_stores_the_region_code_and_a_school_of_the_list(app, client):
    form = {"full_name": "Aru", "email": "aru@example.kz", "password": "a long password 1",
            "school": "Гимназия №56", "grade": "9-11", "region": "Актюбинская обл.", "language": "kk"}
    assert client.post("/account/register", data=form).status_code == 200
    client.post("/account/register", data={**form, "email": "bek@example.kz", "school": "гимназия 56",
                                           "region": "aktobe"})
    users = list(db.session.scalars(db.select(User).order_by(User.id)))
    schools = list(db.session.scalars(db.select(School)))
    expected = [("aktobe", schools[0].id, "Гимназия №56")] * 2
    assert [(u.region, u.school_id, u.school) for u in users] == expected
    page = client.post("/account/register", data={**form, "email": "c@example.kz", "region": "Mars"})
    assert "Choose the region or city from the list." in page.get_data(as_text=True)


def test_suggestions_come_from_the_region(app, client):
    set_school(make_user(commit=False), region="aktobe", name="Lyceum 7")
    set_school(make_user(commit=False), region="astana", name="Lyceum 8")
    db.session.commit()
    assert json.loads(client.get("/schools/suggest?region=aktobe&q=lyc").data) == ["Lyceum 7"]
    assert json.loads(client.get("/schools/suggest?region=aktobe&q=l").data) == []


def test_merging_duplicates_moves_people_and_reports_new_conflicts(app, client, auth):
    contest = make_contest(phase="judging")
    student, juror = make_user(commit=False), make_juror(contest=contest)
    set_school(student, region="aktobe", name="School 5 named one way")
    set_school(juror, region="aktobe", name="Школа-гимназия 5")
    db.session.commit()
    entry = make_entry(contest, student)
    make_assignment(entry, juror)
    keep, other = student.school_id, juror.school_id
    info = (EntryInfo(entry.id, "en", 1, student.school, student.region),
            JurorInfo(juror.id, frozenset({"en"}), frozenset({1}), juror.school, juror.region))
    assert conflict_reason(*info, False) is None
    auth.login(make_user(Role.ORGANIZER))
    page = client.post("/schools/merge", data={"keep": keep, "merge": [other]}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "The schools are merged." in text and f"entry {entry.code} are from the same school" in text
    db.session.expire_all()
    assert db.session.get(School, other) is None
    assert (juror.school_id, juror.school) == (keep, "School 5 named one way")
    info = (EntryInfo(entry.id, "en", 1, student.school, student.region),
            JurorInfo(juror.id, frozenset({"en"}), frozenset({1}), juror.school, juror.region))
    assert conflict_reason(*info, False) == "same_school"
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "school.merged"))
    assert event.new == {"school": "School 5 named one way", "people_moved": 1}


def test_only_a_site_administrator_merges_schools(app, client, auth):
    from tests.factories import make_member

    contest = make_contest(phase="open")
    a, b = make_user(commit=False), make_user(commit=False)
    set_school(a, region="aktobe", name="Lyceum 9 one way")
    set_school(b, region="aktobe", name="Лицей 9")
    db.session.commit()
    keep, other = a.school_id, b.school_id
    owner = make_member(contest, role="owner")  # owns a contest, not the site
    auth.login(owner)
    page = client.get("/schools?region=aktobe").get_data(as_text=True)
    assert "Lyceum 9 one way" in page and 'action="/schools/merge"' not in page
    assert "Only a site administrator can merge schools" in page
    assert client.post("/schools/merge", data={"keep": keep, "merge": [other]}).status_code == 403
    db.session.expire_all()
    assert db.session.get(School, other) is not None and b.school_id == other
    auth.logout()
    auth.login(make_user(Role.ORGANIZER, is_admin=True))
    assert 'action="/schools/merge"' in client.get("/schools?region=aktobe").get_data(as_text=True)
    client.post("/schools/merge", data={"keep": keep, "merge": [other]})
    db.session.expire_all()
    assert db.session.get(School, other) is None and b.school_id == keep
