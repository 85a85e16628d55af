"""The rounds page through HTTP: every step a click, refusals flashed, roles checked."""
from sqlalchemy import select

from contest.extensions import db
from contest.rounds.models import RoundState, ShortlistEntry
from contest.rounds.queries import get_round, shortlisted_entry_ids
from contest.submissions.models import Entry
from tests.factories import make_entry, make_member, make_user


def _url(t, tail=""):
    return f"/rounds/contests/{t.contest.id}{tail}"


def test_organizer_walks_from_the_first_round_to_the_final(two_rounds, client, auth):
    t = two_rounds
    auth.login(t.organizer)
    page = client.get(_url(t)).get_data(as_text=True)
    assert "Close the first round before making the shortlist" in page
    refused = client.post(_url(t, "/shortlist"), data={"kind": "top_n", "value": "2"}, follow_redirects=True)
    assert "Close the first round" in refused.get_data(as_text=True)
    client.post(_url(t, "/rounds/1/close"), data={"reason": ""})
    assert get_round(t.contest.id, 1).state == RoundState.CLOSED
    client.post(_url(t, "/shortlist"), data={"kind": "top_pct", "value": "25"})
    assert len(shortlisted_entry_ids(t.final.id)) == 3  # 2 of 8 in category 1, 1 of 2 in category 2
    page = client.get(_url(t)).get_data(as_text=True)
    assert "Cut line" in page and t.entries[2].code in page and t.entries[0].code in page
    no_reason = client.post(_url(t, "/shortlist/entry"),
                            data={"entry_id": str(t.entries[2].id), "selected": "1", "reason": ""},
                            follow_redirects=True)
    assert "Give a reason" in no_reason.get_data(as_text=True)
    client.post(_url(t, "/shortlist/entry"),
                data={"entry_id": str(t.entries[2].id), "selected": "1", "reason": "Close call"})
    row = db.session.scalar(select(ShortlistEntry).where(ShortlistEntry.entry_id == t.entries[2].id))
    assert (row.selected, row.by_rule, row.reason) == (True, False, "Close call")
    done = client.post(_url(t, "/shortlist/confirm"), data={}, follow_redirects=True)
    assert "the final round has started" in done.get_data(as_text=True)
    assert get_round(t.contest.id, 2).state == RoundState.OPEN
    assign = client.get(f"/judging/contests/{t.contest.id}/assign").get_data(as_text=True)
    assert "Final round: only the shortlisted essays" in assign


def test_setup_form_refuses_a_juror_outside_the_jury(two_rounds, client, auth):
    t = two_rounds
    auth.login(t.organizer)
    outsider = make_user("juror")
    response = client.post(_url(t, "/setup"), data={"mode": "k", "reviews_per_entry": "2",
                                                    "juror_ids": [str(outsider.id)], "previous_weight": "0"},
                           follow_redirects=True)
    assert "among the contest&#39;s jurors" in response.get_data(as_text=True)
    assert get_round(t.contest.id, 2).juror_ids == [t.jurors[0].id, t.jurors[1].id]
    client.post(_url(t, "/setup"), data={"mode": "k", "reviews_per_entry": "2", "previous_weight": "30",
                                         "juror_ids": [str(j.id) for j in t.jurors]})
    final = get_round(t.contest.id, 2)
    assert (final.mode.value, final.reviews_per_entry, final.previous_weight, len(final.juror_ids)) == (
        "k", 2, 0.3, 3)


def test_observer_sees_the_page_but_cannot_change_it(two_rounds, client, auth):
    t = two_rounds
    observer = make_user("organizer", is_admin=False)
    make_member(t.contest, observer, "observer")
    auth.login(observer)
    assert client.get(_url(t)).status_code == 200
    assert client.post(_url(t, "/rounds/1/close"), data={"reason": "x"}).status_code == 403
    assert get_round(t.contest.id, 1).state == RoundState.OPEN


def test_final_rubric_typed_as_lines_then_used_by_the_final_round(two_rounds, client, auth):
    from contest.judging.queries import get_criteria

    t = two_rounds
    auth.login(t.organizer)
    bad = client.post(_url(t, "/rubric"), data={"lines": "Depth | twenty | 2"}, follow_redirects=True)
    assert "name | maximum score | weight" in bad.get_data(as_text=True)
    assert len(get_criteria(t.contest.id, 2)) == 2  # still the first round's
    client.post(_url(t, "/rubric"), data={"lines": "Depth of argument | 20 | 2\nStyle | 5 | 1\n"})
    rubric = get_criteria(t.contest.id, 2)
    assert [(c.name, c.max_score, c.weight) for c in rubric] == [
        ({"en": "Depth of argument"}, 20, 2), ({"en": "Style"}, 5, 1)]
    assert "Depth of argument | 20 | 2" in client.get(_url(t)).get_data(as_text=True)


def test_ranking_pages_say_which_round_they_show(two_rounds, client, auth):
    from contest.rounds.services import close_round, confirm_shortlist, propose_shortlist

    t = two_rounds
    auth.login(t.organizer)
    ranking = f"/contests/{t.contest.id}/ranking"
    assert "First round: this ranking makes the shortlist." in client.get(ranking).get_data(as_text=True)
    close_round(contest=t.contest, round_no=1, actor=t.organizer)
    propose_shortlist(contest=t.contest, kind="top_n", value=1, actor=t.organizer)
    confirm_shortlist(contest=t.contest, actor=t.organizer)
    db.session.commit()
    page = client.get(ranking).get_data(as_text=True)
    assert "Final round: the shortlisted entries" in page
    assert page.count("Not shortlisted for the final round") == 8  # the top 1 of each category go on


def test_juror_dashboard_marks_final_round_essays_first(two_rounds, client, auth):
    from contest.judging.models import Assignment
    from contest.rounds.services import close_round, confirm_shortlist, propose_shortlist

    t = two_rounds
    close_round(contest=t.contest, round_no=1, actor=t.organizer)
    propose_shortlist(contest=t.contest, kind="top_n", value=1, actor=t.organizer)
    confirm_shortlist(contest=t.contest, actor=t.organizer)
    db.session.add(Assignment(contest_id=t.contest.id, entry_id=t.entries[0].id, juror_id=t.jurors[0].id,
                              round_no=2))
    db.session.commit()
    auth.login(t.jurors[0])
    page = client.get("/judging/").get_data(as_text=True)
    assert page.count('<span class="badge">Final round</span>') == 1
    assert page.index("Final round") < page.index(t.entries[3].code)  # a first-round essay of theirs
    assert page.count(f'<span class="code">{t.entries[0].code}</span>') == 2  # read in both rounds


def test_after_a_final_review_the_next_essay_is_a_final_one_never_a_closed_rounds(two_rounds, client, auth):
    """A juror whose first-round review was left unfinished when that round closed (with a
    reason) submits a final-round review: the next essay offered is their other final-round
    essay, then the dashboard; the closed round's essay takes no review, so it is never next."""
    from contest.judging.models import Assignment
    from contest.rounds.services import close_round, confirm_shortlist, propose_shortlist
    from tests.factories import make_assignment

    t = two_rounds
    juror = t.jurors[0]
    unfinished = make_entry(t.contest)
    unfinished.code = f"{t.contest.code_prefix}-{t.contest.year}-0000"  # the first of all by code
    make_assignment(unfinished, juror)
    close_round(contest=t.contest, round_no=1, actor=t.organizer, reason="one juror fell ill")
    propose_shortlist(contest=t.contest, kind="top_n", value=1, actor=t.organizer)
    confirm_shortlist(contest=t.contest, actor=t.organizer)
    finals = [Assignment(contest_id=t.contest.id, entry_id=t.entries[i].id, juror_id=juror.id, round_no=2)
              for i in (0, 8)]  # the two finalists (top 1 of each category)
    db.session.add_all(finals)
    db.session.commit()
    first, second = sorted(finals, key=lambda a: db.session.get(Entry, a.entry_id).code)
    auth.login(juror)
    form = {"version": "0", "feedback": "Well argued.", "private_comment": "",
            **{f"score_{c.id}": "5" for c in t.contest.criteria}}
    response = client.post(f"/judging/review/{first.id}/submit", data=form)
    assert response.headers["Location"].endswith(f"/judging/review/{second.id}"), response.headers["Location"]
    response = client.post(f"/judging/review/{second.id}/submit", data=form)
    assert response.headers["Location"].endswith("/judging/"), response.headers["Location"]


def test_entry_page_shows_each_round_on_its_rubric(two_rounds, client, auth):
    from contest.judging.models import Assignment, ReviewStatus
    from contest.rounds.services import close_round, confirm_shortlist, propose_shortlist, set_round_rubric

    t = two_rounds
    made = set_round_rubric(contest=t.contest, round_no=2, actor=t.organizer, criteria=[
        {"name": {"en": "Depth"}, "min_score": 0, "max_score": 20, "step": 1, "weight": 1}])
    close_round(contest=t.contest, round_no=1, actor=t.organizer)
    propose_shortlist(contest=t.contest, kind="top_n", value=1, actor=t.organizer)
    confirm_shortlist(contest=t.contest, actor=t.organizer)
    db.session.add(Assignment(contest_id=t.contest.id, entry_id=t.entries[0].id, juror_id=t.jurors[1].id,
                              round_no=2, status=ReviewStatus.SUBMITTED, scores={str(made[0].id): 17}))
    db.session.commit()
    auth.login(t.organizer)
    page = client.get(f"/judging/entries/{t.entries[0].id}").get_data(as_text=True)
    assert "Depth: 17" in page and "Criterion 1: 10.0" in page
    assert page.count('<span class="badge">Final round</span>') == 1
    assert f'<option value="{t.jurors[0].id}"' in page  # read it in round 1, may read it in the final
    assert f'<option value="{t.jurors[1].id}"' not in page  # already reads it in the final round


def test_awards_page_says_the_final_round_decides(two_rounds, client, auth):
    from contest.rounds.services import close_round, confirm_shortlist, propose_shortlist

    t = two_rounds
    close_round(contest=t.contest, round_no=1, actor=t.organizer)
    propose_shortlist(contest=t.contest, kind="top_n", value=1, actor=t.organizer)
    confirm_shortlist(contest=t.contest, actor=t.organizer)
    db.session.commit()
    auth.login(t.organizer)
    page = client.get(f"/contests/{t.contest.id}/awards").get_data(as_text=True)
    assert "Final round: the shortlisted entries, ranked on the final round" in page


def test_progress_counts_the_current_round_only(two_rounds, client, auth):
    """The progress page, the short count and the reminders' per-juror counts speak of the
    round being judged: in the final round they used to add the closed first round's reviews."""
    from contest.judging import queries
    from contest.rounds.services import close_round, confirm_shortlist, propose_shortlist

    t = two_rounds
    auth.login(t.organizer)
    progress = f"/judging/contests/{t.contest.id}/progress"
    page = client.get(progress).get_data(as_text=True)
    assert "First round: the reviews that make the shortlist." in page
    assert sum(p.done for p in queries.progress_by_category(t.contest.id)) == 10
    assert queries.short_entry_count(t.contest) == 0  # k = 1, every entry read once
    close_round(contest=t.contest, round_no=1, actor=t.organizer)
    propose_shortlist(contest=t.contest, kind="top_n", value=1, actor=t.organizer)
    confirm_shortlist(contest=t.contest, actor=t.organizer)
    db.session.commit()
    # The final round has started and nobody is assigned in it yet: nothing done, both finalists short.
    assert [(p.done, p.assigned) for p in queries.progress_by_category(t.contest.id)] == [(0, 0), (0, 0)]
    assert queries.progress_by_juror(t.contest.id) == []
    assert queries.short_entry_count(t.contest) == 2
    assert sum(p.done for p in queries.progress_by_category(t.contest.id, round_no=1)) == 10
    page = client.get(progress).get_data(as_text=True)
    assert "Final round: the final jury's reviews of the shortlisted entries." in page
    assert "0 / 0" in page
