"""The juror's file in a blind contest: a PDF typeset from the redacted text, never the original.

Rule: only the redacted text and the entry code go in. Paragraphs (blank-line separated)
are kept, lines inside a paragraph are joined; DejaVu Sans (Latin, Cyrillic and Kazakh
letters) is embedded; the document's title is the entry code and every other metadata
field is empty; the output is byte-for-byte the same for the same input (invariant mode),
so re-running redaction stores the same file. Nothing of the student's file (annotations,
thumbnails, images, attachments, form values, fonts, metadata) can reach it.
"""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from contest.diplomas.text import register_fonts

FONT = "Diploma-Sans"
FONT_BOLD = "Diploma-Sans-Bold"


def juror_pdf(text: str, code: str) -> bytes:
    """An A4 PDF of `text` (already redacted) headed and footed by `code` only."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=16, spaceAfter=8)
    head = ParagraphStyle("head", fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=12)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=22 * mm,
                            bottomMargin=22 * mm, title=code, author="", subject="", creator="",
                            keywords="", invariant=1)
    story = [Paragraph(escape(code), head), Spacer(1, 4)]
    for para in (p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()):
        story.append(Paragraph(escape(" ".join(para.split())), body))

    def footer(canvas, _doc):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawRightString(A4[0] - 22 * mm, 12 * mm, f"{code} · {canvas.getPageNumber()}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
