"""The jury protocol as an editable Word document (python-docx), for institutions that edit
it before signing. Same content and order as the PDF (`protocol.render_protocol`); the
footer carries the verification code and "page x of y" as Word fields, which Word fills in.
Every text is cleaned by `clean_text` (lxml refuses control characters; markup stays text).
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from contest.diplomas.protocol import ProtocolContent
from contest.diplomas.text import clean_text

NAVY = RGBColor(0x1F, 0x3A, 0x5F)
FONT = "DejaVu Sans"


def render_protocol_docx(content: ProtocolContent) -> bytes:
    """The protocol's .docx bytes."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.6))
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(9)
    core = document.core_properties
    core.title, core.author = clean_text(" ".join(content.title), 200), "contest diplomas"
    for index, line in enumerate(content.title):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line, bold=True, size=16 if index == 0 else 11, color=NAVY)
    facts = [(label, value) for label, value in (*content.facts, *content.jury) if clean_text(value)]
    table = document.add_table(rows=0, cols=2)
    for label, value in facts:
        _row(table, (label, value), bold_first=True)
    for sentence in content.method:
        document.add_paragraph(clean_text(sentence, 4000))
    _heading(document, content.results_title, 12)
    for group in content.groups:
        _heading(document, group.title, 10.5)
        rows = [(r.place, r.code, r.author, r.school, r.region, r.score, r.award) for r in group.rows]
        _table(document, content.columns, rows)
    if content.unranked:
        _heading(document, content.unranked_title, 10.5)
        _table(document, content.unranked_columns, [(r.code, r.author, r.reason) for r in content.unranked])
    document.add_paragraph()
    signatures = document.add_table(rows=0, cols=3)
    for role, name in content.signatures:
        _row(signatures, (role, "_" * 24, name))
    _footer(section, content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _run(paragraph, text: str, *, bold: bool = False, size: float | None = None, color=None):
    run = paragraph.add_run(clean_text(text, 4000))
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = color
    return run


def _heading(document, text: str, size: float) -> None:
    _run(document.add_paragraph(), text, bold=True, size=size, color=NAVY)


def _row(table, values, *, bold_first: bool = False, bold: bool = False) -> None:
    # Cells are reached through the row's own XML: `row.cells` walks the whole table each time.
    row = table.add_row()
    for index, (tc, value) in enumerate(zip(row._tr.tc_lst, values)):
        cell = _Cell(tc, table)
        _run(cell.paragraphs[0], value, bold=bold or (bold_first and index == 0))


def _table(document, columns, rows) -> None:
    table = document.add_table(rows=0, cols=len(columns))
    table.style = "Table Grid"
    _row(table, columns, bold=True)
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for values in rows:
        _row(table, values)


def _footer(section, content: ProtocolContent) -> None:
    paragraph = section.footer.paragraphs[0]
    _run(paragraph, f"{content.code_label}: {content.verification_code}    ", size=7.5)
    label = clean_text(content.page_label, 80)
    before, _, rest = label.partition("{page}")
    middle, _, after = rest.partition("{pages}")
    _run(paragraph, before, size=7.5)
    _field(paragraph, "PAGE")
    _run(paragraph, middle, size=7.5)
    _field(paragraph, "NUMPAGES")
    _run(paragraph, after, size=7.5)


def _field(paragraph, name: str) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(7.5)
    begin, code, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {name} "
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(end)
