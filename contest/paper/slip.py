"""The receipt slip handed to a pupil whose essay the organizer entered: an A5 page with the
contest, the entry code, the claim key and how to claim. Pure: strings in (already in the
pupil's language), PDF bytes out; DejaVu (Kazakh letters) embedded; every value is printed as
literal text (escaped), nothing is fetched; the same input gives the same bytes."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from contest.diplomas.text import register_fonts

FONT, FONT_BOLD = "Diploma-Sans", "Diploma-Sans-Bold"


def slip_pdf(*, heading: str, contest: str, rows: list[tuple[str, str]], code: str, key: str,
             code_label: str, key_label: str, how_to_claim: str) -> bytes:
    register_fonts()
    head = ParagraphStyle("head", fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=4)
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14)
    big = ParagraphStyle("big", fontName=FONT_BOLD, fontSize=18, leading=24)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A5, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=code, author="", subject="", creator="", keywords="",
                            invariant=1)
    facts = Table([[Paragraph(escape(k), body), Paragraph(escape(v), body)] for k, v in rows],
                  colWidths=[38 * mm, None])
    facts.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    codes = Table([[Paragraph(escape(code_label), body), Paragraph(escape(code), big)],
                   [Paragraph(escape(key_label), body), Paragraph(escape(key), big)]],
                  colWidths=[38 * mm, None])
    codes.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, "#333333"),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    story = [Paragraph(escape(heading), head), Paragraph(escape(contest), body), Spacer(1, 8), facts,
             Spacer(1, 10), codes, Spacer(1, 10), Paragraph(escape(how_to_claim), body)]
    doc.build(story)
    return buf.getvalue()
