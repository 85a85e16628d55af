import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from contest.diplomas.text import clean_text, fit_block, register_fonts

register_fonts()
FONT = "Diploma-Serif-Bold"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Әлия  Қуанышқызы", "Әлия Қуанышқызы"),
        ("  Әлия\r\nНұрғалиева\t", "Әлия Нұрғалиева"),
        ("А\u2028Б\u2029В", "А Б В"),
        ("Ali\x00ya\x1b[31m", "Aliya[31m"),
        ("abc\u202edcba", "abcdcba"),  # right-to-left override dropped
        ("e\u0301", "\u00e9"),  # NFC
        ("<b>x</b> & <font>", "<b>x</b> & <font>"),
        ("\ud800x", "x"),  # lone surrogate
    ],
)
def test_clean_text_literal_single_line(raw, expected):
    assert clean_text(raw) == expected


def test_clean_text_cuts_to_max_chars():
    assert clean_text("Ә" * 1000, 300) == "Ә" * 300


@pytest.mark.parametrize(
    "text, lines_expected",
    [
        ("Әлия Нұрғалиева", 1),
        ("Әлия-Гүлнұр Қуанышқызы Нұрғалиева-Сәрсенбаева-Тұрсынбекова Өтепбергенқызы", 2),
        ("Ұ" * 300, 2),
    ],
)
def test_fit_block_lines_fit_width(text, lines_expected):
    lines, size = fit_block(text, FONT, 36, 18, 400, 2)
    assert len(lines) == lines_expected
    assert [line for line in lines if stringWidth(line, FONT, size) > 400] == []
    assert 18 <= size <= 36


@pytest.mark.parametrize(
    "width, max_lines, expected",
    [
        (642, 2, ["Әлия-Гүлнұр Қуанышқызы", "Нұрғалиева-Сәрсенбаева-Тұрсынбекова"]),
        (400, 3, ["Әлия-Гүлнұр Қуанышқызы", "Нұрғалиева-Сәрсенбаева-", "Тұрсынбекова"]),
    ],
)
def test_fit_block_breaks_long_names_after_hyphens(width, max_lines, expected):
    text = "Әлия-Гүлнұр Қуанышқызы Нұрғалиева-Сәрсенбаева-Тұрсынбекова"
    lines, _ = fit_block(text, FONT, 36, 18, width, max_lines)
    assert lines == expected


def test_fit_block_cuts_with_ellipsis_when_too_long():
    lines, size = fit_block(" ".join(["Нұрғалиева"] * 60), FONT, 36, 18, 400, 2)
    assert size == 18
    assert lines[-1].endswith("\u2026")
