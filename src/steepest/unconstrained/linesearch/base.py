r"""Line searches on a 1-D function :math:`\varphi(\alpha) = f(x + \alpha p)`.

Every search here works on scalars ``phi(alpha)`` (and ``dphi(alpha)``), so it can be tested
and used on its own; :class:`LineFunction` and :func:`line_search` build :math:`\varphi` from
``(f, x, p)``. Each search returns a :class:`LineSearchResult` saying which condition holds, or
why it failed -- keeping the best point it saw. A non-finite :math:`\varphi(\alpha)` means "too
far": the search backtracks.

Conditions (Liquet et al. §4.5, eqs. 4.48-4.50; Nocedal & Wright §3.1), with
:math:`\varphi'(0) < 0`:

* Armijo (sufficient decrease): :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)`
  (up to the rounding of :math:`\varphi`, :math:`4\epsilon|\varphi(0)|`, see :func:`rounding`);
* curvature (weak Wolfe): :math:`\varphi'(\alpha) \ge c_2\varphi'(0)`;
* strong Wolfe: :math:`|\varphi'(\alpha)| \le -c_2\varphi'(0)`, with :math:`0<c_1<c_2<1`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from ...objective import Objective

_EPS = float(np.finfo(float).eps)

__all__ = [
    "LineSearchStatus",
    "LineSearchResult",
    "LineFunction",
    "fixed_step",
    "armijo",
    "line_search",
]


class LineSearchStatus(Enum):
    """Outcome of a line search.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48-4.50).

    Example:
        >>> armijo(lambda a: (a - 1.0) ** 2, 1.0, 2.0).status.name  # uphill direction
        'NOT_DESCENT'
    """

    CONVERGED = "the requested conditions hold"
    MAX_EVALS = "evaluation budget exhausted"
    NOT_DESCENT = "p is not a descent direction (phi'(0) >= 0)"
    NON_FINITE = "phi was non-finite at every trial step"
    NO_PROGRESS = "the bracket shrank below rounding without meeting the conditions"


@dataclass(frozen=True)
class LineSearchResult:
    """A line search's answer.

    Attributes:
        step: the accepted ``alpha`` -- on failure, the best finite trial with a decrease
            (``0.0`` if none decreased phi).
        phi: ``phi(step)``.
        dphi: ``phi'(step)`` when it was evaluated, else ``nan``.
        evaluations: calls of phi (each possibly with phi').
        status: a :class:`LineSearchStatus`.
        armijo, curvature, strong_curvature: which conditions hold at ``step``
            (``curvature``/``strong_curvature`` are ``False`` when phi' was not evaluated).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48-4.50).

    Example:
        >>> r = armijo(lambda a: (a - 1.0) ** 2, 1.0, -2.0)
        >>> r.step, r.armijo, r.status is LineSearchStatus.CONVERGED
        (1.0, True, True)
    """

    step: float
    phi: float
    dphi: float
    evaluations: int
    status: LineSearchStatus
    armijo: bool = False
    curvature: bool = False
    strong_curvature: bool = False

    @property
    def success(self) -> bool:
        return self.status is LineSearchStatus.CONVERGED

    @property
    def message(self) -> str:
        return self.status.value


def rounding(phi0: float) -> float:
    """Slack for the Armijo test: the rounding error of a value near ``phi0``.

    Near a minimiser the decrease promised by :math:`c_1\\alpha\\varphi'(0)` falls below the
    precision of :math:`\\varphi` itself; without slack, Armijo then rejects good (e.g. full
    Newton) steps because of noise. The slack :math:`4\\epsilon|\\varphi(0)|` is the
    "approximate" sufficient decrease of Hager & Zhang (2005).
    """
    return 4.0 * _EPS * abs(phi0)


def conditions(
    alpha: float, phi_a: float, dphi_a: float, phi0: float, dphi0: float, c1: float, c2: float
) -> tuple[bool, bool, bool]:
    """(armijo, weak curvature, strong curvature) at ``alpha``; ``nan`` slopes give False."""
    arm = bool(np.isfinite(phi_a) and phi_a <= phi0 + c1 * alpha * dphi0 + rounding(phi0))
    curv = bool(np.isfinite(dphi_a) and dphi_a >= c2 * dphi0)
    strong = bool(np.isfinite(dphi_a) and abs(dphi_a) <= -c2 * dphi0)
    return arm, curv, strong


class LineFunction:
    r"""The line :math:`\varphi(\alpha) = f(x + \alpha p)` and its slope.

    :math:`\varphi'(\alpha) = \nabla f(x+\alpha p)^\top p`.

    Keeps the last point evaluated with its gradient, so the solver gets the accepted point's
    gradient without a second evaluation.

    Args:
        objective: an object with ``f(x)``, ``fg(x) -> (f, g)`` and ``hessp(x, p)``
            (:class:`steepest.objective.Objective`).
        x, p: base point and search direction (flat float vectors).
        f0, g0: ``f(x)`` and ``∇f(x)``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Line Search" (the ray of
        eq. 4.44); Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.1.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> x = np.array([1.0, 2.0]); g = 2 * x
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> line.phi0, line.dphi0, line.phi_dphi(0.5)  # φ(α) = 5 (1 - 2α)²
        (5.0, -20.0, (0.0, 0.0))
    """

    def __init__(self, objective, x: np.ndarray, p: np.ndarray, f0: float, g0: np.ndarray,
                 dphi0: float | None = None):
        self.obj, self.x, self.p = objective, x, p
        self.phi0 = float(f0)
        self.dphi0 = float(np.dot(g0, p)) if dphi0 is None else float(dphi0)
        self.evaluations = 0
        self._last: tuple[float, np.ndarray, float, np.ndarray] | None = None
        self._last_value: tuple[float, np.ndarray, float] | None = None

    def phi(self, alpha: float) -> float:
        """Value only (one function evaluation).

        When the objective's gradient comes bundled with its value (``jac=True`` or autodiff),
        the gradient is kept too, so the accepted point costs no second evaluation.
        """
        if getattr(self.obj, "gradient_is_bundled", False):
            return self.phi_dphi(alpha)[0]
        self.evaluations += 1
        xa = self.x + alpha * self.p
        f = self.obj.f(xa)
        self._last_value = (alpha, xa, f)
        return f

    def phi_dphi(self, alpha: float) -> tuple[float, float]:
        """Value and slope (one value-and-gradient evaluation)."""
        self.evaluations += 1
        xa = self.x + alpha * self.p
        f, g = self.obj.fg(xa)
        self._last = (alpha, xa, f, g)
        slope = float(np.dot(g, self.p)) if np.isfinite(f) else np.nan
        return f, slope

    def point(self, alpha: float) -> tuple[np.ndarray, float, np.ndarray]:
        """``(x + alpha p, f, g)``, reusing the last evaluation when it was at ``alpha``.

        After a value-only search (Armijo, exact) only the gradient is evaluated.
        """
        if self._last is not None and self._last[0] == alpha:
            return self._last[1], self._last[2], self._last[3]
        if self._last_value is not None and self._last_value[0] == alpha:
            _, xa, f = self._last_value
            return xa, f, self.obj.grad(xa)
        xa = self.x + alpha * self.p
        f, g = self.obj.fg(xa)
        return xa, f, g

    def curvature(self) -> float:
        r""":math:`p^\top \nabla^2 f(x) p` (one Hessian-vector product)."""
        return float(np.dot(self.p, self.obj.hessp(self.x, self.p)))


def fixed_step(
    phi_dphi: Callable[[float], tuple[float, float]], phi0: float, dphi0: float,
    step: float = 1.0, c1: float = 1e-4, c2: float = 0.9,
) -> LineSearchResult:
    """Take ``alpha = step`` without searching (gradient descent with a learning rate).

    The update is :math:`x_{k+1} = x_k + \alpha p_k` with a constant :math:`\alpha`; the Wolfe
    conditions are only evaluated, not enforced.

    Args:
        phi_dphi: ``alpha -> (phi(alpha), phi'(alpha))``.
        phi0, dphi0: :math:`\varphi(0)` and :math:`\varphi'(0)`.
        step: the fixed step (learning rate).
        c1, c2: the Wolfe constants used to report ``armijo``/``curvature``.

    Returns:
        :class:`LineSearchResult` with status ``NON_FINITE`` when phi(step) is not finite (the
        step is then rejected), otherwise ``CONVERGED`` and the conditions that happen to hold.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.5); Liquet et al. §4.2.

    Example:
        >>> r = fixed_step(lambda a: ((a - 1) ** 2, 2 * (a - 1)), 1.0, -2.0, step=0.5)
        >>> r.step, r.phi, r.armijo
        (0.5, 0.25, True)
    """
    fa, da = phi_dphi(step)
    if not np.isfinite(fa):
        return LineSearchResult(0.0, phi0, dphi0, 1, LineSearchStatus.NON_FINITE)
    arm, curv, strong = conditions(step, fa, da, phi0, dphi0, c1, c2)
    return LineSearchResult(step, fa, da, 1, LineSearchStatus.CONVERGED, arm, curv, strong)


def armijo(
    phi: Callable[[float], float], phi0: float, dphi0: float, *, alpha0: float = 1.0,
    c1: float = 1e-4, shrink: float = 0.5, max_evals: int = 40, interpolate: bool = False,
) -> LineSearchResult:
    r"""Backtracking until the Armijo (first Wolfe) condition holds.

    Tries :math:`\alpha_0, \rho\alpha_0, \rho^2\alpha_0, \dots` (Liquet et al. §4.5 uses
    :math:`\rho = 2/3`) until :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)`.
    A non-finite :math:`\varphi` counts as a failure and the search keeps shrinking. With
    ``interpolate=True`` the next trial is the minimiser of the quadratic through
    :math:`\varphi(0), \varphi'(0), \varphi(\alpha)`, kept in :math:`[0.1\alpha, \rho\alpha]`.

    Args:
        phi: the 1-D function.
        phi0, dphi0: :math:`\varphi(0)` and :math:`\varphi'(0)` (must be negative).
        alpha0: first trial step. c1: sufficient-decrease constant in (0, 1).
        shrink: factor :math:`\rho \in (0, 1)`. max_evals: budget of phi calls.

    Returns:
        :class:`LineSearchResult` (``dphi`` is ``nan``: phi' is never evaluated).

    Example:
        >>> r = armijo(lambda a: (a - 1.0) ** 2, 1.0, -2.0, alpha0=4.0, shrink=2 / 3)
        >>> r.success, round(r.step, 4), r.evaluations
        (True, 1.7778, 3)
    """
    _check_unit("c1", c1)
    _check_unit("shrink", shrink)
    if not dphi0 < 0:
        return LineSearchResult(0.0, phi0, dphi0, 0, LineSearchStatus.NOT_DESCENT)
    alpha, best_a, best_f, any_finite = float(alpha0), 0.0, phi0, False
    for k in range(1, max_evals + 1):
        fa = phi(alpha)
        if np.isfinite(fa):
            any_finite = True
            if fa < best_f:
                best_a, best_f = alpha, fa
            if fa <= phi0 + c1 * alpha * dphi0 + rounding(phi0):
                return LineSearchResult(alpha, fa, np.nan, k, LineSearchStatus.CONVERGED, True)
        alpha = _next_backtrack(alpha, fa, phi0, dphi0, shrink, interpolate)
    status = LineSearchStatus.MAX_EVALS if any_finite else LineSearchStatus.NON_FINITE
    return LineSearchResult(best_a, best_f, np.nan, max_evals, status)


def _next_backtrack(
    alpha: float, fa: float, phi0: float, dphi0: float, shrink: float, interpolate: bool
) -> float:
    if not (interpolate and np.isfinite(fa)):
        return shrink * alpha
    denom = 2.0 * (fa - phi0 - dphi0 * alpha)
    trial = -dphi0 * alpha * alpha / denom if denom > 0 else shrink * alpha
    return float(np.clip(trial, 0.1 * alpha, shrink * alpha))


def _check_unit(name: str, v: float) -> None:
    if not 0.0 < v < 1.0:
        raise ValueError(f"{name} must lie strictly between 0 and 1, got {v}")


def line_search(
    fun: Callable[[np.ndarray], float], x: np.ndarray, p: np.ndarray, *,
    grad: Callable[[np.ndarray], np.ndarray] | None = None, method: str = "strong_wolfe",
    **kwargs,
) -> LineSearchResult:
    r"""Run a named line search on :math:`\varphi(\alpha) = f(x + \alpha p)`.

    Args:
        fun: ``f(x)``.
        x, p: base point and direction.
        grad: ``∇f(x)``; when omitted, 2-point finite differences (small n only).
        method: ``"fixed"``, ``"armijo"``, ``"wolfe"``, ``"strong_wolfe"`` or ``"exact"``.
        **kwargs: the chosen search's options (``c1``, ``c2``, ``alpha0``, ``shrink`` ...).

    Returns:
        :class:`LineSearchResult`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Line Search" and "Inexact
        Line Search" (eqs. 4.48-4.50); Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.1.

    Example:
        >>> import numpy as np
        >>> f = lambda z: float(z @ z)
        >>> g = lambda z: 2 * z
        >>> x = np.array([1.0, 2.0])
        >>> r = line_search(f, x, -g(x), grad=g, method="strong_wolfe")
        >>> r.success, r.strong_curvature
        (True, True)
    """
    from .searches import make_line_search

    x = np.asarray(x, dtype=float)
    obj = Objective(fun, x, jac=grad if grad is not None else "2-point")
    f0, g0 = obj.fg(x)
    line = LineFunction(obj, x, np.asarray(p, dtype=float), f0, g0)
    alpha0 = kwargs.pop("alpha0", 1.0)
    return make_line_search(method, **kwargs).search(line, alpha0)
