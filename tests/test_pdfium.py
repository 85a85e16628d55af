"""PDFium in a threaded server: an award's preview and a scanned page drawn from several
threads at once. Without the process-wide lock (contest.pdfium) PDFium fails at random
("Failed to load document", "Failed to load page") or corrupts the process."""
import threading

from contest.diplomas.preview import first_page_png
from contest.transcription.pages import page
from tests.extraction import hostile


def test_pages_drawn_from_eight_threads_at_once_are_each_drawn_whole():
    pdf = hostile.essay_pdf("kk", 3)
    expected = (first_page_png(pdf, 40), page(pdf, "pdf", 2))
    start, failures, drawn = threading.Barrier(8), [], []

    def draw(turn: int) -> None:
        start.wait()
        try:
            for i in range(300):  # small previews: opening and closing documents race most
                if (turn + i) % 50:
                    drawn.append(first_page_png(pdf, 40) == expected[0])
                else:
                    drawn.append(page(pdf, "pdf", 2) == expected[1])
        except Exception as exc:  # noqa: BLE001 - every failure is reported below
            failures.append(repr(exc))

    threads = [threading.Thread(target=draw, args=(turn,)) for turn in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(drawn) == 8 * 300 and all(drawn)
