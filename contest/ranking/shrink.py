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

from contest.ranking import fit

RHO_GRID = np.logspace(-6, 8, 113)  # tau^2 / sigma^2 searched on this grid, then refined
WELL_LINKED = 0.9  # share of the full correction from which jurors count as well mixed
PLAN_RATIO = 1.0  # noise / severity variance assumed for a plan that has no scores yet


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


def fit_shrunk(d: fit.Design, bridging: str = "jurors") -> fit.SeverityFit:
    """Empirical-Bayes severities and the qualities they imply (module docstring).

    Standard errors are the posterior standard deviations sqrt(sigma^2 * sum_i u_ji^2 /
    (mu_i + lambda)) over the non-constant directions (severities are centred in each part,
    as in `fit.fit_severity`). rss, df and residual_var describe the least-squares fit.
    """
    if bridging not in fit.BRIDGINGS:
        raise ValueError(f"bridging must be one of {fit.BRIDGINGS}")
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


def design_linkage(pairs, ratio: float = PLAN_RATIO) -> Linkage:
    """`Linkage` of a planned design, (entry, juror) pairs with no scores yet, assuming the
    noise variance is `ratio` times the severity variance (lambda = ratio). side_a and
    side_b index jurors in first-seen order of `pairs`."""
    entry_ids: dict = {}
    juror_ids: dict = {}
    e = [entry_ids.setdefault(a, len(entry_ids)) for a, _b in pairs]
    j = [juror_ids.setdefault(b, len(juror_ids)) for _a, b in pairs]
    d = fit.make_design(e, j, np.zeros(len(e)), len(entry_ids), len(juror_ids))
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
    n = df + mu.size
    if mu.size == 0 or n <= 0:
        return 0.0, (rss / df if df > 0 else 0.0)

    def profile(rho: np.ndarray) -> np.ndarray:
        scale = 1.0 + np.multiply.outer(rho, mu)
        s2 = (rss + (t2 / scale).sum(axis=-1)) / n
        with np.errstate(divide="ignore"):
            return -0.5 * (n * np.log(s2) + np.log(scale).sum(axis=-1))

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
    sigma2 = float((rss + (t2 / (1.0 + rho * mu)).sum()) / n)
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
    vec = u[:, i]
    tol = 1e-9 * float(np.abs(vec).max())
    side_a, side_b = np.flatnonzero(vec > tol), np.flatnonzero(vec < -tol)
    on_a = np.asarray(ne.b[:, side_a].sum(axis=1)).ravel() > 0
    on_b = np.asarray(ne.b[:, side_b].sum(axis=1)).ravel() > 0
    shared = int((on_a & on_b).sum())
    target = WELL_LINKED / (1.0 - WELL_LINKED) / rho  # mu at which gain reaches WELL_LINKED
    needed = int(np.ceil(max(shared, 1) * target / mu[i])) if mu[i] < target else 0
    cap = int(min(on_a.sum(), on_b.sum()))
    return Linkage(**out, side_a=tuple(side_a.tolist()), side_b=tuple(side_b.tolist()),
                   shared_now=shared, shared_needed=min(max(needed, shared + 1), max(cap, shared + 1)))
