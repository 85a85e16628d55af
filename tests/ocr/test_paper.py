"""An essay received on paper: the organizer enters it (a photo of the page), it gets its code,
a receipt slip PDF and the organizer-entered mark; the worker reads it; the pupil claims it
with the code and the key, once; a wrong key changes nothing."""
import io
import re
import subprocess

import pytest
from sqlalchemy import select

from contest.accounts.models import User
from contest.audit.models import AuditEvent
from contest.enums import Role
from contest.extensions import db
from contest.paper.models import PaperEntry
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from tests import factories
from tests.ocr import images
from tests.submissions.helpers import jobs, run_extraction

pytestmark = pytest.mark.postgres


@pytest.fixture
def organizer(app, auth):
    user = factories.make_user(Role.ORGANIZER)
    auth.login(user)
    return user


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _enter(client, contest, **changes):
    page = client.get(f"/organizer/contests/{contest.id}/paper-entries/new").get_data(as_text=True)
    form = {"csrf_token": _csrf(page), "submit_key": "k" * 20, "full_name": "Данияр Серікбаев",
            "school": "Шымкент, №7 мектеп", "region": "shymkent", "grade": "10", "language": "kk",
            "contact": "", "channel": "paper", "topic": str(contest.topics[0].id),
            "category": str(contest.categories[0].id), "text": "",
            "file": [(io.BytesIO(images.kk_photo(seed=3)), "page1.jpg")], **changes}
    return client.post(f"/organizer/contests/{contest.id}/paper-entries/new", data=form,
                       content_type="multipart/form-data")


def test_paper_entry_is_entered_read_printed_and_claimed(app, client, auth, contest, organizer, tmp_path):
    response = _enter(client, contest)
    assert response.status_code == 302
    [entry] = db.session.scalars(select(Entry)).all()
    paper = db.session.get(PaperEntry, entry.id)
    placeholder = db.session.get(User, entry.student_id)
    assert (entry.code, placeholder.full_name, placeholder.password_hash) == (
        "ZT-2026-0001", "Данияр Серікбаев", None)
    assert placeholder.email.endswith("@paper.invalid") and len(paper.claim_key) == 8
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "entry.entered_by_organizer"))
    assert event.actor_id == organizer.id and event.new["channel"] == "paper"
    assert jobs("send_email") == []  # the slip is the receipt: no e-mail to the placeholder

    version = run_extraction(entry.current_version_id)
    assert (version.extraction_status, version.language) == ("ok", "kk")
    assert {f["code"] for f in version.flags} == {"organizer_entered", "ocr"}
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).status == EntryStatus.READY

    registry = client.get(f"/contests/{contest.id}/desk/entries").get_data(as_text=True)
    assert entry.code in registry and "Entered by the organizers" in registry
    slip = client.get(f"/organizer/paper-entries/{entry.id}/slip.pdf")
    assert slip.status_code == 200 and slip.mimetype == "application/pdf"
    (tmp_path / "slip.pdf").write_bytes(slip.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "slip.pdf"), "-"], capture_output=True,
                          check=True).stdout.decode()
    assert entry.code in text and paper.claim_key in text and "Данияр Серікбаев" in text
    assert "Қабылдау" in text or "қабылданды" in text  # in the pupil's language (kk)

    pupil = factories.make_user(Role.STUDENT, full_name="Данияр Серікбаев")
    auth.login(pupil)
    page = client.get("/entries/claim").get_data(as_text=True)
    wrong = client.post("/entries/claim",
                        data={"csrf_token": _csrf(page), "code": entry.code, "key": "AAAAAAAA"})
    assert "No unclaimed entry matches" in wrong.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).student_id == placeholder.id
    right = client.post("/entries/claim", data={"csrf_token": _csrf(page), "code": entry.code.lower(),
                                                "key": paper.claim_key.lower()})
    assert right.status_code == 302 and right.headers["Location"].endswith(f"/entries/{entry.id}")
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).student_id == pupil.id
    assert db.session.get(PaperEntry, entry.id).claimed_by == pupil.id
    assert entry.code in client.get(f"/entries/{entry.id}").get_data(as_text=True)
    [claimed] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "entry.claimed"))
    assert claimed.actor_id == pupil.id

    other = factories.make_user(Role.STUDENT)
    auth.login(other)
    again = client.post("/entries/claim", data={"csrf_token": _csrf(page), "code": entry.code,
                                                "key": paper.claim_key})
    assert "No unclaimed entry matches" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).student_id == pupil.id


def test_a_paper_entry_without_a_name_or_with_a_bad_file_is_refused(app, client, contest, organizer):
    assert _enter(client, contest, full_name="   ").status_code == 200  # the form again, with its error
    answer = _enter(client, contest, file=[(io.BytesIO(b"MZ\x90\x00binary"), "page.jpg")])
    assert "This file is not a real JPEG, PNG or HEIC photo." in answer.get_data(as_text=True)
    assert db.session.scalars(select(Entry)).all() == []
    assert db.session.scalars(select(EntryVersion)).all() == []
    assert db.session.scalars(select(PaperEntry)).all() == []


def test_the_organizer_may_type_the_text_even_where_pupils_must_upload_files(app, client, contest, organizer):
    contest.formats = ["pdf", "image"]
    db.session.commit()
    typed = "Менің туған өлкем. " + "Біздің ауылдың адамдары еңбекқор әрі қонақжай. " * 5
    assert _enter(client, contest, file=[], text=typed).status_code == 302
    [version] = db.session.scalars(select(EntryVersion)).all()
    assert version.format == "text" and "organizer_entered" in {f["code"] for f in version.flags}


def test_guessing_a_claim_key_is_slowed_and_the_right_key_then_waits_too(app, client, auth, contest):
    """The key on the slip is short; a signed-in account guessing it gets the sign-in delays
    (429 with Retry-After), counted on that account alone, and nothing changes meanwhile."""
    entry = factories.make_entry(contest)
    db.session.add(PaperEntry(entry_id=entry.id, contest_id=contest.id, channel="paper",
                              claim_key="K7Q2M9XD"))
    db.session.commit()
    owner_before = entry.student_id
    pupil = factories.make_user(Role.STUDENT)
    auth.login(pupil)
    page = client.get("/entries/claim").get_data(as_text=True)
    free = app.config["LOGIN_FREE_FAILURES"]
    for n in range(free):
        wrong = client.post("/entries/claim", data={"csrf_token": _csrf(page), "code": entry.code,
                                                     "key": f"WRONG{n:03d}"})
        assert wrong.status_code == 200 and "No unclaimed entry matches" in wrong.get_data(as_text=True)
    refused = client.post("/entries/claim", data={"csrf_token": _csrf(page), "code": entry.code,
                                                   "key": "K7Q2M9XD"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Too many wrong codes" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).student_id == owner_before
    assert db.session.get(PaperEntry, entry.id).claimed_at is None
