import io
import struct
import zlib

import pytest
from PIL import Image

from contest.diplomas.logo import MAX_LOGO_BYTES, LogoError, validate_logo
from contest.diplomas.samples import sample_logo


def _image(fmt: str, size=(64, 32), mode="RGB", noise=False) -> bytes:
    if noise:
        import random

        data = random.Random(7).randbytes(size[0] * size[1] * 3)
        image = Image.frombytes("RGB", size, data)
    else:
        image = Image.new(mode, size, (30, 60, 90))
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + ihdr + bytes(200)


@pytest.mark.parametrize(
    "data",
    [_image("PNG"), _image("JPEG"), _image("PNG", mode="RGBA"), sample_logo(),
     _image("PNG", size=(2000, 10))],
)
def test_validate_logo_accepts_png_and_jpeg(data):
    assert validate_logo(data) is None


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"not an image at all", "neither PNG nor JPEG"),
        (b"<html><body onload=alert(1)>logo.png</body></html>", "neither PNG nor JPEG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><image href='http://evil/'/></svg>",
         "neither PNG nor JPEG"),
        (_image("GIF"), "neither PNG nor JPEG"),
        (_image("BMP"), "neither PNG nor JPEG"),
        (_image("PNG", size=(600, 600), noise=True), "larger than 512 KB"),
        (_image("PNG", size=(2001, 10)), "at most 2000x2000"),
        (_image("JPEG", size=(10, 2001)), "at most 2000x2000"),
        (_png_claiming(100_000, 100_000), "at most 2000x2000"),
        (_png_claiming(100, 100), "cannot be decoded"),
        (_image("PNG")[:60], "cannot be decoded"),
        (_image("JPEG")[:200], "cannot be decoded"),
        (b"\x89PNG\r\n\x1a\n", "not a valid PNG"),
    ],
)
def test_validate_logo_refuses_bad_data(data, reason):
    with pytest.raises(LogoError, match=reason):
        validate_logo(data)


def test_validate_logo_size_limit_is_512_kb():
    assert MAX_LOGO_BYTES == 524_288
    assert len(_image("PNG", size=(600, 600), noise=True)) > MAX_LOGO_BYTES
