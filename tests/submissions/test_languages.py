"""An essay whose main language the contest does not accept is flagged with the language
named (zh, ja, de...); a mixed kk/ru essay shows its shares to the organizer."""
import pytest

from contest.enums import Role
from contest.extensions import db
from contest.submissions.models import Entry, EntryStatus
from tests import factories
from tests.extraction import hostile
from tests.extraction.test_languages import DE, JA, MIXED, ZH
from tests.submissions.helpers import run_extraction, submit

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(("text", "code", "label"), [(ZH, "zh", "Chinese"), (JA, "ja", "Japanese"),
                                                     (DE, "de", "German")])
def test_essay_in_a_language_the_contest_does_not_accept_is_flagged_by_name(
        app, client, auth, contest, student, text, code, label):
    version = run_extraction(submit(student, contest, "essay.txt", (text * 3).encode()).id)
    assert [(f["code"], f["language"]) for f in version.flags] == [("wrong_language", code)]
    assert db.session.get(Entry, version.entry_id).status == EntryStatus.NEEDS_ATTENTION
    page = client.get(f"/entries/{version.entry_id}").data.decode()
    assert f"seems to be written in a language this contest does not accept ({label})" not in page
    assert f"Your essay seems to be written in {label}, which this contest does not accept." in page


def test_mixed_essay_shares_shown_to_the_organizer(app, client, auth, contest, student):
    version = run_extraction(submit(student, contest, "essay.txt", MIXED.encode()).id)
    assert (version.language, version.language_shares) == ("kk", {"kk": 0.54, "ru": 0.46})
    assert db.session.get(Entry, version.entry_id).status == EntryStatus.READY
    auth.login(factories.make_user(Role.ORGANIZER))
    page = client.get(f"/organizer/entries/{version.entry_id}").data.decode()
    assert "Kazakh (Kazakh 54%, Russian 46%)" in page
    assert hostile.SAMPLES["kk"][:20] in page
