r"""Backtracking until the Armijo (sufficient-decrease) condition holds.

Tries :math:`\alpha_0, \rho\alpha_0, \rho^2\alpha_0, \dots` (Liquet et al. §4.5 uses
:math:`\rho = 2/3`) until :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)`
(Nocedal & Wright Algorithm 3.1). A non-finite :math:`\varphi` counts as a failure and the
search keeps shrinking. With ``interpolate=True`` the next trial is the minimiser of the
quadratic through :math:`\varphi(0), \varphi'(0), \varphi(\alpha)`, kept in
:math:`[0.1\alpha, \rho\alpha]`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..._result import Status
from ..._validate import check_positive_int, check_unit_interval
from .base import LineFunction, LineSearchResult, not_descent, rounding, scalar_start

__all__ = ["Armijo", "armijo"]


@dataclass(frozen=True)
class Armijo:
    """Backtracking to sufficient decrease; ``shrink=2/3`` is Liquet et al.'s choice.

    Accepts the first α = α₀·shrinkᵏ with φ(α) ≤ φ(0) + c₁ α φ'(0).

    Args:
        c1: sufficient-decrease constant in (0, 1).
        shrink: backtracking factor in (0, 1).
        max_evals: budget of φ evaluations.
        interpolate: next trial at the minimiser of the quadratic through φ(0), φ'(0), φ(α),
            kept in [0.1α, shrink·α], instead of the fixed factor.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Inexact Line Search" (eq.
        4.48, backtracking); Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 3.1.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = Armijo(interpolate=True).search(line, 1.0)  # 1 fails, the quadratic gives 1/2
        >>> r.success, round(r.step, 4), r.evaluations
        (True, 0.5, 2)
    """

    c1: float = 1e-4
    shrink: float = 0.5
    max_evals: int = 40
    interpolate: bool = False

    def __post_init__(self) -> None:
        check_unit_interval(self.c1, "c1", "(0, 1)")
        check_unit_interval(self.shrink, "shrink", "(0, 1)")
        check_positive_int(self.max_evals, "max_evals")

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        """Backtrack along ``line`` from ``alpha0`` (value-only evaluations)."""
        return self.run(line.phi, line.phi0, line.dphi0, alpha0)

    def run(self, phi: Callable[[float], float], phi0: float, dphi0: float,
            alpha0: float = 1.0) -> LineSearchResult:
        """Backtrack on scalar ``phi`` from ``alpha0`` (``dphi`` of the result is ``nan``)."""
        if not dphi0 < 0:
            return not_descent(phi0, dphi0)
        alpha, best_a, best_f, any_finite = float(alpha0), 0.0, phi0, False
        for k in range(1, self.max_evals + 1):
            fa = phi(alpha)
            if np.isfinite(fa):
                any_finite = True
                if fa < best_f:
                    best_a, best_f = alpha, fa
                if fa <= phi0 + self.c1 * alpha * dphi0 + rounding(phi0):
                    return LineSearchResult(alpha, fa, np.nan, k, Status.SUCCESS,
                                            True)
            alpha = self._next(alpha, fa, phi0, dphi0)
        status = Status.MAX_FEV if any_finite else Status.NON_FINITE
        return LineSearchResult(best_a, best_f, np.nan, self.max_evals, status)

    def _next(self, alpha: float, fa: float, phi0: float, dphi0: float) -> float:
        """The next trial: ``shrink * alpha``, or the safeguarded quadratic minimiser."""
        if not (self.interpolate and np.isfinite(fa)):
            return self.shrink * alpha
        denom = 2.0 * (fa - phi0 - dphi0 * alpha)
        trial = -dphi0 * alpha * alpha / denom if denom > 0 else self.shrink * alpha
        return float(np.clip(trial, 0.1 * alpha, self.shrink * alpha))


def armijo(
    phi: Callable[[float], float], phi0: float, dphi0: float, *, alpha0: float = 1.0,
    c1: float = 1e-4, shrink: float = 0.5, max_evals: int = 40, interpolate: bool = False,
) -> LineSearchResult:
    r"""Backtracking on scalar :math:`\varphi` until Armijo holds (see :class:`Armijo`).

    Args:
        phi: the 1-D function.
        phi0, dphi0: :math:`\varphi(0)` and :math:`\varphi'(0)` (must be negative).
        alpha0: first trial step. c1: sufficient-decrease constant in (0, 1).
        shrink: factor :math:`\rho \in (0, 1)`. max_evals: budget of phi calls.
        interpolate: quadratic interpolation instead of the fixed factor.

    Returns:
        :class:`~.base.LineSearchResult` (``dphi`` is ``nan``: phi' is never evaluated).

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 3.1.

    Example:
        >>> r = armijo(lambda a: (a - 1.0) ** 2, 1.0, -2.0, alpha0=4.0, shrink=2 / 3)
        >>> r.success, round(r.step, 4), r.evaluations
        (True, 1.7778, 3)
        >>> armijo(lambda a: (a - 1.0) ** 2, 1.0, 2.0).status.name  # uphill direction
        'NOT_DESCENT'
    """
    search = Armijo(c1, shrink, max_evals, interpolate)
    return search.run(phi, *scalar_start(phi0, dphi0, alpha0))
