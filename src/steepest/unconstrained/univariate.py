"""Univariate minimization with derivatives: Newton's method and the secant method.

Newton (Liquet et al. eq. 4.51) and the secant method (eq. 4.53) look for a zero of ``C'``
and may therefore end at a maximum or an inflection point, overshoot, or oscillate; every
result says which kind of stationary point was reached. The derivative-free golden-section
search and Brent's method are in :mod:`steepest.unconstrained.univariate_bracket`.

All of them return a :class:`ScalarResult` with the whole sequence of iterates, so the behaviour
Liquet et al. §4.6 describe (overshoot, cycling, superlinear convergence) can be inspected.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import autodiff
from .._result import OptimizeResult, Status
from .._validate import (
    check_callable,
    check_finite_float,
    check_nonnegative_float,
    check_positive_int,
)

__all__ = [
    "ScalarResult", "newton_1d", "secant", "NewtonIterates", "NewtonStop", "newton_iterates_1d",
]

ScalarFn = Callable[[float], float]
_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0  # 0.618..., the golden-section shrink factor
_SQRT_EPS = math.sqrt(np.finfo(float).eps)


_MESSAGES = {
    Status.SUCCESS: "converged to a local minimum",
    Status.NOT_A_MINIMUM: "converged to a stationary point that is not a minimum",
    Status.MAX_ITER: "maximum number of iterations reached",
    Status.NONPOSITIVE_CURVATURE: "second derivative (or its secant estimate) vanished",
    Status.CYCLE: "iterates cycle: an earlier iterate was revisited",
    Status.NON_FINITE: "a non-finite value was produced; returning the last finite iterate",
}


class ScalarResult(OptimizeResult):
    """Outcome of a univariate method: an :class:`~steepest._result.OptimizeResult`.

    Attributes:
        x: Final point (the last finite iterate).
        fun: ``C(x)``.
        success: ``True`` when a local minimum was located to tolerance.
        status: A :class:`~steepest._result.Status`: ``SUCCESS``, ``NOT_A_MINIMUM``,
            ``MAX_ITER``, ``NONPOSITIVE_CURVATURE`` (``C''`` or its secant estimate is 0),
            ``CYCLE`` or ``NON_FINITE``.
        message: Human-readable reason for stopping.
        nit: Number of iterations.
        nfev: Evaluations of ``C``.
        nder: Evaluations of derivatives (``C'`` and ``C''`` each count one).
        kind: ``"minimum"``, ``"maximum"`` or ``"degenerate"``: the sign of the (estimated)
            curvature at ``x`` for the derivative-based methods; always ``"minimum"`` for the
            bracketing methods, which keep the lowest value seen.
        iterates: ``x^(0), x^(1), ...`` as a float array.
        values: ``C`` at each iterate.

    Reference:
        J. Kiefer, Proc. AMS 4 (1953) (golden section); R. P. Brent, *Algorithms for Minimization
        without Derivatives* (1973); Liquet et al., *Mathematical Engineering of Deep Learning*,
        §4.6 (univariate Newton).

    Example:
        >>> from steepest.unconstrained import golden_section
        >>> r = golden_section(lambda t: (t - 0.3) ** 2, (0.0, 1.0))
        >>> round(r.x, 6), r.status is Status.SUCCESS, r.status.name
        (0.3, True, 'SUCCESS')
    """


# ---------------------------------------------------------------------- derivative helpers
def _derivative(fun: ScalarFn, given: ScalarFn | None, order: int) -> ScalarFn:
    check_callable(fun, "fun")
    if given is not None:
        return check_callable(given, "fprime" if order == 1 else "fprime2")
    d = fun
    for _ in range(order):
        d = autodiff.grad(d)
    return d


def _kind(curvature: float) -> str:
    if curvature > 0.0:
        return "minimum"
    if curvature < 0.0:
        return "maximum"
    return "degenerate"


@dataclass
class _Run:
    """Mutable bookkeeping shared by the derivative-based iterations."""

    fun: ScalarFn
    xs: list[float]
    nfev: int = 0
    nder: int = 0

    def result(self, status: Status, curvature: float, starts: int) -> ScalarResult:
        values = np.array([float(self.fun(x)) for x in self.xs])
        self.nfev += len(self.xs)
        kind = _kind(curvature)
        if status is Status.SUCCESS and kind != "minimum":
            status = Status.NOT_A_MINIMUM
        message = _MESSAGES[status]
        if status is Status.NOT_A_MINIMUM:
            message += f" (curvature {curvature:.3g}: {kind})"
        return ScalarResult(
            x=self.xs[-1], fun=float(values[-1]), success=status is Status.SUCCESS,
            status=status, message=message, nit=len(self.xs) - starts, nfev=self.nfev,
            nder=self.nder,
            kind=kind, iterates=np.array(self.xs), values=values,
        )  # fmt: skip


def _revisits(xs: list[float], x_new: float, xtol: float) -> bool:
    """True when ``x_new`` equals an iterate older than the current one (a cycle)."""
    scale = xtol * (1.0 + abs(x_new))
    return any(abs(x_new - old) <= scale for old in xs[:-1])


def _step_status(g: float, curvature: float, gtol: float) -> Status:
    """Why the step ``x - g / curvature`` is not taken; ``MAX_ITER`` means "take it"."""
    if not (math.isfinite(g) and math.isfinite(curvature)):
        return Status.NON_FINITE
    if abs(g) <= gtol or g == 0.0:
        return Status.SUCCESS
    if curvature == 0.0:
        return Status.NONPOSITIVE_CURVATURE
    return Status.MAX_ITER


def _tolerances(xtol: float, gtol: float, maxiter: int) -> tuple[float, float, int]:
    """``xtol``, ``gtol`` (floats ``>= 0``) and ``maxiter`` (an int ``>= 1``), checked."""
    xtol, gtol = check_nonnegative_float(xtol, "xtol"), check_nonnegative_float(gtol, "gtol")
    return xtol, gtol, check_positive_int(maxiter, "maxiter")


def _take_step(xs: list[float], x: float, g: float, curvature: float,
               gtol: float) -> tuple[Status, float]:
    """The step ``x - g / curvature``, appended to ``xs`` when it is taken.

    Returns ``(MAX_ITER, x_new)`` when the step was taken ("keep going"), else the reason it
    was not (see :func:`_step_status`; ``NON_FINITE`` for an infinite step) and ``x``."""
    status = _step_status(g, curvature, gtol)
    if status is not Status.MAX_ITER:
        return status, x
    x_new = x - g / curvature
    if not math.isfinite(x_new):
        return Status.NON_FINITE, x
    xs.append(x_new)
    return status, x_new


def _stop_after_step(xs: list[float], x: float, x_new: float, xtol: float,
                     detect_cycles: bool) -> Status:
    """``SUCCESS`` on a small step ``x -> x_new`` (``xs`` ends with ``x_new``), ``CYCLE``
    when ``x_new`` revisits an earlier iterate, else ``MAX_ITER`` (keep going)."""
    if abs(x_new - x) <= xtol * (1.0 + abs(x)):
        return Status.SUCCESS
    if detect_cycles and _revisits(xs[:-1], x_new, xtol):
        return Status.CYCLE
    return Status.MAX_ITER


# ------------------------------------------------------------------------------ Newton
def newton_1d(
    fun: ScalarFn,
    x0: float,
    *,
    fprime: ScalarFn | None = None,
    fprime2: ScalarFn | None = None,
    xtol: float = 1e-12,
    gtol: float = 0.0,
    maxiter: int = 100,
    detect_cycles: bool = True,
) -> ScalarResult:
    """Newton's method for a univariate objective ``C``.

    .. math::

        \\theta^{(t+1)} = \\theta^{(t)} - \\frac{C'(\\theta^{(t)})}{C''(\\theta^{(t)})}

    Stops when the step is at most ``xtol (1 + |theta|)`` or ``|C'| <= gtol``. Newton looks
    for ``C' = 0``: if it converges where ``C'' <= 0`` the status is ``NOT_A_MINIMUM``.

    Args:
        fun: The objective ``C``.
        x0: Starting point ``theta^(0)``.
        fprime: ``C'``; by default from :mod:`steepest.autodiff`.
        fprime2: ``C''``; by default from :mod:`steepest.autodiff`.
        xtol: Relative step tolerance.
        gtol: Absolute tolerance on ``|C'|``.
        maxiter: Maximum number of Newton steps.
        detect_cycles: Stop with status ``CYCLE`` when an earlier iterate recurs.

    Returns:
        A :class:`ScalarResult` whose ``iterates`` are ``theta^(0), theta^(1), ...``.

    Example (the overshoot example of Liquet et al., eq. 4.52):
        >>> r = newton_1d(lambda t: (t - 3) ** 2 * (t + 3), 1.5,
        ...               fprime=lambda t: 3 * (t - 3) * (t + 1), fprime2=lambda t: 6 * (t - 1))
        >>> [round(float(t), 4) for t in r.iterates[:5]], r.kind
        ([1.5, 5.25, 3.5956, 3.0683, 3.0011], 'minimum')

    Reference: Liquet, Moka & Nazarathy, ch. 4, eq. (4.51).
    """
    xtol, gtol, maxiter = _tolerances(xtol, gtol, maxiter)
    x0 = check_finite_float(x0, "x0", fix="pass a real starting point, e.g. x0=1.0")
    d1, d2 = _derivative(fun, fprime, 1), _derivative(fun, fprime2, 2)
    run = _Run(fun, [float(x0)])
    x, status = float(x0), Status.MAX_ITER
    for _ in range(maxiter):
        g, h = float(d1(x)), float(d2(x))
        run.nder += 2
        status, x_new = _take_step(run.xs, x, g, h, gtol)
        if status is not Status.MAX_ITER:
            break
        status = _stop_after_step(run.xs, x, x_new, xtol, detect_cycles)
        x = x_new
        if status is not Status.MAX_ITER:
            break
    curvature = float(d2(run.xs[-1]))
    run.nder += 1
    return run.result(status, curvature, starts=1)


# ---------------------------------------------------------------- Newton's iterates, recorded
NewtonStop = Status
"""Why :func:`newton_iterates_1d` stopped: a :class:`~steepest._result.Status` member.

``MAX_ITER`` (all requested steps taken), ``SUCCESS`` / ``NOT_A_MINIMUM`` (a step of zero:
``C'(theta) = 0`` where ``C'' > 0`` / ``C'' <= 0``), ``NONPOSITIVE_CURVATURE`` (``C'' = 0``:
Newton's step is undefined) or ``NON_FINITE``. The name is kept so that code importing it
still works; it is :class:`~steepest._result.Status` itself.

Example:
    >>> it = newton_iterates_1d(lambda t: t ** 2, 1.0, 3, dC=lambda t: 2 * t, d2C=lambda t: 2.0)
    >>> it.stop is NewtonStop.SUCCESS
    True
"""


@dataclass(frozen=True)
class NewtonIterates:
    """The sequence θ⁽⁰⁾, θ⁽¹⁾, ... with the values, slopes and curvatures along the way.

    Attributes:
        thetas: iterates, starting with θ⁽⁰⁾.
        values: C at each iterate.
        slopes: C′ at each iterate.
        curvatures: C″ at each iterate.
        stop: a :class:`~steepest._result.Status` (see :data:`NewtonStop`).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6 "The Univariate Case"
        (eq. 4.51).

    Example:
        >>> it = newton_iterates_1d(lambda t: t ** 2, 1.0, 3, dC=lambda t: 2 * t, d2C=lambda t: 2.0)
        >>> it.thetas.tolist()  # one Newton step solves a quadratic
        [1.0, 0.0]
    """

    thetas: np.ndarray
    values: np.ndarray
    slopes: np.ndarray
    curvatures: np.ndarray
    stop: Status

    @property
    def steps(self) -> np.ndarray:
        """Newton steps θ⁽ᵗ⁺¹⁾ − θ⁽ᵗ⁾ = −C′/C″."""
        return np.diff(self.thetas)


def newton_iterates_1d(C: ScalarFn, theta0: float, n_steps: int = 6, *,
                       dC: ScalarFn | None = None, d2C: ScalarFn | None = None) -> NewtonIterates:
    """Record ``n_steps`` undamped Newton steps θ ← θ − C′(θ)/C″(θ) from ``theta0``.

    .. math:: \\theta^{(t+1)} = \\theta^{(t)} - \\frac{C'(\\theta^{(t)})}{C''(\\theta^{(t)})}

    This is :func:`newton_1d` with every safeguard off (``xtol = gtol = 0``, no cycle
    detection), to *see* overshoot and oscillation: on C(θ) = (θ − 3)²(θ + 3) from θ = 1.5 the
    first step overshoots to 5.25, and on C(θ) = −θ⁴/4 + 5θ²/2 from θ = 1 the iterates cycle
    1, −1, 1, ... It stops early only where Newton's step is zero or undefined.

    Args:
        C: the function of one variable.
        theta0: starting point.
        n_steps: number of steps.
        dC, d2C: first and second derivative; by default from :mod:`steepest.autodiff`
            (``d2C`` differentiates ``dC`` when only ``dC`` is given).

    Returns:
        A :class:`NewtonIterates` (no safeguard: overshoot and cycles are shown, not fixed).

    Example:
        >>> it = newton_iterates_1d(lambda t: (t - 3)**2 * (t + 3), 1.5, 4,
        ...                         dC=lambda t: 3 * (t - 3) * (t + 1), d2C=lambda t: 6 * (t - 1))
        >>> [round(float(t), 4) for t in it.thetas]
        [1.5, 5.25, 3.5956, 3.0683, 3.0011]

    Reference: Liquet et al., §4.6, eqs. 4.51–4.52 and the oscillation example.
    """
    n_steps = check_positive_int(n_steps, "n_steps")
    d1 = _derivative(C, dC, 1)
    d2 = d2C if d2C is not None else autodiff.grad(d1)
    res = newton_1d(C, theta0, fprime=d1, fprime2=d2, xtol=0.0, gtol=0.0, maxiter=n_steps,
                    detect_cycles=False)
    thetas = res.iterates
    slopes = np.array([float(d1(t)) for t in thetas])
    curvatures = np.array([float(d2(t)) for t in thetas])
    return NewtonIterates(thetas, res.values, slopes, curvatures, res.status)


# ------------------------------------------------------------------------------ secant
def secant(
    fun: ScalarFn,
    x0: float,
    x1: float,
    *,
    fprime: ScalarFn | None = None,
    xtol: float = 1e-12,
    gtol: float = 0.0,
    maxiter: int = 100,
    detect_cycles: bool = True,
) -> ScalarResult:
    """The secant method: Newton with ``C''`` replaced by a difference of derivatives.

    .. math::

        \\theta^{(t+1)} = \\theta^{(t)} - \\frac{\\theta^{(t)} - \\theta^{(t-1)}}
        {C'(\\theta^{(t)}) - C'(\\theta^{(t-1)})}\\, C'(\\theta^{(t)})

    Convergence near a minimum with ``C'' > 0`` is superlinear (order ``(1 + sqrt 5)/2``).
    The end point is classified by the sign of the last secant slope.

    Args:
        fun: The objective ``C``.
        x0, x1: Two distinct starting points ``theta^(0)``, ``theta^(1)``.
        fprime: ``C'``; by default from :mod:`steepest.autodiff`.
        xtol: Relative step tolerance.
        gtol: Absolute tolerance on ``|C'|``.
        maxiter: Maximum number of secant steps.
        detect_cycles: Stop with status ``CYCLE`` when an earlier iterate recurs.

    Returns:
        A :class:`ScalarResult` whose ``iterates`` start with ``x0, x1``.

    Example:
        >>> r = secant(lambda t: (t - 3) ** 2 * (t + 3), 2.5, 2.6,
        ...            fprime=lambda t: 3 * (t - 3) * (t + 1))
        >>> round(r.x, 12), r.status.name
        (3.0, 'SUCCESS')

    Reference: Liquet, Moka & Nazarathy, ch. 4, eq. (4.53).
    """
    xtol, gtol, maxiter = _tolerances(xtol, gtol, maxiter)
    x0 = check_finite_float(x0, "x0", fix="pass a real starting point, e.g. x0=1.0")
    x1 = check_finite_float(x1, "x1", fix="pass a second starting point near x0")
    if x0 == x1:
        raise ValueError("secant needs two distinct starting points; pass x1 = x0 + small step")
    d1 = _derivative(fun, fprime, 1)
    run = _Run(fun, [float(x0), float(x1)])
    prev, x = float(x0), float(x1)
    g_prev, g = float(d1(prev)), float(d1(x))
    run.nder += 2
    slope, status = (g - g_prev) / (x - prev), Status.MAX_ITER
    for _ in range(maxiter):
        status, x_new = _take_step(run.xs, x, g, slope, gtol)
        if status is not Status.MAX_ITER:
            break
        g_new = float(d1(x_new))
        run.nder += 1
        if x_new != x:
            slope = (g_new - g) / (x_new - x)
        status = _stop_after_step(run.xs, x, x_new, xtol, detect_cycles)
        x, g = x_new, g_new
        if status is not Status.MAX_ITER:
            break
    return run.result(status, slope, starts=2)
