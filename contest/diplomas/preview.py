"""A PNG of a PDF's first page, drawn by PDFium (pypdfium2) from the real PDF bytes."""

import io

from contest.pdfium import opened, page_image


def first_page_png(pdf: bytes, width: int = 900) -> bytes:
    """The first page of `pdf` as a PNG `width` pixels wide (height in proportion)."""
    with opened(pdf) as document:
        image = page_image(document, 0, lambda page_width, _height: width / page_width)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=False)
    return out.getvalue()
