"""Documents pages: who reaches which document (a juror only their own letter), previews,
the protocol's DOCX, archives per kind and category, verification naming the kind."""

import io
import zipfile

import pytest
from sqlalchemy import select

from contest.awards import services
from contest.awards.models import Diploma
from contest.awards.tasks import issue_results
from contest.enums import Role
from contest.extensions import db
from tests.factories import make_juror, make_user

pytestmark = pytest.mark.postgres


@pytest.fixture
def issued(judged):
    judged.entries["a"].supervisor = "Б. С. Ахметова"
    judged.contest.documents = {"thank_jurors": True, "thank_teachers": True}
    db.session.commit()
    services.publish_results(contest=judged.contest, actor=judged.organizer)
    db.session.commit()
    issue_results(contest_id=judged.contest.id, revision=1)
    db.session.commit()
    judged.docs = {d.slot: d for d in db.session.scalars(select(Diploma))}
    return judged


def test_juror_reaches_only_their_own_letter(issued, client, auth):
    docs, juror = issued.docs, issued.juror
    other = make_juror(contest=issued.contest)
    auth.login(juror)
    own = client.get(f"/diplomas/{docs[f'juror:{juror.id}'].id}/download")
    assert own.status_code == 200 and own.data.startswith(b"%PDF")
    assert f"/diplomas/{docs[f'juror:{juror.id}'].id}/download" in client.get("/dashboard").get_data(
        as_text=True
    )
    for slot, doc in docs.items():
        if slot != f"juror:{juror.id}":
            assert client.get(f"/diplomas/{doc.id}/download").status_code == 404, slot
    protocol = docs["protocol:1:kk"]
    assert client.get(f"/diplomas/{protocol.id}/download.docx").status_code == 404
    cid = issued.contest.id
    for url in (
        f"/contests/{cid}/documents",
        f"/contests/{cid}/documents.zip?kind=award",
        f"/contests/{cid}/documents/preview/award/kk.png",
        f"/contests/{cid}/diplomas.zip",
    ):
        assert client.get(url).status_code == 403, url
    auth.logout()
    auth.login(other)
    assert client.get(f"/diplomas/{docs[f'juror:{juror.id}'].id}/download").status_code == 404


def test_student_gets_own_diploma_and_supervisor_letter_not_the_protocol(issued, client, auth):
    docs, entry = issued.docs, issued.entries["a"]
    auth.login(issued.students["a"])
    for slot in (f"entry:{entry.id}", f"teacher:{entry.id}"):
        assert client.get(f"/diplomas/{docs[slot].id}/download").status_code == 200
    for slot in ("protocol:1:kk", f"juror:{issued.juror.id}", f"entry:{issued.entries['b'].id}"):
        assert client.get(f"/diplomas/{docs[slot].id}/download").status_code == 404


def test_organizer_downloads_protocol_docx_and_zips_per_kind_and_category(issued, client, auth):
    docs = issued.docs
    auth.login(issued.organizer)
    response = client.get(f"/diplomas/{docs['protocol:1:ru'].id}/download.docx")
    assert response.status_code == 200 and response.data.startswith(b"PK")
    assert response.headers["Content-Disposition"].endswith("protocol-1-ru.docx")
    cid, (_cat1, cat2) = issued.contest.id, issued.categories
    response = client.get(f"/contests/{cid}/documents.zip?kind=award&category={cat2.id}")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.namelist() == [f"{issued.entries['e'].code}-diploma.pdf"]
    response = client.get(f"/contests/{cid}/documents.zip?kind=juror_thanks")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.namelist() == [f"juror-{issued.juror.id}-letter.pdf"]
    response = client.get(f"/contests/{cid}/documents.zip?kind=protocol")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert sorted(archive.namelist()) == ["protocol-1-en.pdf", "protocol-1-kk.pdf", "protocol-1-ru.pdf"]
    assert client.get(f"/contests/{cid}/documents.zip?kind=nonsense").status_code == 404


def test_documents_page_previews_each_kind_as_png(issued, client, auth):
    auth.login(issued.organizer)
    cid = issued.contest.id
    body = client.get(f"/contests/{cid}/documents").get_data(as_text=True)
    for kind in ("award", "participation", "juror_thanks", "teacher_thanks", "protocol"):
        for lang in ("kk", "ru", "en"):
            assert f"/contests/{cid}/documents/preview/{kind}/{lang}.png" in body
    png = client.get(f"/contests/{cid}/documents/preview/teacher_thanks/kk.png")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    assert client.get(f"/contests/{cid}/documents/preview/protocol/ru.png").data.startswith(b"\x89PNG")


def test_settings_saved_and_bilingual_preview(judged, client, auth):
    auth.login(judged.organizer)
    cid = judged.contest.id
    client.get(f"/contests/{cid}/documents")
    response = client.post(
        f"/contests/{cid}/documents",
        data={
            "language": "kk+ru",
            "participation": "accepted",
            "thank_jurors": "y",
            "place_kk": "Алматы қаласы",
            "place_ru": "г. Алматы",
            "chair_ru": "К. О. Турсынов",
            "csrf_token": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (
        judged.contest.documents["language"] == "kk+ru" and judged.contest.documents["thank_jurors"] is True
    )
    assert judged.contest.documents["chair"] == {"ru": "К. О. Турсынов"}
    body = client.get(f"/contests/{cid}/documents").get_data(as_text=True)
    assert "/preview/award/kk+ru.png" in body


def test_verify_names_the_document_kind_and_revocation(issued, client, auth):
    letter = issued.docs[f"juror:{issued.juror.id}"]
    body = client.get(f"/verify/{letter.code}").get_data(as_text=True)
    assert "Letter of thanks to a juror" in body and issued.juror.full_name in body
    protocol = client.get(f"/verify/{issued.docs['protocol:1:ru'].code}").get_data(as_text=True)
    assert "Jury protocol" in protocol and "Revision 1" in protocol
    services.revoke_diploma(diploma=letter, reason="Issued by mistake", actor=issued.organizer)
    db.session.commit()
    response = client.get(f"/verify/{letter.code}")
    assert response.status_code == 200 and "This document was revoked" in response.get_data(as_text=True)
    auth.login(issued.juror)
    assert client.get(f"/diplomas/{letter.id}/download").status_code == 404


def test_submission_form_has_the_optional_supervisor(judged, client, auth):
    student = make_user(Role.STUDENT)
    judged.contest.phase = "open"
    db.session.commit()
    auth.login(student)
    body = client.get(f"/contests/{judged.contest.id}/submit").get_data(as_text=True)
    assert 'name="supervisor"' in body


def test_protocol_for_owner_and_jury_chair_not_for_an_observer(issued, client, auth):
    from tests.factories import make_member

    protocol = issued.docs["protocol:1:ru"]
    chair = make_member(issued.contest, role="jury_chair")
    observer = make_member(issued.contest, role="observer")
    owner = make_member(issued.contest, role="owner")
    for user, allowed in ((chair, True), (owner, True), (observer, False)):
        auth.login(user)
        for url in (f"/diplomas/{protocol.id}/download", f"/diplomas/{protocol.id}/download.docx"):
            assert (client.get(url).status_code == 200) is allowed, (user.email, url)
        preview = client.get(f"/contests/{issued.contest.id}/documents/preview/protocol/ru.png")
        assert (preview.status_code == 200) is allowed
        auth.logout()
    auth.login(chair)
    response = client.post(f"/contests/{issued.contest.id}/documents", data={"language": "kk"})
    assert response.status_code == 403  # the chair reads the protocol, the owners decide settings
