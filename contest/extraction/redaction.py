"""Blind judging: remove from an essay everything a reader would recognise as its author.

The rules, all of them here (names.py only spells and inflects names):

contact  every e-mail address; every Kazakhstan phone number (+7 7xx…, 8 7xx…, 7xx…, with
         spaces, dashes, brackets) and any number after "тел./phone/WhatsApp"; every web
         address (http…, www…), social profile (vk.com/…, instagram.com/…, t.me/…) and @handle.
school   a school number in any wording (№ 25, No. 25, 25-мектеп, мектеп-гимназия №25,
         гимназия № 56, school 25, лицей № 21), with the city written beside it (Алматы
         қаласындағы…, …города Алматы, …in Almaty); the usual abbreviations (НЗМ/НИШ/NIS, БИЛ,
         КТЛ, РФМШ, ФМШ, ФМН, ХБН) and the networks' full names; the registered school's own
         name without its number («Дарын», "имени Абая", "Абай атындағы", a name of 2+ words).
name     the author's given name, surname and patronymic in every script, spelling and form
         (see names.py); a patronymic or initials (Е.Ж.) standing beside a name part; the
         words after "Менің атым / Меня зовут / My name is" even when they match nothing.
term     the organizer's extra terms for the contest and for the entry, inflected like names.
others   the names (capitalised words) of other people on the entry's record, the supervising
         teacher, removed by the name rule like the author's.

A name part that is also an ordinary word (COMMON_WORD_NAMES, any part of 3 letters or
fewer, or a part the essay itself writes in lower case) is removed only where it stands as a
name: capitalised inside a sentence, beside another removed name part, after "my name is",
or on an author line (one that mentions a grade, or the last short line). Other name parts
are removed in any case. Surfaces the organizer restored (`Author.keep`) are never removed.

Doubts (the organizer's queue): "intro_no_match" (the essay says "my name is" but what
follows is not the registered name), "ocr" (the text was read from an image), "margin_name"
(a DOCX header or footer, which jurors never receive, names as its author someone who is not
the registered author, or says "my name is" with another name: see margin_doubts).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from contest.extraction.names import is_patronymic, name_forms, skeleton

MARK = "[…]"

COMMON_WORD_NAMES = frozenset(skeleton(w) for w in """
арман бақыт нұр айгүл сәуле жұлдыз дана сабыр алтын гүл азамат әділ әділет берік болат темір
алмас серік ерік жеңіс қуаныш дәулет ғалым ақыл мұрат мейірім батыр ерлік мейрам сана асыл
талант әсем мөлдір жанар шолпан тілек үміт сенім ләззат ару ерке қайрат ұлан дархан самал назым
бота көркем сымбат рақым ислам иман қыран сұңқар бүркіт арай шапағат әлем ақниет айым күміс
вера надежда любовь роза лилия слава лев мир мира злата виктория заря
hope grace joy faith rose lily mark will bill frank may june april summer dawn ruby pearl iris
daisy ivy violet holly olive sunny hunter mason baker miller smith brown white black green young
king stone hill
""".split())


@dataclass(frozen=True)
class Author:
    """What identifies one entry's author: the registered record and the organizer's terms."""

    full_name: str
    school: str = ""
    email: str = ""
    region: str = ""
    extra_terms: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()  # surfaces the organizer restored
    # Other people on the entry's record (the supervising teacher, as written on the form):
    # their names are removed like the author's; the rest of the text ("teacher of English") is not.
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    rule: str  # contact | school | name | term


@dataclass(frozen=True)
class Redaction:
    text: str
    spans: tuple[Span, ...]
    doubts: tuple[str, ...]


_I = re.IGNORECASE
_CAP = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
# Every pattern starts only where its run of characters starts (the lookbehinds), so a
# hostile run of letters, digits or dots costs linear time, not quadratic.
CONTACT_PATTERNS = [
    re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?<![\w+])(?:\+\s?7|8|7)[\s-]*\(?\s*\d{3}\s*\)?[\s-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)"),
    re.compile(r"(?:https?://|www\.)[^\s<>\"«»]+", _I),
    re.compile(r"(?<![\w@/.])(?:vk\.com|instagram\.com|t\.me|facebook\.com|fb\.com|tiktok\.com|youtube"
               r"\.com|x\.com|twitter\.com|ok\.ru|linkedin\.com)/[^\s<>\"«»]+", _I),
    re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?"),
]
# Any number of 7+ digits right after a phone word ("тел.: 25-14-36").
PHONE_AFTER_WORD = re.compile(r"(?<![\w])(?:тел|телефон\w*|phone|tel|whatsapp|ватсап|ұялы)\.?\s*[:.]?\s*"
                              r"(\+?\d[\d\s()-]{5,40}\d)", _I)
_SW = r"(?:мекте[пб]|школ|гимнази|лице|колледж|school|gymnasium|lyceum|college|mektep|интернат)\w*"
_SWS = rf"{_SW}(?:\s*-\s*{_SW})*"
_NUM_MARK = r"(?:№|No\.?|#|number|номер)"
_ORD = r"(?:\s*-?\s*(?:ші|шы|ci|si|ая|я|ой|й|th|st|nd|rd))?"
_LOW = "a-zа-яёәғқңөұүһі"
SCHOOL_PATTERNS = [
    re.compile(rf"(?<!\w){_SWS}\s*{_NUM_MARK}\s*\d{{1,3}}(?!\d)", _I),
    re.compile(rf"(?<!\w){_SWS}\s+\d{{1,3}}(?![\d\w])(?!\s+(?!in\b|в\b|г\.|город|қала)[{_LOW}])", _I),
    re.compile(rf"(?<![\w№])(?:{_NUM_MARK}\s*)?\d{{1,3}}{_ORD}\s*-?\s*{_SWS}", _I),
    re.compile(rf"(?<![\w№]){_NUM_MARK}\s*\d{{1,3}}(?!\d)(?=\s+{_SWS})", _I),
    re.compile(r"(?<![\w-])(?:НЗМ|НИШ|NIS|БИЛ|BIL|КТЛ|KTL|РФМШ|RFMSh|RFMS|ФМШ|ФМН|ХБН)"
               r"(?:-?[а-яәғқңөұүһі]{1,6})?(?!\w)"),
    re.compile(r"назарбаев\s+зияткерлік\s+мектеб\w*|назарбаев\s+интеллектуальн\w+\s+школ\w*|"
               r"nazarbayev\s+intellectual\s+school\w*|білім[\s-]+инновация\s+лице\w*|"
               r"казахско-турецк\w+\s+лице\w*|қазақ-түрік\s+лице\w*|республиканск\w+\s+физико-"
               r"математическ\w+\s+школ\w*|республикалық\s+физика-математика\w*\s+мектеб\w*", _I),
]
_CITY_BEFORE = re.compile(rf"(?:[{_CAP}][\w-]+\s+(?:қаласы\w*|ауданы\w*|ауылы\w*|облысы\w*)|"
                          rf"(?:г\.|город\w*|қ\.)\s*[{_CAP}][\w-]+,?)\s*$")
_CITY_AFTER = re.compile(rf"\s*,?\s*(?:(?:в|in|г\.|города|город|қ\.)\s*)+[{_CAP}][\w-]+"
                         rf"(?:\s+(?:қаласы\w*|city))?")
_SCHOOL_NOISE = re.compile(rf"{_SWS}|{_NUM_MARK}|\d+|named|after|имени|атындағы|им\.|қала\w*|ауыл\w*|"
                           r"аудан\w*|"
                           r"облыс\w*|город\w*|г\.|city|region|district|village", _I)
_QUOTED = re.compile(r"[«\"“']([^»\"”']{2,60})[»\"”']")
_NAMED_AFTER = re.compile(r"(?:имени|им\.|named\s+after)\s+\S+|\S+\s+атындағы", _I)
INTRO = re.compile(r"(?:менің\s+(?:атым|есімім|аты-жөнім)|меня\s+зовут|мо[её]\s+имя|my\s+name\s+is|"
                   r"my\s+name's|i\s+am\s+called|i'm\s+called)\s*[:\-–—]?", _I)
_AUTHOR_LINE = re.compile(r"сынып|класс|grade|оқушы|ученик|student|автор|author|орындаған|выполнил|"
                          r"жазған|написал|"
                          r"written\s+by", _I)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class _Token:
    start: int
    end: int
    word: str
    key: str

    @property
    def capitalised(self) -> bool:
        return self.word[0].isupper() and not (len(self.word) > 1 and self.word.isupper())


def redact_text(text: str, author: Author, *, ocr: bool = False) -> Redaction:
    """Find every span the rules above remove; return the text with each run of removed
    spans replaced by one MARK, the spans (on the original text) and the doubts."""
    tokens = [_Token(m.start(), m.end(), m.group(), skeleton(m.group())) for m in _WORD.finditer(text)]
    contacts = _merge(_contacts(text))
    # Words inside an e-mail or a link (erzhan.omarov@…) say nothing about how the essay uses them.
    starts = [c.start for c in contacts]
    words = [t for t in tokens if not _inside(contacts, starts, t.start)]
    spans = contacts + _schools(text, tokens, author)
    names, doubts = _names(text, words, author)
    for other in author.others:
        parts = " ".join(w for w in _WORD.findall(other) if w[0].isupper() and len(w) > 2)
        if parts:  # their doubts say nothing: "my name is" is about the author
            names += _names(text, words, replace(author, full_name=parts))[0]
    spans += names + _terms(text, tokens, author.extra_terms, "term")
    keep = {k.casefold() for k in author.keep if k.strip()}
    spans = [s for s in _merge(spans) if text[s.start:s.end].casefold() not in keep]
    if ocr:
        doubts.append("ocr")
    return Redaction(_apply(text, spans), tuple(spans), tuple(doubts))


# Words an author line of a header or footer has besides the name (not a name themselves).
_MARGIN_WORDS = re.compile(r"эссе|essay|сочинение|шығарма|тақырып\w*|тема|topic|title|бет|page|страница|"
                           r"конкурс\w*|contest|байқау\w*", _I)


def margin_doubts(margin: str, author: Author) -> tuple[str, ...]:
    """Doubts raised by a file's headers and footers (kept apart from the essay; jurors never
    receive them): "margin_name" when a line there that names an author (a grade/"author"
    line, or "my name is") has capitalised words that no rule removes for this author, or
    "my name is" is followed by another name. Such a header usually means the file is signed
    with a name the redaction does not know, which the essay may carry too."""
    if not margin.strip():
        return ()
    found = redact_text(margin, author)
    if "intro_no_match" in found.doubts:
        return ("margin_name",)
    covered = [(s.start, s.end) for s in found.spans]
    pos = 0
    for line in margin.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if not (_AUTHOR_LINE.search(line) or INTRO.search(line)):
            continue
        skip = covered + [(start + m.start(), start + m.end())
                          for pattern in (_AUTHOR_LINE, INTRO, _MARGIN_WORDS) for m in pattern.finditer(line)]
        for m in _WORD.finditer(line):
            at, word = start + m.start(), m.group()
            if len(word) > 1 and word[0].isupper() and not any(a <= at < b for a, b in skip):
                return ("margin_name",)
    return ()


def _inside(spans: list[Span], starts: list[int], pos: int) -> bool:
    """pos lies in one of the sorted, non-overlapping spans (starts: their start offsets)."""
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and pos < spans[i].end


def _contacts(text: str) -> list[Span]:
    spans = [Span(m.start(1), m.end(1), "contact") for m in PHONE_AFTER_WORD.finditer(text)]
    for pattern in CONTACT_PATTERNS:
        for m in pattern.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?)»":
                end -= 1
            spans.append(Span(m.start(), end, "contact"))
    return spans


def _schools(text: str, tokens: list[_Token], author: Author) -> list[Span]:
    spans = []
    for pattern in SCHOOL_PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            before = _CITY_BEFORE.search(text[max(0, start - 60):start])
            start = start - len(before.group()) if before else start
            after = _CITY_AFTER.match(text, end)
            spans.append(Span(start, after.end() if after else end, "school"))
    return spans + _terms(text, tokens, _school_names(author.school), "school")


def _school_names(school: str) -> list[str]:
    """The registered school's own name: quoted names, "named after X", the school as written
    when it has a name beside its number and kind ("Almaty College of Economics", not
    "Gymnasium No. 56"), and that name alone when it has two words or more."""
    names = [m.group(1) for m in _QUOTED.finditer(school)]
    names += [m.group() for m in _NAMED_AFTER.finditer(school)]
    rest = _NAMED_AFTER.sub(" ", _QUOTED.sub(" ", school))
    words = _WORD.findall(_SCHOOL_NOISE.sub(" ", rest))
    if words:  # a name of its own beside the number and the kind of school
        names.append(school)
    if len(words) >= 2:
        names.append(" ".join(words))
    return names


def _terms(text: str, tokens: list[_Token], terms, rule: str) -> list[Span]:
    """Every place a term's words appear in a row, each in any form of itself."""
    spans = []
    for term in terms:
        parts = [_forms_of(w) for w in _WORD.findall(term)]
        if not parts:
            continue
        for i in range(len(tokens) - len(parts) + 1):
            run = tokens[i:i + len(parts)]
            if all(t.key in forms for t, forms in zip(run, parts)) and all(
                    re.fullmatch(r"[\s\-«»\"'“”.,№#\d]*", text[a.end:b.start]) for a, b in zip(run, run[1:])):
                spans.append(Span(run[0].start, run[-1].end, rule))
    return spans


def _forms_of(word: str) -> frozenset[str]:
    return name_forms(word) if len(word) > 2 else frozenset({skeleton(word)})


def _names(text: str, tokens: list[_Token], author: Author) -> tuple[list[Span], list[str]]:
    parts = [(_forms_of(p), _strict(p, tokens)) for p in _WORD.findall(author.full_name)]
    lines = _author_lines(text)
    hit = [False] * len(tokens)
    for i, t in enumerate(tokens):
        for forms, strict in parts:
            if t.key in forms and (not strict or (t.capitalised and not _sentence_start(text, t.start))
                                   or any(a <= t.start < b for a, b in lines) and t.capitalised):
                hit[i] = True
    for _round in range(3):  # beside a removed part: strict parts, patronymics, initials
        for i, t in enumerate(tokens):
            if hit[i] or not _beside_hit(text, tokens, hit, i):
                continue
            initial = len(t.word) == 1 and t.word.isupper() and text[t.end:t.end + 1] == "."
            if (any(t.key in f for f, _s in parts) and t.capitalised) or initial or (
                    t.capitalised and is_patronymic(t.word)):
                hit[i] = True
    spans = [Span(t.start, t.end + (1 if len(t.word) == 1 else 0), "name") for t, h in zip(tokens, hit) if h]
    doubts = []
    token_starts = [t.start for t in tokens]
    for m in INTRO.finditer(text):
        first = bisect.bisect_left(token_starts, m.end())
        following = tokens[first:first + 3]
        named = []
        for t in following:
            if not t.capitalised or (named and not re.fullmatch(r"\s+", text[named[-1].end:t.start])):
                break
            named.append(t)
        spans += [Span(t.start, t.end, "name") for t in named]
        if not any(t.key in f for t in named for f, _s in parts):
            doubts.append("intro_no_match")
    return spans, list(dict.fromkeys(doubts))


def _strict(part: str, tokens: list[_Token]) -> bool:
    """Removed only in name positions: an ordinary word, a short part, or one written in
    lower case somewhere in this essay."""
    key = skeleton(part)
    forms = name_forms(part)
    return key in COMMON_WORD_NAMES or len(part) <= 3 or any(
        t.word[0].islower() and t.key in forms for t in tokens)


def _sentence_start(text: str, start: int) -> bool:
    window = max(0, start - 40)  # a bounded look back: linear time over the whole essay
    before = text[window:start].rstrip(" \t«\"“'(—–-")
    return (not before and window == 0) or (bool(before) and before[-1] in ".!?…\n:")


def _author_lines(text: str) -> list[tuple[int, int]]:
    """Lines that name the author: one mentioning a grade or "author", or the last short line."""
    found, offset, lines = [], 0, []
    for line in text.split("\n"):
        lines.append((offset, offset + len(line), line))
        offset += len(line) + 1
    filled = [ln for ln in lines if ln[2].strip()]
    for a, b, line in filled:
        if _AUTHOR_LINE.search(line) and len(_WORD.findall(line)) <= 8:
            found.append((a, b))
    if len(filled) > 1 and len(_WORD.findall(filled[-1][2])) <= 4:
        found.append(filled[-1][:2])
    return found


def _beside_hit(text: str, tokens: list[_Token], hit: list[bool], i: int) -> bool:
    gap = r"[\s.,]*" if len(tokens[i].word) == 1 else r"\.?\s+|\.\s*"
    before = i > 0 and hit[i - 1] and re.fullmatch(gap, text[tokens[i - 1].end:tokens[i].start])
    after = i + 1 < len(tokens) and hit[i + 1] and re.fullmatch(gap, text[tokens[i].end:tokens[i + 1].start])
    return bool(before or after)


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one (the first rule by position names it)."""
    out: list[Span] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if out and s.start < out[-1].end:
            last = out[-1]
            out[-1] = Span(last.start, max(last.end, s.end), last.rule)
        else:
            out.append(s)
    return out


def _apply(text: str, spans: list[Span]) -> str:
    out, pos = [], 0
    for s in spans:
        out += [text[pos:s.start], MARK]
        pos = s.end
    out.append(text[pos:])
    return re.sub(rf"{re.escape(MARK)}(?:[\s.]*{re.escape(MARK)})+", MARK, "".join(out))
