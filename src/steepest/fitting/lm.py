"""Levenberg–Marquardt for unbounded least squares, as Moré (1978) implements it.

Each step solves ``min ½‖J p + f‖²`` subject to ``‖D p‖ ≤ Δ`` — the Levenberg–Marquardt
parameter α found to 10 % by :func:`.subproblem.lm_parameter` in the variables ``q = D p``.
``D`` is ``1 / x_scale``, or for ``x_scale="jac"`` the column norms of ``J``, each kept at its
largest value so far (Moré §6). The radius update is Moré's (§7), on the ratio ρ of the actual
reduction ``1 − (‖f₊‖/‖f‖)²`` to the predicted ``(‖Jp‖² + 2α‖Dp‖²)/‖f‖²``:

- ρ ≤ ¼: ``Δ ← μ min(Δ, 10‖Dp‖)`` with ``μ = ½``, or the minimizer of the quadratic that
  interpolates the directional derivative and the actual reduction when the cost went up,
  clipped to ``[0.1, ½]``; α ← α / μ;
- ρ ≥ ¾ (or α = 0): ``Δ ← 2‖Dp‖``, α ← α / 2;

and the step is kept when ρ ≥ 10⁻⁴. The first radius is ``100 ‖D x₀‖`` (100 when x₀ = 0),
cut to the first step's length.

Stopping (MINPACK's tests, reported with scipy's codes): 1 when the largest cosine between
``f`` and a column of ``J`` is ≤ gtol; 2 when both reductions are ≤ ftol (and ρ ≤ 2); 3 when
``Δ ≤ xtol ‖D x‖``; 4 when 2 and 3 both hold.

Reference:
    J. J. Moré, "The Levenberg–Marquardt algorithm: implementation and theory", Lecture Notes
    in Math. 630 (1978) 105–116. Moré, Garbow, Hillstrom, *User guide for MINPACK-1* (1980),
    §2 (the convergence tests).
"""

from __future__ import annotations

import numpy as np

from .problem import LsqOutcome, LsqProblem, column_norms
from .subproblem import SVDModel, lm_parameter, norm

__all__ = ["cosine_test", "solve"]

Array = np.ndarray
_EPS = np.finfo(float).eps


def cosine_test(J: Array, f: Array) -> float:
    """``max_j |J_jᵀ f| / (‖J_j‖ ‖f‖)``: the largest cosine between ``f`` and a column.

    Example:
        >>> cosine_test(np.eye(2), np.array([1.0, 0.0]))
        1.0
    """
    fnorm = norm(f)
    norms = np.linalg.norm(J, axis=0)
    if fnorm == 0 or not np.any(norms > 0):
        return 0.0
    cos = np.abs(J.T @ f)[norms > 0] / (norms[norms > 0] * fnorm)
    return float(np.max(cos))


def _shrink(actred: float, dirder: float, fnorm_new: float, fnorm: float) -> float:
    """Moré's factor μ ∈ [0.1, ½] for a poor step."""
    mu = 0.5 if actred >= 0 else 0.5 * dirder / (dirder + 0.5 * actred)
    return 0.1 if 0.1 * fnorm_new >= fnorm or mu < 0.1 else mu


def _code(actred: float, prered: float, ratio: float, delta: float, xnorm: float,
          gnorm: float, p: LsqProblem) -> int | None:
    cost_test = abs(actred) <= p.ftol and prered <= p.ftol and 0.5 * ratio <= 1
    step_test = delta <= p.xtol * xnorm
    if cost_test or step_test:
        return 4 if cost_test and step_test else (2 if cost_test else 3)
    if p.nfev >= p.max_nfev:
        return 0
    if abs(actred) <= _EPS and prered <= _EPS and 0.5 * ratio <= 1:
        return 2
    if delta <= _EPS * xnorm:
        return 3
    return 1 if gnorm <= _EPS else None


def solve(p: LsqProblem, x0: Array) -> LsqOutcome:
    """Minimize ``½‖f(x)‖²`` from ``x0`` by Levenberg–Marquardt (no bounds, linear loss).

    Args:
        p: the problem (counts are kept in it).
        x0: the start.

    Returns:
        The outcome.

    Example:
        >>> from steepest.fitting.losses import make_loss
        >>> prob = LsqProblem(lambda x: np.array([10 * (x[1] - x[0] ** 2), 1 - x[0]]),
        ...     lambda x, f: np.array([[-20 * x[0], 10.0], [-1.0, 0.0]]),
        ...     np.full(2, -np.inf), np.full(2, np.inf), 1e-8, 1e-8, 1e-8, 200, "jac",
        ...     make_loss("linear", 1.0))
        >>> out = solve(prob, np.array([-1.2, 1.0]))
        >>> np.round(out.x, 6).tolist(), out.status > 0
        ([1.0, 1.0], True)
    """
    x = x0.copy()
    f = p.residuals(x)
    J = p.jacobian(x, f)
    fnorm = norm(f)
    D = p.initial_scale(J)
    xnorm = norm(D * x)
    delta = 100.0 * xnorm if xnorm > 0 else 100.0
    alpha, nit, status = 0.0, 0, None
    while status is None:
        gnorm = cosine_test(J, f)
        if gnorm <= p.gtol:
            status = 1
            break
        if isinstance(p.x_scale, str) and nit > 0:
            D = np.maximum(D, column_norms(J))
        model = SVDModel.of(J / D, f)
        while True:
            alpha, q = lm_parameter(model, delta, alpha, rtol=0.1, clamp=True)
            step = q / D
            qnorm = norm(q)
            if nit == 0:
                delta = min(delta, qnorm)
            x_new = x + step
            f_new = p.residuals(x_new)
            fnorm_new = norm(f_new) if np.all(np.isfinite(f_new)) else np.inf
            actred = 1.0 - (fnorm_new / fnorm) ** 2 if 0.1 * fnorm_new < fnorm else -1.0
            t1 = norm(J @ step) / fnorm
            t2 = np.sqrt(alpha) * qnorm / fnorm
            prered, dirder = t1 * t1 + 2.0 * t2 * t2, -(t1 * t1 + t2 * t2)
            ratio = actred / prered if prered != 0 else 0.0
            if ratio <= 0.25:
                mu = _shrink(actred, dirder, fnorm_new, fnorm)
                delta = mu * min(delta, qnorm / 0.1)
                alpha /= mu
            elif alpha == 0 or ratio >= 0.75:
                delta, alpha = 2.0 * qnorm, 0.5 * alpha
            accepted = ratio >= 1e-4
            if accepted:
                x, f, fnorm = x_new, f_new, fnorm_new
                xnorm = norm(D * x)
                nit += 1
            status = _code(actred, prered, ratio, delta, xnorm, gnorm, p)
            if accepted or status is not None:
                break
        if accepted:
            J = p.jacobian(x, f)
    g = J.T @ f
    return LsqOutcome(x, f, J, status, float(np.max(np.abs(g))) if g.size else 0.0, nit)
