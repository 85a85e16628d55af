"""Page images of a version for the transcription screen, and for jurors of an open contest.

Only versions the sandbox already read (status "ok" or "no_text": their images passed the
pixel cap and decoded) are shown. A JPEG or PNG photo is served as it was uploaded (the
browser decodes it); a HEIC photo, which most browsers cannot show, is decoded here (these
bytes already decoded in the sandbox, under its caps) and served as a JPEG of at most
PREVIEW_SIDE pixels; a PDF page is rendered here at PREVIEW_DPI, no larger than
MAX_PREVIEW_PIXELS.
"""
from __future__ import annotations

import io

from sqlalchemy import select

from contest import pdfium
from contest.extensions import db
from contest.extraction import ocr
from contest.extraction.filetype import image_kind
from contest.submissions.models import Entry, EntryVersion

PREVIEW_DPI = 110
MAX_PREVIEW_PIXELS = 4_000_000
PREVIEW_SIDE = 2400
MIME = {"jpg": "image/jpeg", "png": "image/png"}


def count(version: EntryVersion) -> int:
    if version.format not in ("image", "pdf") or version.extraction_status not in ("ok", "no_text"):
        return 0
    return version.page_count or 0


def for_juror(contest, entry_id: int) -> tuple[EntryVersion | None, int]:
    """(the entry's current version, how many of its page images a juror may see).

    None in a blind contest: a handwritten or photographed page carries the author's name,
    which no redaction removes. In an open contest: the pages of a version whose text was read
    from images by OCR (photos, PDFs without a text layer), once the sandbox decoded them."""
    if contest.blind:
        return None, 0
    version = db.session.scalar(select(EntryVersion).join(Entry, Entry.current_version_id == EntryVersion.id)
                                .where(Entry.id == entry_id))
    if version is None or not any(f.get("code") == "ocr" for f in version.flags or []):
        return version, 0
    return version, count(version)


def page_response(version: EntryVersion, number: int):
    """The response for page `number` of `version` (the transcription screen's and an open
    contest's juror's): never cached, sandboxed if a browser renders it as a document."""
    from flask import send_file

    from contest.submissions import storage

    data, mimetype = page(storage.read_bytes(version.stored_name), version.format, number)
    response = send_file(io.BytesIO(data), mimetype=mimetype, max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response


def page(data: bytes, fmt: str, number: int) -> tuple[bytes, str]:
    """(image bytes, MIME type) of page `number` (1-based)."""
    if fmt == "image":
        blob = ocr.image_blobs(data)[number - 1]
        kind = image_kind(blob)
        if kind in MIME:
            return blob, MIME[kind]
        return _as_jpeg(blob), "image/jpeg"
    with pdfium.opened(data) as document:
        image = pdfium.page_image(document, number - 1, _preview_scale, grayscale=True)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), "image/png"


def _preview_scale(width: float, height: float) -> float:
    return min(PREVIEW_DPI / 72, (MAX_PREVIEW_PIXELS / max(1.0, width * height)) ** 0.5)


def _as_jpeg(blob: bytes) -> bytes:
    """A HEIC page as an upright JPEG a browser shows."""
    from PIL import Image, ImageOps

    image = ocr.open_image(blob)
    image.load()
    image = ImageOps.exif_transpose(image)
    image.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()
