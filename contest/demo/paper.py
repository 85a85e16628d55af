"""Printed essay pages as images: a clean 300 dpi scan and a phone-like photo of it.

Pure (Pillow only), for the OCR benchmark, the tests and demo data. Rule for the photo:
rotated by the given angle, a slight perspective (the top edge narrower), blurred, lit
unevenly (a linear gradient from one corner plus a soft shadow), a little sensor noise,
then saved as JPEG at quality 60.
"""
from __future__ import annotations

import io
import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from contest.demo.generator import FONT_PATH

A4_300DPI = (2480, 3508)
MARGIN = 220


def page_images(text: str, *, size_pt: float = 12, dpi: int = 300) -> list[Image.Image]:
    """The text typeset in DejaVu Sans on as many A4 pages (greyscale, white) as it needs."""
    return [image for image, _ in typeset(text, size_pt=size_pt, dpi=dpi)]


def typeset(text: str, *, size_pt: float = 12, dpi: int = 300) -> list[tuple[Image.Image, str]]:
    """(page image, the text on that page) for each A4 page the text needs."""
    width, height = A4_300DPI[0] * dpi // 300, A4_300DPI[1] * dpi // 300
    margin = MARGIN * dpi // 300
    font = ImageFont.truetype(str(FONT_PATH), int(size_pt * dpi / 72))
    line_h = int(font.size * 1.5)
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        words, line = paragraph.split(), ""
        for word in words:
            trial = f"{line} {word}".strip()
            if font.getlength(trial) > width - 2 * margin and line:
                lines.append(line)
                line = word
            else:
                line = trial
        lines += [line, ""]
    per_page = (height - 2 * margin) // line_h
    pages = []
    for start in range(0, len(lines), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        chunk = lines[start:start + per_page]
        for i, line in enumerate(chunk):
            draw.text((margin, margin + i * line_h), line, fill=20, font=font)
        if any(chunk):
            pages.append((page, "\n".join(chunk).strip()))
    return pages


def png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", dpi=(300, 300))
    return out.getvalue()


def photo(page: Image.Image, rng: random.Random, *, angle: float | None = None, quality: int = 60,
          blur: float = 1.2) -> bytes:
    """A phone photo of `page` as JPEG bytes (see the module's rule)."""
    angle = rng.uniform(-5, 5) if angle is None else angle
    w, h = page.size
    inset = int(w * 0.03)
    # Perspective: source corners (top-left, bottom-left, bottom-right, top-right); taking the
    # top edge from a wider span than the bottom one makes the top look further away.
    quad = (-inset, 0, 0, h, w, h, w + inset, 0)
    gray = page.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=235)
    gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=80)
    gray = gray.filter(ImageFilter.GaussianBlur(blur))
    light = Image.linear_gradient("L").rotate(35, fillcolor=128).resize(gray.size)
    light = light.point(lambda v: 150 + v * 105 // 255)  # 60 % to 100 % brightness
    shadow = Image.new("L", gray.size, 0)
    w, h = gray.size
    ImageDraw.Draw(shadow).ellipse((-w // 3, h // 2, w // 2, h * 3 // 2), fill=255)
    shadow = shadow.filter(ImageFilter.GaussianBlur(100))
    light = Image.composite(light.point(lambda v: v * 4 // 5), light, shadow)
    gray = ImageChops.multiply(gray, light)
    # Sensor noise from `rng` (Pillow's effect_noise is not seeded): the same photo every run.
    half = (gray.width // 2, gray.height // 2)
    noise = Image.frombytes("L", half, rng.randbytes(half[0] * half[1])).resize(gray.size)
    gray = Image.blend(gray, noise, 0.05)
    tint = Image.merge("RGB", [gray, gray.point(lambda v: v * 97 // 100),
                               gray.point(lambda v: v * 92 // 100)])
    out = io.BytesIO()
    tint.save(out, "JPEG", quality=quality)
    return out.getvalue()
