"""Images the OCR tests make: a photographed essay page, a blank page, hostile PNG and JPEG."""
from __future__ import annotations

import functools
import io
import random
import struct
import zlib

from PIL import Image

from contest.demo import paper

KK_ESSAY = (
    "Менің туған өлкем\n\n"
    "Менің туған өлкем әсем Алатаудың баурайындағы шағын ауыл. Біздің ауылдың адамдары еңбекқор "
    "әрі қонақжай. Көктемде қызғалдақтар гүлдеп, өзен суы тасиды. Жазда балалар өзенге шомылып, "
    "үлкендер шөп шабады. Күзде бақтағы алма піседі, қыста тау шыңдарын қалың қар басады.\n\n"
    "Мен болашақта ауылыма пайдалы маман болғым келеді. Ұстаздарым маған білімнің қадірін "
    "үйретті. Әрбір оқушы өз өлкесінің тарихын білуі керек деп ойлаймын. Сондықтан мен ауыл "
    "қарияларының әңгімелерін жазып, кітап құрастырып жүрмін. Бұл жұмыс маған үлкен қуаныш сыйлайды."
)


def kk_photo(seed: int = 7, angle: float = 3.0, *, signed: str = "") -> bytes:
    """A phone-like JPEG photo of a printed Kazakh essay page (`signed`: a line under the title)."""
    title, _, body = KK_ESSAY.partition("\n\n")
    text = f"{title}\n\n{signed}\n\n{body}" if signed else KK_ESSAY
    [page] = paper.page_images(text, size_pt=14)
    return paper.photo(page, random.Random(seed), angle=angle)


def blank_photo() -> bytes:
    """A photo of an empty sheet: no text at all."""
    page = Image.new("L", (1240, 1754), 250)
    return paper.photo(page, random.Random(1), angle=2.0)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def bomb_png(side: int = 30_000) -> bytes:
    """A 1-bit PNG of side x side white pixels: about 100 KB on disk, 900 megapixels decoded."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    z = zlib.compressobj(9)
    body = b"".join(z.compress(row) for _ in range(side)) + z.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    data = kk_photo()
    return data[: len(data) // 3]


def png_of(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def scribbled_page(seed: int = 5) -> bytes:
    """A page of handwriting-like strokes (connected loops along ruled lines, no printed glyph):
    what a hurried hand looks like to a reader of print."""
    import math

    from PIL import ImageDraw

    rng = random.Random(seed)
    page = Image.new("L", (1654, 2339), 250)
    draw = ImageDraw.Draw(page)
    for row in range(18):
        y0, x = 180 + row * 110, 140.0
        while x < 1500:
            points, length = [], rng.randint(60, 200)
            for step in range(length // 4):
                t = step / 3
                points.append((x + step * 4 + 9 * math.sin(t * rng.uniform(0.8, 1.2)),
                               y0 + 22 * math.sin(t * 1.7) + rng.uniform(-3, 3)))
            draw.line(points, fill=30, width=4, joint="curve")
            x += length + rng.randint(25, 45)
    return paper.photo(page, rng, angle=1.5)


def heic_of(image: Image.Image, quality: int = 80) -> bytes:
    """`image` encoded as a real HEIC (HEVC in a HEIF container), as a phone writes it
    (x265's fastest preset: the default takes seconds a megapixel)."""
    import pillow_heif

    out = io.BytesIO()
    heif = pillow_heif.from_pillow(image.convert("RGB"))
    heif.save(out, quality=quality, enc_params={"preset": "ultrafast"})
    return out.getvalue()


@functools.cache
def kk_heic(seed: int = 7, angle: float = 2.0) -> bytes:
    """The printed Kazakh essay page photographed (at 150 dpi, 16 pt) and saved as HEIC."""
    [page] = paper.page_images(KK_ESSAY, size_pt=16, dpi=150)
    return heic_of(Image.open(io.BytesIO(paper.photo(page, random.Random(seed), angle=angle))))


def heic_claiming(side: int) -> bytes:
    """A HEIC bomb: a tiny real HEIC whose header ("ispe" box) declares side x side pixels,
    which is what a decoder believes before decoding anything."""
    data = bytearray(heic_of(Image.new("L", (64, 64), 255)))
    at = data.index(b"ispe") + 8  # box type, then version/flags (4 bytes), then width, height
    data[at:at + 8] = struct.pack(">II", side, side)
    return bytes(data)
