"""Letter-spaced PDF text is read as words: the word tolerance follows the page's own glyph
gaps. Files: hostile.tracked_pdf, the kk/ru/en samples set with 1 and 2 pt tracking."""
import io

import pdfplumber
import pytest

from contest.extraction.core import X_TOLERANCE_RATIO, extract, x_tolerance_ratio
from tests.extraction import hostile as h


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
@pytest.mark.parametrize("tracking", [1, 2])
def test_letter_spaced_text_reads_as_the_same_words(lang, tracking):
    plain = extract(h.tracked_pdf(lang, 0), "pdf", max_pages=10)
    spaced = extract(h.tracked_pdf(lang, tracking), "pdf", max_pages=10)
    assert spaced.text.split() == plain.text.split()
    assert (spaced.word_count, spaced.language) == (plain.word_count, lang)
    assert h.SAMPLES[lang].split()[0] in spaced.text.split()  # "Менің", not "М е н і ң"


def test_tolerance_moves_up_by_the_tracking_only_when_there_is_tracking():
    def ratio(data):
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return x_tolerance_ratio(pdf.pages[0].chars)

    assert ratio(h.tracked_pdf("ru", 0)) == pytest.approx(X_TOLERANCE_RATIO, abs=0.02)
    assert ratio(h.tracked_pdf("ru", 2)) == pytest.approx(X_TOLERANCE_RATIO + 2 / 11, abs=0.02)
