import pytest

from contest.extraction.filetype import FileTypeError, safe_display_name, sniff_format
from tests.extraction import hostile as h


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (h.essay_pdf("en"), "essay.pdf", "pdf"),
        (h.essay_pdf("en"), "ESSAY.PDF", "pdf"),
        (b"\n\n%PDF-1.4 junk first", "x.pdf", "pdf"),
        (h.essay_docx(["Сәлем"]), "essay.docx", "docx"),
        ("Привет".encode("cp1251"), "essay.txt", "txt"),
        ("Сәлем".encode("utf-16"), "essay.txt", "txt"),
        (b"<p>my essay about <script></p>", "essay.txt", "txt"),
    ],
)
def test_sniff_format_accepts_matching_files(data, name, expected):
    assert sniff_format(data, name) == expected


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "essay.pdf", "empty"),
        (h.essay_pdf("en"), "essay.pdf.html", "unsupported"),
        (h.essay_pdf("en"), "essay", "unsupported"),
        (h.EXE, "essay.pdf", "mismatch"),
        (h.HTML, "essay.pdf", "mismatch"),
        (h.zip_bytes({"a.txt": b"x"}), "essay.pdf", "mismatch"),
        (b"just some text", "essay.pdf", "mismatch"),
        (b"plain text", "essay.docx", "not_zip_docx"),
        (h.essay_pdf("en"), "essay.docx", "not_zip_docx"),
        (b"PK\x03\x04broken zip", "essay.docx", "not_zip_docx"),
        (h.zip_bytes({"[Content_Types].xml": b"<x/>"}), "essay.docx", "not_docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "essay.docx", "legacy_doc"),
        (h.EXE, "essay.txt", "mismatch"),
        (h.essay_pdf("en"), "essay.txt", "mismatch"),
        (b"text\x00with\x00nul", "essay.txt", "binary_txt"),
        (bytes(range(1, 32)) * 10, "essay.txt", "binary_txt"),
    ],
)
def test_sniff_format_refuses_lying_files(data, name, reason):
    with pytest.raises(FileTypeError) as info:
        sniff_format(data, name)
    assert info.value.reason == reason


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("x\x00.pdf", "x.pdf"),
        ("evil\u202efdp.exe", "evilfdp.exe"),
        ("  my   essay .pdf ", "my essay .pdf"),
        ("", "file"),
        ("...", "file"),
        ("CON.pdf", "CON.pdf"),
        ("a" * 300 + ".pdf", "a" * 28 + "…" + "a" * 27 + ".pdf"),
        ("б" * 100, "б" * 30 + "…" + "б" * 29),
    ],
)
def test_safe_display_name_cleans_and_shortens(name, expected):
    assert safe_display_name(name) == expected
    assert len(safe_display_name(name)) <= 60
