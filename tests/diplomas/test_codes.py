import re

import pytest

from contest.diplomas.codes import ALPHABET, new_verification_code, normalize_code

CODE_SHAPE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def test_new_verification_code_unique_over_10000_draws():
    codes = [new_verification_code() for _ in range(10_000)]
    assert len(set(codes)) == 10_000
    assert [c for c in codes if not CODE_SHAPE.match(c)] == []


def test_new_verification_code_uses_whole_alphabet():
    seen = set("".join(new_verification_code() for _ in range(2_000)).replace("-", ""))
    assert seen == set(ALPHABET)
    assert len(ALPHABET) == 32


def test_normalize_code_round_trips_fresh_codes():
    codes = [new_verification_code() for _ in range(1_000)]
    assert [normalize_code(c) for c in codes] == codes
    assert [normalize_code(c.lower().replace("-", " ")) for c in codes] == codes


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("7kq4-m2xd-9rtp-wc3a", "7KQ4-M2XD-9RTP-WC3A"),
        ("  7KQ4 M2XD 9RTP WC3A ", "7KQ4-M2XD-9RTP-WC3A"),
        ("7KQ4M2XD9RTPWC3A", "7KQ4-M2XD-9RTP-WC3A"),
        ("7KQ4–M2XD—9RTP.WC3A", "7KQ4-M2XD-9RTP-WC3A"),
        ("OOOO-IIII-LLLL-oil0", "0000-1111-1111-0110"),
        ("7КQ4-М2ХD-9RТР-WС3А", "7KQ4-M2XD-9RTP-WC3A"),  # Cyrillic К М Х Т Р С А
        ("７ＫＱ４-M2XD-9RTP-WC3A", "7KQ4-M2XD-9RTP-WC3A"),  # full-width
    ],
)
def test_normalize_code_accepts_what_visitors_type(typed, expected):
    assert normalize_code(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "7KQ4-M2XD-9RTP",
        "7KQ4-M2XD-9RTP-WC3A-0",
        "7KQ4-M2XD-9RTP-WC3U",
        "7KQ4-M2XD-9RTP-WC3!",
        "7KQ4-M2XD-9RTP-WC3A" + " " * 60,
        "../../etc/passwd",
        "Ә" * 16,
    ],
)
def test_normalize_code_refuses_non_codes(typed):
    assert normalize_code(typed) is None
