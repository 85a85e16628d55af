import pytest

from contest.extraction.text import count_words, detect_language, normalize_text
from tests.extraction.hostile import SAMPLES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("граж-\nданин", "гражданин"),
        ("граж\u00ad\nданин", "гражданин"),
        ("well-\n  known", "wellknown"),
        ("Алматы-\nАстана", "Алматы-Астана"),
        ("a\r\nb\rc", "a\nb\nc"),
        ("one\n\n\n\n\ntwo", "one\n\ntwo"),
        ("  spaced \t  out  \n", "spaced out"),
        ("nul\x00 and\x07 bell\x1b", "nul and bell"),
        ("bidi\u202e override\u200b", "bidi override"),
        ("e\u0301", "\u00e9"),  # NFC
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # escaping is the view's job
    ],
)
def test_normalize_text_cleans(raw, expected):
    assert normalize_text(raw) == (expected, False)


def test_normalize_text_caps_at_a_word_boundary():
    text, truncated = normalize_text("слово " * 100, max_chars=50)
    assert truncated is True
    assert text == " ".join(["слово"] * 8)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("— , . !", 0),
        ("Hello, world!", 2),
        ("жас-өспірім және don't", 3),
        ("2026 жылы 15 наурыз", 4),
        ("Сәлем\nәлем", 2),
        ("我的家乡。私の故郷 and two", 10),  # Han and kana characters count one each
    ],
)
def test_count_words_is_unicode_aware(text, expected):
    assert count_words(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SAMPLES["kk"], "kk"),
        (SAMPLES["ru"], "ru"),
        (SAMPLES["en"], "en"),
        (SAMPLES["ru"] + " Автор: Әлихан Бөкейханов.", "ru"),
        ("Қазақ", None),  # too few letters
        ("Мой родной город and my home town are far", None),  # mixed
        ("12345 67890 !!! " * 10, None),
    ],
)
def test_detect_language_by_letters(text, expected):
    assert detect_language(text) == expected
