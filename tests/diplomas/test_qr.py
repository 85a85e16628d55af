import random

import numpy as np
import pytest
from reportlab.graphics.barcode import qrencoder

from contest.diplomas.qr import penalty, qr_modules

VALUES = [
    "https://essay.example.kz/verify/7KQ4-M2XD-9RTP-WC3A",
    "https://e.kz/v/0000-0000-0000-0000",
    "HELLO WORLD",
    "12345678901234567890",
    "https://конкурс.example.kz/verify/" + "Ә" * 10,
    "x" * 300,
] + [f"https://essay.example.kz/verify/{code}" for code in (
    # seeded, so parallel test workers collect the same test ids
    "".join(random.Random(n).choices("0123456789ABCDEFGHJKMNPQRSTVWXYZ", k=16)) for n in range(40))]


def _reportlab(value: str) -> qrencoder.QRCode:
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    return code


@pytest.mark.parametrize("value", VALUES)
def test_qr_modules_match_reportlab_encoder(value):
    assert qr_modules(value, "M") == _reportlab(value).modules


@pytest.mark.parametrize("dark_share", [0.5, 0.85, 0.15])
def test_penalty_matches_reportlab_lost_point_on_random_matrices(dark_share):
    rng = random.Random(11)
    for size in (21, 25, 33, 57):
        for _ in range(10):
            rows = [[rng.random() < dark_share for _ in range(size)] for _ in range(size)]
            code = qrencoder.QRCode(1, qrencoder.QRErrorCorrectLevel.M)
            code.modules = rows
            expected = qrencoder.QRUtil.getLostPoint(code)
            assert penalty(np.array(rows, dtype=np.int8)) == expected
