"""The default severity correction: juror severity as a random effect, shrunk as far as the
links between jurors are weak (empirical Bayes).

Model: total = quality[entry] + severity[juror] + noise, quality fixed, severity ~ N(0, tau^2)
and noise ~ N(0, sigma^2), independent. With the entries eliminated (see `fit`), the
severities solve (S + lambda I) s = r, lambda = sigma^2 / tau^2, where S is the jurors'
Laplacian and r the jurors' sums net of their entries' means. In the eigenbasis of S each
direction i is the least-squares estimate times mu_i / (mu_i + lambda): a direction the
design measures well (large mu, e.g. jurors who read many essays together) is corrected
almost fully; a direction resting on a few shared essays (small mu, e.g. panels joined by
one juror) is pulled toward zero, i.e. toward the plain mean. lambda = 0 is the full
least-squares correction, lambda = infinity the plain mean.

sigma^2 and tau^2 are estimated from the same reviews by restricted maximum likelihood
(REML): in the eigenbasis the juror part of the data is independent coordinates
t_i ~ N(0, sigma^2 + tau^2 mu_i), the rest is the least-squares residual (RSS, df), so the
likelihood is a one-dimensional search over rho = tau^2 / sigma^2 with sigma^2 profiled out.
"""

from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse
from scipy.linalg import blas, lapack
from scipy.sparse import linalg as sparse_linalg

from contest.ranking import cg, fit, lanczos

RHO_GRID = np.logspace(-6, 8, 113)  # tau^2 / sigma^2 searched on this grid, then refined
WELL_LINKED = 0.9  # share of the full correction from which jurors count as well mixed
PLAN_RATIO = 1.0  # noise / severity variance assumed for a plan that has no scores yet
EXACT_JURORS = 500  # up to this many jurors (a design, or one part of it): the exact eigenbasis
PROBES = 32  # random sign probes for the log-determinant of a large part (see `_LargePart`)
PROBE_STEPS = 24  # Lanczos steps per probe: Gauss nodes of log(1 + rho mu), smooth in mu
PROBE_SEED = 24  # fixed, so the same reviews give the same ranking
SHIFT_MAX = 1e-5  # a refined lambda within this relative move reuses the last inverse (`_LargePart`)
REFINE_TOL = 1e-9  # |log| change of rho after the exact-slope correction that warrants a new solve
CANDIDATES = 6  # smallest directions of a large part searched for the weakest link
DENSE_JURORS = 1000  # a large part up to this many jurors: one dense Cholesky; above: iterative
DIAG_PROBES = 48  # random sign probes for the posterior variances of an iterative part
SE_TOL = 0.01  # points: the largest standard deviation of an estimated standard error (shown to 0.1)
CG_RTOL = 1e-10  # residual of the iterative solves, relative to the right-hand side
CG_STEPS = 400  # conjugate-gradient steps after which a part is taken by the Cholesky instead


@dataclass(frozen=True)
class Linkage:
    """How well the jury graph ties jurors together and what the default made of it.

    share: the part of the full severity correction applied to entry scores, 0..1 (a
      design-weighted mean of mu / (mu + lambda)); nan when the correction cannot change
      any score (e.g. each part's essays were all read by the same jurors).
    severity_sd, noise_sd: the estimated spread of juror severity and of the noise, points.
    partners: mean number of other jurors a juror shares at least one essay with.
    side_a, side_b: juror indices on the two sides of the weakest link (the direction
      where most correction was given up); empty when nothing was given up.
    shared_now: essays read by jurors of both sides; shared_needed: about how many such
      essays would lift that direction to WELL_LINKED (0 when nothing is needed).
    """

    share: float
    severity_sd: float
    noise_sd: float
    partners: float
    side_a: tuple[int, ...] = ()
    side_b: tuple[int, ...] = ()
    shared_now: int = 0
    shared_needed: int = 0


def fit_shrunk(d: fit.Design, bridging: str = "jurors", exact_jurors: int = EXACT_JURORS,
               dense_jurors: int = DENSE_JURORS) -> fit.SeverityFit:
    """Empirical-Bayes severities and the qualities they imply (module docstring).

    Standard errors are the posterior standard deviations sqrt(sigma^2 * sum_i u_ji^2 /
    (mu_i + lambda)) over the non-constant directions (severities are centred in each part,
    as in `fit.fit_severity`). rss, df and residual_var describe the least-squares fit.

    Up to `exact_jurors` jurors the jurors' Laplacian is diagonalized whole. Above, it is
    taken part by part (it is block diagonal over the connected parts): a part of up to
    `exact_jurors` jurors is still diagonalized, a larger one is fitted without its
    eigenbasis (`_LargePart`): REML from Lanczos quadrature, then at the chosen lambda the
    severities and their standard errors from one dense Cholesky (up to `dense_jurors`
    jurors) or from conjugate gradients and random probes (above; each standard error then
    estimated with a standard deviation of at most SE_TOL points, else that part takes the
    Cholesky).
    """
    if bridging not in fit.BRIDGINGS:
        raise ValueError(f"bridging must be one of {fit.BRIDGINGS}")
    if d.n_jurors > exact_jurors:
        return _fit_by_parts(d, bridging, exact_jurors, dense_jurors)
    ne = fit.normal_equations(d)
    mu, u = np.linalg.eigh(ne.lap)
    keep = np.argsort(mu)[ne.n_parts:]  # S is PSD with one null direction per part
    mu, u = np.clip(mu[keep], 1e-12, None), u[:, keep]
    z = u.T @ ne.rhs
    t2 = z * z / mu
    rss = max(ne.rss_entries - float(t2.sum()), 0.0)
    df = int(d.y.shape[0] - d.n_entries - d.n_jurors + ne.n_parts)
    rho, sigma2 = reml_ratio(mu, t2, rss, df)
    lam = np.inf if rho == 0 else 1.0 / rho  # 1 / inf = 0: the full correction
    gain = mu / (mu + lam) if np.isfinite(lam) else np.zeros_like(mu)
    sev = u @ (gain * z / mu)
    qual = (ne.sum_e - ne.b @ sev) / ne.n_e
    post = (u * u) @ (1.0 / (mu + lam)) if np.isfinite(lam) else np.zeros(d.n_jurors)
    se = np.sqrt(np.clip(sigma2 * post, 0.0, None))
    part_size = np.bincount(ne.j_part, minlength=ne.n_parts)[ne.j_part]
    se = np.where(part_size > 1, se, np.nan)
    var = rss / df if df > 0 else float("nan")
    linkage = _linkage(ne, mu, u, gain, sigma2, rho)
    qual, sev = fit.bridge(qual, sev, ne.e_part, ne.j_part, ne.n_parts, bridging)
    return fit.SeverityFit(qual, sev, se, ne.e_part, ne.j_part, ne.n_parts, rss, df, var, linkage)


def fit_full(d: fit.Design, bridging: str = "jurors", ridge: float = 1e-9,
             dense_jurors: int = DENSE_JURORS) -> fit.SeverityFit:
    """`fit.fit_severity` (the full least-squares correction) for any size: up to
    `dense_jurors` jurors that dense fit itself; above, part by part as `fit_shrunk` does at
    lambda = ridge * mean load (a large part by conjugate gradients and probes, its standard
    errors estimated to within SE_TOL points), so the cost grows with the reviews, not with
    the cube of the jurors."""
    if d.n_jurors <= dense_jurors:
        return fit.fit_severity(d, bridging, ridge)
    if bridging not in fit.BRIDGINGS:
        raise ValueError(f"bridging must be one of {fit.BRIDGINGS}")
    ne = fit.normal_equations(d, dense=False)
    lam = ridge * float(ne.n_j.mean())
    blocks = _blocks(ne, EXACT_JURORS, dense_jurors, reml=False)
    sev, post, _kept, _total, _trace = _solve_blocks(blocks, 1.0 / lam)
    qual = (ne.sum_e - ne.b @ sev) / ne.n_e
    resid = d.y - qual[d.entry_idx] - sev[d.juror_idx]
    rss = float(np.dot(resid, resid))
    df = int(d.y.shape[0] - d.n_entries - d.n_jurors + ne.n_parts)
    var = rss / df if df > 0 else float("nan")
    for block in blocks:  # the noise is known only now: variances the probes did not pin down
        if _imprecise(block, var):
            post[block.idx] = block.solve(lam, dense=True)[1]
    part_size = np.bincount(ne.j_part, minlength=ne.n_parts)[ne.j_part]
    se = np.where(part_size > 1, np.sqrt(np.clip(var * post, 0.0, None)), np.nan)
    qual, sev = fit.bridge(qual, sev, ne.e_part, ne.j_part, ne.n_parts, bridging)
    return fit.SeverityFit(qual, sev, se, ne.e_part, ne.j_part, ne.n_parts, rss, df, var)


def design_linkage(pairs, ratio: float = PLAN_RATIO, exact_jurors: int = EXACT_JURORS,
                   dense_jurors: int = DENSE_JURORS) -> Linkage:
    """`Linkage` of a planned design, (entry, juror) pairs with no scores yet, assuming the
    noise variance is `ratio` times the severity variance (lambda = ratio). side_a and
    side_b index jurors in first-seen order of `pairs`. Above `exact_jurors` jurors part by
    part, without the eigendecomposition (see `fit_shrunk`)."""
    entry_ids: dict = {}
    juror_ids: dict = {}
    e = [entry_ids.setdefault(a, len(entry_ids)) for a, _b in pairs]
    j = [juror_ids.setdefault(b, len(juror_ids)) for _a, b in pairs]
    d = fit.make_design(e, j, np.zeros(len(e)), len(entry_ids), len(juror_ids))
    if d.n_jurors > exact_jurors:
        ne = fit.normal_equations(d, dense=False)
        blocks = _blocks(ne, exact_jurors, dense_jurors, reml=False)
        _sev, _post, kept, total, trace = _solve_blocks(blocks, 1.0 / ratio)
        share = kept / total if total > 1e-12 * max(1.0, trace) else float("nan")
        return _linkage_of_parts(ne, blocks, share, 1.0, 1.0 / ratio, ratio)
    ne = fit.normal_equations(d)
    mu, u = np.linalg.eigh(ne.lap)
    keep = np.argsort(mu)[ne.n_parts:]
    mu, u = np.clip(mu[keep], 1e-12, None), u[:, keep]
    return _linkage(ne, mu, u, mu / (mu + ratio), 1.0, 1.0 / ratio)


def reml_ratio(mu: np.ndarray, t2: np.ndarray, rss: float, df: int) -> tuple[float, float]:
    """(rho, sigma^2) maximizing the restricted likelihood: t_i^2 ~ (sigma^2 + tau^2 mu_i)
    chi^2_1 for the juror directions, RSS ~ sigma^2 chi^2_df. rho = tau^2 / sigma^2 is
    searched on RHO_GRID and 0, then refined between the grid neighbours of the best;
    inf (the full least-squares correction) when it still rises at the end of the grid."""
    return reml_quadrature(mu, t2, rss, df, mu.size)


def reml_quadrature(q_nodes, q_coef, rss: float, df: int, n_dirs: int, logdet=None, near: float = 0.0
                    ) -> tuple[float, float]:
    """`reml_ratio` with the quadratic sum given as a quadrature rule, sum_i t2_i / (1 + rho
    mu_i) = sum_l q_coef_l / (1 + rho q_nodes_l), and `logdet(rho)` the sum of log(1 + rho
    mu_i) for an array of rho (None: the same nodes with unit weights, as for an exact
    eigenbasis). n_dirs: the number of juror directions. `near` > 0: search only within a
    factor e of it (a refinement)."""
    n = df + n_dirs
    if n_dirs == 0 or n <= 0:
        return 0.0, (rss / df if df > 0 else 0.0)

    def profile(rho: np.ndarray) -> np.ndarray:
        scale = 1.0 + np.multiply.outer(rho, q_nodes)
        s2 = (rss + (q_coef / scale).sum(axis=-1)) / n
        with np.errstate(divide="ignore"):
            return -0.5 * (n * np.log(s2) + (np.log(scale).sum(axis=-1) if logdet is None else logdet(rho)))

    if near > 0:
        bounds = (np.log(near) - 1.0, np.log(near) + 1.0)
        found = optimize.minimize_scalar(lambda x: -float(profile(np.exp(x))), method="bounded",
                                         bounds=bounds, options={"xatol": 1e-9})
        rho = float(np.exp(found.x))
        return rho, float((rss + (q_coef / (1.0 + rho * q_nodes)).sum()) / n)
    grid = np.concatenate([[0.0], RHO_GRID])
    values = profile(grid)
    best = int(np.nanargmax(values))
    if best == grid.size - 1:  # still rising: no sign of noise beyond the juror effects
        return float("inf"), (rss / df if df > 0 else 0.0)
    if best > 0:
        lo, hi = np.log(grid[max(best - 1, 1)]), np.log(grid[best + 1])
        found = optimize.minimize_scalar(lambda x: -float(profile(np.exp(x))), bounds=(lo, hi),
                                         method="bounded", options={"xatol": 1e-9})
        rho = float(np.exp(found.x)) if -found.fun >= values[best] else float(grid[best])
    else:
        rho = 0.0
    sigma2 = float((rss + (q_coef / (1.0 + rho * q_nodes)).sum()) / n)
    return rho, sigma2


def _linkage(ne: fit.NormalEquations, mu, u, gain, sigma2: float, rho: float) -> Linkage:
    """Design-weighted share of the correction kept, and the weakest link to fix."""
    scaled = sparse.diags(1.0 / ne.n_e) @ ne.b  # entry score change per unit of severity
    m = np.asarray((scaled.T @ scaled).todense())
    weight = ((u.T @ m) * u.T).sum(axis=1)  # how much each direction moves entry scores
    total = float(weight.sum())
    share = float(weight @ gain / total) if total > 1e-12 * max(1.0, float(m.trace())) else float("nan")
    co = (ne.b.T @ ne.b).tocsr()
    partners = float(np.mean(np.diff(co.indptr) - (co.diagonal() > 0))) if co.shape[0] else 0.0
    out = dict(share=share, severity_sd=float(np.sqrt(rho * sigma2)), noise_sd=float(np.sqrt(sigma2)),
               partners=partners)
    lost = weight * (1.0 - gain)
    if not lost.size or not share < WELL_LINKED or rho == 0:
        return Linkage(**out)
    i = int(np.argmax(lost))
    return Linkage(**out, **_sides(ne, u[:, i], float(mu[i]), rho))


class _ExactPart:
    """Connected parts diagonalized exactly (up to EXACT_JURORS jurors in all; small parts
    are batched). `idx`: their jurors; `n_null`: how many parts (null directions)."""

    def __init__(self, idx: np.ndarray, n_null: int, lap, rhs: np.ndarray, m):
        self.idx = idx
        mu, u = np.linalg.eigh(lap[idx][:, idx].toarray())
        keep = np.argsort(mu)[n_null:]
        self.mu, self.u = np.clip(mu[keep], 1e-12, None), u[:, keep]
        self.z = self.u.T @ rhs[idx]
        self.t2 = self.z * self.z / self.mu
        self.t2_sum = float(self.t2.sum())
        self.m = m[idx][:, idx].toarray()
        self.q_nodes, self.q_coef = self.mu, self.t2

    def logdet(self, rho: np.ndarray) -> np.ndarray:
        return np.log1p(np.multiply.outer(rho, self.mu)).sum(axis=-1)

    def solve(self, lam: float, shift: bool = False):
        """(severities, posterior variances / sigma^2, design-weighted gain, weight, trace M)."""
        mu, u = self.mu, self.u
        gain = mu / (mu + lam) if np.isfinite(lam) else np.zeros_like(mu)
        sev = u @ (gain * self.z / mu)
        post = (u * u) @ (1.0 / (mu + lam)) if np.isfinite(lam) else np.zeros(self.idx.size)
        weight = ((u.T @ self.m) * u.T).sum(axis=1)
        self.lost = weight * (1.0 - gain)
        return sev, post, float(weight @ gain), float(weight.sum()), float(self.m.trace())

    def weakest(self, lam: float):
        """(lost, direction over this block's jurors, mu) of the direction most given up."""
        if not self.lost.size:
            return -np.inf, None, 0.0
        i = int(np.argmax(self.lost))
        return float(self.lost[i]), self.u[:, i], float(self.mu[i])


class _LargePart:
    """One connected part of more than EXACT_JURORS jurors, without its eigenbasis.

    REML needs two spectral sums of the part's Laplacian S for every rho: sum t_i^2 / (1 +
    rho mu_i) = r' S^+ (I + rho S)^-1 r, a Gauss rule from Lanczos on r (converged: its
    error is the conjugate-gradient error), and log det(I + rho S), a Gauss rule from
    Lanczos on PROBES random sign vectors (a stochastic trace, seeded). Each costs sparse
    products only.

    At the chosen lambda, with A = S + lambda I + nu J (J the projector onto the constants,
    which S does not see, nu keeping A well conditioned), the severities are A^-1 r, the
    posterior variances diag(A^-1) - 1 / (n nu) and the linkage share needs trace(M A^-1).
    Up to `dense_jurors` jurors one dense Cholesky of A gives them exactly: n^3 operations
    instead of the ~9 n^3 of an eigendecomposition with vectors. Above (`iterative`) they
    cost sparse products only, linear in the reviews (`_solve_iterative`); a part too weakly
    linked for that falls back to the Cholesky. The weakest link is sought among the
    CANDIDATES smallest directions of S (the largest of A^-1 off the constants), only when
    needed.
    """

    def __init__(self, idx: np.ndarray, lap, rhs: np.ndarray, m, rng: np.random.Generator, reml: bool = True,
                 iterative: bool = False):
        self.idx = idx
        self.s = lap[idx][:, idx].tocsr()
        self.m = m[idx][:, idx].tocsr()
        self.r = rhs[idx]
        self.iterative = iterative
        self.inverse, self.slope, self.probed, self.post_sd = None, None, None, None
        if not reml:
            return
        n = idx.size
        self.q_nodes, self.q_coef = _quadratic_rule(self.s, self.r)
        self.t2_sum = float(self.q_coef.sum())
        v = lanczos.probes(rng, np.zeros(n, dtype=np.int64), 1, PROBES)
        nodes, weights = lanczos.lanczos(lambda x: self.s @ x, v, PROBE_STEPS)
        self.ld_nodes = np.clip(nodes.ravel(), 0.0, None)
        self.ld_weights = weights.ravel() / PROBES
        # Control variates: the traces of P, S and S^2 are known exactly (P the projector off
        # the constants), the probes' Gauss rules integrate them exactly per probe.
        s_sq = self.s.multiply(self.s).sum()
        exact = np.array([n - 1.0, float(self.s.diagonal().sum()), float(s_sq)])
        powers = np.vander(self.ld_nodes, 3, increasing=True)
        self.moment_gap = exact - self.ld_weights @ powers
        self.powers = powers

    def logdet(self, rho: np.ndarray) -> np.ndarray:
        """log det(I + rho S) over the part's non-constant directions, for an array of rho:
        the probes' estimate, plus c(rho) times the gap between the exact and the estimated
        moments (traces of P, S, S^2), c(rho) the quadratic in mu closest to log(1 + rho
        mu) on the nodes; unbiased for any c, and log(1 + rho mu) being nearly quadratic
        over a well-linked spectrum, the probes' noise mostly cancels."""
        f = np.log1p(np.multiply.outer(np.atleast_1d(rho), self.ld_nodes))  # rho x nodes
        w = self.ld_weights
        gram = (self.powers * w[:, None]).T @ self.powers
        coef = np.linalg.lstsq(gram, (self.powers * w[:, None]).T @ f.T, rcond=None)[0]  # 3 x rho
        out = f @ w + self.moment_gap @ coef
        return out.reshape(np.shape(rho))

    def solve(self, lam: float, shift: bool = False, dense: bool = False):
        """As `_ExactPart.solve`. `shift`: lambda moved a little from the last solve (the REML
        refinement): A + delta I is then solved from the last one, the severities exactly and
        the variances to first order in delta (relative error below (delta / lambda)^2 <
        SHIFT_MAX^2). `dense`: by the Cholesky whatever the size."""
        n = self.idx.size
        tr_m = float(self.m.diagonal().sum())
        tr_mj = float(self.m.sum()) / n  # M's weight on the constants
        if not np.isfinite(lam):  # no correction
            self.inverse, self.slope, self.probed, self.post_sd = None, None, None, None
            return np.zeros(n), np.zeros(n), 0.0, tr_m - tr_mj, tr_m
        near = self.slope is not None and abs(lam - self.lam) <= SHIFT_MAX * self.lam
        if shift and near and self.probed is not None and not dense:
            return self._shifted_iterative(lam, tr_m, tr_mj)
        if shift and near and self.inverse is not None:
            return self._shifted(lam, tr_m, tr_mj)
        if self.iterative and not dense:
            solved = self._solve_iterative(lam, tr_m, tr_mj)
            if solved is not None:
                return solved
        self.probed, self.post_sd = None, None
        nu = float(self.s.diagonal().mean())
        a = self.s.toarray()
        a[np.diag_indices(n)] += lam
        a += (nu - lam) / n
        chol, info = lapack.dpotrf(a, lower=1, overwrite_a=1, clean=1)
        if info != 0:
            raise np.linalg.LinAlgError(f"Cholesky failed ({info})")
        sev, _ = lapack.dpotrs(chol, self.r, lower=1)
        inv, info = lapack.dpotri(chol, lower=1, overwrite_c=1)  # the lower triangle of A^-1
        if info != 0:
            raise np.linalg.LinAlgError(f"inverse failed ({info})")
        post = np.diag(inv) - 1.0 / (n * nu)
        # d/d rho of log det(I + rho S) = sum mu / (1 + rho mu) = lambda (n - 1 - lambda trace(A^-1
        # off the constants)): exact here, to correct the probes' estimate (`_fit_by_parts`)
        self.slope = lam * (n - 1.0 - lam * float(post.sum()))
        coo = self.m.tocoo()
        self.tr_ma = float(np.dot(coo.data, inv[np.maximum(coo.row, coo.col), np.minimum(coo.row, coo.col)]))
        self.inverse, self.nu, self.lam, self.sev, self.post = inv, nu, lam, sev, post
        return sev, np.clip(post, 0.0, None), self._kept(lam, tr_m, tr_mj), tr_m - tr_mj, tr_m

    def _kept(self, lam: float, tr_m: float, tr_mj: float) -> float:
        # trace(M S A^-1), S A^-1 = I - lambda A^-1 - (1 - lambda / nu) J: the weight kept
        return tr_m - lam * self.tr_ma - (1.0 - lam / self.nu) * tr_mj

    def _operator(self, lam: float):
        """(x -> A x for a block x, the inverse of A's diagonal)."""
        n, s = self.idx.size, self.s
        nu = float(s.diagonal().mean())
        to_constants = (nu - lam) / n

        def a_times(x):
            return s @ x + lam * x + to_constants * x.sum(axis=0)

        return a_times, 1.0 / (s.diagonal() + lam + to_constants)

    def _solve_iterative(self, lam: float, tr_m: float, tr_mj: float):
        """`solve` by sparse products only, or None when the part is too weakly linked for it.

        Y = A^-1 - J / nu (the inverse off the constants) is seen through conjugate gradients
        on r and on DIAG_PROBES random sign vectors v (Y v = A^-1 P v). Its diagonal, the
        posterior variances, is E[v * Y v] (Hutchinson / Bekas), its trace against M
        E[v' M Y v]. A control variate takes most of the probes' noise away: K = P (D^-1 +
        D^-1 W D^-1) P, the first two terms of Y's Neumann series (D the diagonal of S +
        lambda I, W its links between jurors), whose diagonal and trace against M are exact
        in sparse sums; the probes estimate only Y - K, small where jurors are well mixed.
        Each variance's own standard deviation is read from the probes' spread (`post_sd`,
        judged by `_imprecise` once the noise is known; large where the part is weakly linked
        or the loads very uneven, Y's off-diagonal being large there). None when CG does not
        converge within CG_STEPS (the caller takes the Cholesky)."""
        n, s = self.idx.size, self.s
        a_times, diag_inv = self._operator(lam)
        v = np.random.default_rng(PROBE_SEED).choice((-1.0, 1.0), size=(n, DIAG_PROBES))
        x, steps = cg.block_cg(a_times, np.column_stack([self.r, v - v.mean(axis=0)]), diag_inv, CG_RTOL,
                               CG_STEPS)
        if steps is None:
            return None
        sev, yv = x[:, 0], x[:, 1:]
        d = s.diagonal() + lam
        links = (sparse.diags(s.diagonal()) - s).tocsr()

        def q_times(z):  # (D^-1 + D^-1 W D^-1) z
            zd = z / d[:, None]
            return zd + (links @ zd) / d[:, None]

        def k_times(z):
            out = q_times(z - z.mean(axis=0))
            return out - out.mean(axis=0)

        q1 = q_times(np.ones((n, 1)))[:, 0]
        rest = yv - k_times(v)  # (Y - K) v: what the probes estimate
        samples = v * rest
        post = 1.0 / d - 2.0 * q1 / n + q1.sum() / n**2 + samples.mean(axis=1)
        self.post_sd = samples.std(axis=1, ddof=1) / np.sqrt(DIAG_PROBES)
        m1 = np.asarray(self.m.sum(axis=1)).ravel()
        mw = self.m.multiply(links).tocoo()
        tr_mq = float((self.m.diagonal() / d).sum() + (mw.data / (d[mw.row] * d[mw.col])).sum())
        tr_mk = tr_mq - 2.0 * float(m1 @ q1) / n + float(m1.sum() * q1.sum()) / n**2
        tr_my = tr_mk + float(np.einsum("nm,nm->m", v, self.m @ rest).mean())
        self.slope = lam * (n - 1.0 - lam * float(post.sum()))
        self.inverse, self.lam, self.sev, self.post, self.tr_my = None, lam, sev, post, tr_my
        self.probed = yv
        return sev, np.clip(post, 0.0, None), tr_m - tr_mj - lam * tr_my, tr_m - tr_mj, tr_m

    def _shifted_iterative(self, lam: float, tr_m: float, tr_mj: float):
        """`_shifted` for an iterative part: the severities by CG from the last ones, the
        variances and trace(M Y) to first order in delta with diag(Y^2) = E[(Y v)^2] and
        trace(M Y^2) = E[(Y v)' M (Y v)] from the probes already solved."""
        delta, yv = lam - self.lam, self.probed
        a_times, diag_inv = self._operator(lam)
        x, steps = cg.block_cg(a_times, self.r[:, None], diag_inv, CG_RTOL, CG_STEPS, x0=self.sev[:, None])
        if steps is None:
            return self.solve(lam, dense=True)
        post = self.post - delta * (yv * yv).mean(axis=1)
        tr_my = self.tr_my - delta * float(np.einsum("nm,nm->m", yv, self.m @ yv).mean())
        return x[:, 0], np.clip(post, 0.0, None), tr_m - tr_mj - lam * tr_my, tr_m - tr_mj, tr_m

    def inverse_times(self, x: np.ndarray) -> np.ndarray:
        return blas.dsymm(1.0, self.inverse, x.reshape(self.idx.size, -1), lower=1).reshape(x.shape)

    def _shifted(self, lam: float, tr_m: float, tr_mj: float):
        delta, n = lam - self.lam, self.idx.size
        sev = self.sev.copy()
        for _ in range(60):  # (A + delta I)^-1 r = A^-1 r - delta A^-1 (A + delta I)^-1 r
            step = self.sev - delta * self.inverse_times(sev)
            done = np.abs(step - sev).max() <= 1e-15 * max(np.abs(step).max(), 1e-300)
            sev = step
            if done:
                break
        # diag(A^-2): squared row norms of the symmetric inverse, from its lower triangle
        sq = self.inverse * self.inverse
        d2 = sq.sum(axis=1) + sq.sum(axis=0) - np.diag(sq)
        post = self.post - delta * (d2 - 1.0 / (n * self.nu ** 2))
        return sev, np.clip(post, 0.0, None), self._kept(lam, tr_m, tr_mj), tr_m - tr_mj, tr_m

    def weakest(self, lam: float):
        if self.inverse is None and self.probed is None:
            return -np.inf, None, 0.0
        n = self.idx.size
        if n <= CANDIDATES + 2:  # a handful of jurors: all their directions
            vecs = np.linalg.eigh(self.s.toarray())[1][:, 1:]
        elif self.inverse is None:  # iterative: the smallest directions of S off the constants
            start = np.random.default_rng(PROBE_SEED).standard_normal((n, CANDIDATES))
            jacobi = sparse.diags(1.0 / self.s.diagonal())
            vecs = sparse_linalg.lobpcg(self.s, start - start.mean(axis=0), M=jacobi, Y=np.ones((n, 1)),
                                        largest=False, tol=1e-9, maxiter=1000)[1]
        else:
            def off_constants(x):
                x = np.asarray(x, dtype=np.float64).reshape(n, -1)
                y = self.inverse_times(x - x.mean(axis=0))
                return y - y.mean(axis=0)

            op = sparse_linalg.LinearOperator((n, n), matvec=off_constants, matmat=off_constants)
            start = np.random.default_rng(PROBE_SEED).standard_normal(n)
            vecs = sparse_linalg.eigsh(op, k=CANDIDATES, which="LA", v0=start - start.mean())[1]
        best = (-np.inf, None, 0.0)
        for vec in vecs.T:
            vec = vec / np.linalg.norm(vec)
            mu = max(float(vec @ (self.s @ vec)), 1e-12)
            weight = float(vec @ (self.m @ vec))
            lost = weight * (1.0 - mu / (mu + lam))
            if lost > best[0]:
                best = (lost, vec, mu)
        return best


def _quadratic_rule(s, r: np.ndarray, steps: int = 48) -> tuple[np.ndarray, np.ndarray]:
    """Gauss rule (nodes, coefficients) with r' S^+ g(S) r ~ sum_l coef_l g(node_l): Lanczos
    from r (which is off the null directions), run longer until r' S^+ r settles."""
    n = r.size
    if not np.any(r):
        return np.zeros(0), np.zeros(0)
    before = None
    while True:
        nodes, weights = lanczos.lanczos(lambda x: s @ x, r[:, None], min(steps, n))
        nodes, weights = nodes[0], weights[0]
        keep = weights > 0
        nodes, coef = np.clip(nodes[keep], 1e-12, None), weights[keep] / np.clip(nodes[keep], 1e-12, None)
        total = float(coef.sum())
        settled = before is not None and abs(total - before) <= 1e-12 * total
        if steps >= n or keep.sum() < min(steps, n) or settled:
            return nodes, coef
        before, steps = total, 2 * steps


def _fit_by_parts(d: fit.Design, bridging: str, exact_jurors: int, dense_jurors: int) -> fit.SeverityFit:
    """`fit_shrunk` of a large design, one connected part at a time (see `_LargePart`)."""
    ne = fit.normal_equations(d, dense=False)
    blocks = _blocks(ne, exact_jurors, dense_jurors)
    rss = max(ne.rss_entries - sum(b.t2_sum for b in blocks), 0.0)
    df = int(d.y.shape[0] - d.n_entries - d.n_jurors + ne.n_parts)
    q_nodes = np.concatenate([b.q_nodes for b in blocks])
    q_coef = np.concatenate([b.q_coef for b in blocks])
    n_dirs = d.n_jurors - ne.n_parts

    def logdet(rho):
        return sum(b.logdet(rho) for b in blocks)

    rho, sigma2 = reml_quadrature(q_nodes, q_coef, rss, df, n_dirs, logdet)
    solved = _solve_blocks(blocks, rho, noise_var=sigma2)
    large = [b for b in blocks if isinstance(b, _LargePart)]
    if large and 0 < rho < np.inf:
        # The Cholesky gave the exact slope of the log-determinant at rho: tilt the probes'
        # estimate to match it (by gap * rho * log(r / rho), slope gap at rho) and search
        # again near rho; a second solve only when rho moved.
        h = 1e-6 * rho
        gap = sum(b.slope - float((b.logdet(rho + h) - b.logdet(rho - h)) / (2 * h)) for b in large)
        tilted = lambda r: logdet(r) + gap * rho * np.log(np.asarray(r) / rho)  # noqa: E731
        again, sigma2_again = reml_quadrature(q_nodes, q_coef, rss, df, n_dirs, tilted, near=rho)
        if again != rho and abs(np.log(again / rho)) > REFINE_TOL:
            rho, sigma2 = again, sigma2_again
            solved = _solve_blocks(blocks, rho, shift=True, noise_var=sigma2)
    sev, post, kept, total, trace = solved
    lam = np.inf if rho == 0 else 1.0 / rho
    qual = (ne.sum_e - ne.b @ sev) / ne.n_e
    se = np.sqrt(np.clip(sigma2 * post, 0.0, None))
    part_size = np.bincount(ne.j_part, minlength=ne.n_parts)[ne.j_part]
    se = np.where(part_size > 1, se, np.nan)
    var = rss / df if df > 0 else float("nan")
    share = kept / total if total > 1e-12 * max(1.0, trace) else float("nan")
    linkage = _linkage_of_parts(ne, blocks, share, sigma2, rho, lam)
    qual, sev = fit.bridge(qual, sev, ne.e_part, ne.j_part, ne.n_parts, bridging)
    return fit.SeverityFit(qual, sev, se, ne.e_part, ne.j_part, ne.n_parts, rss, df, var, linkage)


def _blocks(ne: fit.NormalEquations, exact_jurors: int, dense_jurors: int, reml: bool = True) -> list:
    """The connected parts as `_LargePart`s, and the small ones batched into `_ExactPart`s.
    `reml`: prepare the REML quadrature (not needed for a plan, which has no scores)."""
    scaled = sparse.diags(1.0 / ne.n_e) @ ne.b  # entry score change per unit of severity
    m = (scaled.T @ scaled).tocsr()
    rng = np.random.default_rng(PROBE_SEED)
    order = np.argsort(ne.j_part, kind="stable")
    bounds = np.searchsorted(ne.j_part[order], np.arange(ne.n_parts + 1))
    blocks: list = []
    small: list[np.ndarray] = []
    for p in range(ne.n_parts):
        idx = order[bounds[p]:bounds[p + 1]]
        if idx.size > exact_jurors:
            blocks.append(_LargePart(idx, ne.lap, ne.rhs, m, rng, reml, iterative=idx.size > dense_jurors))
            continue
        small.append(idx)
        if sum(x.size for x in small) >= exact_jurors or p == ne.n_parts - 1:
            blocks.append(_ExactPart(np.concatenate(small), len(small), ne.lap, ne.rhs, m))
            small = []
    if small:
        blocks.append(_ExactPart(np.concatenate(small), len(small), ne.lap, ne.rhs, m))
    return blocks


def _solve_blocks(blocks, rho: float, shift: bool = False, noise_var: float | None = None):
    """Every block at lambda = 1 / rho: severities, posterior variances / sigma^2 and the
    linkage sums (weight kept, weight in all, trace of M). `noise_var` (sigma^2): a block
    solved iteratively whose standard errors come out `_imprecise` is solved again by the
    Cholesky."""
    lam = np.inf if rho == 0 else 1.0 / rho
    n = sum(b.idx.size for b in blocks)
    sev, post = np.zeros(n), np.zeros(n)
    kept = total = trace = 0.0
    for block in blocks:
        solved = block.solve(lam, shift)
        if noise_var is not None and _imprecise(block, noise_var):
            solved = block.solve(lam, dense=True)
        sev[block.idx], post[block.idx], k, t, tr = solved
        kept, total, trace = kept + k, total + t, trace + tr
    return sev, post, kept, total, trace


def _imprecise(block, noise_var: float) -> bool:
    """Whether an iteratively solved block's standard errors sqrt(sigma^2 post) are not all
    known to SE_TOL points: the standard deviation of each is about sigma sd(post) / (2
    sqrt(post)), sd(post) from the probes' spread."""
    post_sd = getattr(block, "post_sd", None)
    if post_sd is None or not np.isfinite(noise_var) or noise_var <= 0:
        return False
    post = block.post
    return not (np.sqrt(noise_var) * post_sd <= 2.0 * SE_TOL * np.sqrt(np.clip(post, 0.0, None))).all()


def _linkage_of_parts(ne: fit.NormalEquations, blocks, share: float, sigma2: float, rho: float,
                      lam: float) -> Linkage:
    """`_linkage` from the parts' sums: the same share, and the weakest link among the
    directions each part offers (see `_LargePart.weakest`)."""
    co = (ne.b.T @ ne.b).tocsr()
    partners = float(np.mean(np.diff(co.indptr) - (co.diagonal() > 0))) if co.shape[0] else 0.0
    out = dict(share=share, severity_sd=float(np.sqrt(rho * sigma2)), noise_sd=float(np.sqrt(sigma2)),
               partners=partners)
    if ne.n_j.size == ne.n_parts or not share < WELL_LINKED or rho == 0:
        return Linkage(**out)
    lost, vec, mu, where = -np.inf, None, 0.0, None
    for block in blocks:
        got = block.weakest(lam)
        if got[1] is not None and got[0] > lost:
            (lost, vec, mu), where = got, block.idx
    if vec is None:
        return Linkage(**out)
    full = np.zeros(ne.n_j.size)
    full[where] = vec
    return Linkage(**out, **_sides(ne, full, mu, rho))


def _sides(ne: fit.NormalEquations, vec: np.ndarray, mu: float, rho: float) -> dict:
    """The two sides of a direction, the essays they share and about how many would lift it."""
    tol = 1e-9 * float(np.abs(vec).max())
    side_a, side_b = np.flatnonzero(vec > tol), np.flatnonzero(vec < -tol)
    on_a = np.asarray(ne.b[:, side_a].sum(axis=1)).ravel() > 0
    on_b = np.asarray(ne.b[:, side_b].sum(axis=1)).ravel() > 0
    shared = int((on_a & on_b).sum())
    target = WELL_LINKED / (1.0 - WELL_LINKED) / rho  # mu at which gain reaches WELL_LINKED
    needed = int(np.ceil(max(shared, 1) * target / mu)) if mu < target else 0
    cap = int(min(on_a.sum(), on_b.sum()))
    return dict(side_a=tuple(side_a.tolist()), side_b=tuple(side_b.tolist()), shared_now=shared,
                shared_needed=min(max(needed, shared + 1), max(cap, shared + 1)))
