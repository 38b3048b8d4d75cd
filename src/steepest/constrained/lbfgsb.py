r"""L-BFGS-B: limited-memory BFGS on a box :math:`l \le x \le u` (bounds may be :math:`\pm\infty`).

Byrd, Lu, Nocedal & Zhu (1995), with the subspace step of Morales & Nocedal (2011). The model at
:math:`x_k` is :math:`m(x) = f_k + g_k^\top(x - x_k) + \tfrac12 (x - x_k)^\top B_k (x - x_k)` with
the compact L-BFGS matrix (Byrd, Nocedal & Schnabel 1994)

.. math::
    B = \theta I - W M W^\top,\quad W = [Y\ \ \theta S],\quad
    M = \begin{bmatrix} -D & L^\top \\ L & \theta S^\top S \end{bmatrix}^{-1},

:math:`D = \operatorname{diag}(s_i^\top y_i)`, :math:`L_{ij} = s_i^\top y_j` (:math:`i > j`),
:math:`\theta = y^\top y / s^\top y` of the newest pair. One iteration:

1. **generalized Cauchy point** :math:`x^c`: the first local minimiser of :math:`m` along the
   projected steepest-descent path :math:`P(x_k - t g_k)`, a piecewise quadratic in :math:`t`
   whose breakpoints are where a variable reaches a bound (:func:`cauchy_point`, vectorised
   over blocks of breakpoints);
2. **subspace minimisation** of :math:`m` over the variables free at :math:`x^c` (the others fixed
   at their bounds), by the Sherman-Morrison-Woodbury form of the reduced :math:`B`; the step
   is projected onto the box and, if that is not a descent direction, truncated instead
   (Morales & Nocedal's remark);
3. a **Moré-Thuente line search** along :math:`d = \bar x - x_k` limited to the largest step that
   stays in the box, so that :math:`f` is never evaluated outside it.

With no finite bound the Cauchy point is :math:`x` itself once there is memory (as in
scipy) and the subspace step is :math:`-B^{-1}g`. Up to :data:`~.lbfgsb_exact.EXACT_MAX_N`
variables it is formed in scipy's arithmetic (:mod:`.lbfgsb_exact`), so the iterates are
scipy's bit for bit; above, by plain L-BFGS's compact inverse from the same pairs
(:math:`H_0 = I/\theta`), which costs what :mod:`lbfgs` costs and keeps no Gram matrices of
:math:`B`. The model steps are in :mod:`.lbfgsb_steps`, the compact :math:`B` in
:mod:`.lbfgsb_compact`.

As scipy's ``mainlb``/``lnsrlb``: the search runs along :math:`d = z - x` and its unit step
is the model point :math:`z` itself; the first step is :math:`\min(1/\|d\|, \text{stpmx})`
(``dnrm2``) at the first iteration of a problem that is not boxed, 1 after; MINPACK's exact
sufficient-decrease test; a search that ends on one of ``dcsrch``'s warnings keeps its last
trial; a failed search drops the memory and retries, and without memory ends the run. The pair
is :math:`s = \alpha d`, :math:`y = g_+ - g`, with :math:`s^\top y = \alpha(g_+^\top d -
g^\top d)`, stored only if :math:`s^\top y > \epsilon\,(-\alpha g^\top d)`;
:math:`\theta = \|y\|^2/s^\top y`. The default ``ftol`` is scipy's ``factr·epsmch``.

The stopping test is on the projected gradient :math:`\|P(x - g) - x\|_\infty` (scipy's
``pgtol``), reported to the driver through :meth:`LBFGSB.stationarity`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy.linalg import blas

from ..unconstrained.linesearch.base import LineFunction
from ..unconstrained.linesearch.more_thuente_search import MoreThuente
from ..unconstrained.result import Status
from ..unconstrained.solver import Step
from ..unconstrained.solvers.lbfgs import (
    LBFGS,
    InverseHessianOperator,
    LBFGSState,
    two_loop_direction,
)
from .lbfgsb_compact import EPS, _Compact, _Pairs
from .lbfgsb_exact import EXACT_MAX_N, SequentialGram, free_step
from .lbfgsb_steps import cauchy_point, max_step, subspace_point

__all__ = ["LBFGSB", "LBFGSBState", "cauchy_point", "projected_gradient_norm"]

#: scipy's default ``ftol`` as ``mainlb`` applies it: ``factr * epsmch`` with
#: ``factr = ftol / eps`` (one rounding away from 2.2204460492503131e-09 itself)
SCIPY_FTOL = 2.2204460492503131e-09 / EPS * EPS


def projected_gradient_norm(x: np.ndarray, g: np.ndarray, lower: np.ndarray,
                            upper: np.ndarray) -> float:
    r""":math:`\|x - P(x - g)\|_\infty`, zero exactly at a KKT point of the box problem.

    Args:
        x: a point of the box. g: the gradient there. lower, upper: the bounds.

    Returns:
        The max-norm of the projected gradient (scipy's L-BFGS-B ``pgtol`` measure).

    Reference:
        Byrd, Lu, Nocedal & Zhu, "A limited memory algorithm for bound constrained
        optimization", SIAM J. Sci. Comput. 16 (1995), §6.

    Example:
        >>> import numpy as np
        >>> lo, hi = np.zeros(2), np.full(2, np.inf)
        >>> projected_gradient_norm(np.array([0.0, 1.0]), np.array([3.0, -0.5]), lo, hi)
        0.5
    """
    pg = x - np.clip(x - g, lower, upper)
    return float(np.max(np.abs(pg), initial=0.0))


class _BoxLine(LineFunction):
    """:math:`\\varphi(\\alpha) = f(P(x + \\alpha d))`: the projection only absorbs rounding
    (the search never asks for a step beyond the box), so f is never evaluated outside it.
    The unit step is the model's point ``z`` itself (``d = z - x``), as in ``lnsrlb``."""

    def __init__(self, obj, x, p, f0, g0, lower, upper, z=None) -> None:
        super().__init__(obj, x, p, f0, g0)
        self.lower, self.upper, self.z = lower, upper, z
        self.clip = bool(np.isfinite(lower).any() or np.isfinite(upper).any())

    def _at(self, alpha: float) -> np.ndarray:
        if alpha == 1.0 and self.z is not None:
            return self.z
        xa = alpha * self.p + self.x
        return np.clip(xa, self.lower, self.upper, out=xa) if self.clip else xa

    def phi_dphi(self, alpha: float) -> tuple[float, float]:
        self.evaluations += 1
        xa = self._at(alpha)
        f, g = self.obj.fg(xa)
        self._last = (alpha, xa, f, g)
        return f, (float(np.dot(g, self.p)) if np.isfinite(f) else np.nan)

    def phi(self, alpha: float) -> float:
        return self.phi_dphi(alpha)[0]

    def point(self, alpha: float) -> tuple[np.ndarray, float, np.ndarray]:
        if self._last is not None and self._last[0] == alpha:
            return self._last[1], self._last[2], self._last[3]
        xa = self._at(alpha)
        f, g = self.obj.fg(xa)
        return xa, f, g


@dataclass(frozen=True)
class _Trial:
    """One search's direction ``d = z - x`` with :math:`g^\\top d`, ``dnrm2(d)`` and its
    square (``lnsrlb``'s ``gdold``, ``dnorm``, ``dtd``)."""

    d: np.ndarray
    gd: float
    dnorm: float
    dtd: float


@dataclass
class LBFGSBState:
    """L-BFGS-B's memory: the stored pairs and the iteration count (the first step differs).

    Example:
        >>> import numpy as np
        >>> st = LBFGSB(np.zeros(3), np.ones(3), m=4).init(None, np.zeros(3), 0.0, np.zeros(3))
        >>> st.pairs.S.shape, st.iteration
        ((4, 3), 0)
    """

    pairs: _Pairs
    iteration: int = 0
    plain: LBFGSState | None = None
    gram: SequentialGram | None = None


class LBFGSB:
    r"""Bound-constrained L-BFGS (the L-BFGS-B algorithm) as a solver of the shared driver.

    Defaults are scipy's ``L-BFGS-B``: memory 10, Moré-Thuente with ``c1=1e-3``, ``c2=0.9``,
    interval tolerance 0.1 and at most ``maxls=20`` trials, ``gtol=1e-5`` on the projected
    gradient's max-norm, ``ftol=2.2e-9`` on the relative decrease.

    Args:
        lower, upper: the bounds (arrays of the size of x; ``-inf``/``inf`` for none,
            ``lower == upper`` fixes a variable).
        m: number of stored pairs (scipy's ``maxcor``).
        maxls: line-search trials per iteration.
        c1, c2: the Wolfe constants of the line search.

    Reference:
        R. H. Byrd, P. Lu, J. Nocedal & C. Zhu, "A limited memory algorithm for bound
        constrained optimization", SIAM J. Sci. Comput. 16 (1995); J. L. Morales & J. Nocedal,
        "Remark on Algorithm 778", ACM TOMS 38 (2011).

    Example:
        >>> import numpy as np
        >>> from steepest.unconstrained import minimize_unconstrained
        >>> f = lambda x: float(((x - 3.0) ** 2).sum())
        >>> solver = LBFGSB(np.zeros(2), np.array([1.0, 5.0]))
        >>> res = minimize_unconstrained(f, np.zeros(2), method=solver, jac=lambda x: 2 * (x - 3))
        >>> res.success, np.round(res.x, 6).tolist()
        (True, [1.0, 3.0])
    """

    name = "l-bfgs-b"
    termination_defaults = {"gtol": 1e-5, "ftol": SCIPY_FTOL}
    monotone = True

    def __init__(self, lower: Any, upper: Any, m: int = 10, maxls: int = 20, c1: float = 1e-3,
                 c2: float = 0.9) -> None:
        self.lower = np.array(lower, dtype=float).ravel()
        self.upper = np.array(upper, dtype=float).ravel()
        if self.lower.shape != self.upper.shape:
            raise ValueError("lower and upper bounds need the same size, got "
                             f"{self.lower.size} and {self.upper.size}")
        if np.any(self.lower > self.upper) or np.isnan(self.lower).any() \
                or np.isnan(self.upper).any():
            raise ValueError("bounds need lower <= upper everywhere (no NaN); swap the "
                             "offending pair")
        if not (isinstance(m, int | np.integer) and m >= 1):
            raise ValueError(f"memory m (maxcor) must be a positive integer, got {m!r}")
        self.m = int(m)
        self.search = MoreThuente(c1=c1, c2=c2, interval_tol=0.1, max_evals=int(maxls),
                                  armijo_slack=False)  # dcsrch's exact test
        self.constrained = bool(np.isfinite(self.lower).any() or np.isfinite(self.upper).any())
        self.boxed = bool(np.isfinite(self.lower).all() and np.isfinite(self.upper).all())
        # no finite bound: the subspace step is -B⁻¹g, which L-BFGS's compact inverse gives
        # from the same pairs (H₀ = I/θ) at the cost of plain L-BFGS, without Gram updates
        self.plain = None if self.constrained else LBFGS(m=self.m)

    def stationarity(self, x: np.ndarray, g: np.ndarray) -> np.ndarray:
        """The projected gradient :math:`x - P(x - g)`: the driver's stopping measure."""
        if not self.constrained:
            return g
        return x - np.clip(x - g, self.lower, self.upper)

    def init(self, obj: Any, x: np.ndarray, f: float, g: np.ndarray) -> LBFGSBState:
        """Empty memory for an ``n``-vector."""
        n, m = x.size, self.m
        if n != self.lower.size:
            raise ValueError(f"bounds have {self.lower.size} entries but x has {n}; pass one "
                             "(low, high) pair per variable")
        if self.plain is not None and n > EXACT_MAX_N:
            return LBFGSBState(_Pairs(*(np.zeros((0, 0)),) * 5),
                               plain=self.plain.init(obj, x, f, g))
        z = np.zeros
        return LBFGSBState(_Pairs(z((m, n)), z((m, n)), z((m, m)), z((m, m)), z((m, m))),
                           gram=SequentialGram.empty(m) if self.plain is not None else None)

    def _memory(self, state: LBFGSBState) -> int:
        return state.plain.mem.count if state.plain is not None else state.pairs.count

    def _reset(self, state: LBFGSBState) -> None:
        if state.plain is not None:
            self.plain.reset(state.plain)
        state.pairs.reset()

    def _remember(self, state: LBFGSBState, trial: _Trial, step: float, g, g_new) -> None:
        r"""Store the pair as ``mainlb`` does: :math:`s = \alpha d`, :math:`y = g_+ - g`,
        :math:`s^\top y = \alpha (g_+^\top d - g^\top d)`, skipped unless
        :math:`s^\top y > \epsilon\,(-\alpha g^\top d)`; :math:`\theta = \|y\|^2 / s^\top y`."""
        d, gdold = trial.d, trial.gd
        gd = float(g_new @ d)
        if step == 1.0:
            s, sy, ddum, ss = d, gd - gdold, -gdold, trial.dtd
        else:
            s, sy, ddum, ss = step * d, (gd - gdold) * step, -gdold * step, \
                step * step * trial.dtd
        if sy <= EPS * ddum:
            return
        y = g_new - g
        if state.plain is not None:
            state.plain.alpha_prev = step
            self.plain.update(state.plain, s, y, g_new, d)
            return
        pairs = state.pairs
        pairs.add(s, y, sy=sy, ss=ss, yy=blas.dnrm2(y) ** 2)
        if state.gram is not None:
            state.gram.add(pairs.S, pairs.Y, pairs.order(), (pairs.head - 1) % pairs.S.shape[0])

    def _accepted(self, line: _BoxLine | None, res: Any, stpmx: float):
        """The point the search ends at when ``dcsrch`` would report convergence or a warning
        (its last trial, as ``lnsrlb`` keeps it), else ``None`` (a failed search)."""
        if res is None or line is None or line._last is None:
            return None
        alpha, xa, fa, ga = line._last
        if not (np.isfinite(fa) and alpha > 0):
            return None
        if res.status is Status.SUCCESS or res.status is Status.STALLED:
            return alpha, xa, fa, ga
        gtest = self.search.c1 * line.dphi0
        if alpha == stpmx and fa <= line.phi0 + alpha * gtest and \
                float(ga @ line.p) <= gtest:  # dcsrch's "STP = STPMAX" warning
            return alpha, xa, fa, ga
        return None

    def step(self, obj: Any, state: LBFGSBState, x: np.ndarray, f: float,
             g: np.ndarray) -> Step:
        """Cauchy point, subspace step, box-limited line search; a failed search with memory
        restarts from ``B = I`` (as ``mainlb``), without memory it ends the run."""
        evals = 0
        while True:
            trial, line, res, stpmx = self._try(obj, state, x, f, g)
            evals += line.evaluations if line is not None else 0
            acc = self._accepted(line, res, stpmx)
            if acc is not None:
                break
            if self._memory(state) == 0:
                status = Status.NON_FINITE if res is not None and \
                    res.status is Status.NON_FINITE else Status.LINE_SEARCH_FAILED
                why = "no descent direction" if res is None else res.message
                return Step(x, f, g, 0.0, 0.0, evals, status,
                            f"L-BFGS-B line search failed ({why}); returning the best point")
            self._reset(state)
        step, x_new, f_new, g_new = acc
        self._remember(state, trial, step, g, g_new)
        state.iteration += 1
        return Step(x_new, f_new, g_new, step, step * trial.dnorm, evals)

    def _point(self, obj, state: LBFGSBState, x, g) -> np.ndarray:
        """The model's point ``z``: Cauchy point then subspace step; ``x - H g`` when no
        bound is finite (``x - g`` without memory, the Cauchy point of ``B = I``)."""
        if state.plain is not None:
            return x + self.plain.direction(obj, state.plain, x, g)
        pairs, lo, hi = state.pairs, self.lower, self.upper
        if state.gram is not None and pairs.count:  # mainlb: no Cauchy search then
            o = pairs.order()
            z = free_step(pairs.S, pairs.Y, o, state.gram, pairs.SY[o, o], pairs.theta, x, g)
            if z is not None:
                return z
            self._reset(state)  # formk's factorisation failed: scipy drops the memory
        cp = _Compact.of(pairs)
        xc, c, fixed = cauchy_point(x, g, lo, hi, pairs.theta, cp)
        return xc if cp is None else subspace_point(x, g, xc, c, fixed, lo, hi, cp)

    def _try(self, obj, state: LBFGSBState, x, f, g):
        """One projected search along ``d = z - x`` from ``lnsrlb``'s first step."""
        lo, hi = self.lower, self.upper
        z = self._point(obj, state, x, g)
        d = z - x
        gd = float(g @ d)
        dnorm = float(blas.dnrm2(d))
        trial = _Trial(d, gd, dnorm, dnorm * dnorm)
        if not (np.isfinite(gd) and gd < 0):
            return trial, None, None, 0.0
        if not self.constrained:
            stpmx = 1e10
        elif state.iteration == 0:
            stpmx = 1.0
        else:
            stpmx = min(max(max_step(x, d, lo, hi), 1.0), 1e10)
        first = state.iteration == 0 and not self.boxed
        stp = min(1.0 / dnorm, stpmx) if first else 1.0
        line = _BoxLine(obj, x, d, f, g, lo, hi, z)
        res = replace(self.search, alpha_max=stpmx).search(line, stp)
        return trial, line, res, stpmx

    def result_fields(self, state: LBFGSBState, obj: Any) -> dict[str, Any]:
        """``hess_inv``: the L-BFGS inverse-Hessian approximation as a linear operator."""
        if state.plain is not None:
            return self.plain.result_fields(state.plain, obj)
        pairs = state.pairs
        o = pairs.order()
        S, Y, gamma = pairs.S[o].copy(), pairs.Y[o].copy(), 1.0 / pairs.theta
        n = pairs.S.shape[1]

        def matvec(v: np.ndarray) -> np.ndarray:
            v = np.asarray(v, dtype=float).reshape(-1)
            return -two_loop_direction(S, Y, v, gamma) if o.size else v.copy()

        return {"hess_inv": InverseHessianOperator(n, matvec)}
