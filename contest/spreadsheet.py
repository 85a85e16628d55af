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
For a table too large to hold (issue 24: a registry of 100,000 entries), `stream_response`
takes the rows as an iterable of batches and never holds more than one: CSV goes out as a
streamed response, one chunk per batch (the same bytes as `to_csv`), XLSX is written by
openpyxl's write-only workbook row by row into a temporary file, which is then sent.

A worksheet holds at most SHEET_MAX_ROWS rows (Excel's limit, header included); a longer table
goes on in "Title (2)", "Title (3)"... each with the header repeated, never silently cut.
"""
from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from flask import Response, send_file, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

TRIGGERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = ("\t", "\r", "\n")
# Mimetypes without a charset: werkzeug adds "; charset=utf-8" to text types itself.
SHEET_MAX_ROWS = 1_048_576  # rows of one worksheet in Excel and LibreOffice, the header included
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


def csv_chunks(header: Sequence, batches: Iterable[Iterable[Sequence]]) -> Iterator[bytes]:
    """The CSV as UTF-8 chunks: the byte-order mark (so spreadsheet programs read Cyrillic
    correctly) with the header, then one chunk per batch of rows."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([csv_value(h) for h in header])
    yield ("\ufeff" + buf.getvalue()).encode("utf-8")
    for batch in batches:
        buf.seek(0)
        buf.truncate()
        writer.writerows([csv_value(v) for v in row] for row in batch)
        if buf.tell():
            yield buf.getvalue().encode("utf-8")


def to_csv(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read Cyrillic correctly."""
    return b"".join(csv_chunks(header, [rows]))


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


def continued_title(title: str, number: int) -> str:
    """The name of a table's `number`-th worksheet: "Scores", "Scores (2)", ... (31 characters at most)."""
    base = sheet_title(title)
    if number == 1:
        return base
    suffix = f" ({number})"
    return base[:31 - len(suffix)] + suffix


def write_xlsx(sheets: Iterable[tuple[str, Sequence, Iterable[Sequence]]], target, *,
               max_rows: int = SHEET_MAX_ROWS) -> None:
    """One worksheet per (title, header, rows), every cell through export_cell, written to
    `target` (a path or a binary file). openpyxl's write-only worksheet writes each row out as
    it is appended, so the rows may be a generator that is never held whole. A table with more
    rows than a worksheet takes (`max_rows`, header included) goes on in a new worksheet
    "Title (2)" with the header repeated."""
    if max_rows < 2:
        raise ValueError("a worksheet must hold the header and at least one row")
    wb = Workbook(write_only=True)
    for title, header, rows in sheets:
        number, used, ws = 0, max_rows, None
        for row in rows:
            if used == max_rows:
                number += 1
                ws = _start_sheet(wb, continued_title(title, number), header)
                used = 1
            ws.append([_xlsx_cell(ws, v) for v in row])
            used += 1
        if ws is None:  # an empty table still gets its sheet with the header
            _start_sheet(wb, continued_title(title, 1), header)
    wb.save(target)


def _start_sheet(wb, title: str, header: Sequence):
    ws = wb.create_sheet(title=title)
    ws.append([_xlsx_cell(ws, v) for v in header])
    return ws


def to_xlsx_sheets(sheets: Iterable[tuple[str, Sequence, Iterable[Sequence]]]) -> bytes:
    """One worksheet per (title, header, rows), every cell through export_cell."""
    buf = io.BytesIO()
    write_xlsx(sheets, buf)
    return buf.getvalue()


def to_xlsx(header: Sequence, rows: Iterable[Sequence], title: str) -> bytes:
    return to_xlsx_sheets([(title, header, rows)])


def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _flat(batches: Iterable[Iterable[Sequence]]) -> Iterator[Sequence]:
    for batch in batches:
        yield from batch


def stream_response(header: Sequence, batches: Iterable[Iterable[Sequence]], *, fmt: str, filename: str,
                    title: str = "Sheet") -> Response:
    """A download of a large table given as batches of rows, never all of them at once.

    CSV: a streamed response (the batches are read while the response is sent, in the
    request's context: the database session stays open until the last chunk). XLSX: the
    workbook needs its zip directory at the end, so it is written to a temporary file first
    (unlinked at once: the open file is all that remains) and that file is sent."""
    if fmt == "csv":
        return Response(stream_with_context(csv_chunks(header, batches)), mimetype=MIMETYPES["csv"],
                        headers=_attachment(filename))
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # no name on POSIX: nothing left behind on a crash
    try:
        write_xlsx([(title, header, _flat(batches))], handle)
        size = handle.tell()
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    response = send_file(handle, mimetype=MIMETYPES["xlsx"], as_attachment=True, download_name=filename,
                         max_age=0, conditional=False, etag=False)
    response.headers.update(_attachment(filename))
    response.content_length = size
    return response


def export_response(header: Sequence, rows: Iterable[Sequence], *, fmt: str, filename: str,
                    title: str = "Sheet") -> Response:
    """A download of the table as CSV or XLSX; `filename` must be ASCII (it goes in a header)."""
    data = to_csv(header, rows) if fmt == "csv" else to_xlsx(header, rows, title)
    return Response(data, mimetype=MIMETYPES[fmt], headers=_attachment(filename))
