"""School names compared the way people write them. Pure."""
from __future__ import annotations

import re
import unicodedata

NUMBER_SIGNS = re.compile(r"[№#]|\b(?:no|nr)\.?\s*(?=\d)")  # after NFKC "№" is "No"


def school_key(name: str) -> str:
    """Case, punctuation, spacing and the number sign ignored: "School No. 5", "school №5" and
    "SCHOOL  5" are one school."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = NUMBER_SIGNS.sub(" ", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())[:200]


def clean_name(name: str) -> str:
    return " ".join((name or "").split())[:200]
