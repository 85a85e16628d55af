"""Checking an organizer's logo before it is stored or drawn on a diploma."""

import io
import struct

from reportlab.lib.utils import ImageReader

MAX_LOGO_BYTES = 512 * 1024
MAX_LOGO_SIDE = 2000  # pixels; bounds the memory a decode can take
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"


class LogoError(ValueError):
    """The logo is refused; the message says why, in plain English for logs."""


def validate_logo(data: bytes) -> None:
    """Accept a logo only if it is PNG or JPEG by its leading bytes (never by its file name),
    at most MAX_LOGO_BYTES long, at most MAX_LOGO_SIDE pixels on each side, and fully
    decodable by reportlab. Raise LogoError otherwise. Nothing is fetched: a logo is bytes."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise LogoError("the logo is empty")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(f"the logo is larger than {MAX_LOGO_BYTES // 1024} KB")
    if data.startswith(PNG_SIGNATURE):
        _check_side(*_png_size(data))
    elif not data.startswith(JPEG_SIGNATURE):
        raise LogoError("the logo is neither PNG nor JPEG")
    try:
        reader = ImageReader(io.BytesIO(bytes(data)))
        _check_side(*reader.getSize())
        reader.getRGBData()  # a full decode: truncated or corrupt data fails here, not later
    except LogoError:
        raise
    except Exception as exc:  # the decoders raise many unrelated types
        raise LogoError("the logo cannot be decoded") from exc


def _png_size(data: bytes) -> tuple[int, int]:
    # Read the size from the IHDR header so a decompression bomb is refused before decoding.
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise LogoError("the logo is not a valid PNG")
    return struct.unpack(">II", data[16:24])


def _check_side(width: int, height: int) -> None:
    if not (0 < width <= MAX_LOGO_SIDE and 0 < height <= MAX_LOGO_SIDE):
        raise LogoError(f"the logo must be at most {MAX_LOGO_SIDE}x{MAX_LOGO_SIDE} pixels")
