import io
import zipfile

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from contest.extraction.redaction import redact, strip_docx_metadata, strip_pdf_metadata
from tests.extraction import hostile as h

AUTHOR = "Айгерім Сапарова"
SCHOOL = "№12 мектеп-лицей"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Айгерім Сапарова, 10 сынып.", "[…], 10 сынып."),
        ("Сапарова Айгерім", "[…]"),
        ("АЙГЕРІМ САПАРОВА", "[…]"),
        ("Айгерімнің арманы", "[…] арманы"),
        ("Айгерімге хат", "[…] хат"),
        ("Айгерим Сапаровой", "[…]"),
        ("Отец, Сапаров, сказал", "Отец, […], сказал"),
        ("Мен №12 мектеп-лицейінде оқимын.", "Мен […] оқимын."),
        ("Мектеп жақсы, лицей де.", "Мектеп жақсы, лицей де."),
        ("Айгерімтау деген тау", "Айгерімтау деген тау"),
        ("", ""),
    ],
)
def test_redact_kazakh_author_and_school(text, expected):
    assert redact(text, [AUTHOR], phrases=[SCHOOL]) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Иванов, Иванова, Иванову, Ивановой.", "[…], […], […], […]."),
        ("Марии и Марией", "[…] и […]"),
        ("Ивановка — село", "Ивановка — село"),
        ("Ли ли это?", "Ли ли это?"),
        ("John Smith's essay", "[…] essay"),
    ],
)
def test_redact_russian_and_english_case_forms(text, expected):
    assert redact(text, ["Мария Иванова", "Ли", "John Smith"]) == expected


def _pdf_with_xmp(author: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(h.text_pdf([["Essay text"]], author=author)))
    xmp = DecodedStreamObject()
    xmp.set_data(f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{author}</dc:creator>'
                 "</x:xmpmeta>".encode())
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer.root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_strip_pdf_metadata_removes_info_and_xmp():
    data = _pdf_with_xmp(AUTHOR)
    before = PdfReader(io.BytesIO(data))
    assert (before.metadata.author, "/Metadata" in before.trailer["/Root"]) == (AUTHOR, True)
    stripped = strip_pdf_metadata(data)
    after = PdfReader(io.BytesIO(stripped))
    assert after.metadata is None
    assert "/Metadata" not in after.trailer["/Root"]
    assert AUTHOR.encode("utf-16-be") not in stripped
    assert AUTHOR.encode() not in stripped
    assert after.pages[0].extract_text().strip() == "Essay text"


def test_strip_docx_metadata_empties_core_properties():
    stripped = strip_docx_metadata(h.essay_docx(["Эссе мәтіні."], author=AUTHOR))
    document = docx.Document(io.BytesIO(stripped))
    props = document.core_properties
    assert (props.author, props.last_modified_by, props.title) == ("", "", "")
    assert [p.text for p in document.paragraphs] == ["Эссе мәтіні."]
    assert AUTHOR.encode() not in stripped


def test_strip_docx_metadata_blanks_company_and_change_authors():
    with zipfile.ZipFile(io.BytesIO(h.essay_docx(["x"]))) as z:
        files = {name: z.read(name) for name in z.namelist()}
    files["docProps/app.xml"] = b"<Properties><Company>Lyceum 12</Company></Properties>"
    files["word/document.xml"] = files["word/document.xml"].replace(
        b"<w:body>", b'<w:body><w:ins w:id="1" w:author="Teacher A" w:date="2026-01-01"/>')
    stripped = strip_docx_metadata(h.zip_bytes(files))
    with zipfile.ZipFile(io.BytesIO(stripped)) as z:
        assert z.read("docProps/app.xml") == b"<Properties><Company></Company></Properties>"
        assert b'w:author=""' in z.read("word/document.xml")
        assert b"Teacher A" not in z.read("word/document.xml")
