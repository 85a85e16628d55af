import io

import pdfplumber
import pytest

from contest.extraction.core import ExtractionResult, TooComplexError, decode_text, extract
from tests.extraction import hostile as h

LATEX_WORDS = [
    "We", "prove", "that", "every", "bounded", "sequence", "of", "real", "numbers", "has", "a",
    "convergent", "subsequence", "and", "that", "the", "limit", "is", "unique",
] * 4


@pytest.mark.parametrize(("lang", "words_per_page"), [("kk", 81), ("ru", 105), ("en", 126)])
def test_extract_pdf_text_in_each_language(lang, words_per_page):
    result = extract(h.essay_pdf(lang, n_pages=2), "pdf", max_pages=10)
    assert result.language == lang
    assert result.page_count == 2
    assert result.word_count == 2 * words_per_page
    assert result.flags == ()
    assert result.text.startswith(h.SAMPLES[lang][:40])


def test_extract_pdf_keeps_paragraphs_and_pages_apart():
    result = extract(h.text_pdf([["First paragraph here.", "Second one."], ["Page two."]]),
                     "pdf", max_pages=10)
    assert result.text == "First paragraph here.\n\nSecond one.\n\nPage two."


def test_default_pdfplumber_glues_latex_words():
    with pdfplumber.open(io.BytesIO(h.latex_like_pdf(LATEX_WORDS))) as pdf:
        assert len(pdf.pages[0].extract_text().split()) < len(LATEX_WORDS) / 4


def test_extract_pdf_separates_latex_words():
    result = extract(h.latex_like_pdf(LATEX_WORDS), "pdf", max_pages=10)
    assert result.word_count == len(LATEX_WORDS)
    assert result.text.split() == LATEX_WORDS


@pytest.mark.parametrize("gap", [2.2, 3.3, 6.0])
def test_extract_pdf_word_count_independent_of_word_gap(gap):
    result = extract(h.latex_like_pdf(LATEX_WORDS, gap=gap), "pdf", max_pages=10)
    assert result.word_count == len(LATEX_WORDS)


def test_extract_pdf_without_text_layer_is_flagged():
    assert extract(h.scan_pdf(), "pdf", max_pages=10) == ExtractionResult(
        "", 0, 1, None, ("no_text",))


def test_extract_pdf_with_user_password_is_flagged():
    data = h.encrypted_pdf(user_password="secret", owner_password="owner")
    assert extract(data, "pdf", max_pages=10) == ExtractionResult(
        "", 0, 0, None, ("encrypted",))


def test_extract_pdf_with_owner_password_only_is_read():
    result = extract(h.encrypted_pdf(user_password="", owner_password="owner"), "pdf", 10)
    assert (result.language, result.flags, result.word_count) == ("ru", (), 35)


def test_extract_pdf_page_cap_ignores_declared_count():
    with pytest.raises(TooComplexError):
        extract(h.many_pages_pdf(30, declared=1), "pdf", max_pages=20)


def test_extract_pdf_counts_real_pages_when_count_lies_upward():
    result = extract(h.many_pages_pdf(3, declared=100_000), "pdf", max_pages=20)
    assert (result.page_count, result.word_count) == (3, 9)


def test_extract_pdf_caps_text_and_keeps_counting_pages():
    result = extract(h.essay_pdf("ru", n_pages=40), "pdf", max_pages=50, max_chars=2000)
    assert result.page_count == 40
    assert result.flags == ("truncated",)
    assert len(result.text) <= 2000


def test_extract_docx_paragraphs_and_tables_in_order():
    data = h.essay_docx(["Бірінші абзац.", "Екінші абзац."],
                        table=[["Жыл", "Оқиға"], ["1991", "Тәуелсіздік"]])
    result = extract(data, "docx", max_pages=10)
    assert result.text == "Бірінші абзац.\n\nЕкінші абзац.\n\nЖыл\nОқиға\n\n1991\nТәуелсіздік"
    assert (result.word_count, result.page_count) == (8, None)


def test_extract_empty_docx_is_empty_not_a_scan():
    assert extract(h.essay_docx([]), "docx", max_pages=10).flags == ("empty",)


@pytest.mark.parametrize(
    ("encoding", "lang"),
    [("utf-8", "kk"), ("utf-8-sig", "kk"), ("utf-16", "kk"), ("utf-16-be", None),
     ("cp1251", "ru"), ("kz1048", "kk")],
)
def test_decode_text_common_encodings(encoding, lang):
    text = h.SAMPLES[lang or "ru"]
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode_text(data) == text


def test_extract_txt_removes_nul_and_joins_hyphenation():
    data = "Біз азамат-\nтармыз.\x00\r\n\r\nЕкінші абзац.".encode()
    result = extract(data, "txt", max_pages=10)
    assert result.text == "Біз азаматтармыз.\n\nЕкінші абзац."
    assert result.word_count == 4
