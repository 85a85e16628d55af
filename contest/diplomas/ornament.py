"""The drawn parts of a diploma that carry no text: frame, rules and the QR code."""

from itertools import groupby

from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.pdfgen.canvas import Canvas

from contest.diplomas.qr import qr_modules

PAPER = HexColor("#FFFDF7")
TINT = HexColor("#F4EEDC")
QR_BORDER = 2  # modules of quiet zone inside the white square; the paper around is light too


def draw_frame(canvas: Canvas, width: float, height: float, navy: Color, gold: Color) -> None:
    """Paper tint, a navy outer border, a gold double inner border, and corner diamonds."""
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, width, height, stroke=0, fill=1)
    canvas.setFillColor(TINT)
    canvas.rect(18, 18, width - 36, height - 36, stroke=0, fill=1)
    canvas.setFillColor(PAPER)
    canvas.rect(30, 30, width - 60, height - 60, stroke=0, fill=1)
    canvas.setStrokeColor(navy)
    canvas.setLineWidth(3)
    canvas.rect(18, 18, width - 36, height - 36)
    canvas.setStrokeColor(gold)
    canvas.setLineWidth(1.2)
    canvas.rect(26, 26, width - 52, height - 52)
    canvas.setLineWidth(0.5)
    canvas.rect(30, 30, width - 60, height - 60)
    canvas.setFillColor(gold)
    for x, y in ((28, 28), (width - 28, 28), (28, height - 28), (width - 28, height - 28)):
        _diamond(canvas, x, y, 7)
        canvas.setFillColor(navy)
        _diamond(canvas, x, y, 3)
        canvas.setFillColor(gold)


def draw_rule(canvas: Canvas, x: float, y: float, half_width: float, gold: Color) -> None:
    """A thin gold rule centred on x with a diamond in the middle."""
    canvas.setStrokeColor(gold)
    canvas.setLineWidth(0.7)
    canvas.line(x - half_width, y, x - 9, y)
    canvas.line(x + 9, y, x + half_width, y)
    canvas.setFillColor(gold)
    _diamond(canvas, x, y, 4)


def draw_qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    """A QR code of value (error correction M, best mask as the standard picks it) on a white
    square with a two-module quiet zone. Dark runs of each row become rectangles of a single
    path: drawing one shape node per module (QrCodeWidget) costs more than the whole page."""
    modules = qr_modules(value, "M")
    count = len(modules)
    module = size / (count + 2 * QR_BORDER)
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    path = canvas.beginPath()
    top = y + size - QR_BORDER * module
    for row_index, row in enumerate(modules):
        column = 0
        for dark, run in groupby(row):
            length = len(list(run))
            if dark:
                left = x + (QR_BORDER + column) * module
                path.rect(left, top - (row_index + 1) * module, length * module, module)
            column += length
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _diamond(canvas: Canvas, x: float, y: float, r: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + r)
    path.lineTo(x + r, y)
    path.lineTo(x, y - r)
    path.lineTo(x - r, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
