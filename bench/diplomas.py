"""Diplomas per second on one core: render_diploma against a bare reportlab page.

Usage: python bench/diplomas.py [--quick] [--no-logo] [--protocol-entries N]

Then the other documents: participation certificates and letters of thanks (kk, ru, en and
bilingual kk+ru) against a bare page of the same design (bench/documents_bare.py), and the
jury protocol of a 10,000-entry contest (PDF, and the DOCX) against a bare reportlab
protocol that draws one line per row with no cleaning, fitting or wrapping.

The bare page draws the same design (same fonts, frame, texts and QR code) with the fewest
reportlab calls: no text cleaning, no fitting, no metadata, no logo validation. It is
measured twice: with the QR path the core uses, and with reportlab's QrCodeWidget rendered
through renderPDF (what minimal code would write; run on every tenth winner only, as it is
slow). All variants run interleaved in chunks of ten in the same process, so drift hits them
alike; time is this process's CPU time, so other load on the machine skews it less.
"""

import argparse
import io
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from bench.documents_bare import bare_document, bare_protocol
from contest.diplomas import layout as L
from contest.diplomas import new_verification_code, render_diploma, render_diplomas
from contest.diplomas.ornament import draw_frame, draw_qr, draw_rule
from contest.diplomas.protocol import render_protocol
from contest.diplomas.protocol_docx import render_protocol_docx
from contest.diplomas.samples import KINDS, sample_content, sample_document, sample_logo, sample_protocol
from contest.diplomas.text import register_fonts

FIRST = ["Әлия", "Нұрсұлтан", "Айгүл", "Ерасыл", "Дарья", "Іңкәр", "Мирас", "Өмір", "Томирис"]
LAST = ["Нұрғалиева", "Сәрсенбаев", "Қуанышқызы", "Иванова", "Төлеуов", "Жұмабек", "Үсенова"]
CHUNK = 10


def winners(count: int, logo: bytes | None) -> list[L.DiplomaContent]:
    rng = random.Random(2026)
    languages = ("kk", "ru", "en")
    return [
        sample_content(languages[i % 3], holder=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                       code=new_verification_code(), logo=logo)
        for i in range(count)
    ]


def bare_page(content: L.DiplomaContent, widget_qr: bool) -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(L.PAGE_W, L.PAGE_H), invariant=1, pageCompression=1)
    draw_frame(c, L.PAGE_W, L.PAGE_H, L.NAVY, L.GOLD)
    mid = L.PAGE_W / 2
    if content.logo:
        c.drawImage(ImageReader(io.BytesIO(content.logo)), mid - 28, 482, 56, 56, mask="auto")
    rows = [
        (L.SANS, 10, L.GREY, 464, content.issuer.upper()),
        (L.SERIF_ITALIC, 22, L.GOLD, 376, content.award_title),
        (L.SANS, 12, L.GREY, 326, content.labels["awarded_to"]),
        (L.SERIF_BOLD, 36, L.NAVY, 284, content.holder_name),
        (L.SERIF, 17, L.INK, 238, content.contest_title),
        (L.SANS, 11, L.GREY, 212, (f"{content.labels['category']}: {content.category}  ·  "
                                  f"{content.labels['topic']}: {content.topic}")),
    ]
    for font, size, color, y, text in rows:
        c.setFont(font, size)
        c.setFillColor(color)
        c.drawCentredString(mid, y, text)
    heading = c.beginText(mid - 150, 410)
    heading.setFont(L.SERIF_BOLD, 50)
    heading.setCharSpace(8)
    heading.textOut(content.heading.upper())
    heading.setCharSpace(0)
    c.setFillColor(L.NAVY)
    c.drawText(heading)
    draw_rule(c, mid, 360, 150, L.GOLD)
    _bare_signatures(c, content)
    _bare_verification(c, content, widget_qr)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _bare_signatures(c: Canvas, content: L.DiplomaContent) -> None:
    columns = [(content.date_text, "", content.labels["date"])]
    columns += [("", name, title) for name, title in content.signatories]
    slot = (L.SIGN_RIGHT - L.SIGN_LEFT) / len(columns)
    c.setStrokeColor(L.GOLD)
    for index, (above, name, below) in enumerate(columns):
        x = L.SIGN_LEFT + slot * (index + 0.5)
        c.line(x - 80, 118, x + 80, 118)
        for font, size, y, text in ((L.SERIF, 12, 124, above), (L.SANS_BOLD, 9.5, 105, name),
                                    (L.SANS, 8, 93, below)):
            c.setFont(font, size)
            c.drawCentredString(x, y, text)


def _bare_verification(c: Canvas, content: L.DiplomaContent, widget_qr: bool) -> None:
    if widget_qr:
        widget = QrCodeWidget(content.verification_url, barLevel="M", barBorder=2)
        x0, y0, x1, y1 = widget.getBounds()
        size = L.QR_SIZE
        drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, c, L.QR_X, L.QR_Y)
    else:
        draw_qr(c, content.verification_url, L.QR_X, L.QR_Y, L.QR_SIZE)
    centre = L.QR_X + L.QR_SIZE / 2
    c.setFont(L.SANS, 7)
    c.drawCentredString(centre, L.QR_Y - 11, content.labels["code"])
    c.setFont(L.SANS_BOLD, 8.5)
    c.drawCentredString(centre, L.QR_Y - 23, content.verification_code)
    c.setFont(L.SANS, 7.5)
    c.drawCentredString(366, 50, f"{content.labels['verify_at']} {content.verification_url}")


def measure(contents: list[L.DiplomaContent]) -> dict[str, tuple[int, float]]:
    variants = {
        "render_diploma (core, one call each)": lambda chunk: [render_diploma(x) for x in chunk],
        "render_diplomas (core, batch)": lambda chunk: list(render_diplomas(chunk)),
        "bare reportlab, same QR path": lambda chunk: [bare_page(x, False) for x in chunk],
        "bare reportlab, QrCodeWidget (1 in 10)": lambda chunk: [bare_page(x, True)
                                                                for x in chunk[::10]],
    }
    totals = {name: [0, 0.0] for name in variants}
    for start in range(0, len(contents), CHUNK):
        chunk = contents[start : start + CHUNK]
        for name, run in variants.items():
            began = time.process_time()
            done = len(run(chunk))
            totals[name][0] += done
            totals[name][1] += time.process_time() - began
    return {name: (n, seconds) for name, (n, seconds) in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 winners instead of 1,000")
    parser.add_argument("--no-logo", action="store_true", help="winners without a logo")
    parser.add_argument("--protocol-entries", type=int, default=10_000, help="entries in the protocol")
    args = parser.parse_args()
    count = 100 if args.quick else 1000
    register_fonts()
    contents = winners(count, None if args.no_logo else sample_logo())
    measure(contents[:6])  # warm-up: imports, font parsing, caches
    results = measure(contents)
    reference = results["bare reportlab, same QR path"]
    reference_rate = reference[0] / reference[1]
    print(f"{count} winners, logo: {'no' if args.no_logo else 'yes'}, one core, "
          f"rl_accel: {_accelerated()}\n")
    print("| variant | diplomas | diplomas/s | ms each | vs bare (same QR path) |")
    print("|---|---:|---:|---:|---:|")
    for name, (n, seconds) in results.items():
        rate = n / seconds
        print(f"| {name} | {n} | {rate:.1f} | {1000 / rate:.1f} | {rate / reference_rate:.0%} |")
    report_documents(count, None if args.no_logo else sample_logo(), args.protocol_entries)


def documents(count: int, logo: bytes | None) -> list[L.DiplomaContent]:
    """Certificates and letters in kk, ru, en and kk+ru, each with its own code."""
    import dataclasses

    variants = [(kind, lang) for kind in KINDS[1:] for lang in ("kk", "ru", "en", "kk+ru")]
    out = []
    for i in range(count):
        kind, lang = variants[i % len(variants)]
        out.append(dataclasses.replace(sample_document(kind, lang, code=new_verification_code()), logo=logo))
    return out


def measure_documents(contents: list[L.DiplomaContent]) -> dict[str, tuple[int, float]]:
    variants = {
        "render_diplomas (core, batch)": lambda chunk: list(render_diplomas(chunk)),
        "bare reportlab, same design": lambda chunk: [bare_document(x) for x in chunk],
    }
    totals = {name: [0, 0.0] for name in variants}
    for start in range(0, len(contents), CHUNK):
        chunk = contents[start : start + CHUNK]
        for name, run in variants.items():
            began = time.process_time()
            totals[name][0] += len(run(chunk))
            totals[name][1] += time.process_time() - began
    return {name: (n, seconds) for name, (n, seconds) in totals.items()}


def measure_protocol(entries: int, language: str, rounds: int = 3) -> dict[str, tuple[int, float]]:
    content = sample_protocol(language, entries)
    variants = {"render_protocol (core PDF)": render_protocol, "bare reportlab protocol": bare_protocol}
    totals = {name: [0, 0.0] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            began = time.process_time()
            pdf = run(content)
            totals[name][1] += time.process_time() - began
            totals[name][0] = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    began = time.process_time()
    render_protocol_docx(content)
    totals["render_protocol_docx (core DOCX, once)"] = [0, (time.process_time() - began) * rounds]
    return {name: (pages, seconds / rounds) for name, (pages, seconds) in totals.items()}


def report_documents(count: int, logo: bytes | None, entries: int) -> None:
    contents = documents(count, logo)
    measure_documents(contents[:8])
    results = measure_documents(contents)
    reference = results["bare reportlab, same design"]
    print(f"\n{count} certificates and letters (kk, ru, en, kk+ru), logo: {'yes' if logo else 'no'}\n")
    print("| variant | documents | documents/s | ms each | vs bare (same design) |")
    print("|---|---:|---:|---:|---:|")
    for name, (n, seconds) in results.items():
        rate = n / seconds
        ratio = rate / (reference[0] / reference[1])
        print(f"| {name} | {n} | {rate:.1f} | {1000 / rate:.1f} | {ratio:.0%} |")
    for language in ("ru", "kk+ru"):
        results = measure_protocol(entries, language)
        bare = results["bare reportlab protocol"][1]
        print(f"\nJury protocol of {entries:,} entries ({language}), mean of 3 runs\n")
        print("| variant | pages | seconds | protocols/s | vs bare |")
        print("|---|---:|---:|---:|---:|")
        for name, (pages, seconds) in results.items():
            print(f"| {name} | {pages or ''} | {seconds:.2f} | {1 / seconds:.2f} | {bare / seconds:.0%} |")


def _accelerated() -> str:
    try:
        import _rl_accel  # noqa: F401
    except ImportError:
        return "no (pip install rl-accel: about 1.8x faster)"
    return "yes"


if __name__ == "__main__":
    main()
