"""Linear least squares min_x ½‖Ax − b‖², plain and norm-constrained (Goodfellow et al. §4.5).

``lstsq(A, b, method=...)`` offers the direct and iterative routes side by side so their
accuracy and cost can be compared on the same problem:

========  =====================================================================================
method    what it does
========  =====================================================================================
"qr"      Householder QR with column pivoting; rank from |R_kk| > rcond·|R_00| (basic solution)
"svd"     A⁺b, the minimum-norm solution; singular values below rcond·σ_max are dropped
"normal"  Cholesky of AᵀA; warns (ConditioningWarning) since cond(AᵀA) = cond(A)²
"gd"      Algorithm 4.1: x ← x − ε(AᵀAx − Aᵀb) until ‖AᵀAx − Aᵀb‖ ≤ δ; ε ≤ 1/σ_max²
"newton"  one Newton step from x0: x0 − (AᵀA)⁻¹∇f(x0), exact because f is quadratic
"cg"      CGLS, conjugate gradients on the normal equations using only A·v and Aᵀ·u
========  =====================================================================================

With ``max_norm=r`` the problem becomes min ½‖Ax − b‖² s.t. ‖x‖ ≤ r, solved as in
Goodfellow et al. §4.5: keep A⁺b if it is feasible (λ = 0), otherwise find λ > 0 in
x(λ) = (AᵀA + 2λI)⁻¹Aᵀb (eq. 4.26) by Newton on the secular equation (default) or by
Goodfellow et al.'s gradient ascent (eq. 4.27); see :mod:`steepest.constrained.secular`.

References:
    Goodfellow, Bengio, Courville, *Deep Learning*, §4.5 and Algorithm 4.1. Golub & Van Loan,
    *Matrix Computations* (4th ed.), §5.3–5.5. Björck, *Numerical Methods for Least Squares
    Problems* (1996), §7.4 (CGLS).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from .._options import did_you_mean
from .._result import OptimizeResult, Status
from .._validate import (
    check_choice,
    check_finite_array,
    check_nonnegative_float,
    check_positive_float,
    check_positive_int,
)
from ..constrained.secular import norm_constrained_lstsq
from ..numerics import ConditioningWarning

__all__ = ["lstsq", "LstsqResult"]

_EPS = np.finfo(float).eps


class LstsqResult(OptimizeResult):
    """Result of :func:`lstsq`: an :class:`~steepest._result.OptimizeResult`.

    Attributes:
        x: solution. residual_norm: ‖Ax − b‖₂. rank: numerical rank (None for "cg"/"gd").
        singular_values: σ of A when computed ("svd", and for "gd" σ_max only), else None.
        cond: condition number of A: exact σ_max/σ_min ("svd", "normal"), LAPACK's 1-norm
        estimate of cond(R) ("qr"), None when not computed. nit: iterations
        (gradient steps, CG steps, or λ iterations under max_norm). lam: multiplier λ ≥ 0 of
        ‖x‖² ≤ r² (0 when unconstrained or inactive). nfact: factorizations for λ.
        lambda_trace: λ iterates. method / lambda_method: what ran.
        status: a :class:`~steepest._result.Status`: ``SUCCESS``, ``MAX_ITER`` (an iterative
        method or the λ iteration ran out of steps) or ``DIVERGED`` (the λ ascent diverged).
        success: ``status is Status.SUCCESS``. message: what was solved, in words.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.5 "Example: Linear Least Squares" (eqs. 4.21-4.22).

    Example:
        >>> import numpy as np
        >>> A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); b = np.array([1.0, 2.0, 3.0])
        >>> res = lstsq(A, b)
        >>> np.round(res.x, 12).tolist(), res.status is Status.SUCCESS, res.status == 0
        ([1.0, 2.0], True, True)
    """


@dataclass(frozen=True)
class _Solve:
    x: np.ndarray
    rank: int | None = None
    sv: np.ndarray | None = None
    cond: float | None = None
    nit: int = 0
    status: Status = Status.SUCCESS
    message: str = "solved"


def _rcond(A, rcond):
    return max(A.shape) * _EPS if rcond is None else float(rcond)


def _solve_svd(A, b, opts) -> _Solve:
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    if s.size == 0 or s[0] == 0:
        return _Solve(np.zeros(A.shape[1]), 0, s, np.inf)
    r = int(np.sum(s > _rcond(A, opts.get("rcond")) * s[0]))
    x = Vt[:r].T @ ((U[:, :r].T @ b) / s[:r])
    return _Solve(x, r, s, float(s[0] / s[r - 1]), message="minimum-norm solution A⁺b")


def _solve_qr(A, b, opts) -> _Solve:
    Q, R, piv = sla.qr(A, mode="economic", pivoting=True)
    d = np.abs(np.diag(R))
    if d.size == 0 or d[0] == 0:
        return _Solve(np.zeros(A.shape[1]), 0, None, np.inf)
    r = int(np.sum(d > _rcond(A, opts.get("rcond")) * d[0]))
    z = sla.solve_triangular(R[:r, :r], (Q[:, :r].T @ b))
    x = np.zeros(A.shape[1])
    x[piv[:r]] = z
    rc, _ = sla.lapack.dtrcon(R[:r, :r], norm="1")  # LAPACK 1-norm estimate, O(r²)
    cond = float(1.0 / rc) if rc > 0 else np.inf
    msg = "basic solution (rank-deficient: use method='svd' for minimum norm)" if r < A.shape[1] \
        else "full-rank QR solution"
    return _Solve(x, r, None, cond, message=msg)


def _normal_factor(A):
    H = A.T @ A
    try:
        return H, sla.cho_factor(H)
    except np.linalg.LinAlgError as exc:
        raise ValueError("AᵀA is not positive definite (A is rank-deficient): use "
                         "method='svd' or 'qr'.") from exc


def _solve_normal(A, b, opts) -> _Solve:
    H, cho = _normal_factor(A)
    condH = float(np.linalg.cond(H))
    if condH > opts.get("warn_cond", 1e8):
        warnings.warn(f"normal equations: cond(AᵀA) = cond(A)² ≈ {condH:.2e}; about "
                      f"{np.log10(condH):.0f} digits are lost. Prefer method='qr' or 'svd'.",
                      ConditioningWarning, stacklevel=3)
    x = sla.cho_solve(cho, A.T @ b)
    return _Solve(x, A.shape[1], None, float(np.sqrt(condH)), message="Cholesky of AᵀA")


def _solve_newton(A, b, opts) -> _Solve:
    x0 = np.zeros(A.shape[1]) if opts.get("x0") is None else np.asarray(opts["x0"], float)
    _, cho = _normal_factor(A)
    grad = A.T @ (A @ x0 - b)
    return _Solve(x0 - sla.cho_solve(cho, grad), A.shape[1], nit=1,
                  message="one Newton step (exact for a quadratic)")


def _solve_gd(A, b, opts) -> _Solve:
    smax = float(np.linalg.norm(A, 2))
    safe = 1.0 / smax**2
    step = opts.get("step") or safe
    if step >= 2.0 * safe:
        raise ValueError(f"gd step {step:.3g} >= 2/σ_max² = {2 * safe:.3g} diverges; "
                         f"use step <= 1/σ_max² = {safe:.3g} (the default).")
    g0 = A.T @ b
    delta = opts.get("tol") or 1e-10 * max(1.0, float(np.linalg.norm(g0)))
    maxiter = int(opts.get("maxiter") or 100_000)
    x = np.zeros(A.shape[1]) if opts.get("x0") is None else np.asarray(opts["x0"], float).copy()
    best, f_best = x, np.inf
    for it in range(maxiter + 1):
        Ax = A @ x
        grad = A.T @ Ax - g0
        f = 0.5 * float(np.sum((Ax - b) ** 2))
        if np.linalg.norm(grad) <= delta:
            return _Solve(x, None, np.array([smax]), None, it, message=f"‖∇f‖ ≤ δ in {it} steps")
        if f < f_best:
            best, f_best = x, f
        elif not (np.isfinite(f) and f <= _DIVERGED * max(f_best, _EPS)):
            return _diverged(best, smax, it, step, np.isfinite(f))
        x = x - step * grad
    return _Solve(x, None, np.array([smax]), None, maxiter, Status.MAX_ITER,
                  f"‖∇f‖ > δ after {maxiter} steps: raise maxiter or use a direct method")


_DIVERGED = 1e8  # f grown this many times past its best: the iteration is unstable


def _diverged(best, smax, it, step, finite) -> _Solve:
    """The best finite point of a gd run whose objective blew up (or became non-finite)."""
    status = Status.DIVERGED if finite else Status.NON_FINITE
    what = "grew 1e8× past its best" if finite else "became non-finite"
    return _Solve(best, None, np.array([smax]), None, it, status,
                  f"gd diverged: ½‖Ax − b‖² {what} after {it} steps with step {step:.3g}; "
                  f"returning the best point; use step <= 1/σ_max² = {1 / smax**2:.3g}")


def _solve_cg(A, b, opts) -> _Solve:
    """CGLS: CG on AᵀAx = Aᵀb without forming AᵀA (Björck 1996, Alg. 7.4.1)."""
    n = A.shape[1]
    x = np.zeros(n) if opts.get("x0") is None else np.asarray(opts["x0"], float).copy()
    r = b - A @ x
    s = A.T @ r
    p, gamma = s.copy(), float(s @ s)
    tol = opts.get("tol") or 1e-12 * max(1.0, float(np.linalg.norm(A.T @ b)))
    maxiter = int(opts.get("maxiter") or 10 * n)
    for it in range(maxiter + 1):
        if np.sqrt(gamma) <= tol:
            return _Solve(x, nit=it, message=f"‖Aᵀr‖ ≤ {tol:.1e} in {it} CG steps")
        q = A @ p
        a = gamma / float(q @ q)
        x, r = x + a * p, r - a * q
        s = A.T @ r
        gamma, old = float(s @ s), gamma
        p = s + (gamma / old) * p
    return _Solve(x, nit=maxiter, status=Status.MAX_ITER,
                  message=f"CGLS not converged in {maxiter} steps")


_METHODS: dict[str, Callable[[np.ndarray, np.ndarray, dict], _Solve]] = {
    "qr": _solve_qr,
    "svd": _solve_svd,
    "normal": _solve_normal,
    "gd": _solve_gd,
    "newton": _solve_newton,
    "cg": _solve_cg,
}
_MIN_NORM = {"svd", "cg", "gd"}  # from x0 = 0 these return A⁺b even when A is rank-deficient


def _matrix_and_rhs(A, b, method):
    """``A`` (2-D) and ``b`` (shape ``(m,)``) as finite float arrays; a LinearOperator for CG."""
    if method == "cg" and hasattr(A, "rmatvec") and hasattr(A, "shape"):
        return A, np.asarray(b, dtype=float)  # matrix-free (scipy LinearOperator)
    A = check_finite_array(A, "A", ndim=2)
    return A, check_finite_array(b, "b", shape=(A.shape[0],))


def lstsq(A, b, method: str = "qr", *, max_norm: float | None = None,
          lambda_method: str = "newton", rcond: float | None = None, x0=None,
          tol: float | None = None, maxiter: int | None = None, step: float | None = None,
          lambda_step: float | None = None, warn_cond: float = 1e8) -> LstsqResult:
    """Least squares min_x ½‖Ax − b‖², optionally subject to ‖x‖₂ ≤ max_norm.

    Gradient (eq. 4.22): ∇f(x) = AᵀAx − Aᵀb. With ``max_norm=r`` the solution satisfies the
    KKT conditions of L(x, λ) = f(x) + λ(xᵀx − r²): AᵀAx − Aᵀb + 2λx = 0, λ ≥ 0, ‖x‖ ≤ r,
    λ(‖x‖² − r²) = 0 (eqs. 4.23–4.27).

    Args:
        A: (m, n) matrix (for "cg" also a scipy LinearOperator). b: (m,) right-hand side.
        method: "qr" (default), "svd", "normal", "gd", "newton" or "cg" (table above).
        max_norm: radius r of the constraint ‖x‖ ≤ r, or None for the plain problem.
        lambda_method: "newton" (secular equation, default) or "ascent" (seed eq. 4.27).
        rcond: relative singular-value / pivot cutoff for rank (default max(m, n)·ε).
        x0: starting point for "gd", "newton", "cg" (default 0).
        tol: δ of Algorithm 4.1 for "gd", ‖Aᵀr‖ tolerance for "cg", λ tolerance under max_norm.
        maxiter: iteration limit of the iterative method (or of the λ iteration).
        step: ε for "gd" (default 1/σ_max², must be < 2/σ_max²).
        lambda_step: η for lambda_method="ascent" (default the safe 1/|ψ′(0)|).
        warn_cond: "normal" warns when cond(AᵀA) exceeds this.

    Returns:
        LstsqResult (x, residual_norm, rank, singular_values, cond, nit, lam, status, ...).

    Example:
        >>> import numpy as np
        >>> A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); b = np.array([1.0, 2.0, 3.0])
        >>> np.round(lstsq(A, b).x, 12).tolist()
        [1.0, 2.0]
        >>> res = lstsq(A, b, max_norm=1.0)
        >>> round(float(np.linalg.norm(res.x)), 12), res.lam > 0
        (1.0, True)
    """
    if method not in _METHODS:
        raise ValueError(f"unknown method {method!r}{did_you_mean(method, _METHODS)}; choose "
                         f"one of {sorted(_METHODS)}.")
    A, b = _matrix_and_rhs(A, b, method)
    _check_options(A, max_norm=max_norm, lambda_method=lambda_method, rcond=rcond, x0=x0,
                   tol=tol, maxiter=maxiter, step=step, lambda_step=lambda_step,
                   warn_cond=warn_cond)
    if max_norm is not None and not isinstance(A, np.ndarray):
        raise TypeError("max_norm needs A as an array (it factorizes [A; √μ I]).")
    opts = {"rcond": rcond, "x0": x0, "tol": tol if max_norm is None else None,
            "maxiter": maxiter if max_norm is None else None, "step": step,
            "warn_cond": warn_cond}
    sol = _METHODS[method](A, b, opts)
    if max_norm is None:
        return _result(A, b, sol, method, sol.x, sol.nit, 0.0, sol.status, sol.message)
    x_pinv = sol.x
    if method not in _MIN_NORM and (sol.rank is None or sol.rank < A.shape[1]):
        x_pinv = _solve_svd(A, b, opts).x
    sec = norm_constrained_lstsq(A, b, max_norm, lambda_method=lambda_method, x_pinv=x_pinv,
                                 tol=tol, maxiter=maxiter, lambda_step=lambda_step)
    res = _result(A, b, sol, method, sec.x, sec.nit, sec.lam, sec.status, sec.message)
    res.update(lambda_method=lambda_method, nfact=sec.nfact, lambda_trace=sec.lambda_trace)
    return res


def _check_options(A, *, x0, rcond, maxiter, lambda_method, **positive) -> None:
    """Every option of :func:`lstsq` checked at the boundary (None means "the default")."""
    check_choice(lambda_method, "lambda_method", ("newton", "ascent"))
    for name, value in positive.items():
        if value is not None:
            check_positive_float(value, name)
    if rcond is not None:
        check_nonnegative_float(rcond, "rcond")
    if maxiter is not None:
        check_positive_int(maxiter, "maxiter")
    if x0 is not None:
        check_finite_array(x0, "x0", shape=(A.shape[1],))


def _result(A, b, sol, method, x, nit, lam, status, message) -> LstsqResult:
    return LstsqResult(x=x, residual_norm=float(np.linalg.norm(A @ x - b)), rank=sol.rank,
                       singular_values=sol.sv, cond=sol.cond, nit=nit, lam=float(lam),
                       method=method, status=status, message=message, lambda_method=None,
                       nfact=0, lambda_trace=())
