"""Derivative-free univariate minimization on an interval: golden section and Brent.

Both shrink an interval known to contain a minimum; :func:`bracket_minimum` finds such an
interval by walking downhill. Results are :class:`~steepest.unconstrained.univariate.ScalarResult`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .._result import Status
from .._validate import (
    check_callable,
    check_finite_float,
    check_nonnegative_float,
    check_positive_int,
)
from .univariate import _INV_PHI, _MESSAGES, _SQRT_EPS, ScalarFn, ScalarResult

__all__ = ["Bracket", "bracket_minimum", "brent", "golden_section"]


@dataclass(frozen=True)
class Bracket:
    """Three points ``a < b < c`` (or ``a > b > c``) with ``C(b) <= min(C(a), C(c))``.

    ``found`` is ``False`` when the search stopped before such a triple was found (the
    function kept decreasing: it may be unbounded below along the search).

    Attributes:
        a, b, c: the three points.
        fa, fb, fc: C at those points.
        nfev: evaluations used.
        found: whether a bracket was found.
        message: the outcome in words.

    Reference:
        Press et al., *Numerical Recipes*, 3rd ed., §10.1 (bracketing a minimum).

    Example:
        >>> br = bracket_minimum(lambda t: (t - 10.0) ** 2)
        >>> br.found, br.fb <= min(br.fa, br.fc)
        (True, True)
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


# ------------------------------------------------------------------ bracketing methods
def bracket_minimum(
    fun: ScalarFn, x0: float = 0.0, x1: float = 1.0, *, maxiter: int = 60
) -> Bracket:
    """Walk downhill from ``x0, x1`` with golden-ratio growing steps until ``C`` rises.

    Each expansion sets c = b + φ(b − a) with φ = (1 + √5)/2, and stops once C(c) ≥ C(b).

    Args:
        fun: The objective ``C``.
        x0, x1: Two distinct initial points; the walk starts in the downhill direction.
        maxiter: Maximum number of expansion steps.

    Returns:
        A :class:`Bracket`; ``found`` is ``False`` if ``C`` kept decreasing.

    Reference:
        Press et al., *Numerical Recipes*, 3rd ed., §10.1 (bracketing a minimum); Liquet et al.,
        *Mathematical Engineering of Deep Learning*, §4.5 "Line Search".

    Example:
        >>> br = bracket_minimum(lambda t: (t - 10.0) ** 2)
        >>> br.found and br.a < 10.0 < br.c
        True
    """
    maxiter = check_positive_int(maxiter, "maxiter")
    a, b = check_finite_float(x0, "x0"), check_finite_float(x1, "x1")
    if a == b:
        raise ValueError("bracket_minimum needs two distinct points x0 != x1")
    fa, fb = first_value(fun, a), float(fun(b))
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


def first_value(fun: ScalarFn, t: float) -> float:
    """``fun(t)`` as a float, for the first evaluation of a search: a TypeError names ``fun``
    when it is not callable or does not return a real number (later evaluations are plain,
    so the check costs nothing per step)."""
    out = check_callable(fun, "fun")(t)
    try:
        if isinstance(out, str | bytes):
            raise TypeError("text is not a value")
        return float(out)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"fun returned {type(out).__name__} {out!r:.40}; fun must return a "
                        "real number, its value at t") from exc


def _interval(bracket: Sequence[float]) -> tuple[float, float, float | None]:
    if isinstance(bracket, str | bytes) or not isinstance(bracket, Sequence | np.ndarray):
        raise TypeError(f"bracket must be 2 or 3 numbers (a, b) or (a, b, c), got "
                        f"{type(bracket).__name__} {bracket!r:.40}; pass e.g. bracket=(0.0, 1.0)")
    pts = [check_finite_float(v, "each end of bracket", fix="pass e.g. bracket=(0.0, 1.0)")
           for v in bracket]
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
    status = Status.SUCCESS if converged else Status.MAX_ITER
    return ScalarResult(
        x=xs[-1], fun=fs[-1], success=converged, status=status, message=_MESSAGES[status],
        nit=nit, nfev=nfev, nder=0, kind="minimum", iterates=np.array(xs), values=np.array(fs),
    )  # fmt: skip


def _bracket_options(xtol: float, atol: float, maxiter: int) -> tuple[float, float, int]:
    """``xtol`` and ``atol`` as floats ``>= 0``, not both 0 (the interval must be able to stop),
    and ``maxiter`` as an int ``>= 1``."""
    xtol, atol = check_nonnegative_float(xtol, "xtol"), check_nonnegative_float(atol, "atol")
    if xtol == 0.0 and atol == 0.0:
        raise ValueError("xtol and atol must not both be 0 (not both 0); pass xtol > 0 or atol > 0")
    return xtol, atol, check_positive_int(maxiter, "maxiter")


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
    xtol, atol, maxiter = _bracket_options(xtol, atol, maxiter)
    a, b, _ = _interval(bracket)
    c, d = b - _INV_PHI * (b - a), a + _INV_PHI * (b - a)
    fc, fd = first_value(fun, c), float(fun(d))
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
    xtol, atol, maxiter = _bracket_options(xtol, atol, maxiter)
    a, b, inner = _interval(bracket)
    x = inner if inner is not None else a + (1.0 - _INV_PHI) * (b - a)
    fx = first_value(fun, x)
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
