"""PDFium (through pypdfium2), one call at a time in a process.

PDFium is not thread-safe, not even across documents (pypdfium2's documentation says so):
two threads drawing at once fail at random ("Failed to load document", "Failed to load
page") or corrupt the process's memory. The web server runs threads (gunicorn's gthread
workers, `flask run`), and an award's preview and a scanned page may be drawn at the same
moment, so every use of PDFium goes through `opened`, which holds a process-wide lock from
opening the document to closing it; `page_image` closes each page and bitmap inside it and
returns an image that owns its pixels (pypdfium2's objects otherwise close themselves when
collected, which could happen in another thread's PDFium call)."""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()


@contextmanager
def opened(data: bytes) -> Iterator:
    """The PDF `data` opened by PDFium (a pypdfium2 PdfDocument), with this process's PDFium
    lock held until the block ends; the document is closed at the end."""
    import pypdfium2

    with _LOCK:
        document = pypdfium2.PdfDocument(data)
        try:
            yield document
        finally:
            document.close()


def page_image(document, index: int, scale_for: Callable[[float, float], float], *, grayscale: bool = False):
    """Page `index` (0-based) of a document from `opened`, drawn at the scale that
    `scale_for(width, height)` (in PDF points) gives, as a PIL image of its own."""
    page = document[index]
    try:
        width, height = page.get_size()
        bitmap = page.render(scale=scale_for(width, height), grayscale=grayscale)
        try:
            return bitmap.to_pil().copy()  # to_pil() may share the bitmap's memory
        finally:
            bitmap.close()
    finally:
        page.close()
