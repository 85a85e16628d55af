"""OCR of scanned PDF pages and photographed pages with the `tesseract` binary.

Runs inside the extraction sandbox's child (see sandbox.py): the child's memory cap holds
for Pillow's decoding and is inherited by tesseract; tesseract gets what is left of the
OCR time budget as its timeout, a CPU rlimit of the same size, and dies with the child
(PR_SET_PDEATHSIG), so a file that makes it hang cannot outlive the caps.

Rules, page by page: a page is a JPEG, PNG or HEIC (HEIC through pillow-heif, whose opener
is registered here, in the child, the first time a photo is opened); an image larger than
MAX_PIXELS (or one Pillow calls a bomb) is refused before it is decoded, HEIC included: its
size comes from its header; a truncated or broken image raises (the sandbox calls it corrupt).
A photo is turned upright from its EXIF orientation, then by Tesseract's orientation
detection (OSD, when it is confident), reduced to at most MAX_SIDE pixels, its uneven
light evened out (the page minus its blurred background), and deskewed (the angle within
±MAX_SKEW° whose rows of ink are sharpest). PDF pages are rendered at PDF_DPI. The text
keeps Tesseract's paragraphs; the confidence is the mean of the words' confidences (0-100;
0 when no word was found). A page with fewer than SPECKLE_WORDS words holding a letter, read
at a mean confidence under SPECKLE_CONFIDENCE, counts as blank (grain, dust, a stamp).
"""
from __future__ import annotations

import csv
import ctypes
import io
import os
import resource
import signal
import subprocess
import time
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter, ImageOps, ImageStat

from contest.extraction.filetype import image_kind

MAX_PIXELS = 60_000_000  # a 48 MP phone photo passes; 30,000 x 30,000 does not
MAX_SIDE = 3500  # long side photos are reduced to before reading (about 300 dpi for A4)
PDF_DPI = 300
MAX_SKEW = 6.0  # degrees tried either way when deskewing
LANG_MODELS = {"kk": "kaz", "ru": "rus", "en": "eng"}
DEFAULT_MODELS = ("kaz", "rus", "eng")
_OSD_MIN_CONFIDENCE = 2.0
SPECKLE_WORDS, SPECKLE_CONFIDENCE = 10, 60.0


class OcrTimeout(Exception):
    """The OCR time budget ran out (tesseract was stopped)."""


class ImageTooLarge(Exception):
    """An image over MAX_PIXELS, or one Pillow refuses as a decompression bomb."""


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float  # mean word confidence 0-100
    pages: int
    words: int


def models_for(languages: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Tesseract models for a contest's languages (kk -> kaz, ...); all three when none match."""
    models = tuple(dict.fromkeys(LANG_MODELS[c] for c in languages or () if c in LANG_MODELS))
    return models or DEFAULT_MODELS


def image_blobs(data: bytes) -> list[bytes]:
    """The page images of an upload: one image, or the members of our own page bundle (a
    ZIP the upload service writes, members named in page order)."""
    if not data.startswith(b"PK\x03\x04"):
        return [data]
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        return [bundle.read(name) for name in sorted(bundle.namelist())]


def bundle_images(blobs: list[bytes]) -> bytes:
    """Pack page images, in order, into one stored (uncompressed) ZIP: the stored file of an
    upload of several photos."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as bundle:
        for number, blob in enumerate(blobs, 1):
            ext = image_kind(blob) or "jpg"
            bundle.writestr(zipfile.ZipInfo(f"page-{number:03d}.{ext}", (2020, 1, 1, 0, 0, 0)), blob)
    return out.getvalue()


def open_image(blob: bytes) -> Image.Image:
    """A JPEG, PNG or HEIC opened (not yet decoded) and checked against MAX_PIXELS."""
    if image_kind(blob) == "heic":
        register_heif()
    try:
        image = Image.open(io.BytesIO(blob), formats=("JPEG", "PNG", "HEIF"))
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(str(exc)) from None
    if image.width * image.height > MAX_PIXELS:
        raise ImageTooLarge(f"{image.width}x{image.height} pixels")
    return image


_heif_registered = False


def register_heif() -> None:
    """Let Pillow open HEIC (pillow-heif), once per process. One decoding thread: the child's
    CPU and memory caps then measure one decoder, as for JPEG and PNG; no thumbnails, depth
    or auxiliary images are read. libheif's own security limits stay on."""
    global _heif_registered
    if not _heif_registered:
        import pillow_heif

        pillow_heif.register_heif_opener(decode_threads=1, thumbnails=False, depth_images=False,
                                         aux_images=False)
        _heif_registered = True


def open_photo(blob: bytes) -> Image.Image:
    """A decoded, upright, greyscale page; refuses huge images before decoding them."""
    image = open_image(blob)
    if image.format == "JPEG":  # decode at a reduced scale straight away when it is huge
        scale = max(image.size) / MAX_SIDE
        if scale >= 2:
            image.draft("L", (image.width // int(scale), image.height // int(scale)))
    image.load()  # a truncated file raises OSError here
    image = ImageOps.exif_transpose(image)
    return image.convert("L")


def prepare(image: Image.Image) -> Image.Image:
    """Reduce, even out the light and deskew a greyscale page."""
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    image = even_light(image)
    angle = skew_angle(image)
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return image


def even_light(image: Image.Image) -> Image.Image:
    """Subtract the page's background (a heavy blur of a reduced copy, brightened by a
    max filter so ink does not darken it): shadows and a lamp's gradient go, ink stays."""
    small = image.reduce(8) if min(image.size) >= 400 else image.copy()
    background = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(6))
    background = background.resize(image.size, Image.Resampling.BILINEAR)
    ink = ImageChops.subtract(background, image)  # how much darker than its surroundings
    return ImageOps.autocontrast(ImageOps.invert(ink), cutoff=(1, 0))


def skew_angle(image: Image.Image) -> float:
    """The rotation (degrees) that makes text lines horizontal: the one, among steps of
    0.5° within ±MAX_SKEW, whose row sums of ink vary most (lines and gaps apart)."""
    small = ImageOps.invert(image)
    small.thumbnail((900, 900))
    best, best_score, steps = 0.0, -1.0, int(MAX_SKEW * 2)
    for i in range(-steps, steps + 1):
        angle = i / 2
        rotated = small.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False)
        rows = rotated.resize((1, rotated.height), Image.Resampling.BOX)
        score = ImageStat.Stat(rows).var[0]
        if score > best_score * 1.0001:
            best, best_score = angle, score
    return best


def _die_with_parent() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def _tesseract(image: Image.Image, args: list[str], deadline: float) -> subprocess.CompletedProcess:
    left = deadline - time.monotonic()
    if left <= 0:
        raise OcrTimeout("OCR time budget used up")
    png = io.BytesIO()
    image.save(png, "PNG", compress_level=1)
    cpu = max(1, int(left) + 1)

    def limits() -> None:
        _die_with_parent()
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        return subprocess.run(["tesseract", "stdin", "stdout", *args], input=png.getvalue(),
                              capture_output=True, timeout=left, preexec_fn=limits, env=env,
                              check=False)
    except subprocess.TimeoutExpired:
        raise OcrTimeout(f"tesseract stopped after {left:.0f}s") from None


def orientation(image: Image.Image, deadline: float) -> int:
    """Clockwise degrees Tesseract's OSD says the page must be turned by (0 when unsure)."""
    small = image.copy()
    small.thumbnail((2000, 2000))
    done = _tesseract(small, ["--psm", "0", "-l", "osd"], deadline)
    rotate, confidence = 0, 0.0
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "Rotate":
            rotate = int(value.strip() or 0)
        elif key.strip() == "Orientation confidence":
            confidence = float(value.strip() or 0)
    return rotate if confidence >= _OSD_MIN_CONFIDENCE else 0


def read_page(image: Image.Image, models: tuple[str, ...], deadline: float) -> tuple[str, list[float]]:
    """(text, word confidences) of one prepared page."""
    done = _tesseract(image, ["-l", "+".join(models), "--psm", "3", "tsv"], deadline)
    if done.returncode != 0:
        raise RuntimeError(f"tesseract failed: {done.stderr.decode('utf-8', 'replace')[:200]}")
    rows = csv.reader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t",
                      quoting=csv.QUOTE_NONE)
    next(rows, None)
    lines: dict[tuple, list[str]] = {}
    confidences: list[float] = []
    for row in rows:
        if len(row) < 12 or row[0] != "5" or not row[11].strip():
            continue
        lines.setdefault((int(row[2]), int(row[3]), int(row[4])), []).append(row[11].strip())
        confidences.append(max(0.0, float(row[10])))
    if _speckles(lines, confidences):
        return "", []
    out, previous = [], None
    for key, words in lines.items():
        if previous is not None:
            out.append("\n" if key[:2] == previous[:2] else "\n\n")
        out.append(" ".join(words))
        previous = key
    return "".join(out), confidences


def _speckles(lines: dict[tuple, list[str]], confidences: list[float]) -> bool:
    """A page whose few "words" are read with low confidence holds no text: dust, paper grain
    or a stamp (fewer than SPECKLE_WORDS words with a letter, mean confidence under
    SPECKLE_CONFIDENCE)."""
    lettered = sum(1 for words in lines.values() for w in words if any(ch.isalpha() for ch in w))
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return lettered < SPECKLE_WORDS and mean < SPECKLE_CONFIDENCE


def _summary(pages: list[tuple[str, list[float]]]) -> OcrText:
    confidences = [c for _, page in pages for c in page]
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    text = "\n\n".join(t for t, _ in pages if t)
    return OcrText(text, round(mean, 1), len(pages), len(confidences))


def read_photos(data: bytes, models: tuple[str, ...], *, max_pages: int, deadline: float,
                too_many: type[Exception]) -> OcrText:
    """OCR one uploaded image or a bundle of page images, in order."""
    blobs = image_blobs(data)
    if len(blobs) > max_pages:
        raise too_many(f"more than {max_pages} pages")
    pages = []
    for blob in blobs:
        image = open_photo(blob)
        turn = orientation(image, deadline)
        if turn:
            image = image.rotate(-turn, expand=True, fillcolor=255)
        pages.append(read_page(prepare(image), models, deadline))
    return _summary(pages)


def read_pdf_scan(data: bytes, models: tuple[str, ...], *, max_pages: int, deadline: float) -> OcrText:
    """OCR every page of a PDF without a text layer, rendered at PDF_DPI (less for huge pages)."""
    from contest import pdfium

    pages = []
    with pdfium.opened(data) as document:  # in the sandbox's one thread: the lock is free
        for index in range(min(len(document), max_pages)):
            image = pdfium.page_image(document, index, _scan_scale, grayscale=True)  # mode "L"
            turn = orientation(image, deadline)
            if turn:
                image = image.rotate(-turn, expand=True, fillcolor=255)
            pages.append(read_page(prepare(image), models, deadline))
            del image
    return _summary(pages)


def _scan_scale(width: float, height: float) -> float:
    return min(PDF_DPI / 72, (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
