"""The reading view's "Previous" and "Next": the juror's neighbouring essay by entry code in the
same contest, looked up only when followed; hidden entries, declared conflicts, other
contests and other jurors' essays are never a step."""

import re

import pytest

from contest.enums import Role
from contest.extensions import db
from contest.judging.models import DeclaredConflict
from contest.submissions.models import EntryStatus
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

pytestmark = pytest.mark.postgres  # the neighbour statement is PostgreSQL's to plan, too


def _steps(client, assignment_id: int, direction: str):
    response = client.get(f"/judging/review/{assignment_id}/{direction}")
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_next_and_previous_skip_what_the_juror_may_not_read(app, client, auth):
    contest, other_contest = make_contest(phase="judging"), make_contest(phase="judging", code_prefix="OT")
    juror, colleague = make_juror(contest=contest), make_juror(contest=contest)
    entries = [make_entry(contest) for _ in range(6)]  # codes in this order
    mine = [make_assignment(entry, juror) for entry in entries]
    make_assignment(make_entry(other_contest), juror)  # another contest's essay: never a step
    make_assignment(make_entry(contest), colleague)
    entries[1].status = EntryStatus.WITHDRAWN
    db.session.add(DeclaredConflict(entry_id=entries[3].id, juror_id=juror.id, reason="my pupil"))
    db.session.commit()
    auth.login(juror)
    visible = [mine[0].id, mine[2].id, mine[4].id, mine[5].id]
    assert [_steps(client, a, "next") for a in visible] == visible[1:] + [visible[-1]]
    assert [_steps(client, a, "previous") for a in visible] == [visible[0]] + visible[:-1]
    page = client.get(f"/judging/review/{visible[-1]}/next", follow_redirects=True).get_data(as_text=True)
    assert "This is the last of your essays in this contest." in page
    page = client.get(f"/judging/review/{visible[0]}/previous", follow_redirects=True).get_data(as_text=True)
    assert "This is the first of your essays in this contest." in page
    reading = client.get(f"/judging/review/{visible[1]}").get_data(as_text=True)
    assert f'href="/judging/review/{visible[1]}/previous"' in reading
    assert f'href="/judging/review/{visible[1]}/next"' in reading


def test_a_step_from_an_essay_the_juror_may_not_read_is_not_found(app, client, auth):
    contest = make_contest(phase="judging")
    juror, colleague = make_juror(contest=contest), make_juror(contest=contest)
    theirs = make_assignment(make_entry(contest), colleague)
    make_assignment(make_entry(contest), juror)
    hidden = make_entry(contest)
    conflicted = make_assignment(hidden, juror)
    db.session.add(DeclaredConflict(entry_id=hidden.id, juror_id=juror.id, reason="my pupil"))
    db.session.commit()
    auth.login(juror)
    for assignment_id in (theirs.id, conflicted.id, 10**9):
        for direction in ("next", "previous"):
            assert client.get(f"/judging/review/{assignment_id}/{direction}").status_code == 404
    auth.logout()
    auth.login(make_user(Role.STUDENT))
    assert client.get(f"/judging/review/{theirs.id}/next").status_code == 403


def test_next_walks_the_dashboards_order_across_rounds(app, client, auth):
    """A juror on both juries of a contest in two rounds sees their final-round essays first,
    then the first round's, each by entry code; "Next" and "Previous" walk that same order
    (the same essay in both rounds is two steps), not the codes across rounds."""
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    entries = [make_entry(contest) for _ in range(4)]
    first = [make_assignment(entry, juror, status="submitted", scores={}) for entry in entries]
    final = []
    for i in (1, 3):
        final.append(make_assignment(entries[i], juror, commit=False))
        final[-1].round_no = 2
    db.session.commit()
    auth.login(juror)
    dashboard = client.get("/judging/").get_data(as_text=True)
    listed = [int(x) for x in re.findall(r'href="/judging/review/(\d+)"', dashboard)]
    order = [a.id for a in final] + [a.id for a in first]
    assert listed == order
    assert [_steps(client, a, "next") for a in order] == order[1:] + [order[-1]]
    assert [_steps(client, a, "previous") for a in order] == [order[0]] + order[:-1]
