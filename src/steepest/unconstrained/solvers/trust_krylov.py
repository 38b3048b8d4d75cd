r"""Matrix-free trust-region subproblems: Steihaug-Toint CG and GLTR (Lanczos).

Both minimise the quadratic model :math:`m(p) = g^\top p + \tfrac12 p^\top H p` over
:math:`\|p\| \le \Delta` using only products :math:`v \mapsto Hv`, so they work at any n.

* **Steihaug-Toint CG** runs conjugate gradients on :math:`Hp = -g` from :math:`p_0 = 0`. It
  stops at the boundary when an iterate leaves the ball, follows a direction of
  non-positive curvature :math:`d^\top H d \le 0` to the boundary (the root of
  :math:`\|p + \tau d\| = \Delta` with the lower model value), or stops inside when
  :math:`\|r_k\| \le \min(\tfrac12, \sqrt{\|g\|})\,\|g\|` (Nocedal & Wright Algorithm 7.2).
* **GLTR** builds the Lanczos basis :math:`Q_k` of the Krylov space
  :math:`\mathcal K_k(H, g)`, in which :math:`H` is the tridiagonal :math:`T_k`, and solves
  :math:`\min_{\|h\| \le \Delta} \|g\| e_1^\top h + \tfrac12 h^\top T_k h` exactly
  (Moré-Sorensen on the k x k problem). Unlike CG it keeps improving the step once the
  boundary is reached, and it handles negative curvature by the exact small problem. With
  :math:`(T_k + \lambda I)h = -\|g\| e_1` the full-space residual is
  :math:`\|(H + \lambda I)Q_k h + g\| = \beta_k |h_k|`, which is the stopping test.

Reference:
    Steihaug, "The conjugate gradient method and trust regions in large scale optimization",
    SIAM J. Numer. Anal. 20 (1983); Gould, Lucidi, Roma & Toint, "Solving the trust-region
    subproblem using the Lanczos method", SIAM J. Optim. 9 (1999); Nocedal & Wright,
    *Numerical Optimization*, 2nd ed., §7.1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .trust_exact import solve_trust_subproblem

__all__ = ["steihaug_cg", "gltr", "forcing_tolerance"]

Hvp = Callable[[np.ndarray], np.ndarray]


def forcing_tolerance(gnorm: float) -> float:
    r"""The inner residual tolerance :math:`\min(\tfrac12, \sqrt{\|g\|})\,\|g\|`.

    Args:
        gnorm: :math:`\|g\|`.

    Returns:
        The tolerance (superlinear convergence of the outer iteration, N&W Theorem 7.2).

    Example:
        >>> forcing_tolerance(0.01)
        0.001
    """
    return min(0.5, float(np.sqrt(gnorm))) * gnorm


def _boundary_taus(p: np.ndarray, d: np.ndarray, radius: float) -> tuple[float, float]:
    """Roots ``ta <= 0 <= tb`` of ``||p + t d|| = radius`` (``||p|| <= radius``)."""
    a, b, c = float(d @ d), 2.0 * float(p @ d), float(p @ p) - radius * radius
    root = np.sqrt(max(b * b - 4.0 * a * c, 0.0))
    q = -0.5 * (b + np.copysign(root, b))  # no cancellation
    t1, t2 = (q / a, c / q) if q != 0 else (0.0, 0.0)
    return min(t1, t2), max(t1, t2)


def _model(g: np.ndarray, hvp: Hvp, p: np.ndarray) -> float:
    return float(g @ p) + 0.5 * float(p @ hvp(p))


def steihaug_cg(hvp: Hvp, g: np.ndarray, radius: float, tol: float | None = None,
                maxiter: int | None = None) -> tuple[np.ndarray, bool]:
    r"""Steihaug-Toint truncated CG for :math:`\min_{\|p\|\le\Delta} g^\top p + \tfrac12
    p^\top H p`.

    Args:
        hvp: ``v -> H v`` (H symmetric, possibly indefinite).
        g: model gradient.
        radius: trust radius :math:`\Delta > 0`.
        tol: residual tolerance (default :func:`forcing_tolerance` of ``||g||``).
        maxiter: CG iterations (default ``2 n``).

    Returns:
        ``(p, on_boundary)``.

    Reference:
        Steihaug, SIAM J. Numer. Anal. 20 (1983); Nocedal & Wright Algorithm 7.2.

    Example:
        >>> import numpy as np
        >>> H = np.diag([2.0, 4.0])
        >>> p, hit = steihaug_cg(lambda v: H @ v, np.array([2.0, 4.0]), 10.0, tol=1e-12)
        >>> np.round(p, 12).tolist(), hit
        ([-1.0, -1.0], False)
        >>> p, hit = steihaug_cg(lambda v: -v, np.array([1.0, 0.0]), 2.0)
        >>> p.tolist(), hit
        ([-2.0, 0.0], True)
    """
    gnorm = float(np.linalg.norm(g))
    tol = forcing_tolerance(gnorm) if tol is None else float(tol)
    z, r = np.zeros_like(g), g.copy()
    if gnorm <= tol or gnorm == 0.0:
        return z, False
    d, rr = -r, float(r @ r)
    for _ in range(2 * g.size if maxiter is None else int(maxiter)):
        Bd = hvp(d)
        dBd = float(d @ Bd)
        if dBd <= 0.0:  # non-positive curvature: to the boundary, the better of two roots
            ta, tb = _boundary_taus(z, d, radius)
            pa, pb = z + ta * d, z + tb * d
            return (pa, True) if _model(g, hvp, pa) < _model(g, hvp, pb) else (pb, True)
        alpha = rr / dBd
        z_next = z + alpha * d
        if float(z_next @ z_next) >= radius * radius:
            return z + _boundary_taus(z, d, radius)[1] * d, True
        r += alpha * Bd
        rr_next = float(r @ r)
        if np.sqrt(rr_next) < tol:
            return z_next, False
        d = -r + (rr_next / rr) * d
        z, rr = z_next, rr_next
    return z, False


def gltr(hvp: Hvp, g: np.ndarray, radius: float, tol: float | None = None,
         maxiter: int | None = None,
         tol_interior: float | None = None) -> tuple[np.ndarray, bool]:
    r"""GLTR: the trust-region subproblem solved exactly on a growing Lanczos subspace.

    Args:
        hvp: ``v -> H v`` (H symmetric, possibly indefinite).
        g: model gradient.
        radius: trust radius :math:`\Delta > 0`.
        tol: tolerance on :math:`\beta_k|h_k|` while the step is on the boundary (default
            :func:`forcing_tolerance`, superlinear).
        maxiter: Lanczos steps (default ``n``; the basis is kept, ``maxiter x n`` floats).
        tol_interior: the tolerance while the step is inside the ball (default
            :math:`\min(\tfrac12, \|g\|)\|g\|`, the forcing sequence of quadratic
            convergence; scipy's trust-krylov asks trlib for the same pair).

    Returns:
        ``(p, on_boundary)``.

    Reference:
        Gould, Lucidi, Roma & Toint, SIAM J. Optim. 9 (1999), Algorithm 5.1.

    Example:
        >>> import numpy as np
        >>> H = np.diag([1.0, -1.0, 3.0])
        >>> p, hit = gltr(lambda v: H @ v, np.array([1.0, 1.0, 1.0]), 1.5)
        >>> round(float(np.linalg.norm(p)), 10), hit
        (1.5, True)
    """
    gnorm = float(np.linalg.norm(g))
    tol = forcing_tolerance(gnorm) if tol is None else float(tol)
    tol_in = min(0.5, gnorm) * gnorm if tol_interior is None else float(tol_interior)
    if gnorm == 0.0:
        return np.zeros_like(g), False
    kmax = g.size if maxiter is None else max(1, min(int(maxiter), g.size))
    basis = [g / gnorm]
    alphas: list[float] = []
    betas: list[float] = []
    q_prev, beta = np.zeros_like(g), 0.0
    h = np.zeros(1)
    for k in range(kmax):
        w = hvp(basis[k]) - beta * q_prev
        alpha = float(basis[k] @ w)
        w -= alpha * basis[k]
        beta = float(np.linalg.norm(w))
        alphas.append(alpha)
        h = _tridiagonal_step(alphas, betas, gnorm, radius)
        inside = float(np.linalg.norm(h)) < (1.0 - 1e-8) * radius
        converged = beta * abs(h[-1]) <= (tol_in if inside else tol)
        if converged or beta <= 1e-14 * max(1.0, abs(alpha)) or k + 1 == kmax:
            break
        betas.append(beta)
        q_prev = basis[k]
        basis.append(w / beta)
    p = np.zeros_like(g)
    for coef, q in zip(h, basis, strict=False):
        p += coef * q
    return p, bool(np.linalg.norm(h) >= (1.0 - 1e-8) * radius)


def _tridiagonal_step(alphas: list[float], betas: list[float], gnorm: float,
                      radius: float) -> np.ndarray:
    """Exact minimiser of ``gnorm e1.h + h.T h / 2`` over ``||h|| <= radius``."""
    k = len(alphas)
    T = np.diag(alphas)
    if k > 1:
        off = np.asarray(betas[:k - 1])
        T += np.diag(off, 1) + np.diag(off, -1)
    e1 = np.zeros(k)
    e1[0] = gnorm
    return solve_trust_subproblem(T, e1, radius)
