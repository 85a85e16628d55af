"""Participation statistics: the pure counting, and the page and exports in kk/ru/en."""
import csv
import io

import pytest
from openpyxl import load_workbook

from contest.desk.breakdown import EntryFacts, breakdown, totals
from tests.desk.test_desk import desk  # noqa: F401  (the fixture)

pytestmark = pytest.mark.postgres


def _facts(region, school, ready=True, judged=False, winner=False, language="kk"):
    return EntryFacts(region, school, "9-11", language, 1, ready, judged, winner)


def test_breakdown_counts_each_group_largest_first():
    facts = [_facts("aktobe", "A", judged=True, winner=True), _facts("aktobe", "B", ready=False),
             _facts("astana", "A", judged=True), _facts("", "A")]
    groups = breakdown(facts, "region")
    assert [(g.key, g.entries, g.ready, g.judged, g.winners) for g in groups] == [
        ("aktobe", 2, 1, 1, 1), ("", 1, 1, 0, 0), ("astana", 1, 1, 1, 0)]
    whole = totals(groups)
    assert (whole.entries, whole.ready, whole.judged, whole.winners) == (4, 3, 2, 1)
    assert [(g.key, g.entries) for g in breakdown(facts, "school")] == [("A", 3), ("B", 1)]


def test_statistics_page_in_russian_with_charts(client, desk):  # noqa: F811
    contest, _entries, owner = desk
    owner.language = "ru"
    from contest.extensions import db

    db.session.commit()
    page = client.get(f"/contests/{contest.id}/desk/statistics").get_data(as_text=True)
    assert "По регионам" in page and "Актюбинская область" in page and "город Астана" in page
    charts = page[page.index('id="by-region"'):]
    assert charts.count("<svg") == 5 and "<script" not in charts and "https://" not in charts
    row = page[page.index("<td>Актюбинская область</td>"):]
    assert row[:row.index("</tr>")].count('class="num"') == 5
    assert '<td class="num">2</td><td class="num">2</td><td class="num">1</td><td class="num">1</td>' in row


def test_statistics_exports(client, desk):  # noqa: F811
    contest, _entries, _owner = desk
    text = client.get(f"/contests/{contest.id}/desk/statistics/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Breakdown", "Group", "Entries", "Ready", "Judged", "Winners"]
    assert ["By region", "Aktobe Region", "2", "2", "1", "1"] in rows
    book = load_workbook(io.BytesIO(client.get(f"/contests/{contest.id}/desk/statistics/export.xlsx").data))
    assert book.sheetnames == ["By region", "By school", "By grade or level", "By language of the essay",
                               "By category"]
    assert [c.value for c in book["By school"][2]] == ["Lyceum 7", 2, 2, 1, 1]
