"""Jurors and the page images of a scan: shown on the reading view of an open contest (served
only to a juror assigned to the entry), never in a blind one (the route answers 404 and the
reading view does not link it: a handwritten page carries the author's name)."""
import pytest

from contest.contests.models import Phase
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_scanned_entry
from tests.ocr import images

pytestmark = pytest.mark.postgres


def _page(shade: int) -> bytes:
    from PIL import Image

    return images.png_of(Image.new("L", (60, 80), shade))


@pytest.fixture
def pages():
    return [_page(250), _page(200)]


def _judging(blind: bool):
    return make_contest(phase=Phase.JUDGING.value, blind=blind, jurors_may_open_files=False)


def test_a_juror_of_an_open_contest_sees_the_pages_of_a_scan(app, client, auth, pages):
    contest = _judging(blind=False)
    entry = make_scanned_entry(contest, pages)
    juror, stranger = make_juror(contest=contest), make_juror(contest=contest)
    assignment = make_assignment(entry, juror)
    auth.login(juror)
    view = client.get(f"/judging/review/{assignment.id}").get_data(as_text=True)
    assert "data-scan-pages" in view and "The pages as photographed (2)" in view
    for number, blob in enumerate(pages, 1):
        assert f'src="/judging/review/{assignment.id}/pages/{number}"' in view
        image = client.get(f"/judging/review/{assignment.id}/pages/{number}")
        assert (image.status_code, image.mimetype, image.data) == (200, "image/png", blob)
        assert image.headers["Cache-Control"] == "no-store"
    assert client.get(f"/judging/review/{assignment.id}/pages/3").status_code == 404
    auth.logout()
    auth.login(stranger)  # a juror of the contest not assigned to the entry
    assert client.get(f"/judging/review/{assignment.id}/pages/1").status_code == 404


def test_typed_text_has_no_page_images(app, client, auth):
    contest = _judging(blind=False)
    juror = make_juror(contest=contest)
    assignment = make_assignment(make_entry(contest), juror)
    auth.login(juror)
    assert "data-scan-pages" not in client.get(f"/judging/review/{assignment.id}").get_data(as_text=True)
    assert client.get(f"/judging/review/{assignment.id}/pages/1").status_code == 404


def test_a_juror_of_a_blind_contest_never_gets_the_pages(app, client, auth, pages):
    contest = _judging(blind=True)
    entry = make_scanned_entry(contest, pages)
    juror = make_juror(contest=contest)
    assignment = make_assignment(entry, juror)
    auth.login(juror)
    view = client.get(f"/judging/review/{assignment.id}").get_data(as_text=True)
    assert "Read from a scan" in view
    assert "data-scan-pages" not in view and "/pages/" not in view
    for number in (1, 2):
        assert client.get(f"/judging/review/{assignment.id}/pages/{number}").status_code == 404
