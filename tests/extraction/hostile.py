"""Test files made in code: good essays in kk/ru/en and hostile PDFs, DOCX and TXT.

Text is set in the DejaVu Sans the package ships for diplomas (Cyrillic and the Kazakh letters),
through the demo generator's font and wrapping helpers, so nothing depends on the machine's fonts.
"""

from __future__ import annotations

import functools
import io
import random
import zlib

import docx
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from contest.demo.generator import FONT, register_font, wrap_lines

SAMPLES = {
    "kk": "Менің туған өлкем — әсем Алатаудың баурайындағы шағын ауыл. Біздің ауылдың "
    "адамдары еңбекқор әрі қонақжай. Көктемде қызғалдақтар гүлдеп, өзен суы "
    "тасиды. Мен болашақта ауылыма пайдалы маман болғым келеді.",
    "ru": "Мой родной город стоит у подножия гор. Летом здесь цветут яблони, а зимой "
    "выпадает глубокий снег. Я хочу стать инженером и построить новые мосты через "
    "быструю горную реку, чтобы жителям было удобнее добираться до работы.",
    "en": "My home town lies at the foot of the mountains. In spring the orchards bloom "
    "and the river floods the meadows. I want to become an engineer and build new "
    "bridges so that people can reach their work safely in every season.",
}


def text_pdf(pages: list[list[str]], *, author: str = "", encrypt=None, size: float = 11) -> bytes:
    """A PDF with real text: each page is a list of paragraphs, wrapped at 60 mm margins."""
    register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), encrypt=encrypt, invariant=1)
    if author:
        c.setAuthor(author)
        c.setTitle(f"Эссе — {author}")
    for paragraphs in pages:
        y = 780.0
        c.setFont(FONT, size)
        for para in paragraphs:
            for line in wrap_lines(para, 445, size):
                c.drawString(72, y, line)
                y -= size * 1.4
            y -= size * 1.4
        c.showPage()
    c.save()
    return buf.getvalue()


def essay_pdf(lang: str, n_pages: int = 1) -> bytes:
    return text_pdf([[SAMPLES[lang]] * 3 for _ in range(n_pages)])


def encrypted_pdf(*, user_password: str, owner_password: str) -> bytes:
    enc = StandardEncryption(user_password, owner_password, canPrint=1, canCopy=0, strength=128)
    return text_pdf([[SAMPLES["ru"]]], encrypt=enc)


def latex_like_pdf(words: list[str], *, gap: float = 2.4, size: float = 10) -> bytes:
    """Words placed one by one at their own x with no space glyphs, as TeX output does.

    TeX shrinks inter-word glue down to about 0.22 em, below pdfplumber's default
    x_tolerance of 3 pt at 10 pt type, so the default extraction glues words together.
    """
    register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    c.setFont(FONT, size)
    x, y = 72.0, 780.0
    for word in words:
        w = pdfmetrics.stringWidth(word, FONT, size)
        if x + w > 520:
            x, y = 72.0, y - size * 1.3
        c.drawString(x, y, word)
        x += w + gap
    c.showPage()
    c.save()
    return buf.getvalue()


def essay_docx(paragraphs: list[str], *, table: list[list[str]] = (), author: str = "") -> bytes:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for col, cell in enumerate(row):
                t.cell(r, col).text = cell
    if author:
        d.core_properties.author = author
        d.core_properties.last_modified_by = author
        d.core_properties.title = f"Эссе {author}"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- raw PDFs for the hostile cases -----------------------------------------------


def raw_pdf(objects: list[bytes], *, root: int = 1) -> bytes:
    """Assemble numbered objects (1..n) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_HELV = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _one_page(content: bytes, extra: bytes = b"") -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>"),
        content,
        _HELV,
        extra or _stream(b"", b""),
    ]


def scan_pdf() -> bytes:
    """One page holding only a grey image, like a scan without OCR."""
    rnd = random.Random(4)
    pixels = bytes(rnd.randrange(180, 256) for _ in range(200 * 200))
    image = _stream(zlib.compress(pixels), b"/Type /XObject /Subtype /Image /Width 200 "
                    b"/Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode")
    return raw_pdf(_one_page(_stream(b"q 500 0 0 700 50 70 cm /X1 Do Q"), image))


@functools.lru_cache(maxsize=1)
def bomb_pdf(gigabytes: float = 1.0) -> bytes:
    """A content stream Flate-compressed twice: a few KB on disk, `gigabytes` when decoded."""
    inner = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [inner.compress(chunk) for _ in range(int(gigabytes * 1024))]
    layer1 = b"".join(parts) + inner.flush()
    layer2 = zlib.compress(layer1, 9)
    content = _stream(layer2, b"/Filter [/FlateDecode /FlateDecode]")
    return raw_pdf(_one_page(content))


def glyph_flood_pdf(glyphs: int = 1_000_000) -> bytes:
    """One page whose content draws `glyphs` characters (compressed to a few KB)."""
    line = b"(" + b"W" * 1000 + b") Tj 0 -0.01 Td\n"
    data = b"BT /F1 1 Tf 10 800 Td\n" + line * (glyphs // 1000) + b"ET"
    return raw_pdf(_one_page(_stream(zlib.compress(data, 9), b"/Filter /FlateDecode")))


def many_pages_pdf(n_pages: int, *, declared: int | None = None) -> bytes:
    """`n_pages` real pages of text while /Count claims `declared`."""
    content = _stream(b"BT /F1 12 Tf 72 720 Td (Page text here) Tj ET")
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n_pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> >>" % (kids, declared or n_pages),
        content,
        _HELV,
    ]
    objs += [b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"] * n_pages
    return raw_pdf(objs)


def self_drawing_xobject_pdf() -> bytes:
    """A form XObject whose content draws itself: an infinite recursion when rendered."""
    form = _stream(b"/X1 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                   b"/Resources << /XObject << /X1 6 0 R >> >>")
    return raw_pdf(_one_page(_stream(b"/X1 Do"), form))


def self_referencing_object_pdf() -> bytes:
    """Object 4 (the page's /Contents) is just a reference to itself."""
    objs = _one_page(b"4 0 R")
    return raw_pdf(objs)


def deep_page_tree_pdf(depth: int = 5000) -> bytes:
    """A page tree nested `depth` levels deep (each Pages node has one Pages kid)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        objs.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + level))
    objs.append(b"<< /Type /Page /MediaBox [0 0 10 10] >>")
    return raw_pdf(objs)


def truncated_pdf() -> bytes:
    return essay_pdf("en")[:600]


def zip_bytes(files: dict[str, bytes]) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@functools.lru_cache(maxsize=1)
def docx_bomb(megabytes: int = 400) -> bytes:
    """A valid-looking DOCX whose word/document.xml inflates to `megabytes` of spaces."""
    import zipfile

    base = essay_docx(["x"])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                head, tail = data.split(b"<w:body>", 1)
                data = head + b"<w:body>" + b" " * (megabytes << 20) + tail
            dst.writestr(item.filename, data, compress_type=zipfile.ZIP_DEFLATED,
                         compresslevel=9)
    return out.getvalue()


def macro_docx() -> bytes:
    """A macro-enabled Word document (.docm: the macro content type and a vbaProject.bin
    part), as a student would send after renaming it to .docx."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(essay_docx([SAMPLES["kk"]]))) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml",
                                    b"ms-word.document.macroEnabled.main+xml")
            dst.writestr(item.filename, data)
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 508)
    return out.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_NS = (_W + ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
       ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
       ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
       ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
       ' xmlns:v="urn:schemas-microsoft-com:vml"')


def w_p(*runs: str) -> str:
    """A paragraph of runs (each an XML run, or plain text made into one)."""
    return "<w:p>" + "".join(r if r.startswith("<") else f"<w:r><w:t xml:space=\"preserve\">{r}</w:t></w:r>"
                             for r in runs) + "</w:p>"


def w_textbox(*paragraphs: str) -> str:
    """A run holding a text box as Word writes it: DrawingML in mc:Choice, VML in mc:Fallback."""
    content = "<w:txbxContent>" + "".join(w_p(p) for p in paragraphs) + "</w:txbxContent>"
    return ("<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic>"
            "<a:graphicData><wps:wsp><wps:txbx>" + content + "</wps:txbx></wps:wsp></a:graphicData>"
            "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
            + content + "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")


def w_table(rows: list[list[str]]) -> str:
    """A table; a cell is plain text or ready XML (a nested table)."""
    def cell(c):
        return "<w:tc>" + (c + "<w:p/>" if c.startswith("<w:tbl") else w_p(c)) + "</w:tc>"
    body = "".join("<w:tr>" + "".join(cell(c) for c in row) + "</w:tr>" for row in rows)
    return "<w:tbl>" + body + "</w:tbl>"


def rich_docx(body_xml: str, *, footnotes: list[str] = (), header: str = "", footer: str = "") -> bytes:
    """A DOCX whose body is `body_xml` (w: elements), with optional footnotes (a real
    footnotes part with Word's separator notes), a header and a footer."""
    import zipfile

    d = docx.Document()
    d.add_paragraph("")
    if header:
        d.sections[0].header.paragraphs[0].text = header
    if footer:
        d.sections[0].footer.paragraphs[0].text = footer
    buf = io.BytesIO()
    d.save(buf)
    out = io.BytesIO()
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
    notes = "".join(f"<w:footnote w:id=\"{i}\">{w_p(n)}</w:footnote>" for i, n in enumerate(footnotes, 1))
    notes_xml = (f"<w:footnotes {_W}><w:footnote w:type=\"separator\" w:id=\"-1\">{w_p('———')}</w:footnote>"
                 + notes + "</w:footnotes>")
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                head, rest = data.decode().split("<w:body>", 1)
                missing = " ".join(ns for ns in _NS.split(" ") if ns.split("=")[0] + "=" not in head)
                head = head.replace("<w:document ", f"<w:document {missing} ", 1)
                data = (head + "<w:body>" + body_xml + rest.split("<w:p/>", 1)[1]).encode()
            elif item.filename == "[Content_Types].xml" and footnotes:
                data = data.replace(b"</Types>", f'<Override PartName="/word/footnotes.xml" '
                                    f'ContentType="{ct}"/></Types>'.encode())
            elif item.filename == "word/_rels/document.xml.rels" and footnotes:
                data = data.replace(b"</Relationships>", f'<Relationship Id="rIdFn" Type="{rel}" '
                                    f'Target="footnotes.xml"/></Relationships>'.encode())
            dst.writestr(item.filename, data)
        if footnotes:
            dst.writestr("word/footnotes.xml", notes_xml)
    return out.getvalue()


def tracked_pdf(lang: str, tracking: float, *, paragraphs: int = 3, size: float = 11) -> bytes:
    """An essay set with letter-spacing (PDF Tc, `tracking` points after every glyph,
    spaces included), as "expanded" text in Word exports."""
    register_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    text = c.beginText(72, 780)
    text.setFont(FONT, size, size * 1.4)
    text.setCharSpace(tracking)
    for _ in range(paragraphs):
        for line in wrap_lines(SAMPLES[lang], 445 * size / (size + 2.2 * tracking), size):
            text.textLine(line)
        text.textLine("")
    c.drawText(text)
    c.showPage()
    c.save()
    return buf.getvalue()
