"""The organizer's "needs attention" queue: open the file and the text, accept, ask for a
re-upload, reject; every decision logged, e-mailed and shown to the student."""
import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.enums import Role
from contest.extensions import db
from contest.mail.models import OutgoingEmail
from contest.submissions.models import Entry, EntryStatus
from tests import factories
from tests.extraction import hostile
from tests.submissions.helpers import run_extraction, submit

pytestmark = pytest.mark.postgres


@pytest.fixture
def flagged(app, contest):
    """A scan (no text layer) and a ready essay by two students."""
    author = factories.make_user(Role.STUDENT, full_name="Ерлан Ахметов", language="ru",
                                 school="Гимназия №3", region="aktobe")
    scan = run_extraction(submit(author, contest, "scan.pdf", hostile.scan_pdf()).id)
    good = run_extraction(submit(factories.make_user(Role.STUDENT), contest, "ok.pdf",
                                 hostile.essay_pdf("en")).id)
    return db.session.get(Entry, scan.entry_id), db.session.get(Entry, good.entry_id), author


@pytest.fixture
def organizer(app, auth):
    user = factories.make_user(Role.ORGANIZER)
    auth.login(user)
    return user


def test_queue_lists_only_entries_needing_attention(client, contest, flagged, organizer):
    scan, good, _author = flagged
    page = client.get(f"/organizer/contests/{contest.id}/attention").data.decode()
    assert scan.code in page and good.code not in page and "No text layer" in page
    assert "Ерлан Ахметов" in page and "Гимназия №3" in page and "Aktobe Region" in page  # who and where
    overview = client.get("/organizer/attention").data.decode()
    assert 'class="badge warn">1<' in overview


def test_review_page_shows_flags_text_and_download(client, contest, organizer):
    author = factories.make_user(Role.STUDENT)
    version = run_extraction(submit(author, contest, text="<script>alert(1)</script> short text").id)
    entry = db.session.get(Entry, version.entry_id)
    page = client.get(f"/organizer/entries/{entry.id}").data.decode()
    assert "Too short" in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert f"/entries/{entry.id}/versions/1/file" in page


def test_accept_anyway_makes_the_entry_ready_and_is_logged(client, flagged, organizer):
    scan, _good, _author = flagged
    response = client.post(f"/organizer/entries/{scan.id}",
                           data={"action": "accept", "message": "Readable scan"})
    assert response.status_code == 302
    db.session.expire_all()
    entry = db.session.get(Entry, scan.id)
    assert (entry.status, entry.organizer_decision) == (EntryStatus.READY, "accepted")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "entry.accepted"))
    assert (event.actor_id, event.object_id, event.reason) == (organizer.id, str(scan.id), "Readable scan")
    assert event.old == {"status": "needs_attention", "decision": ""}


def test_ask_to_reupload_emails_the_student_and_shows_on_status(client, auth, flagged, organizer):
    scan, _good, author = flagged
    client.post(f"/organizer/entries/{scan.id}", data={"action": "reupload",
                                                        "message": "Please send the typed file <b>"})
    db.session.expire_all()
    entry = db.session.get(Entry, scan.id)
    assert (entry.status, entry.organizer_decision) == (EntryStatus.NEEDS_ATTENTION, "reupload")
    # Newest by id: without an order PostgreSQL may return the receipt after the request.
    mail = db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.to == author.email)
                              .order_by(OutgoingEmail.id.desc())).first()
    assert "Please send the typed file <b>" in mail.body and scan.code in mail.subject
    auth.logout()
    auth.login(author)
    page = client.get(f"/entries/{scan.id}").data.decode()
    assert "Please send the typed file &lt;b&gt;" in page and "/replace" in page


def test_reject_requires_a_reason_then_rejects(client, auth, flagged, organizer):
    scan, _good, author = flagged
    response = client.post(f"/organizer/entries/{scan.id}", data={"action": "reject", "message": " "})
    assert response.status_code == 200 and "Give the reason" in response.data.decode()
    db.session.expire_all()
    assert db.session.get(Entry, scan.id).status == EntryStatus.NEEDS_ATTENTION
    client.post(f"/organizer/entries/{scan.id}", data={"action": "reject", "message": "Not an essay"})
    db.session.expire_all()
    assert db.session.get(Entry, scan.id).status == EntryStatus.REJECTED
    reason = db.session.scalar(select(AuditEvent.reason).where(AuditEvent.action == "entry.rejected"))
    assert reason == "Not an essay"
    auth.logout()
    auth.login(author)
    page = client.get(f"/entries/{scan.id}").data.decode()
    assert "Not an essay" in page and "/replace" not in page


def test_students_and_jurors_cannot_reach_the_queue(client, auth, contest, flagged):
    scan, _good, author = flagged
    auth.login(author)
    assert client.get(f"/organizer/entries/{scan.id}").status_code == 403
    assert client.post(f"/organizer/entries/{scan.id}", data={"action": "accept"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Entry, scan.id).status == EntryStatus.NEEDS_ATTENTION


def test_status_page_explains_flags_in_plain_words(client, auth, contest):
    author = factories.make_user(Role.STUDENT)
    version = run_extraction(submit(author, contest, "locked.pdf",
                                    hostile.encrypted_pdf(user_password="pw", owner_password="o")).id)
    auth.login(author)
    page = client.get(f"/entries/{version.entry_id}").data.decode()
    assert "Remove the password and upload it again." in page
    assert "Needs attention" in page
