"""All the text a reader of a DOCX sees (pure: bytes in, text out; runs in the sandbox).

Rule: the body is walked in document order, as Word shows it with changes accepted:
- paragraphs, and tables cell by cell (nested tables too); each table row is one block,
  its cells one line each;
- content controls (w:sdt), smart tags, custom XML, hyperlinks and simple fields are read
  through to their content;
- tracked insertions (w:ins, w:moveTo) are read, deletions (w:del, w:delText, w:moveFrom) are not;
- text boxes (w:txbxContent) become blocks of their own after the paragraph that anchors
  them. Word stores a text box twice, as DrawingML in mc:Choice and as VML in mc:Fallback:
  only the Choice is read, so the text counts once.
Footnotes and endnotes (except Word's separators) are read into `notes`; headers and
footers into `margins`. Neither is part of the essay's text or word count: notes are
counted apart, margins are kept only so that redaction can search them for names.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml."
NOTES = (_CT + "footnotes+xml", _CT + "endnotes+xml")
MARGINS = (_CT + "header+xml", _CT + "footer+xml")
# Containers whose content is read as if they were not there.
_THROUGH = {"sdt", "sdtContent", "smartTag", "customXml", "ins", "moveTo", "hyperlink", "fldSimple",
            "r", "dir", "bdo", "tc"}
_CELLS = {"tc", "sdt", "customXml"}
_SKIP = {"del", "moveFrom", "delText", "sdtPr", "rPr", "pPr", "instrText", "delInstrText"}


@dataclass(frozen=True)
class DocxText:
    body: str
    notes: str
    margins: str


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_mc_fallback(el) -> bool:
    return el.tag == f"{{{MC}}}Fallback"


def _blocks(container) -> list[str]:
    """Blocks (paragraphs, table rows, text boxes) of a body-like element, in order."""
    out: list[str] = []
    for child in container:
        name = _local(child)
        if name == "p":
            out += _paragraph(child)
        elif name == "tbl":
            for row in (r for r in child if _local(r) == "tr"):  # nested tables: inside their cell
                cells = ["\n".join(_blocks(cell)) for cell in row if _local(cell) in _CELLS]
                out.append("\n".join(c for c in cells if c.strip()))
        elif name == "AlternateContent":
            choice = next((c for c in child if not _is_mc_fallback(c)), None)
            out += _blocks(choice) if choice is not None else []
        elif name in _THROUGH:
            out += _blocks(child)
    return out


def _paragraph(p) -> list[str]:
    """The paragraph's own text, then the blocks of the text boxes anchored in it."""
    parts: list[str] = []
    boxes: list[str] = []

    def walk(el):
        for child in el:
            name = _local(child)
            if name in _SKIP:
                continue
            if name == "t":
                parts.append(child.text or "")
            elif name == "tab":
                parts.append("\t")
            elif name in ("br", "cr"):
                parts.append("\n")
            elif name == "noBreakHyphen":
                parts.append("-")
            elif name == "txbxContent":
                boxes.extend(_blocks(child))
            elif name == "AlternateContent":
                choice = next((c for c in child if not _is_mc_fallback(c)), None)
                if choice is not None:
                    walk(choice)
            elif name == "p":  # a paragraph nested without a text box wrapper
                boxes.extend(_paragraph(child))
            else:
                walk(child)

    walk(p)
    return ["".join(parts), *boxes]


def _join(blocks: list[str]) -> str:
    return "\n\n".join(b for b in blocks if b.strip())


def _notes(root) -> list[str]:
    out = []
    for note in root:
        if _local(note) in ("footnote", "endnote") and note.get(f"{{{W}}}type") in (None, "normal"):
            out += _blocks(note)
    return out


def read_docx(data: bytes) -> DocxText:
    """The body, the notes and the margins (headers and footers) of a DOCX."""
    document = docx.Document(io.BytesIO(data))
    body = _join(_blocks(document.element.body))
    notes: list[str] = []
    margins: list[str] = []
    for part in document.part.package.iter_parts():
        if part.content_type in NOTES or part.content_type in MARGINS:
            element = getattr(part, "element", None)
            root = element if element is not None else etree.fromstring(part.blob)
            if part.content_type in NOTES:
                notes += _notes(root)
            else:
                margins += _blocks(root)
    return DocxText(body, _join(notes), _join(margins))
