"""Kazakhstan's regions from one data file (regions.json): codes, names in kk/ru/en, and the
normalisation of free text ("Ақтөбе", "Актобе", "Aktobe", "Актюбинская обл." -> "aktobe").
Pure: no Flask, no database."""
from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("regions.json")
KAZAKH_FOLD = str.maketrans("әғқңөұүһі", "агкноуухи")
REGION_WORDS = ("обл", "облыс", "region", "oblast")  # "Алматы облысы" is the region, "Алматы" the city


@cache
def regions() -> tuple[dict, ...]:
    return tuple(json.loads(DATA.read_text(encoding="utf-8"))["regions"])


@cache
def codes() -> frozenset[str]:
    return frozenset(r["code"] for r in regions())


def label(code: str | None, lang: str) -> str:
    """The region's name in `lang`; text that is not a known code is shown as it is."""
    found = next((r for r in regions() if r["code"] == code), None)
    return (found.get(lang) or found["ru"]) if found else (code or "")


def choices(lang: str) -> list[tuple[str, str]]:
    """(code, name) in the order of the data file: the oblasts, then the three cities."""
    return [(r["code"], r.get(lang) or r["ru"]) for r in regions()]


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().translate(KAZAKH_FOLD).replace("ё", "е")
    return re.sub(r"[^\w\s-]", " ", text)


def normalize(text: str | None) -> str | None:
    """The code of the region the free text names, or None when it names none or several."""
    if not text or not text.strip():
        return None
    if text.strip() in codes():
        return text.strip()
    folded = _fold(text)
    words = folded.split()
    found = {r["code"] for r in regions() for stem in r["stems"]
             if any(w.startswith(stem) for w in words) or (" " in stem and stem in folded)}
    if "almaty" in found and any(w.startswith(REGION_WORDS) for w in words):
        found = (found - {"almaty"}) | {"almaty_region"}
    return found.pop() if len(found) == 1 else None
