"""What the lean juror paths answer: the dashboard rows built in Python, the autosave's
answer and headers after its commit, WTForms' messages in the juror's language from the
per-process catalogue, and the audit event the autosave writes as a plain INSERT."""

import html as html_lib
import re

import pytest
from sqlalchemy import select

from contest.audit.models import AuditEvent
from contest.enums import Role
from contest.extensions import db
from contest.judging.models import Assignment
from tests.factories import make_assignment, make_contest, make_entry, make_juror, make_user

JSON = {"Accept": "application/json"}


def _rows_by_assignment(html: str) -> dict[int, str]:
    rows = re.findall(r"<tr>.*?</tr>", html, re.S)
    return {int(aid): row for row in rows for aid in re.findall(r'href="/judging/review/(\d+)"', row)}


def test_dashboard_rows_escape_names_and_show_each_status(app, client, auth):
    contest = make_contest(phase="judging", blind=False)
    juror = make_juror(contest=contest)
    student = make_user(Role.STUDENT, full_name="Ann <b>\"O'Neil\"</b> & Co")
    entries = [make_entry(contest, student), make_entry(contest, category=contest.categories[1]),
               make_entry(contest, topic=contest.topics[1])]
    new, draft, done = (make_assignment(e, juror, status=s)
                        for e, s in zip(entries, ("new", "draft", "submitted")))
    auth.login(juror)
    html = client.get("/judging/").get_data(as_text=True)
    rows = _rows_by_assignment(html)
    assert sorted(rows) == sorted([new.id, draft.id, done.id])
    assert "<b>" not in html
    author = re.search(r"<td>(Ann [^<]*)</td>", rows[new.id])[1]
    assert html_lib.unescape(author) == "Ann <b>\"O'Neil\"</b> & Co"
    assert not set("<>\"'") & set(author), author  # each of them escaped
    expected = {new.id: ("badge", "new", "Read"), draft.id: ("badge warn", "draft", "Continue"),
                done.id: ("badge ok", "submitted", "View")}
    for aid, (badge, label, action) in expected.items():
        entry = entries[[new.id, draft.id, done.id].index(aid)]
        assert f'<span class="{badge}">{label}</span>' in rows[aid]
        assert f'<a href="/judging/review/{aid}">{action}<span class="visually-hidden"> {entry.code}</span>' \
            in rows[aid]
        assert f'<td><span class="code">{entry.code}</span></td>' in rows[aid]
        assert f"<td>{entry.word_count}</td>" in rows[aid]
    assert "<td>Category 2</td>" in rows[draft.id] and "<td>Topic 2</td>" in rows[done.id]
    assert "1 of 3 submitted" in html


def test_dashboard_shows_a_contest_whose_jury_the_juror_left_with_its_names(app, client, auth):
    """The dashboard's statement reads the names of the juror's juries' contests; assignments
    in a contest whose jury the juror is no longer on are shown with their names too."""
    from contest.contests.models import ContestJuror

    kept = make_contest(phase="judging", title={"en": "Kept contest"})
    left = make_contest(phase="judging", title={"en": "Left contest"})
    juror = make_juror(contest=kept)
    db.session.add(ContestJuror(contest_id=left.id, user_id=juror.id))
    db.session.commit()
    a_kept = make_assignment(make_entry(kept, topic=kept.topics[1]), juror)
    a_left = make_assignment(make_entry(left, category=left.categories[1]), juror)
    db.session.execute(ContestJuror.__table__.delete().where(ContestJuror.contest_id == left.id))
    db.session.commit()
    auth.login(juror)
    html = client.get("/judging/").get_data(as_text=True)
    rows = _rows_by_assignment(html)
    assert sorted(rows) == sorted([a_kept.id, a_left.id])
    assert "Kept contest" in html and "Left contest" in html
    assert "<td>Topic 2</td>" in rows[a_kept.id] and "<td>Category 2</td>" in rows[a_left.id]


def test_dashboard_of_a_blind_contest_has_no_author_column(app, client, auth):
    contest = make_contest(phase="judging", blind=True)
    juror = make_juror(contest=contest)
    a = make_assignment(make_entry(contest, make_user(Role.STUDENT, full_name="Zhanna Unique")), juror)
    auth.login(juror)
    html = client.get("/judging/").get_data(as_text=True)
    assert "Zhanna Unique" not in html
    assert _rows_by_assignment(html)[a.id].count("<td>") == 6


def test_autosave_answers_after_its_commit_without_caching(app, client, auth):
    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    a = make_assignment(make_entry(contest), juror)
    auth.login(juror)
    data = {"version": "0", f"score_{contest.criteria[0].id}": "7", "feedback": " Clear. "}
    saved = client.post(f"/judging/review/{a.id}/save", data=data, headers=JSON)
    stored = db.session.get(Assignment, a.id)
    assert (saved.status_code, saved.json["ok"], saved.json["version"], saved.json["status"]) == (
        200, True, 1, "draft")
    assert saved.json["saved_at"] == stored.updated_at.isoformat()
    assert saved.headers["Cache-Control"] == "no-store"
    assert (stored.version, stored.scores, stored.feedback) == (
        1, {str(contest.criteria[0].id): 7.0}, "Clear.")
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "review.scores"))
    assert (event.actor_id, event.object_type, event.object_id, event.contest_id) == (
        juror.id, "assignment", str(a.id), contest.id)
    assert (event.old, event.new, event.reason) == (
        {"scores": {}}, {"scores": {str(contest.criteria[0].id): 7.0}}, "")


def test_autosave_field_errors_are_in_the_jurors_language(app, client, auth):
    contest = make_contest(phase="judging")
    english, russian = make_juror(contest=contest), make_juror(contest=contest, language="ru")
    field = f"score_{contest.criteria[0].id}"
    answers = []
    for juror in (english, russian, english):
        a = make_assignment(make_entry(contest), juror)
        auth.login(juror)
        answer = client.post(f"/judging/review/{a.id}/save", data={"version": "0", field: "1" * 21},
                             headers=JSON)
        answers.append((answer.status_code, answer.json["errors"][field]))
        auth.logout()
    assert answers == [
        (400, ["Field cannot be longer than 20 characters."]),
        (400, ["Значение не должно содержать более 20 символов."]),
        (400, ["Field cannot be longer than 20 characters."]),
    ]


@pytest.mark.postgres
def test_dashboard_lists_the_latest_round_first_then_codes_by_their_bytes(app, client, auth):
    """The dashboard sorts its rows itself (not the database): the latest round first, then
    entry codes in byte order, the order "Next" walks (tests/judging/test_step.py). Codes
    that a locale would sort otherwise (case, Cyrillic) come in byte order on both databases."""
    from contest.judging.queries import neighbour

    contest = make_contest(phase="judging")
    juror = make_juror(contest=contest)
    codes = ["b-0002", "B-0001", "Ә-0003", "a-0004", "Z-0005", "ә-0006"]
    assignments = {}
    for code in codes:
        entry = make_entry(contest)
        entry.code = code
        assignments[code] = make_assignment(entry, juror)
    later = make_entry(contest)
    later.code = "x-0007"
    final = make_assignment(later, juror, commit=False)
    final.round_no = 2
    db.session.commit()
    ids = {code: a.id for code, a in assignments.items()}
    juror_id, final_id = juror.id, final.id
    auth.login(juror)
    html = client.get("/judging/").get_data(as_text=True)
    shown = [int(aid) for aid in re.findall(r'href="/judging/review/(\d+)"', html)]
    by_bytes = sorted(codes, key=lambda code: code.encode())
    assert by_bytes == ["B-0001", "Z-0005", "a-0004", "b-0002", "Ә-0003", "ә-0006"]
    assert shown == [final_id] + [ids[code] for code in by_bytes]
    # "Next" walks the same order: the final round's essay, then the first round's by bytes
    walked = [final_id]
    while (step := neighbour(juror_id, walked[-1], later=True)[1]) is not None:
        walked.append(step)
    assert walked == shown
