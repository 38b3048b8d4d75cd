"""The least-squares trust-region subproblem, solved through an SVD (Moré 1978).

Given the Gauss–Newton model ``m(p) = ½‖J p + f‖²`` and a radius ``Δ``, the step solves

.. math:: \\min_p \\tfrac12 \\|J p + f\\|^2 \\quad \\text{s.t.} \\quad \\|p\\| \\le Δ.

With ``J = U diag(s) Vᵀ`` and ``u = Uᵀ f`` the solution is ``p(α) = −V (s u / (s² + α))``
for the Levenberg–Marquardt parameter ``α ≥ 0`` that makes ``‖p(α)‖ = Δ`` (or ``α = 0`` when
the Gauss–Newton step fits). ``φ(α) = ‖p(α)‖ − Δ`` is convex and decreasing, and Newton's
method on ``1/‖p(α)‖ − 1/Δ`` (nearly linear in α) converges in a few steps from inside the
bracket ``[l, u]`` that Moré derives: ``l = −φ(0)/φ′(0)`` for a full-rank ``J``, else 0, and
``u = ‖Jᵀ f‖ / Δ``.

Reference:
    J. J. Moré, "The Levenberg–Marquardt algorithm: implementation and theory", Numerical
    Analysis, Lecture Notes in Math. 630 (1978) 105–116, §5–7. Nocedal & Wright, *Numerical
    Optimization* (2nd ed.), §4.3 and §10.3.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["SVDModel", "lm_parameter", "norm", "quadratic_value"]


def norm(v: np.ndarray) -> float:
    """``‖v‖₂`` of a vector, as ``√(v·v)`` (what ``np.linalg.norm`` computes, less overhead).

    Example:
        >>> norm(np.array([3.0, 4.0]))
        5.0
    """
    return math.sqrt(float(v @ v))


@dataclass(frozen=True)
class SVDModel:
    """The Gauss–Newton model ``½‖J p + f‖²`` in SVD form: ``s``, ``V`` and ``u = Uᵀ f``.

    Attributes:
        s: singular values of ``J`` (length ``min(m, n)``, decreasing).
        V: right singular vectors as columns, shape ``(n, len(s))``.
        uf: ``Uᵀ f``.
        n: number of parameters.
        full_rank: ``m ≥ n`` and ``s[-1] > 0`` (the Gauss–Newton step exists and is unique).

    Example:
        >>> model = SVDModel.of(np.eye(2), np.array([1.0, 1.0]))
        >>> model.step(0.0).tolist(), model.full_rank
        ([-1.0, -1.0], True)
    """

    s: np.ndarray
    V: np.ndarray
    uf: np.ndarray
    n: int
    full_rank: bool

    @classmethod
    def of(cls, J: np.ndarray, f: np.ndarray) -> SVDModel:
        """Factor ``J`` (shape ``(m, n)``) and project ``f``."""
        U, s, Vt = np.linalg.svd(J, full_matrices=False)
        n = J.shape[1]
        return cls(s, Vt.T, U.T @ f, n, bool(J.shape[0] >= n and s.size and s[-1] > 0))

    def step(self, alpha: float) -> np.ndarray:
        """``p(α) = −V (s u / (s² + α))``; at ``α = 0`` the minimum-norm Gauss–Newton step."""
        denom = self.s ** 2 + alpha
        coef = np.divide(self.s * self.uf, denom, out=np.zeros_like(denom), where=denom > 0)
        return -(self.V @ coef)

    def phi(self, alpha: float, delta: float) -> tuple[float, float, float]:
        """``(φ(α), φ′(α), ‖p(α)‖)`` with ``φ = ‖p‖ − Δ``."""
        denom = self.s ** 2 + alpha
        su = self.s * self.uf
        if not np.all(denom > 0):
            keep = denom > 0
            su, denom = np.where(keep, su, 0.0), np.where(keep, denom, 1.0)
        q = su / denom
        size = norm(q)
        if size == 0.0:
            return -delta, 0.0, 0.0
        dphi = -float(q @ (q / denom)) / size
        return size - delta, dphi, size


def lm_parameter(model: SVDModel, delta: float, alpha0: float = 0.0, rtol: float = 0.01,
                 max_iter: int = 10, clamp: bool = False) -> tuple[float, np.ndarray]:
    """The Levenberg–Marquardt parameter α and step ``p(α)`` with ``‖p‖ ≈ Δ`` (Moré 1978).

    .. math:: α_{k+1} = α_k - \\frac{φ(α_k)}{φ'(α_k)} \\frac{\\|p(α_k)\\|}{Δ}

    safeguarded in ``[l, u]`` (restarted at ``max(10⁻³u, √(lu))`` when it leaves).

    Args:
        model: the model in SVD form.
        delta: the radius ``Δ > 0``.
        alpha0: a warm start (the previous iteration's α).
        rtol: accept when ``|φ(α)| ≤ rtol Δ``.
        max_iter: Newton steps at most.
        clamp: keep each Newton iterate at or above the lower bound ``l`` (Moré's lmpar)
            instead of restarting from ``max(10⁻³u, √(lu))`` when it falls out of ``[l, u]``.

    Returns:
        ``(α, p)``; ``α = 0`` and the Gauss–Newton step when that lies within ``(1 + rtol) Δ``.

    Example:
        >>> model = SVDModel.of(np.eye(2), np.array([3.0, 4.0]))
        >>> alpha, p = lm_parameter(model, 1.0, rtol=1e-10)
        >>> round(float(np.linalg.norm(p)), 8), round(alpha, 6)
        (1.0, 4.0)
    """
    if not delta > 0:
        return alpha0, np.zeros(model.n)
    phi0, dphi0, _ = model.phi(0.0, delta)
    if model.full_rank and phi0 <= rtol * delta:
        return 0.0, model.step(0.0)
    upper = norm(model.s * model.uf) / delta
    if upper == 0.0:
        return 0.0, model.step(0.0)
    lower = -phi0 / dphi0 if model.full_rank and dphi0 < 0 else 0.0
    alpha = alpha0
    for _ in range(max_iter):
        if not lower <= alpha <= upper or alpha == 0.0:
            alpha = max(1e-3 * upper, np.sqrt(lower * upper))
        phi, dphi, size = model.phi(alpha, delta)
        if phi < 0:
            upper = alpha
        if abs(phi) <= rtol * delta or dphi == 0.0:
            break
        lower = max(lower, alpha - phi / dphi)
        alpha -= (phi / dphi) * (size / delta)
        if clamp:
            alpha = max(lower, alpha)
    alpha = max(alpha, 0.0)
    p = model.step(alpha)
    size = norm(p)
    if size > delta > 0:
        p *= delta / size
    return float(alpha), p


def quadratic_value(J: np.ndarray, g: np.ndarray, p: np.ndarray,
                    diag: np.ndarray | None = None) -> float:
    """The model's change ``½‖J p‖² + gᵀp (+ ½ pᵀ diag p)``: minus the predicted reduction.

    Args:
        J: the (scaled) Jacobian.
        g: the (scaled) gradient ``Jᵀ f``.
        p: a step.
        diag: an optional diagonal term (the Coleman–Li curvature of the bounds).

    Returns:
        The value.

    Example:
        >>> quadratic_value(np.eye(2), np.array([-1.0, 0.0]), np.array([1.0, 0.0]))
        -0.5
    """
    Jp = J @ p
    value = 0.5 * float(Jp @ Jp) + float(g @ p)
    if diag is not None:
        value += 0.5 * float(p @ (diag * p))
    return value
