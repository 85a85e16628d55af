"""Blind judging: redact the author from the text and strip metadata from the juror's copy."""

from __future__ import annotations

import io
import re
import zipfile

import docx
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

MARK = "[…]"
# Case endings glued to a name. Russian: -а -у -ом -ым -ой -ою -е -ы -ых -ыми -ой -ей -ю -и
# -ем -я -ого -ому (Иванов/Иванова/Иванову, Мария/Марии/Марией, Сергей/Сергеем).
# Kazakh: genitive, dative, accusative, locative, ablative, instrumental in all their
# vowel-harmony and consonant variants (Айгерім/Айгерімнің/Айгерімге/Айгерімді).
# English: the possessive 's.
_RU = [
    "а", "у", "ом", "ым", "ой", "ою", "е", "ы", "ых", "ыми", "ым", "ей", "ю", "и", "ем", "я",
    "ого", "ому", "ой", "ая", "ую", "ий", "ым",
]
_KK = [
    "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на", "не", "ны", "ні",
    "ды", "ді", "ты", "ті", "ын", "ін", "да", "де", "та", "те", "нда", "нде", "дан", "ден",
    "тан", "тен", "нан", "нен", "мен", "бен", "пен", "ы", "і", "сы", "сі",
]
_SUFFIXES = sorted(set(_RU + _KK + ["'s", "’s"]), key=len, reverse=True)
# A Kazakh possessive may come before the case ending (мектеп-лицей-і-нде).
_SUFFIX = "(?:ы|і|сы|сі)?(?:" + "|".join(map(re.escape, _SUFFIXES)) + ")?"
# Kazakh letters as Russian texts spell them (Айгерім -> Айгерим, Әлия -> Алия).
_KK_TO_RU = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
# A stem ending in one of these drops it before a case ending (Мария -> Мари-и,
# Иванова -> Иванов-ой, Сергей -> Серге-ем).
_SOFT_ENDINGS = "аяйьеы"
MIN_PART_LEN = 3  # shorter name parts ("Ли", "Ан") would hit ordinary words


def _name_pattern(name: str) -> str:
    words = name.split()
    stems = [re.escape(words[-1])]
    if len(words[-1]) > MIN_PART_LEN and words[-1][-1].lower() in _SOFT_ENDINGS:
        stems.append(re.escape(words[-1][:-1]))
    head = r"\s+".join(map(re.escape, words[:-1]))
    last = "(?:" + "|".join(stems) + ")" + _SUFFIX
    return (head + r"\s+" if head else "") + last


def _compile(phrases: list[str]) -> re.Pattern | None:
    phrases = {" ".join(p.split()) for p in phrases if p.strip()}
    phrases = sorted(phrases | {p.translate(_KK_TO_RU) for p in phrases}, key=len, reverse=True)
    if not phrases:
        return None
    alternatives = "|".join(_name_pattern(p) for p in phrases)
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


def redact(text: str, names: list[str], *, phrases: list[str] = ()) -> str:
    """Replace the author's names and school with "[…]".

    `names` are people ("Айгерім Сапарова"): the full name and each part of at least
    MIN_PART_LEN letters are replaced, case-insensitively, as whole words, with simple
    Russian/Kazakh case endings and the English 's (Сапаровой, Айгерімнің, Smith's); a
    part ending in а/я/й/ь/е/ы also matches without that letter plus an ending, so
    "Иванова" redacts "Иванов" and "Ивановой" too. `phrases` (a school's name) are
    replaced only as a whole, with endings allowed on the last word, so "школа"
    alone is never redacted. A Kazakh possessive may precede the case ending, and the
    Russian spelling of Kazakh letters matches too (Айгерім -> Айгерим). Longer matches
    win; adjacent marks merge into one.
    """
    parts = [w for n in names for w in re.split(r"[\s\-]+", n) if len(w) >= MIN_PART_LEN]
    whole = [n for n in names if len(n.split()) > 1 or len(n.strip()) >= MIN_PART_LEN]
    for group in (whole + list(phrases), parts):
        pattern = _compile(group)
        if pattern is not None:
            text = pattern.sub(MARK, text)
    return re.sub(rf"{re.escape(MARK)}(?:\s+{re.escape(MARK)})+", MARK, text)


def strip_pdf_metadata(data: bytes) -> bytes:
    """The same pages without who-made-it data: the document Info (Author, Creator,
    Producer, Title...), the catalog's XMP /Metadata, per-page /Metadata and /PieceInfo,
    and the author (/T) of annotations. Only the pages are copied, so catalog-level
    attachments, outlines and scripts are dropped too. Encrypted files are opened with
    the empty user password (owner-only protection) or raise pypdf's error."""
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    for page in writer.pages:
        for key in ("/Metadata", "/PieceInfo"):
            page.pop(NameObject(key), None)
        for annot in page.get("/Annots") or []:
            annot.get_object().pop(NameObject("/T"), None)
    writer.metadata = None
    writer.xmp_metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_CORE_TEXT_FIELDS = ("author", "category", "comments", "content_status", "identifier",
                     "keywords", "language", "last_modified_by", "subject", "title", "version")
_APP_FIELDS = re.compile(rb"<(Company|Manager)>[^<]*</\1>")
_AUTHOR_ATTRS = re.compile(rb'\b(w:author|w:initials)="[^"]*"')


def strip_docx_metadata(data: bytes) -> bytes:
    """The same document without who-made-it data: every text field of the core
    properties emptied (author, last modified by, title...), Company and Manager emptied
    in docProps/app.xml, and the author/initials of comments and tracked changes in
    word/*.xml blanked."""
    document = docx.Document(io.BytesIO(data))
    props = document.core_properties
    for field in _CORE_TEXT_FIELDS:
        setattr(props, field, "")
    buf = io.BytesIO()
    document.save(buf)
    return _rewrite_zip(buf.getvalue())


def _rewrite_zip(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "docProps/app.xml":
                content = _APP_FIELDS.sub(rb"<\1></\1>", content)
            elif item.filename.startswith("word/") and item.filename.endswith(".xml"):
                content = _AUTHOR_ATTRS.sub(rb'\1=""', content)
            dst.writestr(item, content)
    return out.getvalue()
