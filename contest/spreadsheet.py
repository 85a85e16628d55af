"""Safe spreadsheet exports: every CSV and XLSX the app writes goes through this module.

Formula injection: a spreadsheet program runs a cell that starts with = + - @ (or their
full-width forms), and some run one that starts with a tab, CR or LF, as a formula. The rule,
in `export_cell`, is applied to every text cell in this order:

1. strip first: control characters (C0 except tab/LF/CR, DEL, C1), lone surrogates and the
   non-characters U+FFFE/U+FFFF are removed (they are invalid in XLSX and invisible anyway);
2. then neutralise: if what is left starts with tab/CR/LF, or its first character after
   spaces and invisible format characters is a formula trigger, the cell is "guarded".

A guarded CSV cell gets a leading single quote (the only thing CSV can carry). In XLSX every
text cell is written with the explicit string type (never a formula), and a guarded one also
with the `quotePrefix` style: shown without a quote, and still text when edited.
Numbers stay numbers and cannot carry a formula.

Use `export_response(header, rows, fmt=..., filename=...)` in a view, or `to_csv`/`to_xlsx`.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

TRIGGERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = ("\t", "\r", "\n")
# Mimetypes without a charset: werkzeug adds "; charset=utf-8" to text types itself.
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Cell(NamedTuple):
    value: object  # cleaned text, or the number/None as given
    guarded: bool  # text a spreadsheet could read as a formula


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Zl", "Zp")


def export_cell(value) -> Cell:
    """The one rule for every exported cell: strip control characters first, then decide
    whether the remaining text could start a formula."""
    if not isinstance(value, str):
        return Cell(value, False)
    text = _STRIP.sub("", value)
    if text.startswith(_BREAKS):
        return Cell(text, True)
    first = next((ch for ch in text if not _invisible(ch)), "")
    return Cell(text, first in TRIGGERS)


def csv_value(value):
    """What a CSV cell holds: the cleaned text, with a leading quote when guarded."""
    cell = export_cell(value)
    return "'" + cell.value if cell.guarded else cell.value


def to_csv(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Cyrillic correctly."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([csv_value(h) for h in header])
    writer.writerows([csv_value(v) for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx_cell(ws, value):
    cell = export_cell(value)
    if not isinstance(cell.value, str):
        return cell.value
    out = WriteOnlyCell(ws, cell.value)
    out.data_type = "s"  # openpyxl would type "=..." as a formula; this is text
    out.quotePrefix = cell.guarded
    return out


def sheet_title(title: str) -> str:
    """A worksheet name: at most 31 characters, none of []:*?/\\ nor control characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", _STRIP.sub("", title))[:31] or "Sheet"


def to_xlsx_sheets(sheets: Iterable[tuple[str, Sequence, Iterable[Sequence]]]) -> bytes:
    """One worksheet per (title, header, rows), every cell through export_cell."""
    wb = Workbook(write_only=True)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title=sheet_title(title))
        for row in [header, *rows]:
            ws.append([_xlsx_cell(ws, v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_xlsx(header: Sequence, rows: Iterable[Sequence], title: str) -> bytes:
    return to_xlsx_sheets([(title, header, rows)])


def export_response(header: Sequence, rows: Iterable[Sequence], *, fmt: str, filename: str,
                    title: str = "Sheet") -> Response:
    """A download of the table as CSV or XLSX; `filename` must be ASCII (it goes in a header)."""
    data = to_csv(header, rows) if fmt == "csv" else to_xlsx(header, rows, title)
    return Response(data, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
