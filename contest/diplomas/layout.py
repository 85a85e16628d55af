"""One diploma as one A4 landscape PDF page, drawn with reportlab's canvas.

Every piece of user text goes through `clean_text` and is drawn with `drawString`-style
calls, which print characters literally: no markup is interpreted and nothing is fetched.
"""

import dataclasses
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from contest.diplomas.logo import validate_logo
from contest.diplomas.ornament import draw_frame, draw_qr, draw_rule
from contest.diplomas.text import clean_text, fit_block, fit_line, register_fonts

PAGE_W, PAGE_H = landscape(A4)
LABEL_KEYS = ("awarded_to", "category", "topic", "date", "code", "verify_at")
NAVY = HexColor("#1F3A5F")
GOLD = HexColor("#A8843F")
INK = HexColor("#222222")
GREY = HexColor("#5F6368")
SANS, SANS_BOLD = "Diploma-Sans", "Diploma-Sans-Bold"
SERIF, SERIF_BOLD, SERIF_ITALIC = "Diploma-Serif", "Diploma-Serif-Bold", "Diploma-Serif-Italic"
TEXT_W = PAGE_W - 2 * 100  # the central column of text
QR_SIZE = 84
QR_X, QR_Y = PAGE_W - 70 - QR_SIZE, 76
SIGN_LEFT, SIGN_RIGHT = 80, QR_X - 36


@dataclass(frozen=True)
class DiplomaContent:
    """Everything printed on one diploma, already translated into the holder's language.

    `labels` holds the fixed phrases for LABEL_KEYS, e.g. for ru: awarded_to="награждается",
    category="Категория", topic="Тема", date="Дата", code="Код проверки",
    verify_at="Проверить подлинность:". `heading` is the big title ("ДИПЛОМ", "DIPLOMA").
    `signatories` are (name, title) pairs, at most three. `logo` is PNG/JPEG bytes or None.

    The same page serves every kind of document: `supervisor` adds a line (with
    labels["supervisor"], e.g. "Жетекшісі") under the details; `body` replaces the category and
    topic line by a sentence (a thank-you letter's "for reading 42 essays ..."). `second` is the
    same document in a second language: each text is printed again, smaller, under the first
    (Kazakh above Russian on a bilingual document); the holder's name is printed once.
    """

    issuer: str
    contest_title: str
    award_title: str
    category: str
    topic: str
    holder_name: str
    date_text: str
    signatories: tuple[tuple[str, str], ...]
    verification_code: str
    verification_url: str
    heading: str
    labels: Mapping[str, str] = field(default_factory=dict)
    logo: bytes | None = None
    supervisor: str = ""
    body: str = ""
    second: "DiplomaContent | None" = None

    def __post_init__(self) -> None:
        missing = [key for key in LABEL_KEYS if key not in self.labels]
        if missing:
            raise ValueError(f"labels missing: {', '.join(missing)}")
        if len(self.signatories) > 3:
            raise ValueError("at most three signatories fit on a diploma")
        if self.second is not None and self.second.second is not None:
            raise ValueError("a document has at most two languages")


def render_diploma(content: DiplomaContent) -> bytes:
    """Return the PDF bytes of one diploma. Same content -> same bytes (invariant mode: no
    timestamps or random document ids), so regenerating a diploma is idempotent. A logo that
    fails `validate_logo` raises LogoError rather than being silently dropped."""
    register_fonts()
    logo = _logo_reader(content.logo) if content.logo else None
    return _render(content, logo)


def render_diplomas(contents: Iterable[DiplomaContent]) -> Iterator[bytes]:
    """Yield one PDF per content, in order, as `render_diploma` would; fonts are registered
    once and each distinct logo is validated and decoded once for the whole batch."""
    register_fonts()
    readers: dict[bytes, ImageReader] = {}
    for content in contents:
        logo = None
        if content.logo:
            logo = readers.get(content.logo)
            if logo is None:
                logo = readers[content.logo] = _logo_reader(content.logo)
        yield _render(content, logo)


def _logo_reader(data: bytes) -> ImageReader:
    validate_logo(data)
    return ImageReader(io.BytesIO(bytes(data)))


def _render(content: DiplomaContent, logo: ImageReader | None) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    _set_metadata(canvas, content)
    draw_frame(canvas, PAGE_W, PAGE_H, NAVY, GOLD)
    top = PAGE_H - 58
    if logo is not None:
        top = _draw_logo(canvas, logo, top)
    else:
        top -= 34  # keeps the text block centred between the frame and the signatures
    _draw_header(canvas, content, top)
    _draw_signatures(canvas, content)
    _draw_verification(canvas, content)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _set_metadata(canvas: Canvas, content: DiplomaContent) -> None:
    # reportlab escapes these as PDF strings; cleaning keeps control characters out of them.
    canvas.setTitle(f"{clean_text(content.heading, 60)} \u2014 {clean_text(content.holder_name)}")
    canvas.setAuthor(clean_text(content.issuer))
    canvas.setSubject(clean_text(content.contest_title))
    canvas.setCreator("contest diplomas")
    canvas.setProducer("contest diplomas")


def _draw_logo(canvas: Canvas, logo: ImageReader, top: float) -> float:
    width, height = logo.getSize()
    scale = min(56 / height, 120 / width)
    w, h = width * scale, height * scale
    canvas.drawImage(logo, (PAGE_W - w) / 2, top - h + 8, w, h, mask="auto")
    return top - h - 6


@dataclass(frozen=True)
class _Block:
    """One centred text of the header: drawn `before` points below the previous one."""

    text: str
    font: str
    size: float
    min_size: float
    color: Color
    max_lines: int
    leading: float
    before: float
    after: float = 0
    heading: bool = False
    rule: bool = False


TEXT_BOTTOM = 150  # the signatures start below this line
SECOND_SCALE = 0.8  # a second language's text, relative to the first (its heading: half)


def _blocks(content: DiplomaContent, scale: float) -> list[_Block]:
    """The header's texts top to bottom; with a second language each text is followed by its
    translation (skipped when it reads the same, e.g. "ДИПЛОМ" in kk and ru)."""
    second = content.second
    out: list[_Block] = []

    def add(text, other, font, size, min_size, color, lines, leading, before, after=0, **flags):
        text = clean_text(text)
        other = clean_text(other) if second is not None else ""
        twin = bool(other) and other != text
        out.append(_Block(text, font, size * scale, min_size * scale, color, lines, leading,
                          before * scale, 0 if twin else after * scale, **flags))
        if twin:
            ratio = 0.5 if flags.get("heading") else SECOND_SCALE
            out.append(_Block(other, font, size * scale * ratio, min_size * scale * ratio,
                              color, lines, leading, (10 if flags.get("heading") else 2) * scale,
                              after * scale,
                              heading=flags.get("heading", False), rule=flags.get("rule", False)))
            if flags.get("rule"):
                out[-2] = dataclasses.replace(out[-2], rule=False)

    def pick(attr):
        return getattr(second, attr) if second is not None else ""

    add(content.issuer.upper(), pick("issuer").upper(), SANS, 10, 7, GREY, 2, 1.3, 8)
    add(content.heading.upper()[:40], pick("heading").upper()[:40], SERIF_BOLD, 50, 24, NAVY, 1, 1,
        0, 38, heading=True)
    add(content.award_title, pick("award_title"), SERIF_ITALIC, 22, 12, GOLD, 1, 1.2, 0, 30, rule=True)
    add(content.labels["awarded_to"], second.labels["awarded_to"] if second else "", SANS, 12, 8,
        GREY, 1, 1.2, 0)
    out.append(_Block(clean_text(content.holder_name), SERIF_BOLD, 36 * scale, 18 * scale, NAVY, 2,
                      1.15, 30 * scale))
    add(content.contest_title, pick("contest_title"), SERIF, 17, 10, INK, 2, 1.3, 18)
    add(_details(content), _details(second) if second else "", SANS, 11, 7, GREY, 2, 1.35, 4)
    if clean_text(content.supervisor):
        add(_supervisor(content), _supervisor(second) if second else "", SANS, 11, 7, GREY, 1, 1.35, 6)
    return [block for block in out if block.text]


def _supervisor(content: DiplomaContent) -> str:
    label = clean_text(content.labels.get("supervisor", ""), 60)
    name = clean_text(content.supervisor)
    return f"{label}: {name}" if label and name else name


def _fit(blocks: list[_Block]) -> tuple[list[tuple[_Block, list[str], float]], float]:
    """Lines and size of each block, and the height the header takes."""
    laid, height = [], 0.0
    for block in blocks:
        if block.heading:
            size = fit_line(block.text, block.font, block.size, block.min_size, TEXT_W / 1.25)
            laid.append((block, [block.text], size))
            height += block.before + size * 0.95 + block.after
            continue
        lines, size = fit_block(block.text, block.font, block.size, block.min_size, TEXT_W,
                                block.max_lines)
        laid.append((block, lines, size))
        height += block.before + len(lines) * size * block.leading + block.after
    return laid, height


def _draw_header(canvas: Canvas, content: DiplomaContent, top: float) -> None:
    y = top
    for scale in (1.0, 0.9, 0.8, 0.72, 0.65, 0.58):
        laid, height = _fit(_blocks(content, scale))
        if y - height >= TEXT_BOTTOM:
            break
    for block, lines, size in laid:
        y -= block.before
        if block.heading:
            y -= size * 0.95
            _spaced_centred(canvas, block.text, block.font, size, y, size * 0.16, block.color)
            y -= block.after
            continue
        canvas.setFillColor(block.color)
        canvas.setFont(block.font, size)
        for line in lines:
            canvas.drawCentredString(PAGE_W / 2, y, line)
            y -= size * block.leading
        if block.rule:
            draw_rule(canvas, PAGE_W / 2, y + 4, 150, GOLD)
        y -= block.after


def _details(content: DiplomaContent) -> str:
    if clean_text(content.body):
        return clean_text(content.body)
    parts = []
    for key, value in (("category", content.category), ("topic", content.topic)):
        value = clean_text(value)
        if value:
            parts.append(f"{clean_text(content.labels[key], 60)}: {value}")
    return "  \u00b7  ".join(parts)


def _spaced_centred(
    canvas: Canvas, text: str, font: str, size: float, y: float, spacing: float, color: Color
) -> None:
    width = canvas.stringWidth(text, font, size) + spacing * (len(text) - 1)
    label = canvas.beginText((PAGE_W - width) / 2, y)
    label.setFont(font, size)
    label.setCharSpace(spacing)
    label.textOut(text)
    label.setCharSpace(0)  # character spacing is page state: later text must not inherit it
    canvas.setFillColor(color)
    canvas.drawText(label)


def _pair(first: str, second: str | None, max_chars: int = 300) -> list[str]:
    """A text and its translation, once if they read the same; empty texts dropped."""
    first = clean_text(first, max_chars)
    other = clean_text(second, max_chars) if second is not None else ""
    return [t for t in ([first, other] if other != first else [first]) if t]


def _draw_signatures(canvas: Canvas, content: DiplomaContent) -> None:
    second = content.second
    columns = [(_pair(content.date_text, second.date_text if second else None), [],
                _pair(content.labels["date"], second.labels["date"] if second else None, 60))]
    for index, (name, title) in enumerate(content.signatories):
        other = second.signatories[index] if second and index < len(second.signatories) else None
        columns.append(([], _pair(name, other[0] if other else None),
                        _pair(title, other[1] if other else None)))
    left, right = SIGN_LEFT, SIGN_RIGHT
    slot = (right - left) / len(columns)
    width = min(180, slot - 24)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.6)
    for index, (above, names, below) in enumerate(columns):
        x = left + slot * (index + 0.5)
        canvas.line(x - width / 2, 118, x + width / 2, 118)
        for row, text in enumerate(reversed(above)):
            _small_centred(canvas, text, SERIF, 12 if len(above) == 1 else 10, x, 124 + 12 * row, width,
                           INK, 0.55)
        y = 105
        for text in names:
            _small_centred(canvas, text, SANS_BOLD, 9.5, x, y, width, INK, 0.6)
            y -= 11
        lines = 2 if len(below) == 1 else 1
        for text in below:
            _small_centred(canvas, text, SANS, 8, x, y + (0 if names else 0), width, GREY, 0.8, lines)
            y -= 9.6 * lines


def _small_centred(
    canvas: Canvas, text: str, font: str, size: float, x: float, y: float, width: float,
    color: Color, min_ratio: float = 0.7, max_lines: int = 1,
) -> None:
    if not text:
        return
    lines, size = fit_block(text, font, size, size * min_ratio, width, max_lines)
    canvas.setFillColor(color)
    canvas.setFont(font, size)
    for line in lines:
        canvas.drawCentredString(x, y, line)
        y -= size * 1.2


def _draw_verification(canvas: Canvas, content: DiplomaContent) -> None:
    url = clean_text(content.verification_url, 500)
    code = clean_text(content.verification_code, 40)
    second = content.second
    draw_qr(canvas, url, QR_X, QR_Y, QR_SIZE)
    centre = QR_X + QR_SIZE / 2
    label = " / ".join(_pair(content.labels["code"], second.labels["code"] if second else None, 60))
    _small_centred(canvas, label, SANS, 7, centre, QR_Y - 11, 140, GREY)
    # The code must never be cut: it shrinks as far as needed instead.
    _small_centred(canvas, code, SANS_BOLD, 8.5, centre, QR_Y - 23, 140, NAVY, 0.4)
    other = second.labels["verify_at"] if second else None
    verify = " / ".join(_pair(content.labels["verify_at"], other, 80))
    footer = f"{verify} {url}"
    middle = (SIGN_LEFT + SIGN_RIGHT) / 2
    _small_centred(canvas, footer, SANS, 7.5, middle, 50, SIGN_RIGHT - SIGN_LEFT, GREY, 0.6)
