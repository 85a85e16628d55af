"""Bare reportlab versions of the certificate/letter page and of the jury protocol, for
bench/diplomas.py: the same design drawn with the fewest calls (no cleaning, no fitting,
no wrapping; one line per table row), as minimal code would draw it."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from contest.diplomas import layout as L
from contest.diplomas import protocol as P
from contest.diplomas.ornament import draw_frame, draw_qr, draw_rule


def bare_document(content: L.DiplomaContent) -> bytes:
    """A certificate or letter (optionally bilingual) at fixed positions."""
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(L.PAGE_W, L.PAGE_H), invariant=1, pageCompression=1)
    draw_frame(c, L.PAGE_W, L.PAGE_H, L.NAVY, L.GOLD)
    mid, second = L.PAGE_W / 2, content.second
    details = content.body or f"{content.labels['category']}: {content.category}"
    rows = [
        (L.SANS, 10, L.GREY, 470, content.issuer.upper()),
        (L.SERIF_BOLD, 44, L.NAVY, 410, content.heading.upper()),
        (L.SERIF_ITALIC, 20, L.GOLD, 372, content.award_title),
        (L.SANS, 12, L.GREY, 330, content.labels["awarded_to"]),
        (L.SERIF_BOLD, 34, L.NAVY, 290, content.holder_name),
        (L.SERIF, 16, L.INK, 250, content.contest_title),
        (L.SANS, 10, L.GREY, 226, details),
    ]
    if content.supervisor:
        rows.append(
            (L.SANS, 10, L.GREY, 210, f"{content.labels.get('supervisor', '')}: {content.supervisor}")
        )
    if second is not None:
        rows += [
            (L.SANS, 8, L.GREY, 460, second.issuer.upper()),
            (L.SERIF_BOLD, 22, L.NAVY, 388, second.heading.upper()),
            (L.SERIF_ITALIC, 16, L.GOLD, 356, second.award_title),
            (L.SANS, 9, L.GREY, 318, second.labels["awarded_to"]),
            (L.SERIF, 13, L.INK, 236, second.contest_title),
            (L.SANS, 8, L.GREY, 216, second.body or second.category),
        ]
    for font, size, color, y, text in rows:
        c.setFont(font, size)
        c.setFillColor(color)
        c.drawCentredString(mid, y, text)
    draw_rule(c, mid, 350, 150, L.GOLD)
    columns = [(content.date_text, "", content.labels["date"])] + [("", n, t) for n, t in content.signatories]
    slot = (L.SIGN_RIGHT - L.SIGN_LEFT) / len(columns)
    c.setStrokeColor(L.GOLD)
    for index, (above, name, below) in enumerate(columns):
        x = L.SIGN_LEFT + slot * (index + 0.5)
        c.line(x - 80, 118, x + 80, 118)
        for font, size, y, text in (
            (L.SERIF, 12, 124, above),
            (L.SANS_BOLD, 9.5, 105, name),
            (L.SANS, 8, 93, below),
        ):
            c.setFont(font, size)
            c.drawCentredString(x, y, text)
        if second is not None and index > 0:
            other = second.signatories[index - 1]
            c.drawCentredString(x, 94, other[0])
            c.drawCentredString(x, 84, other[1])
    draw_qr(c, content.verification_url, L.QR_X, L.QR_Y, L.QR_SIZE)
    centre = L.QR_X + L.QR_SIZE / 2
    c.setFont(L.SANS, 7)
    c.drawCentredString(centre, L.QR_Y - 11, content.labels["code"])
    c.setFont(L.SANS_BOLD, 8.5)
    c.drawCentredString(centre, L.QR_Y - 23, content.verification_code)
    c.setFont(L.SANS, 7.5)
    c.drawCentredString(366, 50, f"{content.labels['verify_at']} {content.verification_url}")
    c.showPage()
    c.save()
    return buffer.getvalue()


def bare_protocol(content: P.ProtocolContent) -> bytes:
    """The protocol with one-line rows, its page count known in advance."""
    rows_per_page = int((P.TOP - P.BOTTOM) / 13.1)
    total_rows = sum(len(g.rows) + 3 for g in content.groups) + len(content.unranked) + 24
    pages = total_rows // rows_per_page + 1
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    widths = [P.WIDTH * share for share in P.COLUMN_SHARES]
    page, y = 1, P.TOP

    def footer():
        c.setFont(L.SANS, 7.5)
        c.setFillColor(L.GREY)
        c.drawString(P.MARGIN, P.BOTTOM - 26, f"{content.code_label}: {content.verification_code}")
        c.drawRightString(
            P.MARGIN + P.WIDTH, P.BOTTOM - 26, content.page_label.format(page=page, pages=pages)
        )

    def line(values, font):
        nonlocal y, page
        if y - 13.1 < P.BOTTOM:
            footer()
            c.showPage()
            page, y = page + 1, P.TOP
        c.setFont(font, P.CELL_SIZE)
        c.setFillColor(L.INK)
        x = P.MARGIN
        for value, width in zip(values, widths):
            c.drawString(x + 2, y - P.CELL_SIZE - 1.5, value)
            x += width
        y -= 13.1
        c.setStrokeColor(L.GREY)
        c.setLineWidth(0.25)
        c.line(P.MARGIN, y, P.MARGIN + P.WIDTH, y)

    c.setFont(L.SERIF_BOLD, 16)
    for title in content.title:
        c.drawCentredString(A4[0] / 2, y - 16, title)
        y -= 20
    for label, value in (*content.facts, *content.jury):
        line((label, value), L.SANS)
    for sentence in content.method:
        line((sentence,), L.SANS)
    for group in content.groups:
        line((group.title,), L.SANS_BOLD)
        line(content.columns, L.SANS_BOLD)
        for r in group.rows:
            line((r.place, r.code, r.author, r.school, r.region, r.score, r.award), L.SANS)
    for r in content.unranked:
        line((r.code, r.author, r.reason), L.SANS)
    for role, name in content.signatures:
        line((role, "", name), L.SANS)
    draw_qr(c, content.verification_url, P.MARGIN + P.WIDTH - 70, max(y - 76, P.BOTTOM), 70)
    footer()
    c.showPage()
    c.save()
    return buffer.getvalue()
