"""Organizer ranking pages: numbers on hand-computed cases, method and bridging choices,
disagreement flags, tie-break editor, statistics, and who may see them."""
import re
from html import unescape

import pytest

from contest.audit.models import AuditEvent
from contest.contests.models import Contest
from contest.enums import Role
from contest.extensions import db
from contest.judging.models import Assignment
from tests.factories import make_contest, make_entry, make_juror, make_review, make_user

ONE_CRITERION = ((0, 100, 1, 1),)  # total = the score itself


def rows_of(html: str, table_class: str) -> list[list[str]]:
    """Cell texts of each body row of every <table class="... table_class ...">."""
    out = []
    for table in re.findall(rf'<table class="[^"]*\b{table_class}\b[^"]*">(.*?)</table>', html, re.S):
        body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
        for tr in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
            out.append([unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
    return out


def harsh_juror_case(**contest_fields):
    """A (true 70) read by J1 and the harsh H (-20); B (65) by J1 and J2; C (60) by J2 and H.
    Plain means: A 60, B 65, C 50. Severity fit (exact): J1 = J2 = +20/3, H = -40/3, so
    A 63.33, B 58.33, C 53.33."""
    contest = make_contest(criteria=ONE_CRITERION, **contest_fields)
    names = {"A": "Aigerim Alieva", "B": "Bolat Bekov", "C": "Sana Serikova"}
    entries = {k: make_entry(contest, make_user(Role.STUDENT, full_name=v)) for k, v in names.items()}
    j1, j2, harsh = (make_juror(contest=contest, full_name=n) for n in ("Juror One", "Juror Two", "Harsh"))
    for key, juror, score in (("A", j1, 70), ("A", harsh, 50), ("B", j1, 65), ("B", j2, 65),
                              ("C", j2, 60), ("C", harsh, 40)):
        make_review(contest, entries[key], juror, [score])
    return contest, entries


@pytest.fixture
def organizer(auth):
    user = make_user(Role.ORGANIZER)
    auth.login(user)
    return user


def test_ranking_page_shows_places_scores_and_names(client, organizer):
    contest, e = harsh_juror_case(disagreement_threshold=15)
    html = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    # Raw spreads are 20, but the jurors' severities explain them exactly: nothing flagged.
    assert rows_of(html, "ranking") == [
        ["1", e["A"].code, "Aigerim Alieva", "60.0", "63.3", "2", ""],
        ["2", e["B"].code, "Bolat Bekov", "65.0", "58.3", "2", ""],
        ["3", e["C"].code, "Sana Serikova", "50.0", "53.3", "2", ""],
    ]
    assert rows_of(html, "disagreements") == []
    assert "Full severity correction (100%): the jurors are well mixed" in unescape(html)


def disagreement_case(threshold=25):
    """J1 +12.9, J2 +1.2, H -14.2 (the default's estimates). A: J1 90, J2 40 (spread 50,
    38.3 after removing severities); B: J1 70, H 40 (spread 30, only 2.9 after)."""
    contest = make_contest(criteria=ONE_CRITERION, disagreement_threshold=threshold)
    entries = {k: make_entry(contest) for k in "ABCDE"}
    jurors = {n: make_juror(contest=contest, full_name=n) for n in ("Juror One", "Juror Two", "Harsh")}
    for key, name, score in (("A", "Juror One", 90), ("A", "Juror Two", 40), ("B", "Juror One", 70),
                             ("B", "Harsh", 40), ("C", "Juror Two", 65), ("C", "Harsh", 35),
                             ("D", "Juror One", 60), ("D", "Juror Two", 62), ("E", "Harsh", 30),
                             ("E", "Juror Two", 58)):
        make_review(contest, entries[key], jurors[name], [score])
    return contest, entries


def test_disagreement_is_measured_after_the_severity_correction_and_shows_both(client, organizer):
    contest, e = disagreement_case()
    html = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    assert [(r[1], r[3], r[4], r[5]) for r in rows_of(html, "disagreements")] == [
        (e["A"].code, "90.0; 40.0", "50.0", "38.3")]
    badges = {r[1]: r[6] for r in rows_of(html, "ranking")}
    assert badges[e["A"].code] == "spread 50, 38 after correction"
    assert badges[e["B"].code] == ""  # raw spread 30 > 25, but 2.9 after the correction


def test_weakly_linked_jury_gets_partial_correction_and_advice(client, organizer):
    contest, _e = disagreement_case()
    html = unescape(client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True))
    assert "Partial severity correction (69% of the full one)" in html
    assert "The weakest link: Juror One and Harsh share only 1 essay." in html
    assert "re-run the assignment so that about 3 essays are read by jurors of both groups" in html
    full = unescape(client.get(f"/contests/{contest.id}/ranking?method=severity_full&bridging=jurors")
                    .get_data(as_text=True))
    assert "Partial severity correction" not in full


def test_method_switch_to_plain_mean_puts_the_harsh_jurors_essay_second(client, organizer):
    contest, e = harsh_juror_case()
    html = client.get(f"/contests/{contest.id}/ranking?method=mean&bridging=jurors").get_data(as_text=True)
    assert [r[:2] for r in rows_of(html, "ranking")] == [["1", e["B"].code], ["2", e["A"].code],
                                                         ["3", e["C"].code]]
    assert "Save this method for the contest" in html


def test_zscore_method_carries_the_allocation_warning(client, organizer):
    contest, _e = harsh_juror_case()
    html = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    warning = re.search(r'value="zscore".*?<p class="warning" role="note">(.*?)</p>', html, re.S)
    assert warning is not None
    assert "not allocated at random" in warning.group(1)


def test_save_method_stores_it_and_records_an_event(client, organizer):
    contest, _e = harsh_juror_case()
    response = client.post(f"/contests/{contest.id}/ranking/method",
                           data={"method": "mean", "bridging": "entries"})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Contest, contest.id)
    assert (saved.ranking_method, saved.ranking_bridging) == ("mean", "entries")
    event = db.session.query(AuditEvent).filter_by(action="ranking.method_changed").one()
    assert (event.old, event.new) == ({"method": "severity", "bridging": "jurors"},
                                      {"method": "mean", "bridging": "entries"})


def test_save_method_refuses_an_unknown_method(client, organizer):
    contest, _e = harsh_juror_case()
    client.post(f"/contests/{contest.id}/ranking/method", data={"method": "median", "bridging": "jurors"})
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).ranking_method == "severity"


def split_case():
    """Two parts sharing no juror. Part 1: A (J1 80, J2 70), B (J1 60, J2 50) -> A 75, B 55.
    Part 2: C (J3 40, J4 40), D (J3 30, J4 30) -> C 40, D 30 (jurors bridging).
    Entries bridging equalizes the parts' mean quality (65 and 35 -> 50 each):
    A 60, B 40, C 55, D 45."""
    contest = make_contest(criteria=ONE_CRITERION)
    a, b, c, d = (make_entry(contest) for _ in range(4))
    j1, j2, j3, j4 = (make_juror(contest=contest) for _ in range(4))
    for entry, juror, score in ((a, j1, 80), (a, j2, 70), (b, j1, 60), (b, j2, 50),
                                (c, j3, 40), (c, j4, 40), (d, j3, 30), (d, j4, 30)):
        make_review(contest, entry, juror, [score])
    return contest, (a, b, c, d)


def test_split_design_shows_the_bridging_choice_and_its_effect(client, organizer):
    contest, (a, b, c, d) = split_case()
    html = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    assert 'name="bridging" type="radio" value="entries"' in html
    assert "fall into 2 parts that share no juror (2 / 2 essays)" in html
    assert "jurors are equally severe on average in every part" in html
    assert [(r[1], r[4]) for r in rows_of(html, "ranking")] == [
        (a.code, "75.0"), (b.code, "55.0"), (c.code, "40.0"), (d.code, "30.0")]
    url = f"/contests/{contest.id}/ranking?method=severity&bridging=entries"
    html = client.get(url).get_data(as_text=True)
    assert "entries are equally good on average in every part" in html
    assert [(r[1], r[4]) for r in rows_of(html, "ranking")] == [
        (a.code, "60.0"), (c.code, "55.0"), (d.code, "45.0"), (b.code, "40.0")]


def test_connected_design_offers_no_bridging_choice(client, organizer):
    contest, _e = harsh_juror_case()
    html = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    assert 'type="radio" value="entries"' not in html
    assert "share no juror" not in html


def test_rules_editor_saves_the_chain_and_ties_follow_it(client, organizer):
    contest = make_contest(criteria=((0, 10, 1, 1), (0, 10, 1, 1)), ranking_method="mean")
    x, y = make_entry(contest), make_entry(contest)
    juror = make_juror(contest=contest)
    make_review(contest, x, juror, [0, 10])
    make_review(contest, y, juror, [10, 0])  # both total 50: a tie
    html = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    assert [r[:2] for r in rows_of(html, "ranking")] == [["1", x.code], ["1", y.code]]
    first = contest.criteria[0].id
    response = client.post(f"/contests/{contest.id}/ranking/rules", data={
        "tiebreaks-0-rule": "criterion", "tiebreaks-0-criterion": str(first),
        "tiebreaks-1-rule": "fewer_low_marks", "tiebreaks-1-threshold": "40",
        "tiebreaks-2-rule": "", "disagreement_threshold": "30"})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Contest, contest.id)
    assert saved.tiebreaks == [["criterion", first], ["fewer_low_marks", 40.0]]
    assert saved.disagreement_threshold == 30.0
    html = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    assert [r[:2] for r in rows_of(html, "ranking")] == [["1", y.code], ["2", x.code]]
    form = client.get(f"/contests/{contest.id}/ranking/rules").get_data(as_text=True)
    assert f'<option selected value="{first}">' in form and 'value="40.0"' in form


def test_rules_editor_requires_a_threshold_for_low_marks(client, organizer):
    contest, _e = harsh_juror_case()
    response = client.post(f"/contests/{contest.id}/ranking/rules", data={
        "tiebreaks-0-rule": "fewer_low_marks", "tiebreaks-0-threshold": "", "disagreement_threshold": "25"})
    assert response.status_code == 200
    assert "Give the threshold for low marks." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).tiebreaks == []


def test_statistics_page_shows_reliability_severity_and_charts(client, organizer):
    """Complete 3 x 3 design (rows A, B, C; jurors J1..J3):
    A 70 60 80 / B 50 40 60 / C 60 47 73. Row means 70, 50, 60, column means 60, 49, 71,
    grand 60: BMS 300, JMS 363, EMS 3, so ICC(2,1) = 297/666 = 0.45, ICC(2,3) = 297/420
    = 0.71; alpha = 1 - 8 * 2214 / 24084 = 0.26. Least-squares severities 0, -11, +11, each
    with SE sqrt(EMS (1 - 1/3) / 3) = sqrt(2/3) = 0.8; the default shrinks them by
    3 / (3 + sigma^2 / tau^2) = 0.992 (REML: sigma^2 3.0, tau^2 120.5) to -10.9, +10.9;
    the jurors' totals have sd 10.0, sqrt(206/2) = 10.1 and 10.1."""
    contest = make_contest(criteria=ONE_CRITERION)
    entries = [make_entry(contest) for _ in range(3)]
    jurors = [make_juror(contest=contest, full_name=n) for n in ("Juror A", "Juror B", "Juror C")]
    for entry, scores in zip(entries, ((70, 60, 80), (50, 40, 60), (60, 47, 73))):
        for juror, score in zip(jurors, scores):
            make_review(contest, entry, juror, [score])
    html = client.get(f"/contests/{contest.id}/ranking/statistics").get_data(as_text=True)
    stats_rows = rows_of(html, "stats")
    # Each figure with its seeded bootstrap interval (wide: only three essays to resample).
    assert stats_rows[0] == ["Whole contest", "3", "9", "3", "0.45 0.00–0.57", "0.71 0.00–0.80", "3.0",
                             "0.26 -0.33–0.43"]
    assert stats_rows[1] == ["Category 1", "3", "9", "3", "0.45 0.00–0.57", "0.71 0.00–0.80", "3.0",
                             "0.26 -0.33–0.43"]
    assert ("percentile bootstrap over entries (entries drawn with replacement, the jurors kept; "
            "200 resamples, seed 19; large contests use fewer resamples, down to 50") in html
    jurors_rows = rows_of(html, "jurors")
    assert jurors_rows == [["Juror B", "-10.9", "0.8", "10.1", "3"], ["Juror A", "+0.0", "0.8", "10.0", "3"],
                           ["Juror C", "+10.9", "0.8", "10.1", "3"]]
    assert html.count("<svg ") == 3  # all totals, category 1, severities
    assert "<title>Juror severity" in html and "<script" not in html.split("</head>")[1]


def test_statistics_page_draws_each_part_of_a_split_jury_on_its_own_axis(client, organizer):
    contest, _entries = split_case()
    html = unescape(client.get(f"/contests/{contest.id}/ranking/statistics").get_data(as_text=True))
    assert "The jury falls into 2 separate parts that share no essay (2 / 2 jurors)" in html
    charts = re.findall(r'<figure class="chart severity">(.*?)</figure>', html, re.S)
    assert len(charts) == 2
    assert "Part 1: 2 jurors, 2 essays" in charts[0] and "Part 2: 2 jurors, 2 essays" in charts[1]
    # Each axis spans its own part's severities (part 1: -/+5 with SE; part 2: 0).
    ticks = [re.findall(r'text-anchor="middle" [^>]*>([^<]*)</text>', c)[-3:] for c in charts]
    assert ticks[0] != ticks[1]
    assert [r[1] for r in rows_of(html, "jurors")] == ["1", "1", "2", "2"]


def test_statistics_page_of_a_connected_jury_has_one_severity_chart(client, organizer):
    contest, _e = harsh_juror_case()
    html = client.get(f"/contests/{contest.id}/ranking/statistics").get_data(as_text=True)
    assert html.count('<figure class="chart severity">') == 1
    assert "separate parts" not in html


def test_pages_without_reviews_say_so(client, organizer):
    contest = make_contest()
    for path in ("", "/statistics"):
        html = client.get(f"/contests/{contest.id}/ranking{path}").get_data(as_text=True)
        assert "No submitted reviews yet." in html


@pytest.mark.parametrize("path", ["", "/statistics", "/rules", "/export/ranking.csv", "/export/scores.xlsx"])
@pytest.mark.parametrize("role", [Role.STUDENT, Role.JUROR])
def test_students_and_jurors_get_403(client, auth, path, role):
    contest, _e = harsh_juror_case()
    auth.login(make_user(role))
    assert client.get(f"/contests/{contest.id}/ranking{path}").status_code == 403


def test_post_routes_refuse_jurors(client, auth):
    contest, e = harsh_juror_case()
    auth.login(make_user(Role.JUROR))
    assert client.post(f"/contests/{contest.id}/ranking/method", data={"method": "mean"}).status_code == 403
    assert client.post(f"/contests/{contest.id}/ranking/entries/{e['A'].id}/add-juror").status_code == 403
    db.session.expire_all()
    assert db.session.get(Contest, contest.id).ranking_method == "severity"
    assert db.session.query(Assignment).count() == 6


def test_missing_contest_and_foreign_entry_are_404(client, organizer):
    contest, _e = harsh_juror_case()
    other = make_contest()
    foreign = make_entry(other)
    assert client.get("/contests/987654/ranking").status_code == 404
    assert client.get(f"/contests/{contest.id}/ranking/export/nope.csv").status_code == 404
    assert client.post(f"/contests/{contest.id}/ranking/entries/{foreign.id}/add-juror").status_code == 404
    assert db.session.query(Assignment).count() == 6


def test_rows_past_the_page_limit_are_not_built_but_flagged_entries_are(client, organizer, monkeypatch):
    """The page shows the first ROW_LIMIT places of a group (here 1) and links to the rest;
    the disagreement table still lists flagged entries past the limit, and the entries not
    in the ranking are listed, the ranked ones not."""
    from contest.ranking import views

    monkeypatch.setattr(views, "ROW_LIMIT", 1)
    contest = make_contest(criteria=ONE_CRITERION, disagreement_threshold=10)
    e = {k: make_entry(contest, make_user(Role.STUDENT, full_name=f"Student {k}")) for k in "ABCD"}
    j1, j2 = make_juror(contest=contest), make_juror(contest=contest)
    for key, juror, score in (("A", j1, 70), ("A", j2, 50), ("B", j1, 65), ("B", j2, 65),
                              ("C", j1, 40), ("C", j2, 60)):
        make_review(contest, e[key], juror, [score])
    html = client.get(f"/contests/{contest.id}/ranking").get_data(as_text=True)
    assert [row[:3] for row in rows_of(html, "ranking")] == [["1", e["B"].code, "Student B"]]
    assert "Show all 3 entries" in html
    assert sorted(row[1] for row in rows_of(html, "disagreements")) == sorted([e["A"].code, e["C"].code])
    section = html[html.index('id="not-ranked"'):]
    assert e["D"].code in section and e["A"].code not in section and e["B"].code not in section
    full = client.get(f"/contests/{contest.id}/ranking?all=1").get_data(as_text=True)
    assert [row[1] for row in rows_of(full, "ranking")] == [e["B"].code, e["A"].code, e["C"].code]
