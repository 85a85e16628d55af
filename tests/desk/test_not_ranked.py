"""Entries left out of the ranking are listed on the ranking page with the reason."""
import pytest

from contest.ranking.queries import not_ranked_reason
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_review

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(("status", "decision", "submitted", "assigned", "reason"), [
    ("withdrawn", "", 2, 2, "withdrawn"),
    ("rejected", "", 0, 0, "rejected"),
    ("ready", "", 1, 3, None),
    ("needs_attention", "", 1, 1, None),
    ("needs_attention", "", 0, 0, "needs_attention"),
    ("needs_attention", "reupload", 0, 0, "reupload"),
    ("processing", "", 0, 0, "extraction"),
    ("received", "", 0, 0, "extraction"),
    ("ready", "", 0, 2, "no_reviews"),
    ("ready", "", 0, 0, "not_assigned"),
])
def test_not_ranked_reason(status, decision, submitted, assigned, reason):
    assert not_ranked_reason(status, decision, submitted, assigned) == reason


def test_ranking_page_lists_entries_left_out(app, client, auth, make_user):
    from contest.enums import Role

    contest = make_contest(phase="judging", ranking_method="mean", k=1)
    juror = make_juror(contest=contest)
    ranked = make_entry(contest)
    make_review(contest, ranked, juror, (8, 4))
    waiting = make_entry(contest, make_user(Role.STUDENT, full_name="Waiting Reviewer"))
    make_assignment(waiting, juror)
    scan = make_entry(contest, make_user(Role.STUDENT, full_name="Scan Author"), status="needs_attention")
    gone = make_entry(contest, make_user(Role.STUDENT, full_name="Gone Away"), status="withdrawn")
    auth.login(make_user(Role.ORGANIZER))
    page = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    section = page[page.index('id="not-ranked"'):]
    for entry, reason in ((waiting, "No reviews yet"), (scan, "Needs attention"), (gone, "Withdrawn")):
        row = section[section.index(entry.code):]
        assert reason in row[:row.index("</tr>")], entry.code
    assert ranked.code not in section
