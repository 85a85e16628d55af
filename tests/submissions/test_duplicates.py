"""Near-duplicates are decided by people: a later copy never takes the earlier entry out of
judging; the organizer sees both side by side; the later student learns no figure."""
import pytest

from contest.enums import Role
from contest.extensions import db
from contest.submissions.models import Entry, EntryStatus, EntryVersion
from tests import factories
from tests.extraction import hostile
from tests.submissions.helpers import run_extraction, submit

pytestmark = pytest.mark.postgres
TEXT = " ".join(hostile.SAMPLES.values())


def _entry(version: EntryVersion) -> Entry:
    db.session.expire_all()
    return db.session.get(Entry, version.entry_id)


@pytest.fixture
def victim(app):
    return factories.make_user(Role.STUDENT, full_name="Айгерім Сапарова", language="kk")


@pytest.fixture
def copier(app):
    return factories.make_user(Role.STUDENT, full_name="Copy Cat", language="en")


def test_later_copy_is_flagged_and_the_earlier_entry_stays_ready(app, contest, victim, copier):
    first = run_extraction(submit(victim, contest, text=TEXT).id)
    second = run_extraction(submit(copier, contest, text=TEXT + " Один новый конец.").id)
    first = db.session.get(EntryVersion, first.id)
    assert first.flags == []
    assert _entry(first).status == EntryStatus.READY
    [flag] = second.flags
    assert (flag["code"], flag["other_entry_id"], flag["other_code"]) == (
        "near_duplicate", first.entry_id, _entry(first).code)
    assert 0.8 <= flag["similarity"] < 1
    assert _entry(second).status == EntryStatus.NEEDS_ATTENTION


def test_earlier_entry_read_last_still_flags_only_the_later_copy(app, contest, victim, copier):
    """The victim's file is read after the copy's (a slow file): the copy is still the one flagged."""
    first = submit(victim, contest, text=TEXT)
    second = run_extraction(submit(copier, contest, text=TEXT).id)
    assert _entry(second).status == EntryStatus.READY  # nothing to compare with yet
    first = run_extraction(first.id)
    second = db.session.get(EntryVersion, second.id)
    assert first.flags == [] and _entry(first).status == EntryStatus.READY
    assert [f["other_entry_id"] for f in second.flags] == [first.entry_id]
    assert _entry(second).status == EntryStatus.NEEDS_ATTENTION


def test_later_student_is_told_only_that_the_entry_is_reviewed(app, client, auth, contest, victim, copier):
    run_extraction(submit(victim, contest, text=TEXT).id)
    second = run_extraction(submit(copier, contest, text=TEXT).id)
    auth.login(copier)
    page = client.get(f"/entries/{second.entry_id}").data.decode()
    assert "An organizer is reviewing your essay" in page
    assert "Being reviewed" in page and "Needs attention" not in page
    assert "%" not in page.split("<main", 1)[-1]
    assert "similar" not in page.lower()
    other_code = db.session.get(Entry, second.flags[0]["other_entry_id"]).code
    assert _entry(second).code in page and other_code not in page


def test_organizer_sees_the_pair_side_by_side_with_shared_passages(app, client, auth, contest, victim,
                                                                  copier):
    first = run_extraction(submit(victim, contest, text=TEXT).id)
    second = run_extraction(submit(copier, contest, text=TEXT + " Совсем другой конец эссе здесь.").id)
    organizer = factories.make_user(Role.ORGANIZER)
    auth.login(organizer)
    page = client.get(f"/organizer/entries/{second.entry_id}").data.decode()
    assert page.count('class="duplicate-side"') == 2
    assert _entry(first).code in page and _entry(second).code in page
    assert "<mark>Менің туған өлкем" in page  # the shared passage starts highlighted
    assert "Совсем другой конец эссе здесь." in page.split("<mark>")[-1].split("</mark>", 1)[1]
    assert "Uploaded" in page
