"""Norm-constrained linear least squares: the multiplier λ of Goodfellow et al. §4.5.

Problem: min_x ½‖Ax − b‖²  s.t.  ‖x‖₂ ≤ r, with Goodfellow et al.'s Lagrangian (eq. 4.23, scaled to
radius r) L(x, λ) = ½‖Ax − b‖² + λ(xᵀx − r²). Stationarity in x (eq. 4.25) gives

    x(λ) = (AᵀA + 2λI)⁻¹ Aᵀb                                   (eq. 4.26)

and λ ≥ 0 must make ‖x(λ)‖ = r whenever the minimum-norm solution A⁺b is infeasible.

Two ways to find λ:

* ``"newton"`` — Newton's method on the *secular equation* φ(μ) = 1/‖x(μ)‖ − 1/r with μ = 2λ
  (Moré & Sorensen 1983; Nocedal & Wright 2006, Alg. 4.3). φ is concave and increasing, so
  from the left Newton converges monotonically and quadratically; each step costs one
  factorization R of [A; √μ I] (RᵀR = AᵀA + μI):

      μ₊ = μ + (‖x‖/‖q‖)² (‖x‖ − r)/r,   Rᵀq = x.

  Safeguarded by a bracket [μ_lo, μ_hi] with μ_hi = ‖Aᵀb‖/r. The trust-region "hard case"
  (Aᵀb orthogonal to the eigenvectors of the smallest eigenvalue of the Hessian) cannot leave a
  gap here: AᵀA is positive semidefinite and Aᵀb ∈ range(AᵀA), so ‖x(μ)‖ decreases
  continuously from ‖A⁺b‖ (μ → 0⁺) to 0; the μ = 0 end is exactly the pseudoinverse branch.
  Rank-deficient A (singular AᵀA) is handled because every factorization is at μ > 0.
* ``"ascent"`` — Goodfellow et al.'s gradient ascent on λ (eq. 4.27): λ ← max(0, λ + η(xᵀx − r²)).
  The safe step is η ≤ 1/|ψ′(0)| for ψ(λ) = ‖x(λ)‖² − r² (ψ is convex and decreasing, so its
  slope is largest at λ = 0); convergence is linear with rate 1 − η|ψ′(λ*)|, often thousands of
  iterations; too large a step makes the iteration oscillate instead of converging.

References:
    Goodfellow, Bengio, Courville, *Deep Learning*, §4.5, eqs. 4.23–4.27. Moré & Sorensen,
    "Computing a trust region step", SIAM J. Sci. Stat. Comput. 4 (1983). Nocedal & Wright,
    *Numerical Optimization* (2nd ed.), §4.3.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from .._result import OptimizeResult, Status
from .._validate import check_choice, check_positive_float

__all__ = ["SecularResult", "norm_constrained_lstsq"]

_EPS = np.finfo(float).eps


class SecularResult(OptimizeResult):
    """Solution of min ½‖Ax − b‖² s.t. ‖x‖ ≤ r with its multiplier.

    An :class:`~steepest._result.OptimizeResult` with the fields:

    Attributes:
        x: the solution. lam: λ ≥ 0 of L = f + λ(xᵀx − r²). nit: λ iterations.
        nfact: matrix factorizations used. lambda_trace: λ after each iteration.
        status: a :class:`~steepest._result.Status`: ``SUCCESS`` (‖x‖ = r reached, or A⁺b is
        feasible and λ = 0), ``MAX_ITER`` or ``DIVERGED`` (the λ ascent oscillates).
        success: ``status is Status.SUCCESS``. message: human-readable summary.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (eqs. 4.23-4.27: min ½‖Ax − b‖² s.t. xᵀx ≤ 1).

    Example:
        >>> import numpy as np
        >>> from steepest.constrained import norm_constrained_lstsq
        >>> res = norm_constrained_lstsq(np.eye(2), np.array([3.0, 4.0]), 1.0)
        >>> np.round(res.x, 12).tolist(), round(res.lam, 12), res.status is Status.SUCCESS
        ([0.6, 0.8], 2.0, True)
    """


def _reduce(A, b):
    """Replace (A, b) by (R, z) from one QR of [A b] (Q never formed) when m > n: RᵀR = AᵀA
    and Rᵀz = Aᵀb, so every later factorization is (2n)×n instead of (m+n)×n."""
    m, n = A.shape
    if m <= n + 1:
        return A, b
    Rfull = np.linalg.qr(np.column_stack([A, b]), mode="r")
    return Rfull[:n, :n], Rfull[:n, n]


def _solve_shifted(A, b, mu):
    """x(μ) = argmin ‖[A; √μ I]x − [b; 0]‖ by one QR of [A b; √μI 0] (Q never formed);
    returns (x, R) with RᵀR = AᵀA + μI."""
    m, n = A.shape
    M = np.zeros((m + n, n + 1))
    M[:m, :n], M[:m, n] = A, b
    M[m:, :n] = np.sqrt(mu) * np.eye(n)
    Rfull = np.linalg.qr(M, mode="r")
    R = Rfull[:n, :n]
    return sla.solve_triangular(R, Rfull[:n, n]), R


def _newton(A, b, r, x_pinv, tol, maxiter):
    """Safeguarded Newton on φ(μ) = 1/‖x(μ)‖ − 1/r (Moré–Sorensen)."""
    g = A.T @ b
    lo, hi = 0.0, float(np.linalg.norm(g)) / r
    A, b = _reduce(A, b)
    d = np.abs(np.diag(A)) if A.shape[0] == A.shape[1] else np.zeros(1)
    full_rank = d.size == A.shape[1] and d.min() > A.shape[1] * _EPS * d.max()
    mu = 0.0 if full_rank else 1e-3 * hi
    trace, nfact = [], 0
    x = x_pinv
    for it in range(1, maxiter + 1):
        x, R = _solve_shifted(A, b, mu)
        nfact += 1
        nx = float(np.linalg.norm(x))
        trace.append(mu / 2)
        if abs(nx - r) <= tol * r:
            return x, mu, it, nfact, trace, Status.SUCCESS
        if nx > r:
            lo = max(lo, mu)
        else:
            hi = min(hi, mu)
        q = sla.solve_triangular(R, x, trans="T")
        step = (nx / np.linalg.norm(q)) ** 2 * (nx - r) / r
        new = mu + step
        if abs(step) <= 1e-12 * mu:  # quadratic convergence: we sit at the rounding floor
            return x, mu, it, nfact, trace, Status.SUCCESS
        if not lo < new < hi:
            new = max(np.sqrt(lo * hi), lo + 1e-3 * (hi - lo))
        mu = new
    return x, mu, maxiter, nfact, trace, Status.MAX_ITER


def _ascent(A, b, r, tol, maxiter, step):
    """Goodfellow et al.'s projected gradient ascent on λ (§4.5, eq. 4.27), x(λ) from one SVD."""
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    c = (U.T @ b) * s
    s2 = s**2
    keep = s2 > 0

    def x_of(lam):
        return Vt.T @ (c / (s2 + 2 * lam))

    if step is None:
        step = 1.0 / (4.0 * np.sum(c[keep] ** 2 / s2[keep] ** 3))
    lam, trace, resid = 0.0, [], []
    status = Status.MAX_ITER
    for it in range(1, maxiter + 1):
        x = x_of(lam)
        psi = float(x @ x) - r**2
        resid.append(abs(psi))
        if not np.isfinite(psi):
            status = Status.DIVERGED
            break
        if abs(psi) <= 2 * tol * r**2:
            status = Status.SUCCESS
            break
        lam = max(0.0, lam + step * psi)
        trace.append(lam)
        if it >= 40 and max(resid[-10:]) >= max(resid[-20:-10]) >= max(resid[-30:-20]):
            status = Status.DIVERGED
            break
    return x_of(lam), 2 * lam, it, 1, trace, status


def norm_constrained_lstsq(A, b, max_norm, *, lambda_method="newton", x_pinv=None, tol=None,
                           maxiter=None, lambda_step=None) -> SecularResult:
    """Solve min ½‖Ax − b‖² s.t. ‖x‖₂ ≤ max_norm and return x with its multiplier λ.

    Args:
        A: (m, n) array. b: (m,) array. max_norm: radius r > 0.
        lambda_method: ``"newton"`` (secular equation, default) or ``"ascent"`` (eq. 4.27).
        x_pinv: the minimum-norm unconstrained solution A⁺b if already known.
        tol: relative tolerance on |‖x‖ − r| (default 4ε for Newton, 1e-10 for ascent); Newton
            also stops once its relative λ step is below 1e-12 (the rounding floor).
        maxiter: λ iterations (default 50 for Newton, 100000 for ascent).
        lambda_step: ascent step η (default the safe 1/|ψ′(0)|); ignored by Newton.

    Returns:
        SecularResult with x, λ (L = ½‖Ax − b‖² + λ(xᵀx − r²)), iterations, factorizations.

    Example:
        >>> import numpy as np
        >>> res = norm_constrained_lstsq(np.eye(2), np.array([3.0, 4.0]), 1.0)
        >>> np.round(res.x, 12).tolist(), round(res.lam, 12)
        ([0.6, 0.8], 2.0)
    """
    A = np.atleast_2d(np.asarray(A, dtype=float))
    b = np.asarray(b, dtype=float)
    r = check_positive_float(max_norm, "max_norm")
    check_choice(lambda_method, "lambda_method", ("newton", "ascent"))
    if x_pinv is None:
        x_pinv = np.linalg.lstsq(A, b, rcond=None)[0]
    if np.linalg.norm(x_pinv) <= r:
        return SecularResult(x=x_pinv, lam=0.0, nit=0, nfact=0, lambda_trace=(0.0,),
                             status=Status.SUCCESS,
                             message="minimum-norm solution A⁺b is feasible: λ = 0")
    if lambda_method == "newton":
        out = _newton(A, b, r, x_pinv, 4 * _EPS if tol is None else tol, maxiter or 50)
    else:
        out = _ascent(A, b, r, 1e-10 if tol is None else tol, maxiter or 100_000, lambda_step)
    x, mu, nit, nfact, trace, status = out
    msg = {Status.SUCCESS: f"‖x‖ = r reached after {nit} λ iterations",
           Status.MAX_ITER: f"λ not converged after {nit} iterations; "
                                         "raise maxiter or (ascent) the step",
           Status.DIVERGED: "λ iteration oscillates/diverges: the ascent step is too "
                                   "large; lower lambda_step below 1/|ψ'(0)|"}[status]
    return SecularResult(x=x, lam=float(mu) / 2, nit=nit, nfact=nfact,
                         lambda_trace=tuple(trace), status=status, message=msg)
