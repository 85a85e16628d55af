"""Text normalization, word counting and language detection (pure functions)."""

from __future__ import annotations

import re
import unicodedata

DEFAULT_MAX_CHARS = 200_000

# Every C0/C1 control character except tab and line feed (kept as layout), and lone
# surrogates.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Format characters that only hide or reorder text: bidi overrides/isolates, zero-width
# spaces, BOM, soft hyphen (handled before removal so "граж\xad\nданин" still joins).
_DROP_FORMAT = dict.fromkeys(
    [0x00AD, 0x200B, 0x200E, 0x200F, 0x2060, 0xFEFF, *range(0x202A, 0x202F),
     *range(0x2066, 0x206A)]
)
_HYPHEN_BREAK = re.compile(r"([^\W\d_])[-\u2010\u00ad][ \t]*\n[ \t]*([^\W\d_])")
_SPACES = re.compile(r"[^\S\n]+")
_MANY_BREAKS = re.compile(r"\n{3,}")
WORD_PATTERN = re.compile(r"[^\W_]+(?:['’\-\u2010][^\W_]+)*")

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def _drop_controls(text: str) -> str:
    return _CONTROLS.sub("", text).translate(_DROP_FORMAT)


def _join_hyphenation(match: re.Match) -> str:
    left, right = match.group(1), match.group(2)
    # A capital after the break marks a real compound ("Алматы-\nАстана"), not a split word.
    return left + right if right.islower() else f"{left}-{right}"


def normalize_text(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[str, bool]:
    """Clean extracted text; return (text, truncated).

    Rule: Unicode NFC; CRLF/CR become LF; a word split by a hyphen at a line break is
    joined when the next part starts lowercase ("граж-\\nданин" -> "гражданин"); NUL and
    other control characters, bidi overrides and zero-width characters are removed; runs
    of spaces/tabs become one space; each line is stripped; paragraphs are kept as one
    blank line between them. Text longer than `max_chars` is cut at the last whitespace
    before the cap and `truncated` is True.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _HYPHEN_BREAK.sub(_join_hyphenation, text)
    text = _drop_controls(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _MANY_BREAKS.sub("\n\n", "\n".join(lines)).strip()
    if len(text) <= max_chars:
        return text, False
    cut = text[:max_chars]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return (cut[:space] if space > max_chars // 2 else cut).rstrip(), True


def count_words(text: str) -> int:
    """Count words: maximal runs of Unicode letters/digits; parts joined by a hyphen or an
    apostrophe count once ("жас-өспірім", "don't" = 1 word); punctuation alone is no word."""
    return sum(1 for _ in WORD_PATTERN.finditer(text))


def detect_language(text: str) -> str | None:
    """Guess "kk", "ru" or "en" from letter statistics, or None when unsure.

    Thresholds: fewer than 20 Cyrillic+Latin letters -> None. If Cyrillic letters are at
    least 60% of them: "kk" when the Kazakh-only letters ә ғ қ ң ө ұ ү һ і make up at least
    2% of the Cyrillic letters (real Kazakh prose has about 8-12%; a Kazakh name or two in
    Russian text stays well below 2%), else "ru". If Latin letters are at least 60%: "en".
    Anything more mixed -> None. Kazakh written in the Latin alphabet is reported as "en".
    """
    cyr = lat = kaz = 0
    for ch in text:
        if not ch.isalpha():
            continue
        if "\u0400" <= ch <= "\u04ff":
            cyr += 1
            kaz += ch in KAZAKH_LETTERS
        elif ch.isascii():
            lat += 1
    letters = cyr + lat
    if letters < 20:
        return None
    if cyr >= 0.6 * letters:
        return "kk" if kaz >= 0.02 * cyr else "ru"
    if lat >= 0.6 * letters:
        return "en"
    return None
