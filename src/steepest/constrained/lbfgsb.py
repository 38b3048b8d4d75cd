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

The stopping test is on the projected gradient :math:`\|P(x - g) - x\|_\infty` (scipy's
``pgtol``), reported to the driver through :meth:`LBFGSB.stationarity`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy.linalg import lu_factor, lu_solve

from ..unconstrained.linesearch.base import LineFunction
from ..unconstrained.linesearch.more_thuente_search import MoreThuente
from ..unconstrained.result import Status
from ..unconstrained.solver import Step
from ..unconstrained.solvers.lbfgs import InverseHessianOperator, two_loop_direction

__all__ = ["LBFGSB", "LBFGSBState", "cauchy_point", "projected_gradient_norm"]

_EPS = float(np.finfo(float).eps)


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


@dataclass
class _Pairs:
    """The last m pairs in slot order (ring buffer) with their Gram matrices ``s_i·y_j``,
    ``s_i·s_j``, ``y_i·y_j`` kept up to date in O(mn) per new pair."""

    S: np.ndarray
    Y: np.ndarray
    SY: np.ndarray
    SS: np.ndarray
    YY: np.ndarray
    count: int = 0
    head: int = 0
    theta: float = 1.0

    def order(self) -> np.ndarray:
        """Filled slots, oldest first."""
        m = self.S.shape[0]
        if self.count < m:
            return np.arange(self.count)
        return (self.head + np.arange(m)) % m

    def add(self, s: np.ndarray, y: np.ndarray) -> bool:
        """Store a pair unless its curvature ``s·y`` is not safely positive (then False)."""
        sy, yy = float(s @ y), float(y @ y)
        if not sy > _EPS * yy:
            return False
        m, k, i = self.S.shape[0], self.count, self.head
        if k:  # views, no copies: the overwritten slot's entries are replaced just below
            S, Y = self.S[:k], self.Y[:k]
            self.SY[:k, i], self.SY[i, :k] = S @ y, Y @ s
            self.SS[:k, i] = self.SS[i, :k] = S @ s
            self.YY[:k, i] = self.YY[i, :k] = Y @ y
        self.S[i], self.Y[i] = s, y
        self.SY[i, i], self.SS[i, i], self.YY[i, i] = sy, float(s @ s), yy
        self.theta = yy / sy
        self.head, self.count = (i + 1) % m, min(k + 1, m)
        return True

    def reset(self) -> None:
        self.count, self.head, self.theta = 0, 0, 1.0


@dataclass(frozen=True)
class _Compact:
    """:math:`W` and :math:`M` of one iteration (chronological order), with ``M`` factorised."""

    pairs: _Pairs
    o: np.ndarray
    lu: Any

    @classmethod
    def of(cls, pairs: _Pairs) -> _Compact | None:
        if pairs.count == 0:
            return None
        o, th = pairs.order(), pairs.theta
        SY = pairs.SY[np.ix_(o, o)]
        L = np.tril(SY, -1)
        K = np.block([[-np.diag(np.diag(SY)), L.T], [L, th * pairs.SS[np.ix_(o, o)]]])
        return cls(pairs, o, lu_factor(K))

    @property
    def k(self) -> int:
        return self.o.size

    def M(self, v: np.ndarray) -> np.ndarray:
        """:math:`M v` for a 2k-vector (or 2k x K block)."""
        return lu_solve(self.lu, v)

    def Wt(self, v: np.ndarray) -> np.ndarray:
        r""":math:`W^\top v` (chronological order)."""
        k = self.k
        S, Y = self.pairs.S[:k], self.pairs.Y[:k]
        return np.concatenate([(Y @ v)[self.o], self.pairs.theta * (S @ v)[self.o]])

    def W(self, a: np.ndarray) -> np.ndarray:
        r""":math:`W a` for a chronological 2k-vector ``a`` (all n variables)."""
        k = self.k
        a1, a2 = np.empty(k), np.empty(k)
        a1[self.o], a2[self.o] = a[:k], self.pairs.theta * a[k:]
        return self.pairs.Y[:k].T @ a1 + self.pairs.S[:k].T @ a2

    def rows(self, idx: np.ndarray) -> np.ndarray:
        """Rows ``idx`` of W as a 2k x len(idx) block."""
        k = self.k
        return np.vstack([self.pairs.Y[:k, idx][self.o],
                          self.pairs.theta * self.pairs.S[:k, idx][self.o]])

    def gram(self, free: np.ndarray | None) -> np.ndarray:
        r""":math:`W^\top Z Z^\top W` for the free variables (``None``: all of them): from
        the kept Gram matrices, less the fixed rows' part when fewer are fixed than free."""
        p, th = self.pairs, self.pairs.theta
        ix = np.ix_(self.o, self.o)
        full = np.block([[p.YY[ix], th * p.SY[ix].T], [th * p.SY[ix], th * th * p.SS[ix]]])
        if free is None:
            return full
        fixed = np.flatnonzero(~free)
        if fixed.size <= free.size - fixed.size:
            R = self.rows(fixed)
            return full - R @ R.T
        F = self.rows(np.flatnonzero(free))
        return F @ F.T


def _breakpoints(x, g, lower, upper) -> np.ndarray:
    """Where each variable reaches its bound along :math:`x - t g` (``inf``: never)."""
    t = np.full(x.shape, np.inf)
    with np.errstate(invalid="ignore"):
        np.divide(x - upper, g, out=t, where=(g < 0) & (upper < np.inf))
        np.divide(x - lower, g, out=t, where=(g > 0) & (lower > -np.inf))
    return t


def _next_block(t: np.ndarray, remaining: np.ndarray, size: int) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """The ``size`` smallest breakpoints among ``remaining``, sorted, and the rest (a
    partial sort: a Cauchy search usually stops within its first block)."""
    if remaining.size <= size:
        return remaining[np.argsort(t[remaining], kind="stable")], remaining[:0]
    part = np.argpartition(t[remaining], size)[:size]
    block = remaining[part]
    keep = np.ones(remaining.size, dtype=bool)
    keep[part] = False
    return block[np.argsort(t[block], kind="stable")], remaining[keep]


def cauchy_point(x: np.ndarray, g: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                 theta: float = 1.0, compact: Any = None) -> tuple[np.ndarray, np.ndarray,
                                                                   np.ndarray]:
    r"""The generalized Cauchy point: first minimiser of the model along :math:`P(x - t g)`.

    On the segment between breakpoints :math:`t_{j-1} \le t \le t_j` the model is the quadratic
    :math:`f' \Delta t + \tfrac12 f'' \Delta t^2` with :math:`f' = g^\top d + d^\top B z`,
    :math:`f'' = d^\top B d`, updated as each variable hits its bound (BLNZ Algorithm CP).
    The updates are linear recurrences, so a block of breakpoints is processed at once by
    cumulative sums.

    Args:
        x: the current point (in the box). g: its gradient. lower, upper: the bounds.
        theta: :math:`\theta` of :math:`B`. compact: the ``W, M`` of :math:`B` (``None``:
            :math:`B = \theta I`).

    Returns:
        ``(xc, c, fixed)``: the Cauchy point, :math:`c = W^\top (x^c - x)` and the mask of the
        variables held at a bound.

    Reference:
        Byrd, Lu, Nocedal & Zhu (1995), §4 and Algorithm CP.

    Example:
        >>> import numpy as np
        >>> xc, c, fixed = cauchy_point(np.array([0.5, 0.5]), np.array([1.0, -2.0]),
        ...                             np.zeros(2), np.ones(2))
        >>> xc.tolist(), fixed.tolist()  # B = I: the path P(x - g) meets both bounds
        ([0.0, 1.0], [True, True])
    """
    t = _breakpoints(x, g, lower, upper)
    d = np.where(t <= 0, 0.0, -g)
    fixed = (t <= 0) | (lower == upper)
    k = 0 if compact is None else compact.k
    p = compact.Wt(d) if k else np.zeros(0)
    c = np.zeros(2 * k)
    f1 = -float(d @ d)
    f2 = -theta * f1 - (float(p @ compact.M(p)) if k else 0.0)
    f2_floor = _EPS * f2
    remaining = np.flatnonzero((t > 0) & (t < np.inf))
    told, block = 0.0, 32
    xc = x.copy()
    while remaining.size:
        b, remaining = _next_block(t, remaining, block)
        tb = t[b]
        dt = np.diff(np.concatenate([[told], tb]))
        gb = g[b]
        bb = np.where(d[b] > 0, upper[b], lower[b])
        zb = bb - x[b]
        if k:
            Wb = compact.rows(b)
            MWb = compact.M(Wb)
            q = Wb * gb
            P = p[:, None] + np.cumsum(q, axis=1)
            Pprev = np.concatenate([p[:, None], P[:, :-1]], axis=1)
            C = c[:, None] + np.cumsum(dt * Pprev, axis=1)
            d2 = -theta * gb ** 2 - 2 * gb * np.einsum("ij,ij->j", MWb, Pprev) \
                - gb ** 2 * np.einsum("ij,ij->j", MWb, Wb)
            F2 = np.maximum(f2 + np.cumsum(d2), f2_floor)
            F2prev = np.concatenate([[f2], F2[:-1]])
            d1 = dt * F2prev + gb ** 2 + theta * gb * zb - gb * np.einsum("ij,ij->j", MWb, C)
        else:
            F2 = np.maximum(f2 - theta * np.cumsum(gb ** 2), f2_floor)
            F2prev = np.concatenate([[f2], F2[:-1]])
            d1 = dt * F2prev + gb ** 2 + theta * gb * zb
        F1 = f1 + np.cumsum(d1)
        F1prev = np.concatenate([[f1], F1[:-1]])
        go = -F1prev / F2prev >= dt
        j = int(np.argmin(go)) if not go.all() else b.size  # breakpoints passed in the block
        if j:
            xc[b[:j]] = bb[:j]
            d[b[:j]] = 0.0
            fixed[b[:j]] = True
            f1, f2, told = float(F1[j - 1]), float(F2[j - 1]), float(tb[j - 1])
            if k:
                p, c = P[:, j - 1].copy(), C[:, j - 1].copy()
        if j < b.size:
            break
        block = min(4 * block, 1 << 14)
    dtm = max(-f1 / f2, 0.0) if f2 > 0 else 0.0
    tfinal = told + dtm
    xc = np.where(fixed, xc, np.clip(x + tfinal * d, lower, upper))
    if k:
        c = c + dtm * p
    return xc, c, fixed


def _subspace_point(x, g, xc, c, fixed, lower, upper, cp: _Compact) -> np.ndarray:
    r"""Minimise the model over the free variables at :math:`x^c`; project (or truncate).

    :math:`r = Z^\top(g + \theta(x^c - x) - W M c)`, :math:`\hat B = \theta I - Z^\top W M
    W^\top Z`, :math:`d^u = -\hat B^{-1} r` by Sherman-Morrison-Woodbury:
    :math:`d^u = -r/\theta - Z^\top W (I - M W^\top Z Z^\top W/\theta)^{-1} M W^\top Z r/\theta^2`.
    """
    free = ~fixed
    if not free.any():
        return xc
    th = cp.pairs.theta
    r = g if xc is x else g + th * (xc - x)  # xc is x: no Cauchy step (unconstrained)
    if np.any(c):
        r = r - cp.W(cp.M(c))
    all_free = bool(free.all())
    if not all_free:
        r = np.where(free, r, 0.0)  # Z Zᵀ r: the free components only
    v = cp.M(cp.Wt(r))
    N = np.eye(2 * cp.k) - cp.M(cp.gram(None if all_free else free)) / th
    Wv = cp.W(np.linalg.solve(N, v))
    du = -r / th - (Wv if all_free else np.where(free, Wv, 0.0)) / th ** 2
    xbar = xc + du
    if np.isfinite(lower).any() or np.isfinite(upper).any():
        xbar = np.clip(xbar, lower, upper, out=xbar)
    if not all_free:
        xbar = np.where(free, xbar, xc)
    if float((xbar - x) @ g) < 0:
        return xbar
    return _truncated(xc, du, lower, upper)


def _truncated(xc, du, lower, upper) -> np.ndarray:
    r""":math:`x^c + \alpha^* d^u` with the largest :math:`\alpha^* \le 1` inside the box
    (``du`` is zero on the fixed variables)."""
    alpha = min(1.0, _max_step(xc, du, lower, upper))
    return np.clip(xc + alpha * du, lower, upper)


def _max_step(x, d, lower, upper) -> float:
    """The largest :math:`\\alpha` with :math:`x + \\alpha d` in the box."""
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(d > 0, (upper - x) / d, np.where(d < 0, (lower - x) / d, np.inf))
    return float(max(np.min(room, initial=np.inf), 0.0))


class _BoxLine(LineFunction):
    """:math:`\\varphi(\\alpha) = f(P(x + \\alpha d))`: the projection only absorbs rounding
    (the search never asks for a step beyond the box), so f is never evaluated outside it."""

    def __init__(self, obj, x, p, f0, g0, lower, upper) -> None:
        super().__init__(obj, x, p, f0, g0)
        self.lower, self.upper = lower, upper
        self.clip = bool(np.isfinite(lower).any() or np.isfinite(upper).any())

    def _at(self, alpha: float) -> np.ndarray:
        xa = self.x + alpha * self.p
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
    termination_defaults = {"gtol": 1e-5, "ftol": 2.2e-9}
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
        self.search = MoreThuente(c1=c1, c2=c2, interval_tol=0.1, max_evals=int(maxls))
        self.constrained = bool(np.isfinite(self.lower).any() or np.isfinite(self.upper).any())
        self.boxed = bool(np.isfinite(self.lower).all() and np.isfinite(self.upper).all())

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
        z = np.zeros
        return LBFGSBState(_Pairs(z((m, n)), z((m, n)), z((m, m)), z((m, m)), z((m, m))))

    def step(self, obj: Any, state: LBFGSBState, x: np.ndarray, f: float,
             g: np.ndarray) -> Step:
        """Cauchy point, subspace step, box-limited line search; a failure with memory
        restarts from ``B = I`` once (as L-BFGS-B)."""
        evals = 0
        for _ in range(2):
            d, line, res = self._try(obj, state, x, f, g)
            evals += line.evaluations if line is not None else 0
            if res is not None and res.step > 0 and np.isfinite(res.phi) and \
                    (res.success or res.phi < f):
                break
            if state.pairs.count == 0:
                status = Status.NON_FINITE if res is not None and \
                    res.status is Status.NON_FINITE else Status.LINE_SEARCH_FAILED
                why = "no descent direction" if res is None else res.message
                return Step(x, f, g, 0.0, 0.0, evals, status,
                            f"L-BFGS-B line search failed ({why}); returning the best point")
            state.pairs.reset()
        x_new, f_new, g_new = line.point(res.step)
        if res.step == 1.0:
            x_new = np.clip(x + d, self.lower, self.upper) if self.constrained else x + d
        state.pairs.add(x_new - x, g_new - g)
        state.iteration += 1
        return Step(x_new, f_new, g_new, res.step, float(np.linalg.norm(x_new - x)), evals)

    def _try(self, obj, state: LBFGSBState, x, f, g):
        pairs = state.pairs
        cp = _Compact.of(pairs)
        lo, hi = self.lower, self.upper
        if not self.constrained and cp is not None:
            xc, c, fixed = x, np.zeros(2 * cp.k), np.zeros(x.size, dtype=bool)
        else:
            xc, c, fixed = cauchy_point(x, g, lo, hi, pairs.theta, cp)
        xbar = xc if cp is None else _subspace_point(x, g, xc, c, fixed, lo, hi, cp)
        d = xbar - x
        gd = float(g @ d)
        if not (np.isfinite(gd) and gd < 0):
            return d, None, None
        if not self.constrained:
            stpmx = 1e10
        elif state.iteration == 0:
            stpmx = 1.0
        else:
            stpmx = min(max(_max_step(x, d, lo, hi), 1.0), 1e10)
        first = state.iteration == 0 and not self.boxed
        stp = min(1.0 / float(np.linalg.norm(d)), stpmx) if first else 1.0
        line = _BoxLine(obj, x, d, f, g, lo, hi)
        res = replace(self.search, alpha_max=stpmx).search(line, stp)
        return d, line, res

    def result_fields(self, state: LBFGSBState, obj: Any) -> dict[str, Any]:
        """``hess_inv``: the L-BFGS inverse-Hessian approximation as a linear operator."""
        pairs = state.pairs
        o = pairs.order()
        S, Y, gamma = pairs.S[o].copy(), pairs.Y[o].copy(), 1.0 / pairs.theta
        n = pairs.S.shape[1]

        def matvec(v: np.ndarray) -> np.ndarray:
            v = np.asarray(v, dtype=float).reshape(-1)
            return -two_loop_direction(S, Y, v, gamma) if o.size else v.copy()

        return {"hess_inv": InverseHessianOperator(n, matvec)}
