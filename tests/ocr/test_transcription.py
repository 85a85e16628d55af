"""The organizer types the text of a page OCR could not read: the page image beside the
editor, the typed text becomes the entry's text (redacted for the blind jury), the OCR text
is kept, the save is audited without the text, and a stale form changes nothing."""
import re

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.enums import Role
from contest.extensions import db
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from contest.transcription.models import Transcription
from tests import factories
from tests.ocr import images
from tests.submissions.helpers import run_extraction, submit

TYPED = ("Менің туған өлкем\n\nМенің атым Айгерім Сапарова. Біздің ауылдың адамдары еңбекқор әрі "
         "қонақжай. Көктемде қызғалдақтар гүлдеп, өзен суы тасиды. Мен болашақта ауылыма пайдалы "
         "маман болғым келеді. Ұстаздарым маған білімнің қадірін үйретті. Әрбір оқушы өз өлкесінің "
         "тарихын білуі керек деп ойлаймын.")

pytestmark = pytest.mark.postgres


@pytest.fixture
def blank_entry(app, contest):
    author = factories.make_user(Role.STUDENT, full_name="Айгерім Сапарова", language="kk")
    version = run_extraction(submit(author, contest, "page.jpg", images.blank_photo()).id)
    return db.session.get(Entry, version.entry_id)


@pytest.fixture
def organizer(app, auth):
    user = factories.make_user(Role.ORGANIZER)
    auth.login(user)
    return user


def _form(page: str) -> dict:
    return {name: re.search(rf'name="{name}"[^>]*value="([^"]*)"', page).group(1)
            for name in ("csrf_token", "state_version")}


def test_a_blank_photo_waits_for_transcription_then_the_typed_text_goes_to_the_jury(
        client, blank_entry, organizer):
    entry = blank_entry
    assert entry.status == EntryStatus.NEEDS_ATTENTION
    review = client.get(f"/organizer/entries/{entry.id}").get_data(as_text=True)
    assert "Needs transcription" in review and f"/organizer/entries/{entry.id}/transcribe" in review
    page = client.get(f"/organizer/entries/{entry.id}/transcribe").get_data(as_text=True)
    assert f'src="/organizer/entries/{entry.id}/pages/1"' in page
    image = client.get(f"/organizer/entries/{entry.id}/pages/1")
    assert image.status_code == 200 and image.mimetype == "image/jpeg" and image.data == images.blank_photo()
    assert client.get(f"/organizer/entries/{entry.id}/pages/2").status_code == 404

    response = client.post(f"/organizer/entries/{entry.id}/transcribe", data={**_form(page), "text": TYPED})
    assert response.status_code == 302
    db.session.expire_all()
    entry = db.session.get(Entry, entry.id)
    version = db.session.get(EntryVersion, entry.current_version_id)
    assert (entry.status, entry.language, entry.word_count) == (EntryStatus.READY, "kk", 40)
    assert version.text == TYPED and "Сапарова" not in version.juror_text
    assert {f["code"] for f in version.flags} == {"ocr", "transcribed"}
    [row] = db.session.scalars(select(Transcription)).all()
    assert (row.ocr_text, row.text, row.created_by) == ("", TYPED, organizer.id)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "entry.transcribed")).all()
    assert event.actor_id == organizer.id and "Сапарова" not in str(event.new) + str(event.old)

    # A second correction keeps the machine's text from the first row.
    page = client.get(f"/organizer/entries/{entry.id}/transcribe").get_data(as_text=True)
    client.post(f"/organizer/entries/{entry.id}/transcribe", data={**_form(page), "text": TYPED + " Рақмет."})
    rows = db.session.scalars(select(Transcription).order_by(Transcription.id)).all()
    assert [r.ocr_text for r in rows] == ["", ""] and rows[1].text.endswith("Рақмет.")


def test_a_stale_form_or_an_empty_text_changes_nothing(client, blank_entry, organizer):
    entry = blank_entry
    page = client.get(f"/organizer/entries/{entry.id}/transcribe").get_data(as_text=True)
    stale = {**_form(page), "state_version": str(entry.state_version - 1), "text": TYPED}
    answer = client.post(f"/organizer/entries/{entry.id}/transcribe", data=stale).get_data(as_text=True)
    assert "This entry changed while you were typing" in answer
    answer = client.post(f"/organizer/entries/{entry.id}/transcribe",
                         data={**_form(page), "text": " … — "}).get_data(as_text=True)
    assert "Type the essay&#39;s text before saving." in answer
    db.session.expire_all()
    assert db.session.get(Entry, entry.id).status == EntryStatus.NEEDS_ATTENTION
    assert db.session.scalars(select(Transcription)).all() == []
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "entry.transcribed")).all() == []


def test_a_typed_entry_cannot_be_transcribed(client, contest, organizer):
    version = run_extraction(submit(factories.make_user(Role.STUDENT), contest, text=TYPED).id)
    assert client.get(f"/organizer/entries/{version.entry_id}/transcribe").status_code == 404
    assert client.get(f"/organizer/entries/{version.entry_id}/pages/1").status_code == 404


def test_a_heic_photo_is_kept_as_sent_read_and_shown_to_the_organizer_as_jpeg(client, contest, organizer):
    """An iPhone photo (HEIC) is stored as sent, read by OCR in the sandbox, and shown on the
    transcription screen as a JPEG (browsers other than Safari cannot show HEIC)."""
    import io

    from PIL import Image

    author = factories.make_user(Role.STUDENT, language="kk")
    version = run_extraction(submit(author, contest, "IMG_0042.HEIC", images.kk_heic()).id)
    assert (version.format, version.extraction_status) == ("image", "ok")
    assert version.stored_name.endswith(".heic") and version.original_name == "IMG_0042.HEIC"
    assert "қызғалдақтар" in version.text and "Ұстаздарым" in version.text
    image = client.get(f"/organizer/entries/{version.entry_id}/pages/1")
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    shown = Image.open(io.BytesIO(image.data))
    assert shown.format == "JPEG" and shown.height > shown.width > 1000  # the whole page, upright
    download = client.get(f"/entries/{version.entry_id}/versions/1/file")
    assert download.mimetype == "image/heic" and download.data == images.kk_heic()


def test_a_transcriber_the_organizer_names_types_the_text(client, auth, contest, blank_entry):
    """The owner gives a helper the transcriber role on the team page; the helper finds the entry
    in the contest's transcription queue (codes only, no author), types its text, and the text
    becomes the entry's text, audited under the helper's name. The entry's review page, the
    registry and the file stay closed to them."""
    entry = blank_entry
    owner = factories.make_member(contest, role="owner")
    helper = factories.make_user(Role.ORGANIZER, full_name="Гүлнар Төлеуова", is_admin=False)
    auth.login(owner)
    team = client.get(f"/contests/{contest.id}/desk/team").get_data(as_text=True)
    grant = {"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]*)"', team).group(1),
             "user_id": str(helper.id), "role": "transcriber"}
    assert client.post(f"/contests/{contest.id}/desk/team", data=grant).status_code == 302
    auth.logout()

    auth.login(helper)
    queue = client.get(f"/organizer/contests/{contest.id}/transcription").get_data(as_text=True)
    assert entry.code in queue and f"/organizer/entries/{entry.id}/transcribe" in queue
    assert "Сапарова" not in queue and "/desk/" not in queue  # no editor tabs leading to closed pages
    page = client.get(f"/organizer/entries/{entry.id}/transcribe").get_data(as_text=True)
    assert f"/organizer/entries/{entry.id}/pages/1" in page and "Сапарова" not in page
    assert f"/organizer/entries/{entry.id}\"" not in page  # no link to the entry's review page
    assert client.get(f"/organizer/entries/{entry.id}/pages/1").status_code == 200
    for closed in (f"/organizer/entries/{entry.id}", f"/contests/{contest.id}/desk/entries",
                   f"/entries/{entry.id}/versions/1/file", f"/contests/{contest.id}/ranking"):
        assert client.get(closed).status_code in (403, 404), closed

    response = client.post(f"/organizer/entries/{entry.id}/transcribe", data={**_form(page), "text": TYPED})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/organizer/contests/{contest.id}/transcription")
    db.session.expire_all()
    entry = db.session.get(Entry, entry.id)
    version = db.session.get(EntryVersion, entry.current_version_id)
    assert (entry.status, version.text) == (EntryStatus.READY, TYPED)
    assert db.session.scalar(select(Transcription.created_by)) == helper.id
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "entry.transcribed")).all()
    assert event.actor_id == helper.id and event.at is not None
    queue = client.get(f"/organizer/contests/{contest.id}/transcription").get_data(as_text=True)
    assert "Nothing waits to be typed." in queue and "Гүлнар Төлеуова" in queue
    assert client.get(f"/contests/{contest.id}/desk/audit").status_code == 403
    auth.logout()
    auth.login(owner)  # the owner's audit log names the helper
    log = client.get(f"/contests/{contest.id}/desk/audit").get_data(as_text=True)
    assert "Гүлнар Төлеуова" in log and entry.code in log
