"""Conjugate gradients on many right-hand sides at once: A X = B for a symmetric positive
definite A seen only through products, each column its own CG run with a diagonal (Jacobi)
preconditioner, all columns advanced together so every step is one sparse product with a
block of vectors (`shrink` solves the severities and a few dozen probe vectors this way,
linear in the reviews, where a dense factorization is cubic in the jurors).
"""

import numpy as np


def block_cg(a_times, b: np.ndarray, diag_inv: np.ndarray, rtol: float, maxiter: int,
             x0: np.ndarray | None = None) -> tuple[np.ndarray, int | None]:
    """(X, steps) with |B - A X| <= rtol |B| per column, or (X so far, None) when `maxiter`
    steps were not enough. `b` is n x m; `a_times` maps an n x m block to A times it."""
    x = np.zeros_like(b) if x0 is None else x0.copy()
    r = b.copy() if x0 is None else b - a_times(x)
    goal = rtol * np.maximum(np.linalg.norm(b, axis=0), 1e-300)
    z = r * diag_inv[:, None]
    p = z.copy()
    rz = np.einsum("nm,nm->m", r, z)
    for step in range(maxiter + 1):
        if (np.linalg.norm(r, axis=0) <= goal).all():
            return x, step
        if step == maxiter:
            break
        q = a_times(p)
        pq = np.einsum("nm,nm->m", p, q)
        alpha = np.divide(rz, pq, out=np.zeros_like(rz), where=pq > 0)  # a finished column stays
        x += alpha * p
        r -= alpha * q
        z = r * diag_inv[:, None]
        rz_next = np.einsum("nm,nm->m", r, z)
        beta = np.divide(rz_next, rz, out=np.zeros_like(rz), where=rz > 0)
        rz = rz_next
        p = z + beta * p
    return x, None
