"""TXT decoding degrades locally: one bad byte costs one character, never the whole essay.

Files are made here from the kk/ru/en samples of tests/extraction/hostile.py, encoded and
damaged as the issue describes."""
import pytest

from contest.extraction.core import extract
from contest.extraction.encoding import decode_text
from tests.extraction.hostile import SAMPLES

KK = (SAMPLES["kk"] + "\n\n") * 8
RU = (SAMPLES["ru"] + "\n\n") * 8
RU_CAPS = "Мой Родной Город Стоит У Подножия Гор. Я Хочу Стать Инженером. " * 10


def test_kazakh_utf8_cut_in_the_middle_of_its_last_character():
    data = KK.rstrip()[:-1].encode("utf-8")[:-1]  # drop the final ".", then half of "е"
    text, bad = decode_text(data)
    assert bad == 1
    assert text == KK.rstrip()[:-2] + "\ufffd"
    whole = extract(KK.encode("utf-8"), "txt", max_pages=10)
    cut = extract(data, "txt", max_pages=10)
    assert (cut.word_count, cut.language, cut.bad_chars) == (whole.word_count, "kk", 1)


def test_russian_utf8_with_one_stray_cp1252_e_acute():
    data = RU[:100].encode("utf-8") + b"\xe9" + RU[100:].encode("utf-8")
    text, bad = decode_text(data)
    assert (bad, text) == (1, RU[:100] + "\ufffd" + RU[100:])
    result = extract(data, "txt", max_pages=10)
    assert (result.language, result.bad_chars) == ("ru", 1)
    assert result.word_count == extract(RU.encode(), "txt", max_pages=10).word_count


@pytest.mark.parametrize(("encoding", "text"), [
    ("cp1251", RU), ("kz1048", KK), ("koi8_r", RU), ("cp866", RU), ("mac_cyrillic", RU_CAPS),
    ("mac_cyrillic", RU), ("cp1251", RU_CAPS), ("cp1252", "Café au lait, déjà vu, naïve façade. " * 5),
])
def test_single_byte_code_page_chosen_when_the_whole_file_fits_it(encoding, text):
    assert decode_text(text.encode(encoding)) == (text, 0)


def test_kazakh_letters_decide_between_kz1048_and_cp1251():
    assert decode_text(KK.encode("kz1048"))[0] == KK
    assert decode_text(RU.encode("cp1251"))[0] == RU


def test_short_russian_text_in_cp1251_is_not_taken_for_broken_utf8():
    assert decode_text("Привет, мир!".encode("cp1251")) == ("Привет, мир!", 0)


def test_whitespace_only_txt_is_empty_not_a_scan():
    assert extract(b" \r\n\t \n", "txt", max_pages=10).flags == ("empty",)
