"""Verification codes printed on diplomas: unguessable, yet easy to read aloud and type."""

import secrets
import unicodedata

# Crockford's base32: no I, L, O or U, so nothing on paper is ambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 4
GROUP_SIZE = 4
CODE_LENGTH = GROUPS * GROUP_SIZE  # 16 symbols x 5 bits = 80 bits of entropy
MAX_INPUT_LENGTH = 64

# What a visitor may type instead: Crockford's look-alikes, and the Cyrillic letters
# a kk/ru keyboard produces for the Latin ones they resemble.
_LOOKALIKES = {
    "O": "0", "I": "1", "L": "1",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "0",
    "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "З": "3", "І": "1",
}
_SEPARATORS = frozenset(" -_.\u2010\u2011\u2012\u2013\u2014\u2212\t")


def new_verification_code() -> str:
    """Return a fresh code: 16 Crockford base32 symbols from `secrets` (80 bits), in groups of
    four joined by hyphens, e.g. "7KQ4-M2XD-9RTP-WC3A"."""
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return _group(symbols)


def normalize_code(text: str) -> str | None:
    """Return the canonical form of a code a visitor typed, or None if it cannot be one.

    The rule: NFKC (full-width digits), upper case, separators (spaces, hyphens, dashes,
    dots, underscores) dropped, look-alikes mapped (O->0, I/L->1, Cyrillic А->A ...);
    what remains must be exactly 16 symbols of the alphabet. Over-long input is refused
    before any work is done on it.
    """
    if not isinstance(text, str) or len(text) > MAX_INPUT_LENGTH:
        return None
    folded = unicodedata.normalize("NFKC", text).upper()
    symbols = []
    for char in folded:
        if char in _SEPARATORS:
            continue
        char = _LOOKALIKES.get(char, char)
        if char not in ALPHABET:
            return None
        symbols.append(char)
    if len(symbols) != CODE_LENGTH:
        return None
    return _group("".join(symbols))


def _group(symbols: str) -> str:
    return "-".join(symbols[i : i + GROUP_SIZE] for i in range(0, len(symbols), GROUP_SIZE))
