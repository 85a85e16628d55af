"""The shared factories build consistent rows (other domains' tests rely on them)."""
from contest.submissions.models import EntryStatus
from tests.factories import make_contest, make_entry, make_juror


def test_factories_build_a_judgeable_entry(app):
    contest = make_contest()
    entry = make_entry(contest)
    juror = make_juror(contest=contest)
    assert entry.code == "ZT-2026-0001"
    assert entry.status == EntryStatus.READY
    assert entry.current_version.juror_text.startswith("An essay")
    assert [c.weight for c in contest.criteria] == [2, 1]
    assert juror.role == "juror"
