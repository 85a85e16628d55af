"""Page images of a version for the transcription screen.

Only versions the sandbox already read (status "ok" or "no_text": their images passed the
pixel cap and decoded) are shown. A photo is served as it was uploaded (the browser
decodes it); a PDF page is rendered here at PREVIEW_DPI, no larger than MAX_PREVIEW_PIXELS.
"""
from __future__ import annotations

import io

from contest.extraction import ocr
from contest.extraction.filetype import image_kind
from contest.submissions.models import EntryVersion

PREVIEW_DPI = 110
MAX_PREVIEW_PIXELS = 4_000_000
MIME = {"jpg": "image/jpeg", "png": "image/png"}


def count(version: EntryVersion) -> int:
    if version.format not in ("image", "pdf") or version.extraction_status not in ("ok", "no_text"):
        return 0
    return version.page_count or 0


def page(data: bytes, fmt: str, number: int) -> tuple[bytes, str]:
    """(image bytes, MIME type) of page `number` (1-based)."""
    if fmt == "image":
        blob = ocr.image_blobs(data)[number - 1]
        return blob, MIME[image_kind(blob) or "png"]
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        sheet = pdf[number - 1]
        width, height = sheet.get_size()
        scale = min(PREVIEW_DPI / 72, (MAX_PREVIEW_PIXELS / max(1.0, width * height)) ** 0.5)
        image = sheet.render(scale=scale, grayscale=True).to_pil()
        sheet.close()
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), "image/png"
