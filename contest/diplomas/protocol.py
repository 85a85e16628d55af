"""The jury protocol (хаттама / протокол) as an A4 portrait PDF, drawn with reportlab's canvas.

The rule: the first page opens with the title, the facts (institution, contest, date, place),
the jury and the sentence on how scores were combined; then, per category, the ranked table
(its header repeated on every page it runs onto); then the entries not ranked and why; then
the signature lines and the QR code of the verification URL. Every page ends with the code
and "page x of y". Rows are one or two lines high (longer texts shrink, then are cut with an
ellipsis), so the whole document is laid out first and drawn once the page count is known.
Every text is cleaned by `clean_text` and drawn literally. Same content -> same bytes.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from contest.diplomas.layout import GOLD, GREY, INK, NAVY, SANS, SANS_BOLD, SERIF_BOLD
from contest.diplomas.ornament import draw_qr
from contest.diplomas.text import clean_text, fit_block, register_fonts, wrap

PAGE_W, PAGE_H = A4
MARGIN = 40
TOP, BOTTOM = PAGE_H - 44, 58
WIDTH = PAGE_W - 2 * MARGIN
# place, code, author, school, region, score, award: shares of the text width
COLUMN_SHARES = (0.06, 0.14, 0.22, 0.2, 0.13, 0.08, 0.17)
CELL_SIZE, CELL_MIN = 7.6, 6.2
UNRANKED_SHARES = (0.16, 0.34, 0.5)


@dataclass(frozen=True)
class ProtocolRow:
    place: str
    code: str
    author: str
    school: str
    region: str
    score: str
    award: str


@dataclass(frozen=True)
class ProtocolGroup:
    title: str
    rows: tuple[ProtocolRow, ...]


@dataclass(frozen=True)
class UnrankedRow:
    code: str
    author: str
    reason: str


@dataclass(frozen=True)
class ProtocolContent:
    """Everything printed on a protocol, already in its language (a bilingual protocol joins
    each label as "kk / ru" and gives two title lines and two method sentences).
    `page_label` holds "{page}" and "{pages}", e.g. "Бет {page} / {pages}"."""

    title: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    jury: tuple[tuple[str, str], ...]
    method: tuple[str, ...]
    results_title: str
    columns: tuple[str, ...]
    groups: tuple[ProtocolGroup, ...]
    unranked_title: str
    unranked_columns: tuple[str, str, str]
    unranked: tuple[UnrankedRow, ...]
    signatures: tuple[tuple[str, str], ...]
    page_label: str
    code_label: str
    verification_code: str
    verification_url: str

    def __post_init__(self) -> None:
        if len(self.columns) != len(COLUMN_SHARES):
            raise ValueError(f"a protocol table has {len(COLUMN_SHARES)} columns")


Op = tuple[Callable[..., None], tuple]


class _Pages:
    """Drawing operations collected page by page, replayed once the page count is known."""

    def __init__(self, repeat: Callable[["_Pages"], None] | None = None) -> None:
        self.pages: list[list[Op]] = [[]]
        self.y = TOP
        self.repeat = repeat

    def room(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.pages.append([])
            self.y = TOP
            if self.repeat is not None:
                self.repeat(self)

    def add(self, func: Callable[..., None], *args) -> None:
        self.pages[-1].append((func, args))


def _text(
    canvas: Canvas, x: float, y: float, font: str, size: float, text: str, color: Color, align: str = "left"
) -> None:
    canvas.setFillColor(color)
    canvas.setFont(font, size)
    if align == "centre":
        canvas.drawCentredString(x, y, text)
    elif align == "right":
        canvas.drawRightString(x, y, text)
    else:
        canvas.drawString(x, y, text)


def _texts(canvas: Canvas, pieces: list[tuple[float, float, str, float, str]], color: Color) -> None:
    """Many short texts (a table row) through one text object: drawString makes one each."""
    canvas.setFillColor(color)
    text = canvas.beginText()
    current = None
    for x, y, font, size, value in pieces:
        if (font, size) != current:
            text.setFont(font, size)
            current = (font, size)
        text.setTextOrigin(x, y)
        text.textOut(value)
    canvas.drawText(text)


def _line(canvas: Canvas, x1: float, y1: float, x2: float, y2: float, color: Color, width: float) -> None:
    canvas.setStrokeColor(color)
    canvas.setLineWidth(width)
    canvas.line(x1, y1, x2, y2)


def _paragraph(
    pages: _Pages,
    text: str,
    font: str,
    size: float,
    color: Color,
    indent: float = 0,
    align: str = "left",
    leading: float = 1.35,
) -> None:
    text = clean_text(text, 4000)
    if not text:
        return
    width = WIDTH - indent
    for line in wrap(text, font, size, width):
        pages.room(size * leading)
        x = PAGE_W / 2 if align == "centre" else MARGIN + indent
        pages.add(_text, x, pages.y - size, font, size, line, color, align)
        pages.y -= size * leading


def _cells(
    pages: _Pages,
    values: tuple[str, ...],
    shares: tuple[float, ...],
    font: str,
    color: Color,
    rule: Color | None = GREY,
) -> None:
    """One table row: each cell one or two lines (shrinking first, then cut)."""
    laid, lines_max = [], 1
    for value, share in zip(values, shares):
        width, value = WIDTH * share - 4, clean_text(value)
        if stringWidth(value, font, CELL_SIZE) <= width:  # most cells: one measure, no fitting
            lines, size = [value], CELL_SIZE
        else:
            lines, size = fit_block(value, font, CELL_SIZE, CELL_MIN, width, 2)
        laid.append((lines, size))
        lines_max = max(lines_max, len(lines))
    height = lines_max * CELL_SIZE * 1.2 + 4
    pages.room(height)
    x, top, pieces = MARGIN, pages.y, []
    for (lines, size), share in zip(laid, shares):
        y = top - size - 1.5
        for line in lines:
            if line:
                pieces.append((x + 2, y, font, size, line))
            y -= size * 1.2
        x += WIDTH * share
    pages.add(_texts, pieces, color)
    pages.y -= height
    if rule is not None:
        pages.add(_line, MARGIN, pages.y, MARGIN + WIDTH, pages.y, rule, 0.25)


def _table(
    pages: _Pages,
    title: str,
    columns: tuple[str, ...],
    shares: tuple[float, ...],
    rows: list[tuple[str, ...]],
) -> None:
    def header(target: _Pages) -> None:
        _cells(target, columns, shares, SANS_BOLD, NAVY, NAVY)

    pages.room(14 + 3 * (CELL_SIZE * 1.2 + 4))  # a title never ends a page alone
    pages.y -= 6
    _paragraph(pages, title, SANS_BOLD, 10, NAVY)
    header(pages)
    pages.repeat = header
    for row in rows:
        _cells(pages, row, shares, SANS, INK)
    pages.repeat = None


def _layout(content: ProtocolContent) -> _Pages:
    pages = _Pages()
    for index, line in enumerate(content.title):
        _paragraph(
            pages,
            line,
            SERIF_BOLD if index == 0 else SANS_BOLD,
            16 if index == 0 else 10.5,
            NAVY,
            align="centre",
        )
    pages.y -= 8
    for label, value in (*content.facts, *content.jury):
        _labelled(pages, label, value)
    pages.y -= 4
    for sentence in content.method:
        _paragraph(pages, sentence, SANS, 8.8, INK)
    pages.y -= 4
    _paragraph(pages, content.results_title, SANS_BOLD, 11, NAVY)
    for group in content.groups:
        _table(
            pages,
            group.title,
            content.columns,
            COLUMN_SHARES,
            [(r.place, r.code, r.author, r.school, r.region, r.score, r.award) for r in group.rows],
        )
    if content.unranked:
        _table(
            pages,
            content.unranked_title,
            content.unranked_columns,
            UNRANKED_SHARES,
            [(r.code, r.author, r.reason) for r in content.unranked],
        )
    _signatures(pages, content)
    return pages


def _labelled(pages: _Pages, label: str, value: str) -> None:
    label, value = clean_text(label, 120), clean_text(value, 4000)
    if not value:
        return
    labels = wrap(label, SANS_BOLD, 9, WIDTH * 0.3 - 8)
    lines = wrap(value, SANS, 9, WIDTH * 0.7)
    pages.room(max(len(lines), len(labels)) * 12.2)
    for index in range(max(len(lines), len(labels))):
        if index < len(labels):
            pages.add(_text, MARGIN, pages.y - 9, SANS_BOLD, 9, labels[index], GREY)
        if index < len(lines):
            pages.add(_text, MARGIN + WIDTH * 0.3, pages.y - 9, SANS, 9, lines[index], INK)
        pages.y -= 12.2
    pages.y -= 2


def _signatures(pages: _Pages, content: ProtocolContent) -> None:
    block = 30 * len(content.signatures) + 20
    pages.room(max(block, 100))
    pages.y -= 20
    top = pages.y
    for role, name in content.signatures:
        y = pages.y - 14
        pages.add(_text, MARGIN, y, SANS, 9, clean_text(role, 120), INK)
        pages.add(_line, MARGIN + WIDTH * 0.36, y - 2, MARGIN + WIDTH * 0.56, y - 2, INK, 0.5)
        pages.add(_text, MARGIN + WIDTH * 0.58, y, SANS_BOLD, 9, clean_text(name, 120), INK)
        pages.y -= 30
    pages.add(draw_qr, clean_text(content.verification_url, 500), MARGIN + WIDTH - 70, top - 76, 70)


def render_protocol(content: ProtocolContent) -> bytes:
    """The protocol's PDF bytes (invariant: no timestamps, the same bytes on every run)."""
    register_fonts()
    pages = _layout(content)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(clean_text(" ".join(content.title), 200))
    canvas.setCreator("contest diplomas")
    canvas.setProducer("contest diplomas")
    total = len(pages.pages)
    code = f"{clean_text(content.code_label, 60)}: {clean_text(content.verification_code, 40)}"
    for number, ops in enumerate(pages.pages, start=1):
        for func, args in ops:
            func(canvas, *args)
        _line(canvas, MARGIN, BOTTOM - 12, MARGIN + WIDTH, BOTTOM - 12, GOLD, 0.6)
        label = (
            clean_text(content.page_label, 80).replace("{page}", str(number)).replace("{pages}", str(total))
        )
        _text(canvas, MARGIN, BOTTOM - 26, SANS, 7.5, code, GREY)
        _text(canvas, MARGIN + WIDTH, BOTTOM - 26, SANS, 7.5, label, GREY, "right")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
