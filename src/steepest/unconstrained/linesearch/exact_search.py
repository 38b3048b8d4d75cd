r"""Exact line search: :math:`\alpha^\star = \arg\min_{\alpha>0} \varphi(\alpha)`.

Liquet et al. §4.5 (eq. 4.43). On a quadratic :math:`f(x)=\tfrac12 x^\top A x - b^\top x` the
minimiser along :math:`p` has the closed form
:math:`\alpha^\star = -\varphi'(0) / (p^\top A p)`. Otherwise the minimiser is bracketed
(:math:`\varphi(0) > \varphi(\alpha_m) < \varphi(\alpha_r)`) by doubling or halving, and
refined with Brent's method (``scipy.optimize.brent``). Non-finite values count as
:math:`+\infty` ("too far").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize as _sopt

from ..._result import Status
from ..._validate import check_positive_float, check_positive_int
from .base import LineFunction, LineSearchResult, not_descent

__all__ = ["Exact", "exact", "exact_quadratic"]


@dataclass(frozen=True)
class Exact:
    """Exact minimisation along the line: closed form (``quadratic=True``, one HVP) or Brent.

    α* = argmin_{α>0} φ(α).

    Args:
        quadratic: take the closed-form step α* = -φ'(0)/(pᵀ∇²f p) (one Hessian-vector product).
        tol: Brent's relative tolerance.
        max_evals: budget of φ evaluations.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Line Search" (exact line
        search, eqs. 4.44-4.47); Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.10); Brent,
        *Algorithms for Minimization without Derivatives* (1973), ch. 5.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = Exact(quadratic=True).search(line, 1.0)
        >>> r.success, round(r.step, 4)
        (True, 0.5)
    """

    quadratic: bool = False
    tol: float = 1e-8
    max_evals: int = 200

    def __post_init__(self) -> None:
        check_positive_float(self.tol, "tol")
        check_positive_int(self.max_evals, "max_evals")

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        """The minimiser along ``line``: closed form from its curvature, or bracket + Brent."""
        if self.quadratic:
            return self.closed_form(line.phi0, line.dphi0, line.curvature())
        return self.run(line.phi, line.phi0, line.dphi0, alpha0)

    @staticmethod
    def closed_form(phi0: float, dphi0: float, curvature: float) -> LineSearchResult:
        """α* = -φ'(0)/(pᵀAp) on a quadratic (see :func:`exact_quadratic`)."""
        if not dphi0 < 0:
            return not_descent(phi0, dphi0)
        if not curvature > 0:
            return LineSearchResult(0.0, phi0, dphi0, 0, Status.STALLED)
        a = -dphi0 / curvature
        return LineSearchResult(a, phi0 + 0.5 * a * dphi0, 0.0, 0, Status.SUCCESS,
                                True, True, True)

    def run(self, phi: Callable[[float], float], phi0: float, dphi0: float,
            alpha0: float = 1.0) -> LineSearchResult:
        """Bracket a minimiser of scalar ``phi`` from ``alpha0``, then refine it with Brent."""
        if not dphi0 < 0:
            return not_descent(phi0, dphi0)
        count = [0]

        def f(a: float) -> float:
            count[0] += 1
            v = phi(a)
            return float(v) if np.isfinite(v) else np.inf

        bracket = _bracket(f, phi0, float(alpha0), self.max_evals)
        if bracket is None:
            status = Status.MAX_FEV if count[0] < self.max_evals \
                else Status.NON_FINITE
            return LineSearchResult(0.0, phi0, np.nan, count[0], status)
        a_star, f_star, _, _ = _sopt.brent(f, brack=bracket, tol=self.tol, full_output=True,
                                           maxiter=max(1, self.max_evals - count[0]))
        return LineSearchResult(float(a_star), float(f_star), np.nan, count[0],
                                Status.SUCCESS, bool(f_star <= phi0))


def exact_quadratic(phi0: float, dphi0: float, curvature: float) -> LineSearchResult:
    r"""Closed-form exact step on a quadratic: :math:`\alpha^\star = -\varphi'(0)/(p^\top A p)`.

    Args:
        phi0, dphi0: :math:`\varphi(0)`, :math:`\varphi'(0)`.
        curvature: :math:`p^\top A p` (must be positive).

    Returns:
        :class:`~.base.LineSearchResult` at :math:`\alpha^\star`, with
        :math:`\varphi(\alpha^\star) = \varphi(0) - \varphi'(0)^2 / (2 p^\top A p)`; a zero
        step with status ``NOT_DESCENT`` when :math:`\varphi'(0) \ge 0` and ``NO_PROGRESS``
        when ``curvature`` is not positive (no minimiser along the line).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.46-4.47, exact
        step on a quadratic); Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.10).

    Example:
        >>> r = exact_quadratic(1.0, -2.0, 4.0)
        >>> r.step, r.phi
        (0.5, 0.5)
    """
    return Exact.closed_form(phi0, dphi0, curvature)


def exact(
    phi: Callable[[float], float], phi0: float, dphi0: float, *, alpha0: float = 1.0,
    tol: float = 1e-8, max_evals: int = 200,
) -> LineSearchResult:
    r"""Minimise scalar :math:`\varphi` over :math:`\alpha > 0`: bracket, then Brent.

    Args:
        phi: the 1-D function. phi0, dphi0: :math:`\varphi(0)` and :math:`\varphi'(0) < 0`.
        alpha0: first trial step for the bracket. tol: Brent's relative tolerance.
        max_evals: budget of phi calls.

    Returns:
        :class:`~steepest.unconstrained.linesearch.base.LineSearchResult` (``dphi`` is ``nan``).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Line Search" (exact line
        search, eq. 4.44); Brent, *Algorithms for Minimization without Derivatives* (1973), ch. 5.

    Example:
        >>> r = exact(lambda a: (a - 2.5) ** 2 + 1.0, 7.25, -5.0)
        >>> r.success, round(r.step, 6)
        (True, 2.5)
    """
    return Exact(False, tol, max_evals).run(phi, phi0, dphi0, alpha0)


def _bracket(f, phi0, t, max_evals) -> tuple[float, float, float] | None:
    ft = f(t)
    n = 1
    while not ft < phi0:  # too far (or not lower): halve
        if n >= max_evals or t < 1e-16:
            return None
        t *= 0.5
        ft = f(t)
        n += 1
    c = 2.0 * t
    fc = f(c)
    n += 1
    while fc < ft:  # still going down: double
        if n >= max_evals:
            return None
        t, ft = c, fc
        c = 2.0 * c
        fc = f(c)
        n += 1
    return (0.0, t, c)
