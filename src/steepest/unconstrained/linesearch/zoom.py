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
from dataclasses import dataclass, field

import numpy as np

from ..._result import Status
from .base import LineSearchResult, SlopeSearch, conditions, flagged, rounding, scalar_start

__all__ = ["Wolfe", "StrongWolfe", "wolfe", "strong_wolfe"]

PhiDphi = Callable[[float], tuple[float, float]]
Trial = tuple[float, float, float]  # (alpha, phi(alpha), phi'(alpha))


@dataclass
class _Run:
    """One search's bookkeeping: evaluations spent and the lowest finite phi seen."""

    phi_dphi: PhiDphi
    phi0: float
    dphi0: float
    evals: int = 0
    any_finite: bool = False
    best: Trial = field(init=False)

    def __post_init__(self) -> None:
        self.best = (0.0, self.phi0, self.dphi0)

    def eval(self, a: float) -> tuple[float, float]:
        """``(phi(a), phi'(a))``, a non-finite phi read as ``+inf``."""
        self.evals += 1
        fa, da = self.phi_dphi(a)
        fa = float(fa) if np.isfinite(fa) else np.inf
        self.any_finite |= bool(np.isfinite(fa))
        if fa < self.best[1]:
            self.best = (a, fa, da)
        return fa, da


@dataclass(frozen=True)
class Wolfe(SlopeSearch):
    """Bracketing + zoom to the weak (``strong=False``) or strong Wolfe conditions.

    Accepts α with φ(α) ≤ φ(0) + c₁αφ'(0) and φ'(α) ≥ c₂φ'(0) (or the strong form
    |φ'(α)| ≤ c₂|φ'(0)|).

    Args:
        c1, c2: constants with 0 < c₁ < c₂ < 1.
        strong: require |φ'(α)| ≤ c₂|φ'(0)| instead of φ'(α) ≥ c₂φ'(0).
        max_evals: budget of (φ, φ') evaluations.
        alpha_max: largest step tried.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48-4.50); Nocedal &
        Wright, *Numerical Optimization*, 2nd ed., Algorithms 3.5-3.6.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = Wolfe().search(line, 1.0)
        >>> r.success, round(r.step, 4)
        (True, 0.5)
    """

    c1: float = 1e-4
    c2: float = 0.9
    strong: bool = False
    max_evals: int = 30
    alpha_max: float = 1e10

    def __post_init__(self) -> None:
        self._check_constants()

    def _descend(self, phi_dphi: PhiDphi, phi0: float, dphi0: float,
                 alpha0: float) -> LineSearchResult:
        """Bracket and zoom on scalar ``phi_dphi(alpha) -> (phi, phi')`` from ``alpha0``."""
        return self._bracket(_Run(phi_dphi, phi0, dphi0), min(float(alpha0), self.alpha_max))

    def _bracket(self, run: _Run, alpha: float) -> LineSearchResult:
        """Algorithm 3.5: double ``alpha`` until it is acceptable or brackets a step."""
        prev = (0.0, run.phi0, run.dphi0)
        while run.evals < self.max_evals:
            fa, da = run.eval(alpha)
            if self._armijo_fails(run, alpha, fa) or (run.evals > 1 and fa >= prev[1]):
                return self._zoom(run, prev, (alpha, fa, da))
            if self._accept(run, da):
                return self._done(run, alpha, fa, da)
            if da >= 0:  # passed a minimiser of phi (only reachable in the strong variant)
                return self._zoom(run, (alpha, fa, da), prev)
            if alpha >= self.alpha_max:
                break
            prev, alpha = (alpha, fa, da), min(2.0 * alpha, self.alpha_max)
        return self._failed(run, Status.MAX_FEV)

    def _zoom(self, run: _Run, lo: Trial, hi: Trial) -> LineSearchResult:
        """Algorithm 3.6: shrink ``[lo, hi]`` by safeguarded interpolation."""
        while run.evals < self.max_evals:
            a = _interpolate(lo, hi)
            if a is None:
                return self._failed(run, Status.STALLED)
            fa, da = run.eval(a)
            if self._armijo_fails(run, a, fa) or fa >= lo[1]:
                hi = (a, fa, da)
                continue
            if self._accept(run, da):
                return self._done(run, a, fa, da)
            if da * (hi[0] - lo[0]) >= 0:
                hi = lo
            lo = (a, fa, da)
        return self._failed(run, Status.MAX_FEV)

    def _armijo_fails(self, run: _Run, a: float, fa: float) -> bool:
        return not fa <= run.phi0 + self.c1 * a * run.dphi0 + rounding(run.phi0)

    def _accept(self, run: _Run, da: float) -> bool:
        if self.strong:
            return abs(da) <= -self.c2 * run.dphi0
        return da >= self.c2 * run.dphi0

    def _done(self, run: _Run, a: float, fa: float, da: float) -> LineSearchResult:
        arm, curv, strong = conditions(a, fa, da, run.phi0, run.dphi0, self.c1, self.c2)
        return LineSearchResult(a, fa, da, run.evals, Status.SUCCESS,
                                arm, curv, strong)

    def _failed(self, run: _Run, status: Status) -> LineSearchResult:
        """The best point with a decrease (or the zero step), flagged with ``status``."""
        if not run.any_finite:
            status = Status.NON_FINITE
        best = run.best
        if not np.isfinite(best[1]) or best[0] == 0.0:
            best = (0.0, run.phi0, run.dphi0)
        return flagged(best, run.evals, status, run.phi0, run.dphi0, self.c1, self.c2)


@dataclass(frozen=True)
class StrongWolfe(Wolfe):
    """:class:`Wolfe` with ``strong=True``: |φ'(α)| ≤ c₂|φ'(0)| besides Armijo.

    Args:
        c1, c2: constants with 0 < c₁ < c₂ < 1.
        strong: always True here.
        max_evals: budget of (φ, φ') evaluations.
        alpha_max: largest step tried.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs. 4.48 and 4.50);
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.1 and Algorithms 3.5-3.6.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = StrongWolfe(c2=0.1).search(line, 1.0)
        >>> r.success, round(r.step, 4)
        (True, 0.5)
    """

    strong: bool = True


def _scalar_pair(phi: Callable[[float], float], dphi: Callable[[float], float]) -> PhiDphi:
    """``phi_dphi`` from separate scalar ``phi`` and ``dphi`` (slope skipped where phi is not
    finite)."""

    def phi_dphi(a: float) -> tuple[float, float]:
        fa = float(phi(a))
        return fa, (float(dphi(a)) if np.isfinite(fa) else np.nan)

    return phi_dphi


def wolfe(
    phi: Callable[[float], float], dphi: Callable[[float], float], phi0: float | None = None,
    dphi0: float | None = None, *, alpha0: float = 1.0, c1: float = 1e-4, c2: float = 0.9,
    max_evals: int = 30, alpha_max: float = 1e10,
) -> LineSearchResult:
    r"""Find :math:`\alpha` meeting the (weak) Wolfe conditions (4.48) and (4.49).

    :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)` and
    :math:`\varphi'(\alpha) \ge c_2\varphi'(0)` (see :class:`Wolfe`).

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
    search = Wolfe(c1, c2, False, max_evals, alpha_max)
    return _on_scalars(search, phi, dphi, phi0, dphi0, alpha0)


def strong_wolfe(
    phi: Callable[[float], float], dphi: Callable[[float], float], phi0: float | None = None,
    dphi0: float | None = None, *, alpha0: float = 1.0, c1: float = 1e-4, c2: float = 0.9,
    max_evals: int = 30, alpha_max: float = 1e10,
) -> LineSearchResult:
    r"""Find :math:`\alpha` meeting the strong Wolfe conditions (4.48) and (4.50).

    :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)` and
    :math:`|\varphi'(\alpha)| \le -c_2\varphi'(0)` (see :class:`StrongWolfe`).

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
    search = StrongWolfe(c1, c2, True, max_evals, alpha_max)
    return _on_scalars(search, phi, dphi, phi0, dphi0, alpha0)


def _on_scalars(search: Wolfe, phi, dphi, phi0, dphi0, alpha0) -> LineSearchResult:
    phi0 = float(phi(0.0)) if phi0 is None else phi0
    dphi0 = float(dphi(0.0)) if dphi0 is None else dphi0
    return search.run(_scalar_pair(phi, dphi), *scalar_start(phi0, dphi0, alpha0))


def _interpolate(lo: Trial, hi: Trial, delta: float = 0.01) -> float | None:
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
