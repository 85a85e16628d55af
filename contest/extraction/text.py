"""Text normalization, word counting and language detection (pure functions)."""

from __future__ import annotations

import re
import unicodedata

from contest.extraction import languages

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
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
WORD_PATTERN = re.compile(r"[^\W_]+(?:['’\-\u2010][^\W_]+)*")

KAZAKH_LETTERS = languages.KAZAKH_LETTERS


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
    apostrophe count once ("жас-өспірім", "don't" = 1 word); punctuation alone is no word.
    Chinese and Japanese write no spaces: each Han or kana character counts as one word."""
    cjk = len(_CJK.findall(text))
    if cjk:
        text = _CJK.sub(" ", text)
    return cjk + sum(1 for _ in WORD_PATTERN.finditer(text))


def detect_language(text: str) -> str | None:
    """The essay's main language code ("kk", "ru", "en", "de", "zh", ...) or None when unsure
    (see contest.extraction.languages for the rule)."""
    return languages.analyze(text)[0]
