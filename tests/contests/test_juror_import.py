"""Jurors in bulk: CSV/XLSX read and checked line by line (problems shown in the organizer's
language before anything is sent), then the worker creates, attaches and invites."""
from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from contest.accounts.models import User
from contest.audit.models import AuditEvent
from contest.contests.import_models import ImportStatus, JurorImport
from contest.contests.juror_import import TableError, check_table, read_table
from contest.contests.juror_import_services import confirm_import, preview_import, run_import
from contest.contests.models import ContestJuror, JurorProfile
from contest.enums import Role
from contest.errors import InvalidInput
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from tests import factories
from tests.mail.helpers import deliver_all, outbox, text_of

pytestmark = pytest.mark.postgres
CATEGORIES = {1: ["5–8 сыныптар", "5–8 классы", "Grades 5–8"], 2: ["9–11 классы", "Grades 9–11"]}
HEADER = ["ФИО", "E-mail", "Языки", "Категории", "Школа", "Регион", "Нагрузка"]


def _check(*lines, taken=None):
    return check_table([HEADER, *lines], categories=CATEGORIES, taken=taken or {})


@pytest.mark.parametrize("line, problems, parsed", [
    (["Асель Нурланова", "Asel@Example.kz", "қазақша; русский", "5–8 классы", "№1 мектеп", "Алматы", "12"],
     [],
     {"email": "asel@example.kz", "languages": ["kk", "ru"], "category_ids": [1], "capacity": 12}),
    (["Иван Петров", "ivan@example.kz", "ru", "", "", "", ""], [],
     {"category_ids": [1, 2], "capacity": None}),
    (["Anna", "anna@example.kz", "English", "all", "", "", ""], [], {"category_ids": [1, 2]}),
    (["", "x@example.kz", "ru", "", "", "", ""], [("no_name", "")], {}),
    (["Bob", "bob.example.kz", "ru", "", "", "", ""], [("bad_email", "bob.example.kz")], {}),
    (["Bob", "bob@example.kz", "french", "", "", "", ""], [("bad_language", "french")], {}),
    (["Bob", "bob@example.kz", "", "", "", "", ""], [("no_language", "")], {}),
    (["Bob", "bob@example.kz", "ru", "University", "", "", ""], [("unknown_category", "University")], {}),
    (["Bob", "bob@example.kz", "ru", "", "", "", "many"], [("bad_capacity", "many")], {}),
    (["Bob", "student@example.kz", "ru", "", "", "", ""], [("not_juror", "student@example.kz")], {}),
])
def test_each_line_is_parsed_or_gets_its_problem(line, problems, parsed):
    [row] = _check(line, taken={"student@example.kz": "student"})
    assert [(p["code"], p["value"]) for p in row["problems"]] == problems
    assert {k: row[k] for k in parsed} == parsed


def test_a_repeated_email_is_a_problem_on_the_later_line():
    rows = _check(["A", "a@example.kz", "ru", "", "", "", ""],
                  ["B", "A@example.kz", "kk", "", "", "", ""])
    assert [r["line"] for r in rows] == [2, 3]
    assert rows[0]["problems"] == []
    assert rows[1]["problems"] == [{"code": "duplicate", "value": "a@example.kz"}]


def test_csv_with_semicolons_bom_and_xlsx_read_the_same():
    csv_bytes = "\ufeffФИО;E-mail;Языки\nАсель;asel@example.kz;kk\n".encode()
    book = Workbook()
    book.active.append(["ФИО", "E-mail", "Языки"])
    book.active.append(["Асель", "asel@example.kz", "kk"])
    buffer = io.BytesIO()
    book.save(buffer)
    expected = [["ФИО", "E-mail", "Языки"], ["Асель", "asel@example.kz", "kk"]]
    assert read_table("jurors.csv", csv_bytes) == expected
    assert read_table("jurors.xlsx", buffer.getvalue()) == expected


@pytest.mark.parametrize("name, data, code", [
    ("jurors.pdf", b"%PDF-1.4", "format"),
    ("jurors.xlsx", b"PK\x03\x04broken", "unreadable"),
])
def test_unusable_files_are_refused_whole(name, data, code):
    with pytest.raises(TableError) as info:
        read_table(name, data)
    assert info.value.code == code


def test_header_without_email_is_refused():
    with pytest.raises(TableError) as info:
        check_table([["ФИО", "Языки"], ["A", "ru"]], categories=CATEGORIES, taken={})
    assert (info.value.code, info.value.value) == ("columns", "email")


@pytest.fixture
def contest(app):
    return factories.make_contest(phase="judging", issuer={"ru": "Институт права", "kk": "Құқық институты"})


def _file(contest, *lines):
    names = [c.name["ru"] for c in contest.categories]
    text = "ФИО;E-mail;Языки;Категории;Школа;Регион;Нагрузка\n" + "\n".join(";".join(line) for line in lines)
    return text.replace("{cat1}", names[0]).encode()


def test_preview_sends_nothing_then_the_job_creates_attaches_and_invites_once(app, contest):
    organizer = factories.make_user(Role.ORGANIZER)
    known = factories.make_juror(email="known@example.kz", language="kk")
    data = _file(contest,
                 ["Асель Нурланова", "asel@example.kz", "ru, kk", "{cat1}", "№5 школа", "Астана", "10"],
                 ["Known Juror", "known@example.kz", "kk", "", "", "", ""],
                 ["Плохая строка", "not-an-email", "ru", "", "", "", ""])
    imp = preview_import(contest=contest, filename="jury.csv", data=data, actor=organizer)
    db.session.commit()
    assert db.session.scalar(select(OutgoingEmail)) is None
    assert db.session.scalar(select(User).where(User.email == "asel@example.kz")) is None
    assert confirm_import(imp=imp, actor=organizer) == 2
    db.session.commit()
    run_import(imp.id)
    run_import(imp.id)  # a second run (retried job) changes nothing
    db.session.refresh(imp)
    assert imp.status == ImportStatus.DONE
    assert [r["outcome"] for r in imp.rows] == ["invited", "added", ""]
    asel = db.session.scalar(select(User).where(User.email == "asel@example.kz"))
    assert (asel.role, asel.full_name, asel.school, asel.region, asel.language) == (
        Role.JUROR, "Асель Нурланова", "№5 школа", "astana", "ru")  # the region normalised to the fixed list
    assert db.session.get(JurorProfile, asel.id).languages == ["kk", "ru"]
    links = {link.user_id: link for link in db.session.scalars(select(ContestJuror))}
    assert links[asel.id].category_ids == [contest.categories[0].id] and links[asel.id].capacity == 10
    assert links[known.id].category_ids == [c.id for c in contest.categories]
    deliver_all()
    mails = {m["To"]: m for m in outbox(app)}
    assert set(mails) == {"asel@example.kz", "known@example.kz"}
    invitation = mails["asel@example.kz"]
    assert invitation["Subject"] == "Приглашение в жюри конкурса «Нулевая терпимость»"
    assert invitation["From"].addresses[0].display_name == "Институт права"
    body = text_of(invitation)
    assert "Институт права" in body and "Нулевая терпимость" in body and "/account/reset/" in body
    assert "/account/login" in text_of(mails["known@example.kz"])
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "jury.import_confirmed")).new == {
        "lines": 3, "invited": 2, "file": "jury.csv"}


def test_upload_page_previews_problems_in_the_organizers_language(app, client, auth, contest):
    organizer = factories.make_user(Role.ORGANIZER, language="ru")
    auth.login(organizer)
    data = _file(contest, ["Асель", "asel@example.kz", "французский", "", "", "", ""],
                 ["Иван", "ivan@example.kz", "ru", "", "", "", ""])
    response = client.post(f"/contests/{contest.id}/jury/import",
                           data={"file": (io.BytesIO(data), "jury.csv")}, content_type="multipart/form-data")
    imp = db.session.scalar(select(JurorImport))
    assert response.headers["Location"] == f"/contests/{contest.id}/jury/import/{imp.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "неизвестный язык: «французский»" in page and "data-valid-count>1<" in page
    client.post(f"/contests/{contest.id}/jury/import/{imp.id}/send")
    db.session.refresh(imp)
    assert imp.status == ImportStatus.QUEUED
    again = client.post(f"/contests/{contest.id}/jury/import/{imp.id}/send")
    assert again.status_code == 302  # refused with a message: queued once
    bad = client.post(f"/contests/{contest.id}/jury/import", data={"file": (io.BytesIO(b"%PDF"), "x.pdf")},
                      content_type="multipart/form-data")
    assert "Загрузите файл .csv или .xlsx." in bad.get_data(as_text=True)


def test_confirming_an_import_without_valid_lines_is_refused(contest):
    organizer = factories.make_user(Role.ORGANIZER)
    imp = preview_import(contest=contest, filename="x.csv", actor=organizer,
                         data=_file(contest, ["", "bad", "", "", "", "", ""]))
    with pytest.raises(InvalidInput):
        confirm_import(imp=imp, actor=organizer)
