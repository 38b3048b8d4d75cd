r"""Moré-Thuente line search (strong Wolfe conditions with guaranteed interval shrinkage).

J. J. Moré and D. J. Thuente, "Line search algorithms with guaranteed sufficient decrease",
ACM TOMS 20 (1994) -- the search inside MINPACK-2 ``dcsrch`` used by L-BFGS-B. It keeps an
interval :math:`[\alpha_x, \alpha_y]` that contains a step satisfying

.. math:: \varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0),\qquad
          |\varphi'(\alpha)| \le c_2|\varphi'(0)|,

and picks trial steps from cubic and quadratic interpolants (:func:`_step`, the four cases of
the paper). In its first stage it works on the auxiliary
:math:`\psi(\alpha) = \varphi(\alpha) - \varphi(0) - c_1\alpha\varphi'(0)`; if the interval
does not shrink by 2/3 within two trials it bisects. Non-finite trial values are "too far":
the step is pulled back towards the best point and the upper limit lowered. As in the other
searches, sufficient decrease allows for the rounding error of :math:`\varphi(0)`
(:func:`~.base.rounding`), so near a minimiser steps are chosen by the
slope, which is still accurate, rather than by values equal within rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ..._result import Status
from ..._validate import check_unit_interval
from .base import LineSearchResult, SlopeSearch, flagged, rounding, scalar_start

__all__ = ["MoreThuente", "more_thuente"]

_XTRAPL, _XTRAPU = 1.1, 4.0

PhiDphi = Callable[[float], tuple[float, float]]


@dataclass
class _End:
    """One end of the uncertainty interval: step, value and slope."""

    a: float
    f: float
    d: float


@dataclass
class _Run:
    """One search's bookkeeping: evaluations spent and the lowest finite phi seen."""

    phi0: float
    dphi0: float
    evals: int = 0
    any_finite: bool = False
    best: tuple[float, float, float] = field(init=False)

    def __post_init__(self) -> None:
        self.best = (0.0, self.phi0, self.dphi0)


@dataclass(frozen=True)
class MoreThuente(SlopeSearch):
    """Moré-Thuente strong Wolfe search (MINPACK-2 ``dcsrch``; L-BFGS-B's line search).

    Strong Wolfe: φ(α) ≤ φ(0) + c₁αφ'(0) and |φ'(α)| ≤ c₂|φ'(0)|, by safeguarded cubic/quadratic
    interpolation.

    Args:
        c1, c2: the Wolfe constants (defaults are L-BFGS-B's 1e-3 and 0.9).
        interval_tol: relative width of the bracket below which the search stops (MINPACK's
            ``xtol``, renamed: ``xtol`` is the step-norm criterion).
        max_evals: budget of (φ, φ') evaluations.
        alpha_max: largest step tried.
        armijo_slack: allow the rounding error of :math:`\varphi(0)` in the sufficient-decrease
            test (:func:`~.base.rounding`); ``False`` is MINPACK's exact test, as scipy's BFGS.

    Reference:
        J. J. Moré & D. J. Thuente, "Line search algorithms with guaranteed sufficient decrease",
        ACM TOMS 20 (1994); Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5.

    Example:
        >>> import numpy as np
        >>> from steepest.objective import Objective
        >>> from steepest.unconstrained.linesearch.base import LineFunction
        >>> x = np.array([1.0, 2.0]); g = 2 * x  # f = x·x, p = -g: the exact step is 1/2
        >>> obj = Objective(lambda z: float(z @ z), x, jac=lambda z: 2 * z)
        >>> line = LineFunction(obj, x, -g, float(x @ x), g)
        >>> r = MoreThuente(c2=0.1).search(line, 1.0)
        >>> r.success, round(r.step, 2)
        (True, 0.5)
    """

    c1: float = 1e-3
    c2: float = 0.9
    interval_tol: float = 0.1
    max_evals: int = 20
    alpha_max: float = 1e10
    armijo_slack: bool = True

    def __post_init__(self) -> None:
        self._check_constants()
        if not 0 < self.interval_tol < 1:
            raise ValueError(f"interval_tol must lie in (0, 1), got {self.interval_tol!r}; "
                             "pass e.g. interval_tol=0.1")

    def _descend(self, phi_dphi: PhiDphi, phi0: float, dphi0: float,
                 alpha0: float) -> LineSearchResult:
        """``dcsrch`` on scalar ``phi_dphi(alpha) -> (phi, phi')`` from ``alpha0``."""
        return self._iterate(phi_dphi, _Run(phi0, dphi0),
                             min(max(alpha0, 0.0), self.alpha_max))

    def _result(self, run: _Run, a, f, d, status) -> LineSearchResult:
        trial = (a, f, d)
        if status is not Status.SUCCESS:
            trial = run.best
            if not run.any_finite:
                status = Status.NON_FINITE
        return flagged(trial, run.evals, status, run.phi0, run.dphi0, self.c1, self.c2)

    def _iterate(self, phi_dphi: PhiDphi, run: _Run, stp: float) -> LineSearchResult:
        """``dcsrch``: trial steps from :func:`_step` until strong Wolfe holds or the
        interval is too small."""
        phi0, dphi0, xtol = run.phi0, run.dphi0, self.interval_tol
        gtest = self.c1 * dphi0
        slack = rounding(phi0) if self.armijo_slack else 0.0  # rounding counts as decrease
        x, y = _End(0.0, phi0, dphi0), _End(0.0, phi0, dphi0)
        brackt, stage = False, 1
        width = self.alpha_max
        width1 = 2.0 * width
        stmin, stmax, amax = 0.0, stp + _XTRAPU * stp, self.alpha_max
        while run.evals < self.max_evals:
            f, d = phi_dphi(stp)
            run.evals += 1
            if not (math.isfinite(f) and math.isfinite(d)):
                amax = stp  # too far: never go this far again
                stp = x.a + 0.5 * (stp - x.a)
                stmax = min(stmax, amax)
                continue
            run.any_finite = True
            if f < run.best[1]:
                run.best = (stp, f, d)
            ftest = phi0 + stp * gtest + slack
            if stage == 1 and f <= ftest and d >= 0:
                stage = 2
            if f <= ftest and abs(d) <= -self.c2 * dphi0:
                return self._result(run, stp, f, d, Status.SUCCESS)
            if brackt and (stp <= stmin or stp >= stmax or stmax - stmin <= xtol * stmax):
                return self._result(run, stp, f, d, Status.STALLED)
            if stp >= amax and f <= ftest and d <= gtest:
                return self._result(run, stp, f, d, Status.MAX_FEV)
            p = _End(stp, f, d)
            if stage == 1 and f <= x.f and f > ftest:
                g = gtest
                xm, ym, pm = (_End(e.a, e.f - e.a * g, e.d - g) for e in (x, y, p))
                brackt, new = _step(xm, ym, pm, brackt, stmin, stmax)
                x = _End(xm.a, xm.f + xm.a * g, xm.d + g)
                y = _End(ym.a, ym.f + ym.a * g, ym.d + g)
            else:
                brackt, new = _step(x, y, p, brackt, stmin, stmax)
            if brackt:
                if abs(y.a - x.a) >= 0.66 * width1:
                    new = x.a + 0.5 * (y.a - x.a)
                width1, width = width, abs(y.a - x.a)
                stmin, stmax = min(x.a, y.a), max(x.a, y.a)
            else:
                stmin = new + _XTRAPL * (new - x.a)
                stmax = new + _XTRAPU * (new - x.a)
            stp = min(max(new, 0.0), amax)
            if brackt and (stp <= stmin or stp >= stmax or stmax - stmin <= xtol * stmax):
                stp = x.a
        return self._result(run, 0.0, phi0, dphi0, Status.MAX_FEV)


def more_thuente(
    phi_dphi: PhiDphi, phi0: float, dphi0: float, *, alpha0: float = 1.0, c1: float = 1e-3,
    c2: float = 0.9, xtol: float = 0.1, max_evals: int = 20, alpha_max: float = 1e10,
) -> LineSearchResult:
    r"""Moré-Thuente search for a strong Wolfe step on ``phi_dphi(alpha) -> (phi, phi')``.

    Args:
        phi_dphi: value and slope of :math:`\varphi` at a step.
        phi0, dphi0: :math:`\varphi(0)`, :math:`\varphi'(0) < 0`.
        alpha0: first trial. c1, c2: Wolfe constants (defaults are L-BFGS-B's 1e-3, 0.9).
        xtol: relative width of the interval below which the search stops
            (:class:`MoreThuente`'s ``interval_tol``).
        max_evals: evaluation budget (L-BFGS-B: 20). alpha_max: largest step.

    Returns:
        :class:`~steepest.unconstrained.linesearch.base.LineSearchResult`; on success the step meets
        :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)` and
        :math:`|\varphi'(\alpha)| \le c_2|\varphi'(0)|`.

    Reference:
        J. J. Moré & D. J. Thuente, "Line search algorithms with guaranteed sufficient decrease",
        ACM TOMS 20 (1994); Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (eqs.
        4.48, 4.50).

    Example:
        >>> r = more_thuente(lambda a: ((a - 3.0) ** 2, 2 * (a - 3.0)), 9.0, -6.0, c2=0.1)
        >>> r.success, r.strong_curvature
        (True, True)
    """
    check_unit_interval(xtol, "xtol", fix="pass e.g. xtol=0.1")
    search = MoreThuente(c1, c2, xtol, max_evals, alpha_max)
    return search.run(phi_dphi, *scalar_start(phi0, dphi0, alpha0))


def _cubic_gamma(theta: float, d1: float, d2: float) -> float:
    s = max(abs(theta), abs(d1), abs(d2))
    if s == 0.0:
        return 0.0
    rad = (theta / s) ** 2 - (d1 / s) * (d2 / s)
    return s * math.sqrt(max(0.0, rad))


def _cubic_minimizer(p: _End, q: _End) -> float:
    """Minimizer of the cubic interpolating value and slope at ``p`` and ``q``, written from
    ``p`` (``dcstep`` cases 2 and 4, where it lies between the two points)."""
    theta = 3.0 * (q.f - p.f) / (p.a - q.a) + q.d + p.d
    gamma = _cubic_gamma(theta, q.d, p.d)
    if p.a > q.a:
        gamma = -gamma
    r = ((gamma - p.d) + theta) / (((gamma - p.d) + gamma) + q.d)
    return p.a + r * (q.a - p.a)


def _step(x: _End, y: _End, p: _End, brackt: bool, stpmin: float, stpmax: float):
    """One safeguarded trial step (``dcstep``); updates ``x``/``y`` in place.

    Returns ``(brackt, new_step)``.
    """
    sgnd = p.d * math.copysign(1.0, x.d)
    if p.f > x.f:  # case 1: higher value -- the minimiser is bracketed
        theta = 3.0 * (x.f - p.f) / (p.a - x.a) + x.d + p.d
        gamma = _cubic_gamma(theta, x.d, p.d)
        if p.a < x.a:
            gamma = -gamma
        r = ((gamma - x.d) + theta) / (((gamma - x.d) + gamma) + p.d)
        stpc = x.a + r * (p.a - x.a)
        stpq = x.a + ((x.d / ((x.f - p.f) / (p.a - x.a) + x.d)) / 2.0) * (p.a - x.a)
        new = stpc if abs(stpc - x.a) < abs(stpq - x.a) else stpc + (stpq - stpc) / 2.0
        brackt = True
    elif sgnd < 0:  # case 2: slopes of opposite sign -- bracketed
        stpc = _cubic_minimizer(p, x)
        stpq = p.a + (p.d / (p.d - x.d)) * (x.a - p.a)
        new = stpc if abs(stpc - p.a) > abs(stpq - p.a) else stpq
        brackt = True
    elif abs(p.d) < abs(x.d):  # case 3: slope decreases in magnitude
        new = _case3(x, y, p, brackt, stpmin, stpmax)
    else:  # case 4: slope does not decrease
        if brackt:
            new = _cubic_minimizer(p, y)
        else:
            new = stpmax if p.a > x.a else stpmin
    if p.f > x.f:
        y.a, y.f, y.d = p.a, p.f, p.d
    else:
        if sgnd < 0:
            y.a, y.f, y.d = x.a, x.f, x.d
        x.a, x.f, x.d = p.a, p.f, p.d
    return brackt, new


def _case3(x: _End, y: _End, p: _End, brackt: bool, stpmin: float, stpmax: float) -> float:
    theta = 3.0 * (x.f - p.f) / (p.a - x.a) + x.d + p.d
    gamma = _cubic_gamma(theta, x.d, p.d)
    if p.a > x.a:
        gamma = -gamma
    r = ((gamma - p.d) + theta) / ((gamma + (x.d - p.d)) + gamma)
    if r < 0 and gamma != 0:
        stpc = p.a + r * (x.a - p.a)
    else:
        stpc = stpmax if p.a > x.a else stpmin
    stpq = p.a + (p.d / (p.d - x.d)) * (x.a - p.a)
    if brackt:
        new = stpc if abs(stpc - p.a) < abs(stpq - p.a) else stpq
        if p.a > x.a:
            return min(p.a + 0.66 * (y.a - p.a), new)
        return max(p.a + 0.66 * (y.a - p.a), new)
    new = stpc if abs(stpc - p.a) > abs(stpq - p.a) else stpq
    return min(stpmax, max(stpmin, new))
