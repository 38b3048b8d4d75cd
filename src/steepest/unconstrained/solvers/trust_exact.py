r"""The exact trust-region subproblem (Moré & Sorensen, 1983).

:math:`\min_{\|p\| \le \Delta} g^\top p + \tfrac12 p^\top H p` is solved through
:math:`(H + \sigma I)p = -g`, :math:`H+\sigma I \succeq 0`, :math:`\sigma(\Delta - \|p\|) = 0`:
in the eigenbasis :math:`H = Q\Lambda Q^\top`,
:math:`\|p(\sigma)\|^2 = \sum_i (q_i^\top g)^2 / (\lambda_i + \sigma)^2`, and :math:`\sigma`
is found by a safeguarded Newton iteration on the secular equation
:math:`1/\|p(\sigma)\| - 1/\Delta = 0`; the "hard case" (:math:`g \perp` the lowest
eigenvector) adds a multiple of that eigenvector.

Reference:
    Nocedal & Wright, *Numerical Optimization*, 2nd ed., ch. 4 (Theorem 4.1; Algorithm 4.3);
    Moré & Sorensen, SIAM J. Sci. Stat. Comput. 4 (1983).
"""

from __future__ import annotations

import numpy as np

from ..._validate import check_positive_float

__all__ = ["solve_trust_subproblem"]


def solve_trust_subproblem(H: np.ndarray, g: np.ndarray, radius: float) -> np.ndarray:
    r"""Exact minimiser of ``g.p + p.H.p/2`` over ``||p|| <= radius``.

    Solves :math:`(H + \lambda I) p = -g`, :math:`H + \lambda I \succeq 0`,
    :math:`\lambda (\Delta - \|p\|) = 0` for :math:`\lambda \ge 0` (the "hard case"
    included), from an eigendecomposition of H and a safeguarded Newton iteration on the
    secular equation.

    Args:
        H: symmetric ``(n, n)`` model Hessian (may be indefinite).
        g: model gradient, shape ``(n,)``.
        radius: trust radius :math:`\Delta > 0`.

    Returns:
        The step ``p`` with ``||p|| <= radius`` (on the boundary when ``H`` is not positive
        definite or the Newton step is too long).

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., ch. 4 (Theorem 4.1; Algorithm 4.3);
        Moré & Sorensen, "Computing a trust region step", SIAM J. Sci. Stat. Comput. 4 (1983).

    Example:
        >>> import numpy as np
        >>> p = solve_trust_subproblem(np.diag([1.0, -1.0]), np.array([1.0, 0.0]), 2.0)
        >>> round(float(np.linalg.norm(p)), 12)
        2.0
    """
    radius = check_positive_float(radius, "radius", fix="pass the trust radius Δ > 0")
    if not (np.all(np.isfinite(H)) and np.all(np.isfinite(g))):
        raise ValueError("H and g must be finite (they contain NaN or inf); evaluate the model "
                         "at a point where f is finite")
    if np.ndim(H) != 2 or np.shape(H) != (np.size(g), np.size(g)):
        raise ValueError(f"H has shape {np.shape(H)} but g has {np.size(g)} entries; pass a "
                         f"symmetric ({np.size(g)}, {np.size(g)}) H for g of shape "
                         f"({np.size(g)},)")
    lam, Q = np.linalg.eigh(0.5 * (H + H.T))
    gt = Q.T @ g
    scale = max(1.0, float(np.max(np.abs(lam))))
    if lam[0] > 1e-12 * scale:
        p = -gt / lam
        if np.linalg.norm(p) <= radius:
            return Q @ p
    lo = max(0.0, -float(lam[0]))
    low = np.abs(lam - lam[0]) <= 1e-10 * scale
    if np.linalg.norm(gt[low]) <= 1e-12 * max(1.0, np.linalg.norm(gt)):
        pt = _hard_case(lam, gt, lo, low, radius)
        if pt is not None:
            return Q @ pt
    sigma = _secular_newton(lam, gt, lo, radius)
    return Q @ (-gt / (lam + sigma))


def _hard_case(lam, gt, lo, low, radius) -> np.ndarray | None:
    denom = lam + lo
    pt = np.zeros_like(gt)
    pt[~low] = -gt[~low] / denom[~low]
    rest = radius * radius - float(pt @ pt)
    if rest < 0:
        return None  # the boundary is reached with sigma > lo: not the hard case after all
    pt[np.flatnonzero(low)[0]] = np.sqrt(rest)
    return pt


def _secular_newton(lam, gt, lo, radius, iters=60) -> float:
    def norms(s):
        d = lam + s
        return np.sqrt(np.sum((gt / d) ** 2)), np.sum(gt * gt / d ** 3)

    hi = lo + np.linalg.norm(gt) / radius + 1.0
    sigma = lo + max(1e-12, 1e-8 * hi)
    for _ in range(iters):
        pn, q2 = norms(sigma)
        if abs(pn - radius) <= 1e-10 * radius:
            break
        if pn > radius:
            lo = sigma
        else:
            hi = sigma
        step = (pn / radius - 1.0) * pn * pn / q2 if q2 > 0 else np.inf
        sigma_new = sigma + step
        sigma = sigma_new if lo < sigma_new < hi else 0.5 * (lo + hi)
    return float(sigma)
