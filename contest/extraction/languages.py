"""Which languages an essay is written in, and in what shares (pure functions).

Rule:
1. The text is cut into sentences (at . ! ? … and line breaks). Each sentence gets one
   language, weighted by its number of words; a sentence whose letters are not at least
   60% of one script, or whose language cannot be told, counts for nobody.
2. By script: Japanese when kana (hiragana/katakana) are among its CJK characters,
   otherwise Chinese for Han characters; Korean for Hangul; Arabic script as "ar".
3. Cyrillic: the whole text first decides whether it is Ukrainian (ї є ґ), Uzbek (ў ҳ)
   or Kyrgyz (ө ү ң without any of ә ғ қ ұ һ і). Otherwise each sentence is Kazakh or
   Russian by points: a Kazakh-only letter (ә ғ қ ң ө ұ ү һ і) 1 point, a frequent Kazakh
   word (және, бұл, үшін...) 2 points; a frequent Russian word (и, в, не, что...) 2 points
   for Russian. A tie goes to the whole text's verdict: Kazakh when Kazakh-only letters
   are at least 2% of its Cyrillic letters (real Kazakh prose has 8-12%; a Kazakh name in
   Russian text stays far below), else Russian.
4. Latin: frequent words of English, German, French, Spanish, Italian, Turkish and Uzbek
   (2 points each) and their own letters (ä ö ü ß; é è ê ç; ñ ¿ ¡; ğ ı ş; oʻ gʻ) (1 point
   each); the best score wins, English when nothing scores.
5. The main language is the one with the largest share; None when fewer than 20 letters,
   or when sentences of no known language outweigh it.
Kazakh in the Latin alphabet is not recognised (it is reported by its closest match).
"""
from __future__ import annotations

import re
from collections import Counter

MIN_LETTERS = 20
_SENTENCE = re.compile(r"[^.!?…\n]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’ʻ`][^\W\d_]+)*")
KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_KK_WORDS = frozenset("және мен бұл бір деп үшін ол біз осы сол еді болып туралы барлық менің біздің жоқ бар "
                      "емес өз оның олар қазір сондай тек әрі да де та те ма ме ба бе па пе керек кезде "
                      "арқылы бойынша соң дейін қарай болса болады".split())
_RU_WORDS = frozenset("и в не на что с как а то по это он я к из у за от для о же так мы вы но его все она "
                      "было бы был они когда только ещё еще уже или если чтобы при нет да".split())
_LATIN_WORDS = {
    "en": "the and of to in is that it for was with as are on be this have not by from".split(),
    "de": "der die und das ist nicht zu den mit sich auch ein eine von es ich für auf dem wir".split(),
    "fr": "le la les et des est une que dans pour pas qui sur au du ce il elle nous sont avec".split(),
    "es": "el la los las y que de en es por una con para no del se lo como más pero sus".split(),
    "it": "il di che la è per non una sono della del con gli le anche come più nel alla".split(),
    "tr": "ve bir bu için ile da de çok olarak daha gibi ne ama değil olan kadar her".split(),
    "uz": "va bu bilan uchun ham bir edi yoki emas bo'lib haqida kerak biz men ular lekin".split(),
}
_LATIN_WORDS = {lang: frozenset(words) for lang, words in _LATIN_WORDS.items()}
_LATIN_LETTERS = {"de": "äöüß", "fr": "éèêçàùœ", "es": "ñ¿¡áíóú", "it": "àèìòù", "tr": "ğışç",
                  "uz": "ʻ"}


_SCRIPTS = {  # script -> its letters, counted with one regex pass each (C speed, not per character)
    "kana": re.compile("[\u3040-\u30ff\u31f0-\u31ff]"),
    "han": re.compile("[\u3400-\u4dbf\u4e00-\u9fff]"),
    "hangul": re.compile("[\uac00-\ud7af\u1100-\u11ff]"),
    "arabic": re.compile("[\u0600-\u06ff]"),
    "cyrillic": re.compile("[\u0400-\u04ff]"),
    "latin": re.compile("[A-Za-z\u00c0-\u024f\u02bb]"),
}
_CJK = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_KAZAKH = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LETTER = re.compile(r"[^\W\d_]")


def _scripts(text: str, present=tuple(_SCRIPTS)) -> Counter[str]:
    """Letters of each script in `text`, looking only for the scripts `present`."""
    return Counter({name: len(_SCRIPTS[name].findall(text)) for name in present})


def _cyrillic_family(text: str) -> str | None:
    """A Cyrillic language other than Kazakh/Russian, decided on the whole text."""
    lower = text.lower()
    total = len(_SCRIPTS["cyrillic"].findall(text)) or 1

    def share(letters: str) -> int:
        return sum(lower.count(c) for c in letters)

    if share("їєґ") >= 0.005 * total:
        return "uk"
    if share("ўҳ") >= 0.005 * total:
        return "uz"
    kyrgyz, kazakh_only = share("өүң"), share("әғқұһі")
    if kyrgyz >= 0.01 * total and kazakh_only == 0:
        return "ky"
    return None


def _kazakh_by_letters(text: str) -> str:
    cyr, kaz = len(_SCRIPTS["cyrillic"].findall(text)), len(_KAZAKH.findall(text))
    return "kk" if cyr and kaz >= 0.02 * cyr else "ru"


def _kk_or_ru(sentence: str, words: list[str], default: str) -> str:
    kk = len(_KAZAKH.findall(sentence)) + 2 * sum(w in _KK_WORDS for w in words)
    ru = 2 * sum(w in _RU_WORDS for w in words)
    return "kk" if kk > ru else "ru" if ru > kk else default


def _latin(sentence: str, words: list[str]) -> str:
    scores = {lang: 2 * sum(w in vocabulary for w in words) for lang, vocabulary in _LATIN_WORDS.items()}
    for lang, letters in _LATIN_LETTERS.items():
        scores[lang] += sum(sentence.count(ch) for ch in letters)
    scores["uz"] += 2 * len(re.findall(r"[og][ʻ'’`]", sentence))
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] else "en"


def _sentence_language(sentence: str, words: list[str], family: str | None, default: str,
                       present: tuple[str, ...]) -> str | None:
    scripts = _scripts(sentence, present)
    total = len(_LETTER.findall(sentence))
    if not total:
        return None
    cjk = scripts["kana"] + scripts["han"]
    if cjk >= 0.6 * total:
        return "ja" if scripts["kana"] else "zh"
    script, count = scripts.most_common(1)[0]
    if count < 0.6 * total:
        return None
    if script == "hangul":
        return "ko"
    if script == "arabic":
        return "ar"
    if script == "cyrillic":
        return family or _kk_or_ru(sentence, words, default)
    if script == "latin":
        return _latin(sentence, words)
    return None


def analyze(text: str) -> tuple[str | None, dict[str, float]]:
    """(main language or None, share of words per language rounded to 0.01)."""
    if len(_LETTER.findall(text)) < MIN_LETTERS:
        return None, {}
    family, default = _cyrillic_family(text), _kazakh_by_letters(text)
    present = tuple(name for name, count in _scripts(text).items() if count)
    cjk_present = any(name in present for name in ("kana", "han", "hangul"))
    weights: Counter[str] = Counter()
    unknown = 0
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        words = [w.lower() for w in _WORD.findall(sentence)]
        cjk = len(_CJK.findall(sentence)) if cjk_present else 0
        weight = len(words) + cjk  # CJK writes no spaces: each character counts as a word
        if not weight:
            continue
        language = _sentence_language(sentence, words, family, default, present)
        if language is None:
            unknown += weight
        else:
            weights[language] += weight
    total = sum(weights.values()) + unknown
    if not weights or total == 0:
        return None, {}
    shares = {lang: round(w / total, 2) for lang, w in weights.most_common() if w / total >= 0.01}
    main, main_weight = weights.most_common(1)[0]
    return (main if main_weight >= unknown else None), shares
