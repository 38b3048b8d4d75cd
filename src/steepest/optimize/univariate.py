"""Univariate minimization: Newton's method, the secant method, golden section and Brent.

Newton (Liquet et al. eq. 4.51) and the secant method (eq. 4.53) look for a zero of ``C'``
and may therefore end at a maximum or an inflection point, overshoot, or oscillate; every
result says which kind of stationary point was reached. Golden-section search and Brent's
method need no derivatives: they shrink an interval known to contain a minimum.

All four return a :class:`ScalarResult` with the whole sequence of iterates, so the behaviour
the seed describes (overshoot, cycling, superlinear convergence) can be inspected.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

__all__ = [
    "Bracket",
    "ScalarResult",
    "ScalarStatus",
    "bracket_minimum",
    "brent",
    "golden_section",
    "newton_1d",
    "secant",
]

ScalarFn = Callable[[float], float]
_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0  # 0.618..., the golden-section shrink factor
_SQRT_EPS = math.sqrt(np.finfo(float).eps)


class ScalarStatus(StrEnum):
    """Why a univariate method stopped."""

    CONVERGED = "converged"
    NOT_A_MINIMUM = "not_a_minimum"
    MAX_ITER = "max_iterations"
    ZERO_CURVATURE = "zero_curvature"
    CYCLE = "cycle"
    NONFINITE = "nonfinite"


_MESSAGES = {
    ScalarStatus.CONVERGED: "converged to a local minimum",
    ScalarStatus.NOT_A_MINIMUM: "converged to a stationary point that is not a minimum",
    ScalarStatus.MAX_ITER: "maximum number of iterations reached",
    ScalarStatus.ZERO_CURVATURE: "second derivative (or its secant estimate) vanished",
    ScalarStatus.CYCLE: "iterates cycle: an earlier iterate was revisited",
    ScalarStatus.NONFINITE: "a non-finite value was produced; returning the last finite iterate",
}


@dataclass(frozen=True)
class ScalarResult:
    """Outcome of a univariate method.

    Attributes:
        x: Final point (the last finite iterate).
        fun: ``C(x)``.
        success: ``True`` when a local minimum was located to tolerance.
        status: A :class:`ScalarStatus`.
        message: Human-readable reason for stopping.
        nit: Number of iterations.
        nfev: Evaluations of ``C``.
        nder: Evaluations of derivatives (``C'`` and ``C''`` each count one).
        kind: ``"minimum"``, ``"maximum"`` or ``"degenerate"``: the sign of the (estimated)
            curvature at ``x`` for the derivative-based methods; always ``"minimum"`` for the
            bracketing methods, which keep the lowest value seen.
        iterates: ``x^(0), x^(1), ...`` as a float array.
        values: ``C`` at each iterate.
    """

    x: float
    fun: float
    success: bool
    status: ScalarStatus
    message: str
    nit: int
    nfev: int
    nder: int
    kind: str
    iterates: np.ndarray
    values: np.ndarray


@dataclass(frozen=True)
class Bracket:
    """Three points ``a < b < c`` (or ``a > b > c``) with ``C(b) <= min(C(a), C(c))``.

    ``found`` is ``False`` when the search stopped before such a triple was found (the
    function kept decreasing: it may be unbounded below along the search).
    """

    a: float
    b: float
    c: float
    fa: float
    fb: float
    fc: float
    nfev: int
    found: bool
    message: str


# ---------------------------------------------------------------------- derivative helpers
def _derivative(fun: ScalarFn, given: ScalarFn | None, order: int) -> ScalarFn:
    if given is not None:
        return given
    from steepest.autodiff import grad

    d = fun
    for _ in range(order):
        d = grad(d)
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

    def result(self, status: ScalarStatus, curvature: float, starts: int) -> ScalarResult:
        values = np.array([float(self.fun(x)) for x in self.xs])
        self.nfev += len(self.xs)
        kind = _kind(curvature)
        if status is ScalarStatus.CONVERGED and kind != "minimum":
            status = ScalarStatus.NOT_A_MINIMUM
        message = _MESSAGES[status]
        if status is ScalarStatus.NOT_A_MINIMUM:
            message += f" (curvature {curvature:.3g}: {kind})"
        return ScalarResult(
            x=self.xs[-1], fun=float(values[-1]), success=status is ScalarStatus.CONVERGED,
            status=status, message=message, nit=len(self.xs) - starts, nfev=self.nfev,
            nder=self.nder,
            kind=kind, iterates=np.array(self.xs), values=values,
        )  # fmt: skip


def _check_tols(xtol: float, gtol: float, maxiter: int) -> None:
    if not (xtol >= 0.0 and gtol >= 0.0):
        raise ValueError(f"xtol and gtol must be >= 0, got xtol={xtol}, gtol={gtol}")
    if maxiter < 1:
        raise ValueError(f"maxiter must be >= 1, got {maxiter}")


def _revisits(xs: list[float], x_new: float, xtol: float) -> bool:
    """True when ``x_new`` equals an iterate older than the current one (a cycle)."""
    scale = xtol * (1.0 + abs(x_new))
    return any(abs(x_new - old) <= scale for old in xs[:-1])


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
    _check_tols(xtol, gtol, maxiter)
    d1, d2 = _derivative(fun, fprime, 1), _derivative(fun, fprime2, 2)
    run = _Run(fun, [float(x0)])
    x, status = float(x0), ScalarStatus.MAX_ITER
    for _ in range(maxiter):
        g, h = float(d1(x)), float(d2(x))
        run.nder += 2
        if not (math.isfinite(g) and math.isfinite(h)):
            status = ScalarStatus.NONFINITE
            break
        if abs(g) <= gtol or g == 0.0:
            status = ScalarStatus.CONVERGED
            break
        if h == 0.0:
            status = ScalarStatus.ZERO_CURVATURE
            break
        x_new = x - g / h
        if not math.isfinite(x_new):
            status = ScalarStatus.NONFINITE
            break
        run.xs.append(x_new)
        if abs(x_new - x) <= xtol * (1.0 + abs(x)):
            status, x = ScalarStatus.CONVERGED, x_new
            break
        if detect_cycles and _revisits(run.xs[:-1], x_new, xtol):
            status, x = ScalarStatus.CYCLE, x_new
            break
        x = x_new
    curvature = float(d2(run.xs[-1]))
    run.nder += 1
    return run.result(status, curvature, starts=1)


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
        >>> round(r.x, 12), r.status.value
        (3.0, 'converged')

    Reference: Liquet, Moka & Nazarathy, ch. 4, eq. (4.53).
    """
    _check_tols(xtol, gtol, maxiter)
    if x0 == x1:
        raise ValueError("secant needs two distinct starting points; pass x1 = x0 + small step")
    d1 = _derivative(fun, fprime, 1)
    run = _Run(fun, [float(x0), float(x1)])
    prev, x = float(x0), float(x1)
    g_prev, g = float(d1(prev)), float(d1(x))
    run.nder += 2
    slope, status = (g - g_prev) / (x - prev), ScalarStatus.MAX_ITER
    for _ in range(maxiter):
        if not (math.isfinite(g) and math.isfinite(slope)):
            status = ScalarStatus.NONFINITE
            break
        if abs(g) <= gtol or g == 0.0:
            status = ScalarStatus.CONVERGED
            break
        if slope == 0.0:
            status = ScalarStatus.ZERO_CURVATURE
            break
        x_new = x - g / slope
        if not math.isfinite(x_new):
            status = ScalarStatus.NONFINITE
            break
        run.xs.append(x_new)
        g_new = float(d1(x_new))
        run.nder += 1
        if x_new != x:
            slope = (g_new - g) / (x_new - x)
        done = abs(x_new - x) <= xtol * (1.0 + abs(x))
        prev, x, g = x, x_new, g_new
        if done:
            status = ScalarStatus.CONVERGED
            break
        if detect_cycles and _revisits(run.xs[:-1], x_new, xtol):
            status = ScalarStatus.CYCLE
            break
    return run.result(status, slope, starts=2)


# ------------------------------------------------------------------ bracketing methods
def bracket_minimum(
    fun: ScalarFn, x0: float = 0.0, x1: float = 1.0, *, maxiter: int = 60
) -> Bracket:
    """Walk downhill from ``x0, x1`` with golden-ratio growing steps until ``C`` rises.

    Args:
        fun: The objective ``C``.
        x0, x1: Two distinct initial points; the walk starts in the downhill direction.
        maxiter: Maximum number of expansion steps.

    Returns:
        A :class:`Bracket`; ``found`` is ``False`` if ``C`` kept decreasing.

    Example:
        >>> br = bracket_minimum(lambda t: (t - 10.0) ** 2)
        >>> br.found and br.a < 10.0 < br.c
        True
    """
    if x0 == x1:
        raise ValueError("bracket_minimum needs two distinct points x0 != x1")
    a, b = float(x0), float(x1)
    fa, fb = float(fun(a)), float(fun(b))
    if fb > fa:
        a, b, fa, fb = b, a, fb, fa
    c = b + (b - a) / _INV_PHI
    fc, nfev = float(fun(c)), 3
    for _ in range(maxiter):
        if fc >= fb or not math.isfinite(fc):
            return Bracket(a, b, c, fa, fb, fc, nfev, True, "bracket found")
        a, b, fa, fb = b, c, fb, fc
        c = b + (b - a) / _INV_PHI
        fc, nfev = float(fun(c)), nfev + 1
    found = fc >= fb
    msg = "bracket found" if found else f"C kept decreasing for {maxiter} expansions"
    return Bracket(a, b, c, fa, fb, fc, nfev, found, msg)


def _interval(bracket: Sequence[float]) -> tuple[float, float, float | None]:
    pts = [float(v) for v in bracket]
    if len(pts) not in (2, 3) or not all(math.isfinite(v) for v in pts):
        raise ValueError("bracket must be 2 or 3 finite numbers: (a, b) or (a, b, c)")
    lo, hi = min(pts[0], pts[-1]), max(pts[0], pts[-1])
    if not lo < hi:
        raise ValueError(f"bracket endpoints must differ, got {bracket}")
    inner = pts[1] if len(pts) == 3 else None
    if inner is not None and not lo < inner < hi:
        raise ValueError("for a 3-point bracket (a, b, c), b must lie strictly between a and c")
    return lo, hi, inner


def _bracket_result(
    xs: list[float], fs: list[float], nit: int, nfev: int, converged: bool
) -> ScalarResult:
    status = ScalarStatus.CONVERGED if converged else ScalarStatus.MAX_ITER
    return ScalarResult(
        x=xs[-1], fun=fs[-1], success=converged, status=status, message=_MESSAGES[status],
        nit=nit, nfev=nfev, nder=0, kind="minimum", iterates=np.array(xs), values=np.array(fs),
    )  # fmt: skip


def _check_bracket_tols(xtol: float, atol: float, maxiter: int) -> None:
    if not (xtol > 0.0 or atol > 0.0) or xtol < 0.0 or atol < 0.0:
        raise ValueError(f"need xtol >= 0, atol >= 0, not both 0; got xtol={xtol}, atol={atol}")
    if maxiter < 1:
        raise ValueError(f"maxiter must be >= 1, got {maxiter}")


def golden_section(
    fun: ScalarFn,
    bracket: Sequence[float],
    *,
    xtol: float = _SQRT_EPS,
    atol: float = 1e-12,
    maxiter: int = 500,
) -> ScalarResult:
    """Golden-section search for a minimum of a unimodal ``C`` on ``[a, b]``.

    Keeps an interval ``[a, b]`` with two interior points ``c = b - (b - a)/phi`` and
    ``d = a + (b - a)/phi`` (``phi = (1 + sqrt 5)/2``); the worse side is discarded, so the
    interval shrinks by ``1/phi ~ 0.618`` per iteration at one evaluation per iteration.
    Stops when ``b - a <= 2 (xtol |x| + atol)``.

    Args:
        fun: The objective ``C``.
        bracket: ``(a, b)``, or ``(a, b, c)`` whose outer points give the interval.
        xtol: Relative tolerance on ``x`` (``sqrt(eps)`` is the attainable accuracy for a
            smooth minimum).
        atol: Absolute tolerance on ``x``.
        maxiter: Maximum number of iterations.

    Returns:
        A :class:`ScalarResult`; ``iterates`` holds the best point after each iteration.

    Example:
        >>> r = golden_section(lambda t: (t - 0.3) ** 2, (0.0, 1.0))
        >>> abs(r.x - 0.3) < 1e-7, r.success
        (True, True)

    Reference: J. Kiefer (1953), Sequential minimax search for a maximum, Proc. AMS 4.
    """
    _check_bracket_tols(xtol, atol, maxiter)
    a, b, _ = _interval(bracket)
    c, d = b - _INV_PHI * (b - a), a + _INV_PHI * (b - a)
    fc, fd = float(fun(c)), float(fun(d))
    nfev = 2
    xs, fs = [c, d][int(fd < fc)], min(fc, fd)
    hist_x, hist_f = [xs], [fs]
    for nit in range(1, maxiter + 1):
        x = c if fc <= fd else d
        if b - a <= 2.0 * (xtol * abs(x) + atol):
            return _bracket_result(hist_x, hist_f, nit - 1, nfev, True)
        if fc <= fd or not math.isfinite(fd):
            b, d, fd = d, c, fc
            c = b - _INV_PHI * (b - a)
            fc = float(fun(c))
        else:
            a, c, fc = c, d, fd
            d = a + _INV_PHI * (b - a)
            fd = float(fun(d))
        nfev += 1
        best = (c, fc) if fc <= fd else (d, fd)
        hist_x.append(best[0])
        hist_f.append(best[1])
    return _bracket_result(hist_x, hist_f, maxiter, nfev, False)


@dataclass
class _BrentState:
    """Brent's points: x (best), w (second best), v (previous w), interval [a, b]."""

    a: float
    b: float
    x: float
    fx: float
    w: float
    fw: float
    v: float
    fv: float
    d: float = 0.0
    e: float = 0.0

    def step(self, tol: float) -> float:
        """Parabolic step through (v, w, x) when acceptable, else a golden-section step."""
        mid = 0.5 * (self.a + self.b)
        if abs(self.e) > tol:
            r = (self.x - self.w) * (self.fx - self.fv)
            q = (self.x - self.v) * (self.fx - self.fw)
            p = (self.x - self.v) * q - (self.x - self.w) * r
            q = 2.0 * (q - r)
            p, q = (-p, q) if q > 0.0 else (p, -q)
            e_old, self.e = self.e, self.d
            inside = q * (self.a - self.x) < p < q * (self.b - self.x)
            if abs(p) < abs(0.5 * q * e_old) and inside:
                self.d = p / q
                u = self.x + self.d
                if u - self.a < 2.0 * tol or self.b - u < 2.0 * tol:
                    self.d = tol if self.x < mid else -tol
                return self.d
        self.e = (self.b if self.x < mid else self.a) - self.x
        self.d = (1.0 - _INV_PHI) * self.e
        return self.d

    def update(self, u: float, fu: float) -> None:
        """Shrink the interval around the best point and rotate (x, w, v)."""
        if fu <= self.fx:
            if u < self.x:
                self.b = self.x
            else:
                self.a = self.x
            self.v, self.fv, self.w, self.fw = self.w, self.fw, self.x, self.fx
            self.x, self.fx = u, fu
            return
        if u < self.x:
            self.a = u
        else:
            self.b = u
        if fu <= self.fw or self.w == self.x:
            self.v, self.fv, self.w, self.fw = self.w, self.fw, u, fu
        elif fu <= self.fv or self.v == self.x or self.v == self.w:
            self.v, self.fv = u, fu


def brent(
    fun: ScalarFn,
    bracket: Sequence[float],
    *,
    xtol: float = _SQRT_EPS,
    atol: float = 1e-12,
    maxiter: int = 500,
) -> ScalarResult:
    """Brent's method: golden section safeguarded parabolic interpolation, no derivatives.

    Each step fits a parabola through the three best points and jumps to its vertex when that
    lies inside the interval and moves less than half the step before last; otherwise it takes
    a golden-section step. Superlinear on smooth functions, never much slower than golden
    section. Stops when ``|x - m| <= 2 tol - (b - a)/2`` with ``tol = xtol |x| + atol/3`` and
    ``m`` the interval midpoint.

    Args:
        fun: The objective ``C``.
        bracket: ``(a, b)``, or ``(a, b, c)`` with ``b`` inside used as the first point.
        xtol: Relative tolerance on ``x``.
        atol: Absolute tolerance on ``x``.
        maxiter: Maximum number of iterations.

    Returns:
        A :class:`ScalarResult`; ``iterates`` holds the best point after each iteration.

    Example:
        >>> import math
        >>> r = brent(math.cos, (2.0, 4.0))
        >>> abs(r.x - math.pi) < 1e-8, r.nfev < 15
        (True, True)

    Reference: R. P. Brent, Algorithms for Minimization without Derivatives (1973), ch. 5.
    """
    _check_bracket_tols(xtol, atol, maxiter)
    a, b, inner = _interval(bracket)
    x = inner if inner is not None else a + (1.0 - _INV_PHI) * (b - a)
    fx = float(fun(x))
    s = _BrentState(a, b, x, fx, x, fx, x, fx)
    hist_x, hist_f, nfev = [x], [fx], 1
    for nit in range(1, maxiter + 1):
        tol = xtol * abs(s.x) + atol / 3.0
        if abs(s.x - 0.5 * (s.a + s.b)) <= 2.0 * tol - 0.5 * (s.b - s.a):
            return _bracket_result(hist_x, hist_f, nit - 1, nfev, True)
        d = s.step(tol)
        u = s.x + (d if abs(d) >= tol else math.copysign(tol, d))
        fu = float(fun(u))
        nfev += 1
        s.update(u, fu if math.isfinite(fu) else math.inf)
        hist_x.append(s.x)
        hist_f.append(s.fx)
    return _bracket_result(hist_x, hist_f, maxiter, nfev, False)
