"""Decoding a plain-text essay whose encoding nobody declared (pure functions).

Rule, in order:
1. A byte-order mark wins (UTF-8, UTF-16 LE/BE, UTF-32); undecodable bytes are replaced.
2. Strict UTF-8.
3. UTF-8 with the few bad bytes replaced (U+FFFD), when the file is UTF-8 apart from them:
   at least BAD_RATIO times more well-formed multi-byte characters than bad spots (a
   character cut in half at the end, one stray cp1252 "é" in a Russian text). The damage
   stays local and is counted, so the student can be told "N characters could not be read".
4. Otherwise the single-byte code page the whole file fits best among CANDIDATES, scored
   by `fit`: letters of the Kazakh/Russian/Latin alphabets and usual punctuation count
   for, anything else (Serbian letters, box drawing, control and currency signs), an
   upper-case letter right after a lower-case one, and a word mixing Cyrillic and Latin
   count against. Kazakh letters thus decide between KZ-1048 (where they live) and CP1251
   (where the same bytes are Serbian letters); MacCyrillic capitals are CP1251 punctuation.
   Ties go to the earlier candidate.
"""
from __future__ import annotations

import re

BAD_RATIO = 20
CANDIDATES = ("cp1251", "kz1048", "koi8_r", "cp866", "mac_cyrillic", "cp1252")
_BOMS = ((b"\xef\xbb\xbf", "utf_8_sig"), (b"\xff\xfe\x00\x00", "utf_32"), (b"\x00\x00\xfe\xff", "utf_32"),
         (b"\xff\xfe", "utf_16"), (b"\xfe\xff", "utf_16"))
_RU = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_KK = set("әғқңөұүһі")
_CYRILLIC = _RU | _KK | {c.upper() for c in _RU | _KK}
_LATIN_EXTRA = set("éèêëàâäáãåçîïíìôöóòõûüúùñßæœøÿ")
_LATIN = set("abcdefghijklmnopqrstuvwxyz") | _LATIN_EXTRA
_LATIN |= {c.upper() for c in _LATIN}
_PUNCT = set("—–«»„“”‘’…№•·°§")
_WORD = re.compile(r"[^\W\d_]+")


def decode_text(data: bytes) -> tuple[str, int]:
    """(text, number of characters that could not be decoded), by the rule above."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="replace")
            return text, text.count("\ufffd")
    try:
        return data.decode("utf_8"), 0
    except UnicodeDecodeError:
        pass
    text = data.decode("utf_8", errors="replace")
    bad = text.count("\ufffd")
    well_formed = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if well_formed >= BAD_RATIO * bad:
        return text, bad
    best = max(CANDIDATES, key=lambda enc: (fit(data.decode(enc, errors="replace")), -CANDIDATES.index(enc)))
    text = data.decode(best, errors="replace")
    return text, text.count("\ufffd")


def fit(text: str) -> int:
    """How natural `text` looks as Kazakh, Russian or a Latin-script language."""
    score = 0
    for ch in text:
        if ch.isascii() or ch in _CYRILLIC or ch in _LATIN or ch in _PUNCT or ch == "\xa0":
            score += 1
        else:
            score -= 5
    for word in _WORD.findall(text):
        cyr = sum(ch in _CYRILLIC for ch in word)
        if cyr and cyr != len(word):
            score -= 5 * len(word)
        score -= 3 * sum(1 for a, b in zip(word, word[1:], strict=False) if a.islower() and b.isupper())
    return score
