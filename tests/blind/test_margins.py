"""DOCX headers and footers: stored with the version, searched by redaction for doubts (a
header that names someone who is not the registered author), never given to jurors."""
from __future__ import annotations

import io
import secrets

import docx
import pytest
from sqlalchemy import select

from contest.blind import queries
from contest.blind.models import EntryRedaction
from contest.enums import Role
from contest.extensions import db
from contest.extraction.redaction import Author, margin_doubts
from contest.submissions.models import Entry, EntryVersion
from contest.submissions.services import Upload, submit_entry
from contest.submissions.tasks import extract_version
from tests.factories import make_assignment, make_contest, make_juror, make_user

BODY = ("Заң – қоғамның тірегі. Әр азамат заңды құрметтеуі керек, себебі тәртіп бәрімізге ортақ. " * 6)


@pytest.mark.parametrize(("margin", "doubts"), [
    ("Айдана Сейтқали, 9 сынып", ("margin_name",)),  # an author line naming someone else
    ("Орындаған: Aidana Seitkali", ("margin_name",)),
    ("Менің атым Айдана", ("margin_name",)),  # "my name is" and not the registered name
    ("Omarov Yerzhan, 10 сынып", ()),  # the registered author, in Latin: nothing to check
    ("Омаров Е.Ж., №25 мектеп-гимназия, 10 сынып", ()),
    ("erzhan.omarov07@mail.kz", ()),
    ("Заң және тәртіп · 1", ()),  # no author line: a running title and a page number
    ("", ()),
])
def test_margin_doubts(margin, doubts):
    author = Author(full_name="Омаров Ержан", school="№25 мектеп-гимназия", email="erzhan.omarov07@mail.kz")
    assert margin_doubts(margin, author) == doubts


def _docx(header: str, footer: str) -> bytes:
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = header
    d.sections[0].footer.paragraphs[0].text = footer
    for _ in range(3):
        d.add_paragraph(BODY)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _submit(contest, student, data: bytes) -> Entry:
    version = submit_entry(student=student, contest=contest, topic_id=contest.topics[0].id,
                           category_id=contest.categories[0].id, submit_key=secrets.token_urlsafe(18),
                           upload=Upload(filename="essay.docx", data=data))
    db.session.commit()
    extract_version(version_id=version.id)
    db.session.commit()
    return db.session.get(Entry, version.entry_id)


@pytest.mark.postgres
def test_a_header_naming_someone_else_is_stored_doubtful_and_never_reaches_jurors(app, client, auth):
    contest = make_contest(phase="open", blind=True, jurors_may_open_files=True, formats=["docx"],
                           entries_per_student=2, languages=["kk"])
    student = make_user(Role.STUDENT, full_name="Омаров Ержан", school="№25 мектеп-гимназия")
    other = _submit(contest, student, _docx("Айдана Сейтқали, 9 сынып", "Тел. +7 702 555 66 77"))
    own = _submit(contest, student, _docx("Омаров Ержан, 10 сынып", "erzhan@mail.kz"))
    version = db.session.get(EntryVersion, other.current_version_id)
    assert version.extraction_status == "ok"
    assert "Айдана Сейтқали" in version.margin_text and "+7 702 555 66 77" in version.margin_text
    assert "Айдана" not in version.text  # headers are not the essay
    assert [(e.id, d) for e, d in queries.list_doubtful(contest.id)] == [(other.id, ["margin_name"])]
    assert db.session.get(EntryRedaction, own.id).doubts == []

    contest.phase = "judging"
    db.session.commit()
    juror = make_juror(contest=contest)
    assignment = make_assignment(other, juror)
    auth.login(juror)
    page = client.get(f"/judging/review/{assignment.id}").get_data(as_text=True)
    assert "Заң" in page and "Айдана" not in page and "555 66 77" not in page
    from pypdf import PdfReader

    files = [a for a in db.session.scalars(select(EntryVersion.juror_file_name).where(
        EntryVersion.id == other.current_version_id))]
    assert files and files[0]
    pdf = client.get(f"/judging/review/{assignment.id}/file")
    assert pdf.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.get_data())).pages)
    assert "Заң" in text and "Айдана" not in text and "555" not in text
    auth.logout()

    organizer = make_user(Role.ORGANIZER)
    auth.login(organizer)
    page = client.get(f"/organizer/redaction/entries/{other.id}").get_data(as_text=True)
    assert "Айдана Сейтқали, 9 сынып" in page  # the organizer sees what the header said
