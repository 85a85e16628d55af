"""Decide what an uploaded file is before anything is stored (extension + signature)."""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import zipfile

FORMATS = ("pdf", "docx", "txt", "image")
IMAGE_EXTENSIONS = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "heic": "heic", "heif": "heic"}
# Major brands of an ISO-BMFF "ftyp" box that mean a HEIF still image coded in HEVC (phones
# write "heic"; some write "mif1"): what pillow-heif decodes in the sandbox.
HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"mif1", b"msf1")

# Signatures of things that must never pass as an essay, whatever the extension says.
_FOREIGN = (
    (b"MZ", "executable"), (b"\x7fELF", "executable"), (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"), (b"\x89PNG", "image"), (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"), (b"%PDF-", "pdf"), (b"{\\rtf", "rtf"),
)
_HTML = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml)", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class FileTypeError(ValueError):
    """The upload is refused. `reason` is a stable code the view translates:

    "empty", "unsupported" (extension not pdf/docx/txt), "mismatch" (the signature says
    something else: an EXE, HTML or ZIP renamed .pdf), "not_zip_docx" (a .docx that is not
    a ZIP), "not_docx" (a ZIP without word/document.xml), "legacy_doc" (an old binary .doc),
    "binary_txt" (a .txt holding binary data), "macro_docx" (a macro-enabled document,
    .docm, renamed .docx), "empty" also for a TXT holding only white space, "not_image" (a
    .jpg/.png/.heic whose content is not a JPEG, PNG or HEIC).
    """

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def sniff_format(data: bytes, filename: str) -> str:
    """Return "pdf", "docx", "txt" or "image" when the extension and the content agree, else raise
    FileTypeError. Rules: the extension (last suffix, case-insensitive) picks the format;
    a PDF must carry "%PDF-" within its first 1024 bytes and not start as another known
    type; a DOCX must be a readable ZIP holding word/document.xml; a TXT must not start
    with a known binary signature or contain NUL bytes (UTF-16 with a BOM excepted) or
    more than 1% other control bytes in its first 64 KB; a .jpg/.jpeg must start with the
    JPEG signature, a .png with the PNG one and a .heic/.heif with a HEIF "ftyp" box (the
    pixels are decoded only in the sandbox).
    """
    if not data:
        raise FileTypeError("empty")
    ext = posixpath.splitext(filename.replace("\\", "/").lower())[1].lstrip(".")
    if ext in IMAGE_EXTENSIONS:
        if image_kind(data) != IMAGE_EXTENSIONS[ext]:
            raise FileTypeError("not_image", ext)
        return "image"
    if ext not in ("pdf", "docx", "txt"):
        raise FileTypeError("unsupported", ext)
    foreign = _foreign_kind(data)
    if ext == "pdf":
        if foreign not in (None, "pdf") or b"%PDF-" not in data[:1024]:
            raise FileTypeError("mismatch", foreign or "no PDF header")
    elif ext == "docx":
        _check_docx(data, foreign)
    else:
        _check_txt(data, foreign)
    return ext


def image_kind(data: bytes) -> str | None:
    """"jpg", "png" or "heic" from the signature, else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "heic"
    return None


def _foreign_kind(data: bytes) -> str | None:
    for magic, kind in _FOREIGN:
        if data.startswith(magic):
            return kind
    return "html" if _HTML.match(data[:512]) else None


def _check_docx(data: bytes, foreign: str | None) -> None:
    if foreign == "ole":
        raise FileTypeError("legacy_doc")
    if foreign != "zip":
        raise FileTypeError("not_zip_docx", foreign or "")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileTypeError("not_zip_docx", str(exc)) from None
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise FileTypeError("not_docx", "no word/document.xml")
    if "word/vbaProject.bin" in names or b"macroEnabled" in _member(data, "[Content_Types].xml"):
        raise FileTypeError("macro_docx")


def _member(data: bytes, name: str, limit: int = 1 << 20) -> bytes:
    """The first `limit` bytes of one ZIP member (a bomb cannot make it larger)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(name) as member:
        return member.read(limit)


def _check_txt(data: bytes, foreign: str | None) -> None:
    if foreign not in (None, "html"):  # HTML source is text; it is escaped when shown
        raise FileTypeError("mismatch", foreign)
    head = data[:65536]
    if not data.lstrip(b"\xef\xbb\xbf").strip():
        raise FileTypeError("empty", "white space only")
    if head.startswith(_UTF16_BOMS):
        return
    if b"\x00" in head:
        raise FileTypeError("binary_txt", "NUL bytes")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(head) / 100:
        raise FileTypeError("binary_txt", f"{controls} control bytes")


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def safe_display_name(filename: str, max_len: int = 60) -> str:
    """A name fit to show (still to be HTML-escaped by the template): NFC, the last path
    component only, control characters and bidi overrides removed, whitespace collapsed,
    and at most `max_len` characters, shortened in the middle so the extension stays
    visible ("very-long…name.pdf"). Never used as a storage name. Empty -> "file".
    """
    name = unicodedata.normalize("NFC", filename)
    name = _UNSAFE_NAME.sub("", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(name.split()).strip(" .")
    if not name:
        return "file"
    if len(name) <= max_len:
        return name
    stem, dot, ext = name.rpartition(".")
    tail = f"{dot}{ext}" if dot and len(ext) <= 8 else ""
    keep = max_len - len(tail) - 1
    base = stem if tail else name
    head_len = (keep + 1) // 2
    return f"{base[:head_len]}…{base[len(base) - (keep - head_len):]}{tail}"
