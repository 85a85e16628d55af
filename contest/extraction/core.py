"""Text extraction from PDF, DOCX and TXT bytes. Runs inside the sandbox child process.

Pure: bytes in, an ExtractionResult out. Hostile input may raise anything; the sandbox
classifies it. The only exception raised on purpose is TooComplexError (page cap).
"""

from __future__ import annotations

import io
import itertools
import statistics
import time
from dataclasses import dataclass
from operator import itemgetter

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfplumber.utils import cluster_objects
from pdfplumber.utils.exceptions import PdfminerException

from contest.extraction import encoding, languages, ocr
from contest.extraction.docx_text import read_docx
from contest.extraction.text import (
    DEFAULT_MAX_CHARS,
    count_words,
    detect_language,
    normalize_text,
)

__all__ = ["ExtractionResult", "OcrSettings", "TooComplexError", "detect_language", "exception_chain",
           "extract"]

# A gap wider than 0.15 em between two glyphs starts a new word. TeX never shrinks an
# inter-word space below ~0.22 em and sets no space glyph; kerning inside a word stays
# under ~0.05 em. pdfplumber's default (3 pt absolute) glues TeX words at 10-11 pt.
X_TOLERANCE_RATIO = 0.15
MAX_GAP_SAMPLE = 800  # glyphs of a page looked at to measure its letter-spacing
Y_TOLERANCE = 3
# Words per page (on average) below which a PDF counts as having no text layer.
NO_TEXT_WORDS_PER_PAGE = 5
NOTES_MARK = "* * *"  # between a DOCX essay and its footnotes/endnotes in the text


class TooComplexError(Exception):
    """The file exceeds a structural limit (for now: the page cap)."""


@dataclass(frozen=True)
class ExtractionResult:
    text: str
    word_count: int
    page_count: int | None  # None for DOCX/TXT: they have no fixed pages
    language: str | None
    flags: tuple[str, ...] = ()
    # Characters of a TXT file that could not be decoded (replaced by U+FFFD).
    bad_chars: int = 0
    # Share of each language among the words, e.g. (("kk", 0.62), ("ru", 0.38)).
    language_shares: tuple[tuple[str, float], ...] = ()
    # DOCX footnotes and endnotes: read, counted apart, not in `text` or `word_count`.
    notes_text: str = ""
    notes_word_count: int = 0
    # DOCX headers and footers: out of the count, kept so redaction can search them.
    margin_text: str = ""
    # Read by OCR (a photo, or a PDF without a text layer): the mean word confidence 0-100.
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class OcrSettings:
    """OCR for photos and scanned PDFs: Tesseract's models and the seconds it may take."""

    models: tuple[str, ...] = ocr.DEFAULT_MODELS
    timeout_s: float = 120.0


def exception_chain(exc: BaseException):
    """Yield exc and every exception wrapped in it (cause, context, or an exception kept as
    the first argument, which is how pdfplumber's PdfminerException wraps pdfminer's)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        stack += [e.__cause__, e.__context__]
        stack += [a for a in e.args if isinstance(a, BaseException)]


def extract(data: bytes, fmt: str, max_pages: int,
            max_chars: int = DEFAULT_MAX_CHARS, ocr_settings: OcrSettings | None = None) -> ExtractionResult:
    """Extract normalized text from `data` of format "pdf" | "docx" | "txt" | "image".

    With `ocr_settings`, a PDF without a text layer and an image (one photo or our bundle
    of page photos) are read by OCR (contest.extraction.ocr); the result then carries
    ocr_confidence, and "no_text" only when OCR found no word either. An image without
    `ocr_settings` is "no_text". An image over the pixel cap raises TooComplexError.

    Flags: "encrypted" (PDF needs a user password; nothing extracted), "no_text" (a PDF
    with fewer than NO_TEXT_WORDS_PER_PAGE words per page on average: a scan), "empty"
    (a DOCX or TXT without a single word), "truncated" (text longer than `max_chars` was
    cut). PDFs with more than `max_pages` pages raise TooComplexError while iterating,
    whatever /Count declares.
    """
    bad_chars, notes, margins = 0, "", ""
    if fmt == "pdf":
        raw, pages, cut = _pdf_text(data, max_pages, max_chars)
        if raw is None:
            return ExtractionResult("", 0, 0, None, ("encrypted",))
    elif fmt == "docx":
        parts = read_docx(data)
        raw, pages, cut = parts.body, None, False
        notes, _ = normalize_text(parts.notes, max_chars=max_chars)
        margins, _ = normalize_text(parts.margins, max_chars=max_chars)
    elif fmt == "txt":
        (raw, bad_chars), pages, cut = encoding.decode_text(data), None, False
    elif fmt == "image":
        raw, pages, cut = "", len(ocr.image_blobs(data)), False
        if pages > max_pages:
            raise TooComplexError(f"more than {max_pages} pages")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    if ocr_settings is not None and fmt in ("pdf", "image") and _scan(raw, pages):
        return _ocr_result(data, fmt, max_pages, max_chars, ocr_settings)
    text, truncated = normalize_text(raw, max_chars=max_chars)
    words = count_words(text)
    language, shares = languages.analyze(text)
    if notes:  # the juror reads the notes after the essay; the word count is the essay's alone
        text = f"{text}\n\n{NOTES_MARK}\n\n{notes}"
    flags = []
    if words == 0 and fmt not in ("pdf", "image"):  # typed text with nothing in it: not a scan
        flags.append("empty")
    elif words == 0 or (pages and words < NO_TEXT_WORDS_PER_PAGE * pages):
        flags.append("no_text")
    if truncated or cut:
        flags.append("truncated")
    return ExtractionResult(text, words, pages, language, tuple(flags), bad_chars=bad_chars,
                            language_shares=tuple(shares.items()),
                            notes_text=notes, notes_word_count=count_words(notes), margin_text=margins)


def _scan(raw: str, pages: int | None) -> bool:
    """A PDF (or image) whose text layer has fewer than NO_TEXT_WORDS_PER_PAGE words a page."""
    words = count_words(normalize_text(raw)[0])
    return words == 0 or bool(pages and words < NO_TEXT_WORDS_PER_PAGE * pages)


def _ocr_result(data: bytes, fmt: str, max_pages: int, max_chars: int,
                settings: OcrSettings) -> ExtractionResult:
    deadline = time.monotonic() + settings.timeout_s
    try:
        if fmt == "image":
            read = ocr.read_photos(data, settings.models, max_pages=max_pages, deadline=deadline,
                                   too_many=TooComplexError)
        else:
            read = ocr.read_pdf_scan(data, settings.models, max_pages=max_pages, deadline=deadline)
    except ocr.ImageTooLarge as exc:
        raise TooComplexError(str(exc)) from None
    text, truncated = normalize_text(read.text, max_chars=max_chars)
    words = count_words(text)
    language, shares = languages.analyze(text)
    flags = ["ocr"] + (["no_text"] if words == 0 else []) + (["truncated"] if truncated else [])
    return ExtractionResult(text, words, read.pages, language, tuple(flags),
                            language_shares=tuple(shares.items()), ocr_confidence=read.confidence)


def _pdf_text(data: bytes, max_pages: int, max_chars: int) -> tuple[str | None, int, bool]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError))
               for e in exception_chain(exc)):
            return None, 0, False
        raise
    # Pages are walked lazily rather than through pdf.pages, which builds every page of
    # the tree up front (and which pdf.close() would walk again after a failure).
    # Once the text is past the cap (plus room for normalization to shrink it), later
    # pages are only counted: the page count stays exact and memory stays bounded.
    parts, count, doctop, size = [], 0, 0.0, 0
    for page_obj in PDFPage.create_pages(pdf.doc):
        count += 1
        if count > max_pages:
            raise TooComplexError(f"more than {max_pages} pages")
        if size > max_chars * 1.2:
            continue
        page = Page(pdf, page_obj, page_number=count, initial_doctop=doctop)
        doctop += page.height
        parts.append(page_text(page))
        size += len(parts[-1])
        page.close()  # drops the page's chars and layout: memory stays flat
    return "\n\n".join(parts), count, size > max_chars * 1.2


def x_tolerance_ratio(chars: list[dict]) -> float:
    """The gap (in em) above which two glyphs of a line belong to different words, from the
    page's own glyph gaps: X_TOLERANCE_RATIO plus the median gap between consecutive
    glyphs of a line. Ordinary text has a median gap of about 0 (most neighbours are
    letters of one word); letter-spaced ("tracked") text has the tracking there, so the
    threshold moves up by it and the letters of a word stay together."""
    gaps = []
    for a, b in itertools.pairwise(chars[:MAX_GAP_SAMPLE]):
        size = a["size"] or 1.0
        if abs(a["top"] - b["top"]) < 0.5 * size and b["x0"] >= a["x0"] and a["text"] != " " != b["text"]:
            gaps.append((b["x0"] - a["x1"]) / size)
    if len(gaps) < 20:
        return X_TOLERANCE_RATIO
    return X_TOLERANCE_RATIO + max(0.0, statistics.median(gaps))


def page_text(page: Page) -> str:
    """Text of one PDF page: words grouped into lines, lines into paragraphs.

    A new paragraph starts when the distance from the previous line's top exceeds 1.4x the
    line pitch (the page's median, at most 1.6 line heights), or the line is indented
    by more than one line height from the page's left text edge.
    """
    words = page.extract_words(x_tolerance_ratio=x_tolerance_ratio(page.chars), y_tolerance=Y_TOLERANCE)
    lines = cluster_objects(words, itemgetter("top"), Y_TOLERANCE)
    if not lines:
        return ""
    boxes = [(min(w["x0"] for w in ln), min(w["top"] for w in ln),
              max(w["bottom"] for w in ln)) for ln in lines]
    pitches = [b[1] - a[1] for a, b in itertools.pairwise(boxes) if b[1] > a[1]]
    height = statistics.median(b[2] - b[1] for b in boxes)
    # With few lines the median pitch may itself be a paragraph gap; 1.6 line heights
    # bounds it (Word's double spacing is about 2.1 glyph-box heights: 1.4 * 1.6 > 2.1).
    pitch = min(statistics.median(pitches), 1.6 * height) if pitches else height
    left = min(b[0] for b in boxes)
    out: list[str] = []
    for i, line in enumerate(lines):
        if i:
            x0, top, bottom = boxes[i]
            gap = top - boxes[i - 1][1]
            indent = x0 - left > (bottom - top)
            out.append("\n\n" if gap > 1.4 * pitch or indent else "\n")
        out.append(" ".join(w["text"] for w in sorted(line, key=itemgetter("x0"))))
    return "".join(out)


def decode_text(data: bytes) -> str:
    """The text of a TXT file (see contest.extraction.encoding for the rule)."""
    return encoding.decode_text(data)[0]
