"""Photos through a real worker.py: a photographed Kazakh essay reaches a juror's reading view
as redacted text marked "read from a scan"; a blank page and a handwritten-looking page go to
"needs transcription"; a decompression bomb is refused and the worker goes on with the next job."""
import io
import secrets

import pytest

from contest.contests.models import Phase
from contest.extensions import db
from contest.submissions.models import EntryStatus, EntryVersion
from tests.conftest import wait_for
from tests.factories import make_assignment, make_juror
from tests.ocr import images
from tests.submissions.helpers import entries

pytestmark = [pytest.mark.worker, pytest.mark.postgres]
FINAL = (EntryStatus.READY, EntryStatus.NEEDS_ATTENTION)


def _post_photos(client, contest, files: list[tuple[str, bytes]]):
    form = {"topic": str(contest.topics[0].id), "category": str(contest.categories[0].id),
            "submit_key": secrets.token_urlsafe(18), "text": "",
            "file": [(io.BytesIO(data), name) for name, data in files]}
    return client.post(f"/contests/{contest.id}/submit", data=form, content_type="multipart/form-data")


def _all_final(n: int):
    found = entries()
    return found if len(found) == n and all(e.status in FINAL for e in found) else None


def test_photos_go_through_the_worker_to_the_jury_or_the_organizer(app, client, auth, contest, student,
                                                                   worker):
    uploads = [
        ("bomb.png", images.bomb_png()),
        ("essay.jpg", images.kk_photo(signed="Айгерім Сапарова, 9 сынып")),
        ("blank.jpg", images.blank_photo()),
        ("scribbled.jpg", images.scribbled_page()),
    ]
    for name, data in uploads:
        assert _post_photos(client, contest, [(name, data)]).status_code == 302
    done = wait_for(lambda: _all_final(len(uploads)), timeout=300, interval=0.5)
    by_name = {db.session.get(EntryVersion, e.current_version_id).original_name: e for e in done}
    version = {name: db.session.get(EntryVersion, e.current_version_id) for name, e in by_name.items()}
    assert worker.poll() is None  # the bomb did not hurt the worker, which read the next photos

    assert (by_name["bomb.png"].status, version["bomb.png"].extraction_status) == (
        EntryStatus.NEEDS_ATTENTION, "too_complex")
    assert version["bomb.png"].text is None

    blank = version["blank.jpg"]
    assert by_name["blank.jpg"].status == EntryStatus.NEEDS_ATTENTION
    assert {f["code"]: f["level"] for f in blank.flags} == {
        "no_text": "attention", "ocr": "warning", "needs_transcription": "attention"}

    scribbled = version["scribbled.jpg"]  # strokes no reader of print can trust
    assert by_name["scribbled.jpg"].status == EntryStatus.NEEDS_ATTENTION
    assert scribbled.extraction_status in ("ok", "no_text")
    [wait] = [f for f in scribbled.flags if f["code"] == "needs_transcription"]
    assert wait["level"] == "attention" and wait["confidence"] < 75
    assert {f["code"] for f in scribbled.flags} <= {"ocr", "needs_transcription", "no_text"}

    essay, entry = version["essay.jpg"], by_name["essay.jpg"]
    assert (entry.status, entry.language, essay.extraction_status, essay.format) == (
        EntryStatus.READY, "kk", "ok", "image")
    assert essay.stored_name.endswith(".jpg")
    [ocr_flag] = [f for f in essay.flags if f["code"] == "ocr"]
    assert ocr_flag["level"] == "warning" and ocr_flag["confidence"] >= 75
    assert "Сапарова" in essay.text  # read from the photo ...
    assert "Сапарова" not in essay.juror_text  # ... and redacted for the blind jury
    for word in ("қызғалдақтар", "еңбекқор", "қонақжай", "Ұстаздарым", "өлкесінің", "әңгімелерін"):
        assert word in essay.text
    assert 70 <= essay.word_count <= 90  # 78 words on the page

    contest.phase = Phase.JUDGING
    db.session.commit()
    juror = make_juror(contest=contest)
    assignment = make_assignment(entry, juror)
    auth.login(juror)
    page = client.get(f"/judging/review/{assignment.id}").get_data(as_text=True)
    assert "Read from a scan" in page and "қызғалдақтар гүлдеп" in page
    assert "Сапарова" not in page
    download = client.get(f"/judging/review/{assignment.id}/file")
    assert download.status_code == 200 and download.data.startswith(b"%PDF-")  # never the photo
    assert b"\xff\xd8\xff" not in download.data[:16]
