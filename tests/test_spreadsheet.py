"""contest.spreadsheet: the one rule for exported cells, as a property over arbitrary Unicode."""
import csv
import io
import unicodedata
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from contest.spreadsheet import (
    SHEET_MAX_ROWS,
    TRIGGERS,
    continued_title,
    csv_value,
    export_cell,
    to_csv,
    to_xlsx,
    write_xlsx,
)

# Every code point, control characters and lone surrogates included (hypothesis leaves
# surrogates out unless asked), with the dangerous starts made frequent.
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
HOSTILE = st.lists(st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\x85", "\u200b", "\u202e", " ", "\t",
                                    "\r", "\n", "=", "+", "-", "@", "\uff1d", "\ud800", "\ufffe"]),
                   max_size=4).map("".join)
CELL_TEXT = st.tuples(HOSTILE, st.text(alphabet=ANY_CHAR, max_size=20)).map("".join)
INVISIBLE = ("Cf", "Zs", "Zl", "Zp")


def _formula_start(text: str) -> bool:
    """What a spreadsheet could run, stated independently of the implementation."""
    if text[:1] in ("\t", "\r", "\n"):
        return True
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) in INVISIBLE:
            continue
        return ch in "=+-@＝＋－＠"
    return False


def _clean(text: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\r\n" for ch in text) \
        and "\ufffe" not in text and "\uffff" not in text


@given(CELL_TEXT)
@settings(max_examples=300, deadline=None)
def test_export_cell_strips_then_guards_any_text(text):
    cell = export_cell(text)
    assert _clean(cell.value)
    assert cell.guarded == _formula_start(cell.value)
    # stripping only removes characters: the visible text survives in order
    assert cell.value == "".join(ch for ch in text if _clean(ch))


@given(st.lists(CELL_TEXT, min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_csv_round_trip_never_starts_a_formula(texts):
    rows = list(csv.reader(io.StringIO(to_csv(["h"], [texts]).decode("utf-8-sig"), newline="")))
    for original, written in zip(texts, rows[1], strict=True):
        cleaned = export_cell(original).value
        assert written == ("'" + cleaned if _formula_start(cleaned) else cleaned)
        assert not _formula_start(written)


@given(st.lists(CELL_TEXT, min_size=1, max_size=6))
@settings(max_examples=40, deadline=None)
def test_xlsx_round_trip_is_typed_text_with_no_formula(texts):
    data = to_xlsx(["h"], [texts], "t")
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and 't="f"' not in sheet_xml and 't="str"' not in sheet_xml
    cells = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2))[0]
    for original, cell in zip(texts, cells, strict=True):
        cleaned = export_cell(original).value
        assert (cell.value or "") == cleaned  # openpyxl reads an empty inline string as None
        if cleaned:
            assert (cell.data_type, cell.quotePrefix) == ("s", _formula_start(cleaned))


@pytest.mark.parametrize("value", [0, -3, 2.5, None, True])
def test_non_text_values_pass_unchanged(value):
    assert export_cell(value) == (value, False)
    assert csv_value(value) == value


def test_triggers_include_full_width_forms():
    assert TRIGGERS == set("=+-@＝＋－＠")


def test_every_csv_and_xlsx_writer_is_the_spreadsheet_module():
    """A new export cannot bypass the rule: nothing else in the app writes CSV or XLSX
    (reading them, e.g. a juror list import, is fine)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "contest"
    writers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                     if any(word in p.read_text() for word in ("csv.writer", "csv.DictWriter", "Workbook(",
                                                              "WriteOnlyCell", "xlsxwriter")))
    assert writers == ["spreadsheet.py"]


def test_the_sheet_limit_is_excels_rows_with_the_header():
    assert SHEET_MAX_ROWS == 1_048_576 == 2 ** 20


def _sheets(data: bytes) -> list[tuple[str, list[tuple]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return [(ws.title, [tuple(r) for r in ws.iter_rows(values_only=True)]) for ws in book.worksheets]


@pytest.mark.parametrize(("count", "titles"), [
    (0, ["Scores"]),
    (4, ["Scores"]),
    (5, ["Scores", "Scores (2)"]),
    (12, ["Scores", "Scores (2)", "Scores (3)"]),
])
def test_a_table_longer_than_a_sheet_goes_on_in_the_next_with_the_header(count, titles):
    """With five rows to a sheet (header included) every row arrives once, in order."""
    header = ["Code", "Total"]
    rows = ([f"ZT-{i:03d}", i] for i in range(count))  # a generator, as the streamed exports give
    buf = io.BytesIO()
    write_xlsx([("Scores", header, rows), ("Jurors", ["Name"], [["A"]])], buf, max_rows=5)
    sheets = _sheets(buf.getvalue())
    assert [t for t, _rows in sheets] == [*titles, "Jurors"]
    scores = sheets[:-1]
    assert all(rows[0] == ("Code", "Total") for _t, rows in scores)
    assert all(len(rows) <= 5 for _t, rows in scores)
    assert [r for _t, rows in scores for r in rows[1:]] == [(f"ZT-{i:03d}", i) for i in range(count)]
    assert sheets[-1] == ("Jurors", [("Name",), ("A",)])


def test_continued_sheet_names_stay_within_31_characters():
    long = "Бағалар / Оценки: " + "x" * 40
    assert continued_title(long, 1) == ("Бағалар   Оценки  " + "x" * 40)[:31]
    assert continued_title(long, 12).endswith(" (12)") and len(continued_title(long, 12)) == 31
