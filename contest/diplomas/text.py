"""Literal text for diplomas: cleaning user input and fitting it into a box."""

import threading
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).with_name("fonts")
FONTS = {
    "Diploma-Sans": "DejaVuSans.ttf",
    "Diploma-Sans-Bold": "DejaVuSans-Bold.ttf",
    "Diploma-Serif": "DejaVuSerif.ttf",
    "Diploma-Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Diploma-Serif-Italic": "DejaVuSerif-Italic.ttf",
}
ELLIPSIS = "\u2026"
_lock = threading.Lock()
_registered = False


def register_fonts() -> None:
    """Register the bundled DejaVu fonts with reportlab once per process; later calls are free.
    Parsing a TTF costs milliseconds, so doing it per diploma would dominate the run time."""
    global _registered
    if _registered:
        return
    with _lock:
        if not _registered:
            for name, file in FONTS.items():
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
            _registered = True


def clean_text(value: str, max_chars: int = 300) -> str:
    """Return user text as one literal line: NFC-normalized, every run of whitespace or line
    breaks turned into one space, control/format/surrogate/private characters dropped
    (they would draw as boxes or reorder text), cut to max_chars. Markup stays as typed."""
    text = str(value)
    if text.isprintable() and unicodedata.is_normalized("NFC", text):
        # The common case, answered in C: no control, format, surrogate, private or unassigned
        # character and no whitespace but the plain space, so only runs of spaces remain.
        return " ".join(text.split())[:max_chars]
    text = unicodedata.normalize("NFC", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category in ("Zl", "Zp"):
            kept.append(" ")
        elif category not in ("Cc", "Cf", "Cs", "Co", "Cn"):
            kept.append(char)
    return " ".join("".join(kept).split())[:max_chars]


def fit_line(text: str, font: str, size: float, min_size: float, width: float) -> float:
    """Return the largest font size in [min_size, size] at which text fits width on one line,
    or min_size if it never does (the caller then wraps)."""
    natural = pdfmetrics.stringWidth(text, font, 1.0)
    if natural <= 0:
        return size
    # 0.999: width / natural * natural can round to just above width.
    return max(min_size, min(size, width / natural * 0.999))


def fit_block(
    text: str, font: str, size: float, min_size: float, width: float, max_lines: int
) -> tuple[list[str], float]:
    """Lay text out in a box `width` wide: one line at the largest size that fits (down to
    min_size); otherwise wrapped on spaces into at most max_lines, again at the largest size
    that fits; words wider than the box are broken; what still does not fit is cut with an
    ellipsis. Returns (lines, size); every line is at most `width` wide at that size."""
    one = fit_line(text, font, size, min_size, width)
    if pdfmetrics.stringWidth(text, font, one) <= width or max_lines == 1:
        return _truncate([text], font, one, width), one
    step = max(1.0, (size - min_size) / 8)
    candidate = size * 0.85
    while candidate > min_size:
        lines = wrap(text, font, candidate, width)
        if len(lines) <= max_lines:
            return lines, candidate
        candidate -= step
    lines = wrap(text, font, min_size, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + _truncate([" ".join(lines[max_lines - 1 :])], font,
                                                  min_size, width)
    return lines, min_size


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap on spaces; a word wider than the line is split between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        for index, piece in enumerate(_split_word(word, font, size, width)):
            glue = " " if current and index == 0 else ""  # pieces of one word join without one
            trial = current + glue + piece
            if pdfmetrics.stringWidth(trial, font, size) <= width:
                current = trial
            else:
                if current:
                    lines.append(current)
                current = piece
    if current:
        lines.append(current)
    return lines or [""]


def _split_word(word: str, font: str, size: float, width: float) -> list[str]:
    # A double-barrelled name breaks after its hyphens first, between letters only if need be.
    if pdfmetrics.stringWidth(word, font, size) <= width:
        return [word]
    parts = [part + "-" for part in word.split("-")]
    parts[-1] = parts[-1][:-1]
    pieces, current = [], ""
    for part in parts:
        units = [part] if pdfmetrics.stringWidth(part, font, size) <= width else list(part)
        for unit in units:
            if current and pdfmetrics.stringWidth(current + unit, font, size) > width:
                pieces.append(current)
                current = ""
            current += unit
    return pieces + [current] if current else pieces


def _truncate(lines: list[str], font: str, size: float, width: float) -> list[str]:
    line = lines[-1]
    if pdfmetrics.stringWidth(line, font, size) <= width:
        return lines
    while line and pdfmetrics.stringWidth(line + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return lines[:-1] + [line.rstrip() + ELLIPSIS]
