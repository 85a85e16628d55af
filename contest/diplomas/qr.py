"""QR matrices from reportlab's encoder, with its mask choice computed by numpy.

reportlab's `QRCode.make()` scores the eight masks in pure Python, which costs more than the
rest of a diploma page. `qr_modules` builds the same matrix, choosing the same mask, by
scoring the candidates with array operations instead (a test checks that both agree).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from reportlab.graphics.barcode import qrencoder

_FINDER_LIKE = np.array([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], dtype=np.int8)


def qr_modules(value: str, level: str = "M") -> list[list[bool]]:
    """Return the module matrix (rows top to bottom, True = dark) of value's QR code at the
    smallest version that holds it, with the mask reportlab's encoder would choose."""
    code = qrencoder.QRCode(None, getattr(qrencoder.QRErrorCorrectLevel, level))
    code.addData(value)
    code.version = code.calculate_version()
    code.makeImpl(False, best_mask(code))
    return code.modules


def best_mask(code: qrencoder.QRCode) -> int:
    """The mask with the lowest penalty, first one on ties, scored as reportlab scores them."""
    scores = []
    for mask in range(8):
        code.makeImpl(True, mask)
        scores.append(penalty(np.array(code.modules, dtype=np.int8)))
    return scores.index(min(scores))


def penalty(m: np.ndarray) -> int:
    """reportlab's `QRUtil.getLostPoint` on a 0/1 matrix: runs of five or more equal modules
    in rows and columns (length - 2 each), 3 per uniform 2x2 block, 40 per finder-like
    pattern in a row (reportlab's column check never matches, so none are counted there),
    and 10 per 5% the dark share strays from one half."""
    score = _long_runs(m) + _long_runs(m.T)
    block = m[1:, 1:]
    uniform = (block == m[1:, :-1]) & (block == m[:-1, 1:]) & (block == m[:-1, :-1])
    score += 3 * int(uniform.sum())
    windows = sliding_window_view(m[:, :-1], len(_FINDER_LIKE), axis=1)
    score += 40 * int((windows == _FINDER_LIKE).all(axis=2).sum())
    cells = m.size
    score += 10 * (abs(100 * int(m.sum()) // cells - 50) // 5)
    return score


def _long_runs(m: np.ndarray) -> int:
    # Rows are separated by two sentinel cells so no run crosses from one row to the next.
    padded = np.pad(m, ((0, 0), (1, 1)), constant_values=2).ravel()
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    lengths = np.diff(edges)
    long = lengths[lengths >= 5]
    return int((long - 2).sum())
