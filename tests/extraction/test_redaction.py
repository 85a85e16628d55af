"""The earlier redaction cases, still holding under the rules of redaction.py."""
import pytest

from contest.extraction.redaction import Author, redact_text

AUTHOR = Author(full_name="Айгерім Сапарова", school="№12 мектеп-лицей")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Айгерім Сапарова, 10 сынып.", "[…], 10 сынып."),
        ("Сапарова Айгерім", "[…]"),
        ("АЙГЕРІМ САПАРОВА", "[…]"),
        ("Айгерімнің арманы", "[…] арманы"),
        ("Айгерімге хат", "[…] хат"),
        ("Айгерим Сапаровой", "[…]"),
        ("Отец, Сапаров, сказал", "Отец, […], сказал"),
        ("Мен №12 мектеп-лицейінде оқимын.", "Мен […] оқимын."),
        ("Мектеп жақсы, лицей де.", "Мектеп жақсы, лицей де."),
        ("Айгерімтау деген тау", "Айгерімтау деген тау"),
        ("", ""),
    ],
)
def test_redact_kazakh_author_and_school(text, expected):
    assert redact_text(text, AUTHOR).text == expected


@pytest.mark.parametrize(
    ("text", "author", "expected"),
    [
        ("Иванов, Иванова, Иванову, Ивановой.", "Мария Иванова", "[…], […], […], […]."),
        ("Марии и Марией", "Мария Иванова", "[…] и […]"),
        ("Ивановка — село", "Мария Иванова", "Ивановка — село"),
        ("Ли ли это?", "Ли Мин", "Ли ли это?"),
        ("Мин Ли пишет", "Ли Мин", "[…] пишет"),
        ("John Smith's essay", "John Smith", "[…]'s essay"),
    ],
)
def test_redact_russian_and_english_case_forms(text, author, expected):
    assert redact_text(text, Author(full_name=author)).text == expected
