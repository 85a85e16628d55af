"""Gauss quadrature by Lanczos: v' f(S) v for a symmetric S seen only through products.

k Lanczos steps from v give a k x k tridiagonal T whose eigenvalues (nodes) and squared
first eigenvector components (weights) make a k-point Gauss rule for the spectral measure
of S seen from v: v' f(S) v ~ |v|^2 sum_l w_l f(theta_l), exact for polynomials of degree
< 2k. One run serves every f, so the REML search over rho evaluates the log-determinant and
the quadratic forms for any rho from the same nodes (`shrink`): a few dozen products with
the sparse Laplacian instead of its eigendecomposition.

Traces (the log-determinant) use random sign probes (stochastic Lanczos quadrature,
Ubaru, Chen and Saad 2017): E[v' f(S) v] = trace f(S). The generator is seeded, so a fit
is repeatable.
"""

import numpy as np
from scipy.linalg import eigh_tridiagonal


def lanczos(matvec, v0: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, weights): the Gauss rule of each column of v0 (n x m), k <= steps nodes each,
    weights scaled by the column's squared norm (they sum to |v|^2). Full
    reorthogonalization (k is small); a column whose Krylov space closes early (an invariant
    subspace) keeps the nodes found so far, then exact. Nodes of a closed column beyond its
    end carry zero weight."""
    n, m = v0.shape
    steps = max(1, min(steps, n))
    norm0 = np.linalg.norm(v0, axis=0)
    live = norm0 > 0
    q = np.divide(v0, norm0, out=np.zeros_like(v0), where=live)
    basis = np.zeros((steps, n, m))
    alpha = np.zeros((steps, m))
    beta = np.zeros((steps, m))
    size = np.zeros(m, dtype=np.int64)  # steps taken by each column
    for i in range(steps):
        basis[i] = q
        size[live] = i + 1
        w = matvec(q)
        alpha[i] = np.einsum("nm,nm->m", q, w)
        w -= alpha[i] * q
        if i:
            w -= beta[i - 1] * basis[i - 1]
        for _ in range(2):  # twice is enough (Parlett's "twice is enough")
            coef = np.einsum("inm,nm->im", basis[: i + 1], w)
            w -= np.einsum("inm,im->nm", basis[: i + 1], coef)
        b = np.linalg.norm(w, axis=0)
        scale = np.maximum(np.abs(alpha[: i + 1]).max(axis=0), 1.0)
        live = live & (b > 1e-10 * scale)
        beta[i] = np.where(live, b, 0.0)
        if not live.any():
            break
        q = np.divide(w, b, out=np.zeros_like(w), where=live)
    nodes = np.zeros((m, steps))
    weights = np.zeros((m, steps))
    for c in range(m):
        k = int(size[c])
        if k == 0:
            continue
        theta, vecs = eigh_tridiagonal(alpha[:k, c], beta[: k - 1, c])
        nodes[c, :k] = theta
        weights[c, :k] = norm0[c] ** 2 * vecs[0] ** 2
    return nodes, weights


def probes(rng: np.random.Generator, part: np.ndarray, n_parts: int, m: int) -> np.ndarray:
    """m random sign vectors (n x m), each made orthogonal to the constants of every part
    (the null directions of a Laplacian), so E[v v'] is the projector onto its range."""
    v = rng.choice((-1.0, 1.0), size=(part.size, m))
    size = np.bincount(part, minlength=n_parts).astype(float)
    for c in range(m):
        v[:, c] -= (np.bincount(part, v[:, c], n_parts) / size)[part]
    return v
