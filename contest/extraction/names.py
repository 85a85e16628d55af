"""Name forms for redaction: one spelling-blind key per word, and every inflected form of a name.

The key ("skeleton") folds what differs between the ways a Kazakh or Russian name is written:
Cyrillic and Latin, the Kazakh Latin alphabet of 2021 (ä ğ q ñ ö ū ü ı ş ç), passport
spellings (Zh, Kh, Sh, Ch, Ts, Yu, Ya) and informal ones (J for Ж, H for Х, K for Қ, Y/I for
Ы/І/Й); Kazakh letters written the Russian way (Айгерім/Айгерим, Жұмабек/Жумабек) fold too.
Doubled letters collapse (Алла/Ala). Two words are "the same name" when their keys are equal.

Forms: a name part followed by a Kazakh ending (plural, possessive, case; e.g. -дар, -ым,
-ның, -ға, -мен), a Russian case ending (-а, -у, -ом, -ой, -ым, -ых...), a patronymic
(-ұлы/-uly, -қызы/-qyzy, -ович/-евич/-овна/-евна and their case forms), or an English -s.
A name ending in а/я/й/ь/е/ы also drops that letter before a Russian ending (Иванова ->
Ивановой, Мария -> Марии, Сергей -> Сергеем).
"""
from __future__ import annotations

import itertools
import re
from functools import lru_cache

_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "c", "ч": "¢", "ш": "§", "щ": "§", "ъ": "",
    "ы": "i", "і": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
# Latin digraphs first (longest first), then single letters of the 2021 alphabet and others.
_LATIN_PAIRS = [("shch", "§"), ("sch", "§"), ("sh", "§"), ("ch", "¢"), ("zh", "j"), ("kh", "h"),
                ("gh", "g"), ("ts", "c"), ("x", "ks")]
_LATIN = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ū": "u", "ı": "i", "ğ": "g", "ñ": "n",
                        "ş": "§", "ç": "¢", "q": "k", "y": "i", "w": "u", "ž": "j", "é": "e",
                        "'": "", "’": ""})
_RUNS = re.compile(r"(.)\1+")

# Kazakh endings: optional plural, optional possessive, optional case.
_KK_PLURAL = ["", "тар", "тер", "дар", "дер", "лар", "лер"]
_KK_POSSESSIVE = ["", "ы", "і", "сы", "сі", "ым", "ім", "мыз", "міз", "ымыз", "іміз", "ың", "ің",
                  "ңыз", "ңіз", "ыңыз", "іңіз"]
_KK_CASE = ["", "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на", "не", "а",
            "е", "ны", "ні", "ды", "ді", "ты", "ті", "н", "да", "де", "та", "те", "нда", "нде",
            "дан", "ден", "тан", "тен", "нан", "нен", "мен", "бен", "пен", "ша", "ше", "дай",
            "дей", "дағы", "дегі", "тағы", "тегі", "ндағы", "ндегі"]
_RU_CASE = ["а", "у", "ом", "ым", "ой", "ою", "е", "ы", "ых", "ыми", "ей", "ю", "и", "ем", "я",
            "ого", "ому", "ая", "ую", "ий", "им", "ими", "ев", "ов", "ам", "ами", "ах"]
_EN = ["s", "a"]
_PATRONYMIC = ["ұлы", "улы", "uly", "ulu", "қызы", "кызы", "qyzy", "kyzy", "ович", "евич", "овна",
               "евна", "ovich", "evich", "ovna", "evna", "ovic", "ovych"]
_SOFT_END = ("a", "i", "e")  # skeleton of а/я/й/ь/е/ы/и at the end of a name


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The spelling-blind key of one word (see the module docstring)."""
    low = word.lower()
    out = "".join(_CYRILLIC.get(ch, ch) for ch in low)
    for pair, repl in _LATIN_PAIRS:
        out = out.replace(pair, repl)
    out = out.translate(_LATIN)
    if out.startswith("ie"):  # Yerzhan, Yevgeniy -> Ержан, Евгений
        out = out[1:]
    return _RUNS.sub(r"\1", out)


@lru_cache(maxsize=1)
def _suffixes() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(Kazakh + English endings, Russian endings, patronymic forms with endings) as keys."""
    kazakh = {skeleton(p + s + c) for p, s, c in itertools.product(_KK_PLURAL, _KK_POSSESSIVE, _KK_CASE)}
    russian = {skeleton(e) for e in _RU_CASE}
    patronymic = {skeleton(p) + skeleton(e) for p in _PATRONYMIC
                  for e in ["", *_RU_CASE, *(s + c for s in ("", "сы", "сі") for c in _KK_CASE)]}
    return frozenset(kazakh | {skeleton(e) for e in _EN}), frozenset(russian), frozenset(patronymic)


def _collapse(key: str) -> str:
    return _RUNS.sub(r"\1", key)


@lru_cache(maxsize=512)
def name_forms(part: str) -> frozenset[str]:
    """Keys of every inflected, patronymic and transliterated form of one name part."""
    key = skeleton(part)
    forms = _forms(key) if key else frozenset()
    base = patronymic_base(key)
    if base:  # Жұмабекұлы in the record: Жумабекович, Zhumabekuly... and the father's name
        forms |= _forms(base)
    return frozenset(forms)


def _forms(key: str) -> frozenset[str]:
    kazakh, russian, patronymic = _suffixes()
    forms = {_collapse(key + s) for s in kazakh | russian | patronymic}
    if len(key) >= 3 and key[-1] in _SOFT_END:
        forms |= {_collapse(key[:-1] + s) for s in russian | {""}}
    return frozenset(forms)


_PATRONYMIC_KEYS = sorted({skeleton(p) for p in _PATRONYMIC}, key=len, reverse=True)


def patronymic_base(key: str) -> str:
    """The father's name (as a key) inside a patronymic key (жумабекули -> жумабек), else ""."""
    _kazakh, russian, _pat = _suffixes()
    for marker in _PATRONYMIC_KEYS:
        for ending in ("", *russian):
            tail = marker + ending
            if key.endswith(tail) and len(key) - len(tail) >= 3:
                return key[: -len(tail)]
    return ""


def is_patronymic(word: str) -> bool:
    """A word shaped like a patronymic (Жұмабекұлы, Сергеевна, Qairatqyzy, Жумабековичу)."""
    return bool(patronymic_base(skeleton(word)))
