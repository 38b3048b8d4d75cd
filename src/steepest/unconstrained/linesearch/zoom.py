r"""Wolfe and strong Wolfe line searches: bracketing, then zoom with cubic interpolation.

Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithms 3.5 (bracketing) and 3.6
(zoom); Liquet et al. §4.5 eqs. (4.48)-(4.50). The bracketing phase grows
:math:`\alpha` until it either meets the conditions or brackets an acceptable step; zoom then
shrinks the bracket :math:`[\alpha_{lo}, \alpha_{hi}]` with safeguarded cubic interpolation
(quadratic when :math:`\varphi'(\alpha_{hi})` is unknown, bisection as a last resort). The
invariant: :math:`\alpha_{lo}` satisfies Armijo with the lowest :math:`\varphi` seen, and
:math:`\varphi'(\alpha_{lo})(\alpha_{hi}-\alpha_{lo}) < 0`. A non-finite :math:`\varphi` at a
trial step is treated like an Armijo failure ("too far").
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .base import LineSearchResult, LineSearchStatus, _check_unit, conditions, rounding

__all__ = ["wolfe", "strong_wolfe", "wolfe_search"]

PhiDphi = Callable[[float], tuple[float, float]]


def wolfe(
    phi: Callable[[float], float], dphi: Callable[[float], float], phi0: float | None = None,
    dphi0: float | None = None, *, alpha0: float = 1.0, c1: float = 1e-4, c2: float = 0.9,
    max_evals: int = 30, alpha_max: float = 1e10,
) -> LineSearchResult:
    r"""Find :math:`\alpha` meeting the (weak) Wolfe conditions (4.48) and (4.49).

    :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)` and
    :math:`\varphi'(\alpha) \ge c_2\varphi'(0)`.

    Args:
        phi, dphi: :math:`\varphi` and :math:`\varphi'` as scalar functions.
        phi0, dphi0: their values at 0 (computed when omitted).
        alpha0: first trial. c1, c2: constants, :math:`0 < c_1 < c_2 < 1`.
        max_evals: budget of (phi, dphi) evaluations. alpha_max: largest step tried.

    Returns:
        :class:`~steepest.unconstrained.linesearch.base.LineSearchResult`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48-4.49); Nocedal &
        Wright, *Numerical Optimization*, 2nd ed., Algorithms 3.5-3.6.

    Example:
        >>> r = wolfe(lambda a: (a - 3.0) ** 2, lambda a: 2 * (a - 3.0))
        >>> r.success, r.armijo, r.curvature
        (True, True, True)
    """
    return _wrap(phi, dphi, phi0, dphi0, alpha0, c1, c2, max_evals, alpha_max, strong=False)


def strong_wolfe(
    phi: Callable[[float], float], dphi: Callable[[float], float], phi0: float | None = None,
    dphi0: float | None = None, *, alpha0: float = 1.0, c1: float = 1e-4, c2: float = 0.9,
    max_evals: int = 30, alpha_max: float = 1e10,
) -> LineSearchResult:
    r"""Find :math:`\alpha` meeting the strong Wolfe conditions (4.48) and (4.50).

    :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)` and
    :math:`|\varphi'(\alpha)| \le -c_2\varphi'(0)`.

    Args:
        phi, dphi: :math:`\varphi` and :math:`\varphi'` as scalar functions.
        phi0, dphi0: their values at 0 (computed when omitted).
        alpha0: first trial. c1, c2: constants, :math:`0 < c_1 < c_2 < 1`.
        max_evals: budget of (phi, dphi) evaluations. alpha_max: largest step tried.

    Returns:
        :class:`~steepest.unconstrained.linesearch.base.LineSearchResult`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48 and 4.50);
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.5, Algorithms 3.5-3.6.

    Example:
        >>> r = strong_wolfe(lambda a: (a - 3.0) ** 2, lambda a: 2 * (a - 3.0), c2=0.1)
        >>> r.success, r.strong_curvature, abs(r.step - 3.0) < 0.3
        (True, True, True)
    """
    return _wrap(phi, dphi, phi0, dphi0, alpha0, c1, c2, max_evals, alpha_max, strong=True)


def _wrap(phi, dphi, phi0, dphi0, alpha0, c1, c2, max_evals, alpha_max, strong):
    phi0 = float(phi(0.0)) if phi0 is None else float(phi0)
    dphi0 = float(dphi(0.0)) if dphi0 is None else float(dphi0)

    def phi_dphi(a: float) -> tuple[float, float]:
        fa = float(phi(a))
        return fa, (float(dphi(a)) if np.isfinite(fa) else np.nan)

    return wolfe_search(phi_dphi, phi0, dphi0, alpha0=alpha0, c1=c1, c2=c2, strong=strong,
                        max_evals=max_evals, alpha_max=alpha_max)


def wolfe_search(
    phi_dphi: PhiDphi, phi0: float, dphi0: float, *, alpha0: float = 1.0, c1: float = 1e-4,
    c2: float = 0.9, strong: bool = True, max_evals: int = 30, alpha_max: float = 1e10,
) -> LineSearchResult:
    """Bracketing + zoom on a combined ``phi_dphi(alpha) -> (phi, phi')`` (the fast path)."""
    _check_unit("c1", c1)
    _check_unit("c2", c2)
    if c1 >= c2:
        raise ValueError(f"the Wolfe conditions need c1 < c2, got c1={c1}, c2={c2}")
    if not dphi0 < 0:
        return LineSearchResult(0.0, phi0, dphi0, 0, LineSearchStatus.NOT_DESCENT)
    s = _Search(phi_dphi, phi0, dphi0, c1, c2, strong, max_evals)
    return s.run(min(float(alpha0), alpha_max), alpha_max)


class _Search:
    """State of one bracketing+zoom search (kept small: the maths lives in the methods)."""

    def __init__(self, phi_dphi, phi0, dphi0, c1, c2, strong, max_evals):
        self.phi_dphi, self.phi0, self.dphi0 = phi_dphi, phi0, dphi0
        self.c1, self.c2, self.strong, self.max_evals = c1, c2, strong, max_evals
        self.evals = 0
        self.any_finite = False
        self.best = (0.0, phi0, dphi0)  # lowest finite phi seen

    def eval(self, a: float) -> tuple[float, float]:
        self.evals += 1
        fa, da = self.phi_dphi(a)
        fa = float(fa) if np.isfinite(fa) else np.inf
        self.any_finite |= bool(np.isfinite(fa))
        if fa < self.best[1]:
            self.best = (a, fa, da)
        return fa, da

    def armijo_fails(self, a: float, fa: float) -> bool:
        return not fa <= self.phi0 + self.c1 * a * self.dphi0 + rounding(self.phi0)

    def accept(self, da: float) -> bool:
        if self.strong:
            return abs(da) <= -self.c2 * self.dphi0
        return da >= self.c2 * self.dphi0

    def done(self, a: float, fa: float, da: float) -> LineSearchResult:
        arm, curv, strong = conditions(a, fa, da, self.phi0, self.dphi0, self.c1, self.c2)
        return LineSearchResult(a, fa, da, self.evals, LineSearchStatus.CONVERGED,
                                arm, curv, strong)

    def failed(self, status: LineSearchStatus) -> LineSearchResult:
        if not self.any_finite:
            status = LineSearchStatus.NON_FINITE
        a, fa, da = self.best
        if not np.isfinite(fa) or a == 0.0:
            a, fa, da = 0.0, self.phi0, self.dphi0
        arm, curv, strong = conditions(a, fa, da, self.phi0, self.dphi0, self.c1, self.c2)
        if a == 0.0:
            arm = curv = strong = False
        return LineSearchResult(a, fa, da, self.evals, status, arm, curv, strong)

    def run(self, alpha: float, alpha_max: float) -> LineSearchResult:
        prev = (0.0, self.phi0, self.dphi0)
        while self.evals < self.max_evals:
            fa, da = self.eval(alpha)
            if self.armijo_fails(alpha, fa) or (self.evals > 1 and fa >= prev[1]):
                return self.zoom(prev, (alpha, fa, da))
            if self.accept(da):
                return self.done(alpha, fa, da)
            if da >= 0:  # passed a minimiser of phi (only reachable in the strong variant)
                return self.zoom((alpha, fa, da), prev)
            if alpha >= alpha_max:
                break
            prev, alpha = (alpha, fa, da), min(2.0 * alpha, alpha_max)
        return self.failed(LineSearchStatus.MAX_EVALS)

    def zoom(self, lo: tuple, hi: tuple) -> LineSearchResult:
        while self.evals < self.max_evals:
            a = _interpolate(lo, hi)
            if a is None:
                return self.failed(LineSearchStatus.NO_PROGRESS)
            fa, da = self.eval(a)
            if self.armijo_fails(a, fa) or fa >= lo[1]:
                hi = (a, fa, da)
                continue
            if self.accept(da):
                return self.done(a, fa, da)
            if da * (hi[0] - lo[0]) >= 0:
                hi = lo
            lo = (a, fa, da)
        return self.failed(LineSearchStatus.MAX_EVALS)


def _interpolate(lo: tuple, hi: tuple, delta: float = 0.01) -> float | None:
    """Safeguarded cubic (or quadratic) minimiser between ``lo`` and ``hi``; None if too close."""
    a, fa, da = lo
    b, fb, db = hi
    width = abs(b - a)
    if width <= 1e-14 * max(1.0, abs(a), abs(b)):
        return None
    left, right = min(a, b), max(a, b)
    guard_lo, guard_hi = left + delta * width, right - delta * width
    t = _cubic_min(a, fa, da, b, fb, db) if np.isfinite(fb) and np.isfinite(db) else None
    if t is None and np.isfinite(fb):
        t = _quadratic_min(a, fa, da, b, fb)
    if t is None and not np.isfinite(fb):
        t = a + 0.2 * (b - a)  # too far: step back hard towards the good end
        return float(t)
    if t is None or not guard_lo <= t <= guard_hi:
        t = 0.5 * (a + b)
    return float(t)


def _cubic_min(a, fa, da, b, fb, db) -> float | None:
    """Minimiser of the cubic matching phi and phi' at a and b (N&W eq. 3.59)."""
    d1 = da + db - 3.0 * (fa - fb) / (a - b)
    rad = d1 * d1 - da * db
    if not np.isfinite(rad) or rad < 0:
        return None
    d2 = np.copysign(np.sqrt(rad), b - a)
    denom = db - da + 2.0 * d2
    if denom == 0 or not np.isfinite(denom):
        return None
    return float(b - (b - a) * (db + d2 - d1) / denom)


def _quadratic_min(a, fa, da, b, fb) -> float | None:
    """Minimiser of the quadratic matching phi(a), phi'(a) and phi(b)."""
    h = b - a
    curv = fb - fa - da * h
    if not curv > 0:
        return None
    return float(a - da * h * h / (2.0 * curv))
