"""A PNG of a PDF's first page, drawn by PDFium (pypdfium2) from the real PDF bytes."""

import io

import pypdfium2


def first_page_png(pdf: bytes, width: int = 900) -> bytes:
    """The first page of `pdf` as a PNG `width` pixels wide (height in proportion)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = width / page.get_width()
        image = page.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        document.close()
