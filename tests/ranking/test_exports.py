"""Exports: the ranking and every score, as CSV and XLSX, neutralised against formulas."""
import csv
import io
import re

import pytest
from openpyxl import load_workbook

from contest.enums import Role
from contest.ranking.exports import safe_cell
from tests.factories import make_contest, make_entry, make_juror, make_review, make_user

DANGEROUS = ["=HYPERLINK(\"http://evil\")", "+1+2", "-3+cmd", "@SUM(A1:A2)", "\tTabbed", "\rReturn"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_safe_cell_quotes_each_dangerous_start(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Aigerim", "", "1+1", "a=b", 12.5, -3.0, None])
def test_safe_cell_leaves_other_values(value):
    assert safe_cell(value) == value


@pytest.fixture
def hostile_contest(auth):
    """Six students whose names start with = + - @ tab CR, each reviewed once (score 10*i)
    by a juror whose criterion comment is a formula."""
    contest = make_contest(criteria=((0, 100, 1, 1),), ranking_method="mean")
    juror = make_juror(contest=contest, full_name="=Juror")
    entries = []
    for i, name in enumerate(DANGEROUS):
        entry = make_entry(contest, make_user(Role.STUDENT, full_name=name, school=f"-School {name[:2]}",
                                              region="aktobe"))
        make_review(contest, entry, juror, [10 * (i + 1)],
                    criterion_comments={str(contest.criteria[0].id): "-2+3"}, private_comment="@me")
        entries.append(entry)
    auth.login(make_user(Role.ORGANIZER))
    return contest, entries


def _attachment(response, fmt):
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    pattern = r'attachment; filename="(ranking|scores)-ZT-2026-\d{8}-\d{4}\.(csv|xlsx)"'
    match = re.fullmatch(pattern, disposition)
    assert match is not None and match.group(2) == fmt
    return response.data


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _xlsx_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_ranking_csv_neutralises_every_dangerous_name(client, hostile_contest):
    contest, entries = hostile_contest
    rows = _csv_rows(_attachment(client.get(f"/contests/{contest.id}/ranking/export/ranking.csv"), "csv"))
    assert rows[0] == ["Group", "Place", "Entry code", "Student", "School", "Region", "Raw mean",
                       "Adjusted score", "Reviews", "Spread", "Spread after severity correction",
                       "Disagreement", "Award"]
    expected = [["Category 1", str(6 - i), entries[i].code, "'" + DANGEROUS[i],
                 f"'-School {DANGEROUS[i][:2]}", "Aktobe Region", f"{10.0 * (i + 1)}", f"{10.0 * (i + 1)}",
                 "1", "0.0", "0.0", "", ""] for i in reversed(range(6))]
    assert rows[1:] == expected


def test_ranking_xlsx_neutralises_every_dangerous_name(client, hostile_contest):
    contest, entries = hostile_contest
    rows = _xlsx_rows(_attachment(client.get(f"/contests/{contest.id}/ranking/export/ranking.xlsx"), "xlsx"))
    assert rows[0][:4] == ["Group", "Place", "Entry code", "Student"]
    assert [r[1:8] for r in rows[1:]] == [[6 - i, entries[i].code, "'" + DANGEROUS[i],
                                           f"'-School {DANGEROUS[i][:2]}", "Aktobe Region", 10.0 * (i + 1),
                                           10.0 * (i + 1)] for i in reversed(range(6))]
    assert all(not str(cell).startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r
               if isinstance(cell, str))


def test_scores_csv_has_every_score_and_neutralises_comments(client, hostile_contest):
    contest, entries = hostile_contest
    rows = _csv_rows(_attachment(client.get(f"/contests/{contest.id}/ranking/export/scores.csv"), "csv"))
    assert rows[0] == ["Entry code", "Category", "Juror", "Criterion", "Score", "Total", "Comment",
                       "Review comment"]
    assert rows[1:] == [[e.code, "Category 1", "'=Juror", "Criterion 1", f"{10.0 * (i + 1)}",
                         f"{10.0 * (i + 1)}", "'-2+3", "'@me"] for i, e in enumerate(entries)]


def test_scores_xlsx_reads_back_with_quoted_text_and_numeric_scores(client, hostile_contest):
    contest, entries = hostile_contest
    rows = _xlsx_rows(_attachment(client.get(f"/contests/{contest.id}/ranking/export/scores.xlsx"), "xlsx"))
    assert rows[1:] == [[e.code, "Category 1", "'=Juror", "Criterion 1", 10.0 * (i + 1), 10.0 * (i + 1),
                         "'-2+3", "'@me"] for i, e in enumerate(entries)]


def test_scores_export_lists_each_criterion_of_each_review(client, auth):
    """Two criteria (0-10 weight 2, 0-5 weight 1): scores 10 and 5 give 100, 5 and 0 give 33.33."""
    contest = make_contest()
    entry = make_entry(contest)
    j1, j2 = make_juror(contest=contest, full_name="Asel"), make_juror(contest=contest, full_name="Berik")
    make_review(contest, entry, j1, [10, 5])
    make_review(contest, entry, j2, [5, 0])
    make_review(contest, entry, make_juror(contest=contest, full_name="Draft"), [1, 1], status="draft")
    auth.login(make_user(Role.ORGANIZER))
    rows = _csv_rows(client.get(f"/contests/{contest.id}/ranking/export/scores.csv").data)
    assert [r[2:6] for r in rows[1:]] == [["Asel", "Criterion 1", "10.0", "100.0"],
                                          ["Asel", "Criterion 2", "5.0", "100.0"],
                                          ["Berik", "Criterion 1", "5.0", "33.33"],
                                          ["Berik", "Criterion 2", "0.0", "33.33"]]


def test_exports_are_for_organizers_only(client, auth, hostile_contest):
    contest, _entries = hostile_contest
    auth.logout()
    auth.login(make_user(Role.JUROR))
    assert client.get(f"/contests/{contest.id}/ranking/export/scores.csv").status_code == 403
    auth.logout()
    response = client.get(f"/contests/{contest.id}/ranking/export/ranking.xlsx")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_ranking_export_in_russian_names_the_sheet_and_the_award(client, auth):
    from tests.factories import add_tiers

    contest = make_contest(phase="judging", ranking_method="mean", k=1)
    juror = make_juror(contest=contest)
    entry = make_entry(contest, make_user(Role.STUDENT, school="Лицей 1", region="astana"))
    make_review(contest, entry, juror, [10, 5])
    add_tiers(contest, (1,))
    auth.login(make_user(Role.ORGANIZER, language="ru"))
    book = load_workbook(io.BytesIO(client.get(f"/contests/{contest.id}/ranking/export/ranking.xlsx").data))
    assert book.sheetnames == ["Рейтинг"]
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0][4:6] == ["Школа", "Регион"] and rows[0][-1] == "Награда"
    assert rows[1][4:6] == ["Лицей 1", "город Астана"] and rows[1][-1] == "Диплом I степени"
