r"""What every line search shares: the result, the conditions, and :math:`\varphi(\alpha)`.

A line search works on the 1-D function :math:`\varphi(\alpha) = f(x + \alpha p)`. The solver
has already evaluated :math:`f(x)` and :math:`\nabla f(x)`; it hands them over as
:math:`\varphi(0) = f(x)` and :math:`\varphi'(0) = \nabla f(x)^\top p` inside a
:class:`LineFunction`, the short closure that builds :math:`\varphi` from ``(f, x, p)`` (as
jax's ``line_search`` does). A search sees only scalars: it calls ``phi(alpha)`` or
``phi_dphi(alpha)`` and returns a :class:`LineSearchResult` saying which condition holds, or
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

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np

from ..._result import Status
from ..._validate import (
    check_finite_float,
    check_positive_float,
    check_positive_int,
    check_unit_interval,
)

_EPS = float(np.finfo(float).eps)

__all__ = [
    "LineSearch",
    "LineSearchResult",
    "LineFunction",
    "rounding",
    "armijo_holds",
    "curvature_holds",
    "strong_curvature_holds",
    "conditions",
]


@dataclass(frozen=True)
class LineSearchResult:
    """A line search's answer.

    Attributes:
        step: the accepted ``alpha`` -- on failure, the best finite trial with a decrease
            (``0.0`` if none decreased phi).
        phi: ``phi(step)``.
        dphi: ``phi'(step)`` when it was evaluated, else ``nan``.
        evaluations: calls of phi (each possibly with phi').
        status: a :class:`~steepest._result.Status`.
        armijo, curvature, strong_curvature: which conditions hold at ``step``
            (``curvature``/``strong_curvature`` are ``False`` when phi' was not evaluated).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48-4.50).

    Example:
        >>> r = LineSearchResult(1.0, 0.0, 0.0, 1, Status.SUCCESS, True, True, True)
        >>> r.success, r.message
        (True, 'the stopping criterion was met')
    """

    step: float
    phi: float
    dphi: float
    evaluations: int
    status: Status
    armijo: bool = False
    curvature: bool = False
    strong_curvature: bool = False

    @property
    def success(self) -> bool:
        """Whether the requested conditions hold at ``step``."""
        return self.status is Status.SUCCESS

    @property
    def message(self) -> str:
        """The status in words."""
        return self.status.message


@runtime_checkable
class LineSearch(Protocol):
    """What a solver needs from a line search: ``search(line, alpha0) -> LineSearchResult``.

    ``line`` is a :class:`LineFunction` carrying :math:`\\varphi(0)` and :math:`\\varphi'(0)`
    from the solver; ``alpha0`` is the first trial step the solver proposes.

    Example:
        >>> from steepest.unconstrained import Armijo
        >>> isinstance(Armijo(), LineSearch)
        True
    """

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        """A step along ``line`` starting from the trial ``alpha0``."""
        ...


def rounding(phi0: float) -> float:
    r"""Slack for the Armijo test: the rounding error of a value near ``phi0``.

    Near a minimiser the decrease promised by :math:`c_1\alpha\varphi'(0)` falls below the
    precision of :math:`\varphi` itself; without slack, Armijo then rejects good (e.g. full
    Newton) steps because of noise. The slack :math:`4\epsilon|\varphi(0)|` is the
    "approximate" sufficient decrease of Hager & Zhang (2005).

    Args:
        phi0: :math:`\varphi(0)`.

    Returns:
        :math:`4\epsilon|\varphi(0)|`.

    Reference:
        W. W. Hager & H. Zhang, "A new conjugate gradient method with guaranteed descent and an
        efficient line search", SIAM J. Optim. 16 (2005).

    Example:
        >>> rounding(1.0) == 4 * 2.0 ** -52
        True
    """
    return 4.0 * _EPS * abs(phi0)


def armijo_holds(alpha: float, phi_a: float, phi0: float, dphi0: float, c1: float) -> bool:
    r"""Sufficient decrease :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)`.

    Up to :func:`rounding` of :math:`\varphi(0)`; a non-finite :math:`\varphi(\alpha)` fails.

    Args:
        alpha: the step. phi_a: :math:`\varphi(\alpha)`.
        phi0, dphi0: :math:`\varphi(0)`, :math:`\varphi'(0)`. c1: the constant in (0, 1).

    Returns:
        Whether the condition holds.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eq. 4.48).

    Example:
        >>> armijo_holds(0.5, 0.25, 1.0, -2.0, 1e-4), armijo_holds(2.0, 1.0, 1.0, -2.0, 1e-4)
        (True, False)
    """
    return bool(np.isfinite(phi_a) and phi_a <= phi0 + c1 * alpha * dphi0 + rounding(phi0))


def curvature_holds(dphi_a: float, dphi0: float, c2: float) -> bool:
    r"""Weak Wolfe curvature :math:`\varphi'(\alpha) \ge c_2\varphi'(0)` (``nan`` fails).

    Args:
        dphi_a: :math:`\varphi'(\alpha)`. dphi0: :math:`\varphi'(0)`. c2: the constant.

    Returns:
        Whether the condition holds.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eq. 4.49).

    Example:
        >>> curvature_holds(-0.1, -2.0, 0.9), curvature_holds(-1.9, -2.0, 0.9)
        (True, False)
    """
    return bool(np.isfinite(dphi_a) and dphi_a >= c2 * dphi0)


def strong_curvature_holds(dphi_a: float, dphi0: float, c2: float) -> bool:
    r"""Strong Wolfe curvature :math:`|\varphi'(\alpha)| \le -c_2\varphi'(0)` (``nan`` fails).

    Args:
        dphi_a: :math:`\varphi'(\alpha)`. dphi0: :math:`\varphi'(0)`. c2: the constant.

    Returns:
        Whether the condition holds.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eq. 4.50).

    Example:
        >>> strong_curvature_holds(1.0, -2.0, 0.9), strong_curvature_holds(1.9, -2.0, 0.9)
        (True, False)
    """
    return bool(np.isfinite(dphi_a) and abs(dphi_a) <= -c2 * dphi0)


def conditions(
    alpha: float, phi_a: float, dphi_a: float, phi0: float, dphi0: float, c1: float, c2: float
) -> tuple[bool, bool, bool]:
    """(Armijo, weak curvature, strong curvature) at ``alpha``; ``nan`` slopes give False.

    Args:
        alpha, phi_a, dphi_a: the step and :math:`\\varphi`, :math:`\\varphi'` there.
        phi0, dphi0: :math:`\\varphi(0)`, :math:`\\varphi'(0)`. c1, c2: the Wolfe constants.

    Returns:
        The three flags of :class:`LineSearchResult`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48-4.50).

    Example:
        >>> conditions(0.5, 0.25, -1.0, 1.0, -2.0, 1e-4, 0.9)
        (True, True, True)
    """
    return (armijo_holds(alpha, phi_a, phi0, dphi0, c1), curvature_holds(dphi_a, dphi0, c2),
            strong_curvature_holds(dphi_a, dphi0, c2))


class LineFunction:
    r"""The line :math:`\varphi(\alpha) = f(x + \alpha p)` and its slope, built from ``(f, x, p)``.

    :math:`\varphi'(\alpha) = \nabla f(x+\alpha p)^\top p`. The solver passes ``f(x)`` and
    ``∇f(x)`` it has already computed, so :math:`\varphi(0)` and :math:`\varphi'(0)` cost
    nothing. Keeps the last point evaluated with its gradient, so the solver gets the accepted
    point's gradient without a second evaluation.

    Args:
        objective: an object with ``f(x)``, ``fg(x) -> (f, g)``, ``grad(x)`` and ``hessp(x, p)``
            (:class:`steepest.objective.Objective`).
        x, p: base point and search direction (flat float vectors).
        f0, g0: ``f(x)`` and ``∇f(x)``.
        dphi0: :math:`\varphi'(0)` when the solver already has it (else ``g0 @ p``).

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

    def __init__(self, objective: Any, x: np.ndarray, p: np.ndarray, f0: float,
                 g0: np.ndarray, dphi0: float | None = None) -> None:
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
        slope = float(g @ self.p) if math.isfinite(f) else np.nan  # @: np.dot's bits
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


def scalar_start(phi0: float, dphi0: float, alpha0: float) -> tuple[float, float, float]:
    """``(phi0, dphi0, alpha0)`` of a search on scalars, checked: finite, and ``alpha0 > 0``.

    Example:
        >>> scalar_start(1, -2, 1)
        (1.0, -2.0, 1.0)
    """
    return (check_finite_float(phi0, "phi0", fix="pass phi(0), the value at the start"),
            check_finite_float(dphi0, "dphi0", fix="pass phi'(0), the slope at the start"),
            check_positive_float(alpha0, "alpha0", fix="pass the first trial step, e.g. 1.0"))


def not_descent(phi0: float, dphi0: float) -> LineSearchResult:
    """The zero step every search returns when :math:`\\varphi'(0) \\ge 0` (uphill ``p``).

    Args:
        phi0, dphi0: :math:`\\varphi(0)`, :math:`\\varphi'(0)`.

    Returns:
        A :class:`LineSearchResult` with status ``NOT_DESCENT`` and no evaluation spent.

    Example:
        >>> not_descent(1.0, 2.0).status.name
        'NOT_DESCENT'
    """
    return LineSearchResult(0.0, phi0, dphi0, 0, Status.NOT_DESCENT)


def check_wolfe_pair(c1: float, c2: float) -> None:
    """Raise unless ``0 < c1 < c2 < 1`` (the Wolfe constants).

    Example:
        >>> check_wolfe_pair(1e-4, 0.9)
    """
    check_unit_interval(c1, "c1", "(0, 1)")
    check_unit_interval(c2, "c2", "(0, 1)")
    if c1 >= c2:
        raise ValueError(f"the Wolfe conditions need c1 < c2, got c1={c1}, c2={c2}; lower c1 "
                         "(e.g. 1e-4) or raise c2 (e.g. 0.9)")


def flagged(trial: tuple[float, float, float], evaluations: int, status: Status, phi0: float,
            dphi0: float, c1: float, c2: float) -> LineSearchResult:
    """The result at ``trial = (alpha, phi, phi')`` with the conditions that hold there.

    The zero step holds no condition (it is no progress, whatever :func:`conditions` says).

    Args:
        trial: the step and :math:`\\varphi`, :math:`\\varphi'` there.
        evaluations: the evaluations spent. status: the outcome.
        phi0, dphi0: :math:`\\varphi(0)`, :math:`\\varphi'(0)`. c1, c2: the Wolfe constants.

    Returns:
        A :class:`LineSearchResult` whose flags come from :func:`conditions`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48-4.50).

    Example:
        >>> flagged((0.0, 1.0, -2.0), 3, Status.MAX_FEV, 1.0, -2.0, 1e-4, 0.9).armijo
        False
        >>> flagged((0.5, 0.25, -1.0), 3, Status.SUCCESS, 1.0, -2.0, 1e-4, 0.9).strong_curvature
        True
    """
    a, fa, da = trial
    arm, curv, strong = conditions(a, fa, da, phi0, dphi0, c1, c2)
    if a == 0.0:
        arm = curv = strong = False
    return LineSearchResult(a, fa, da, evaluations, status, arm, curv, strong)


class SlopeSearch:
    r"""What the searches on :math:`\varphi` and :math:`\varphi'` share (Wolfe, Moré-Thuente).

    A subclass is a frozen dataclass with fields ``c1``, ``c2``, ``max_evals`` and
    ``alpha_max``, and implements ``_descend(phi_dphi, phi0, dphi0, alpha0)`` for a descent
    direction (:math:`\varphi'(0) < 0`); an uphill direction gets :func:`not_descent`.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.1 (the Wolfe conditions).

    Example:
        >>> from steepest.unconstrained import Wolfe
        >>> isinstance(Wolfe(), SlopeSearch), Wolfe().run(lambda a: (a, 1.0), 0.0, 1.0).status.name
        (True, 'NOT_DESCENT')
    """

    c1: float
    c2: float
    max_evals: int
    alpha_max: float

    def _check_constants(self) -> None:
        """Raise unless ``0 < c1 < c2 < 1``, ``max_evals >= 1`` and ``alpha_max > 0``."""
        check_wolfe_pair(self.c1, self.c2)
        check_positive_int(self.max_evals, "max_evals")
        check_positive_float(self.alpha_max, "alpha_max")

    def search(self, line: LineFunction, alpha0: float) -> LineSearchResult:
        """Search along ``line`` from ``alpha0`` (value-and-slope evaluations)."""
        return self.run(line.phi_dphi, line.phi0, line.dphi0, alpha0)

    def run(self, phi_dphi: Callable[[float], tuple[float, float]], phi0: float, dphi0: float,
            alpha0: float = 1.0) -> LineSearchResult:
        """Search on scalar ``phi_dphi(alpha) -> (phi, phi')`` from ``alpha0``."""
        if not dphi0 < 0:
            return not_descent(phi0, dphi0)
        return self._descend(phi_dphi, phi0, dphi0, alpha0)

    def _descend(self, phi_dphi: Callable[[float], tuple[float, float]], phi0: float,
                 dphi0: float, alpha0: float) -> LineSearchResult:
        """The search proper, along a descent direction."""
        raise NotImplementedError
