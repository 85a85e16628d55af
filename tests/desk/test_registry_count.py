"""The unfiltered registry's size: the contest's settled entries (up to the last id created
SETTLED_AFTER ago) counted once per process, the later ones on each page."""

from datetime import timedelta

import pytest

from contest.db import utcnow
from contest.desk import registry
from contest.extensions import db
from tests.factories import make_contest, make_entry, make_member

pytestmark = pytest.mark.postgres


def _entry(contest, age: timedelta = timedelta(0)):
    entry = make_entry(contest)
    entry.created_at = utcnow() - age
    db.session.commit()
    return entry


def _total(client, contest) -> str:
    page = client.get(f"/contests/{contest.id}/desk/entries").get_data(as_text=True)
    return page.split("<strong>", 1)[1].split("</strong>", 1)[0]


def test_the_size_counts_settled_entries_once_and_new_ones_on_each_page(app, client, auth, monkeypatch):
    monkeypatch.setattr(registry, "_settled", {})
    contest, other = make_contest(phase="open"), make_contest(phase="open", code_prefix="OT")
    old = [_entry(contest, timedelta(hours=1)) for _ in range(3)]
    _entry(other, timedelta(hours=1))  # another contest's: never in this one's count
    _entry(contest)
    auth.login(make_member(contest, role="owner"))
    assert _total(client, contest) == "4 entries"
    (key, (settled_id, settled, _when)), = registry._settled.items()
    assert (key[1], settled_id, settled) == (contest.id, old[-1].id, 3)
    _entry(contest)
    dated = _entry(contest, timedelta(days=2))  # a later id, whatever its time: counted as recent
    assert _total(client, contest) == "6 entries"
    assert registry._settled[key][:2] == (old[-1].id, 3)  # not counted again
    monkeypatch.setattr(registry, "SETTLED_REFRESH", -1.0)  # the next page counts them anew
    assert _total(client, contest) == "6 entries"
    # Every id up to the last one created long ago is settled, whenever the others were made.
    assert registry._settled[key][:2] == (dated.id, 6)


def test_a_filtered_view_and_an_empty_contest_count_as_before(app, client, auth, monkeypatch):
    monkeypatch.setattr(registry, "_settled", {})
    contest = make_contest(phase="open")
    auth.login(make_member(contest, role="owner"))
    assert _total(client, contest) == "0 entries"
    _entry(contest, timedelta(hours=1))
    _entry(contest)
    page = client.get(f"/contests/{contest.id}/desk/entries?language=en").get_data(as_text=True)
    assert "<strong>2 entries</strong>" in page
    assert _total(client, contest) == "2 entries"
