"""One diploma as one A4 landscape PDF page, drawn with reportlab's canvas.

Every piece of user text goes through `clean_text` and is drawn with `drawString`-style
calls, which print characters literally: no markup is interpreted and nothing is fetched.
"""

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

    def __post_init__(self) -> None:
        missing = [key for key in LABEL_KEYS if key not in self.labels]
        if missing:
            raise ValueError(f"labels missing: {', '.join(missing)}")
        if len(self.signatories) > 3:
            raise ValueError("at most three signatories fit on a diploma")


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


def _draw_header(canvas: Canvas, content: DiplomaContent, top: float) -> None:
    y = _centred_block(canvas, content.issuer.upper(), SANS, 10, 7, top - 8, 2, GREY, 1.3)
    heading = clean_text(content.heading, 40).upper()
    size = fit_line(heading, SERIF_BOLD, 50, 24, TEXT_W / 1.25)
    _spaced_centred(canvas, heading, SERIF_BOLD, size, y - size * 0.95, size * 0.16, NAVY)
    y -= size * 0.95 + 38
    y = _centred_block(canvas, content.award_title, SERIF_ITALIC, 22, 12, y, 1, GOLD, 1.2)
    draw_rule(canvas, PAGE_W / 2, y + 4, 150, GOLD)
    y -= 30
    y = _centred_block(canvas, content.labels["awarded_to"], SANS, 12, 8, y, 1, GREY, 1.2)
    y = _centred_block(canvas, content.holder_name, SERIF_BOLD, 36, 18, y - 30, 2, NAVY, 1.15)
    y = _centred_block(canvas, content.contest_title, SERIF, 17, 10, y - 18, 2, INK, 1.3)
    _centred_block(canvas, _details(content), SANS, 11, 7, y - 4, 2, GREY, 1.35)


def _details(content: DiplomaContent) -> str:
    parts = []
    for key, value in (("category", content.category), ("topic", content.topic)):
        value = clean_text(value)
        if value:
            parts.append(f"{clean_text(content.labels[key], 60)}: {value}")
    return "  \u00b7  ".join(parts)


def _centred_block(
    canvas: Canvas, text: str, font: str, size: float, min_size: float, y: float,
    max_lines: int, color: Color, leading: float,
) -> float:
    """Draw text centred on the page from baseline y down; return the y below the block."""
    text = clean_text(text)
    if not text:
        return y
    lines, size = fit_block(text, font, size, min_size, TEXT_W, max_lines)
    canvas.setFillColor(color)
    canvas.setFont(font, size)
    for line in lines:
        canvas.drawCentredString(PAGE_W / 2, y, line)
        y -= size * leading
    return y


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


def _draw_signatures(canvas: Canvas, content: DiplomaContent) -> None:
    columns = [(clean_text(content.date_text), "", clean_text(content.labels["date"], 60))]
    columns += [("", clean_text(name), clean_text(title)) for name, title in content.signatories]
    left, right = SIGN_LEFT, SIGN_RIGHT
    slot = (right - left) / len(columns)
    width = min(180, slot - 24)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.6)
    for index, (above, name, below) in enumerate(columns):
        x = left + slot * (index + 0.5)
        canvas.line(x - width / 2, 118, x + width / 2, 118)
        _small_centred(canvas, above, SERIF, 12, x, 124, width, INK, 0.55)
        _small_centred(canvas, name, SANS_BOLD, 9.5, x, 105, width, INK, 0.6)
        _small_centred(canvas, below, SANS, 8, x, 93 if name else 105, width, GREY, 0.8, 2)


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
    draw_qr(canvas, url, QR_X, QR_Y, QR_SIZE)
    centre = QR_X + QR_SIZE / 2
    _small_centred(canvas, content.labels["code"], SANS, 7, centre, QR_Y - 11, 140, GREY)
    # The code must never be cut: it shrinks as far as needed instead.
    _small_centred(canvas, code, SANS_BOLD, 8.5, centre, QR_Y - 23, 140, NAVY, 0.4)
    footer = f"{clean_text(content.labels['verify_at'], 80)} {url}"
    middle = (SIGN_LEFT + SIGN_RIGHT) / 2
    _small_centred(canvas, footer, SANS, 7.5, middle, 50, SIGN_RIGHT - SIGN_LEFT, GREY, 0.6)
