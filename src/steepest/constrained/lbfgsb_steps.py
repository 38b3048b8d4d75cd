r"""The two model steps of L-BFGS-B: the generalized Cauchy point and the subspace step.

The Cauchy point is the first local minimiser of the quadratic model along the projected
steepest-descent path :math:`P(x - t g)`, a piecewise quadratic in :math:`t` with breakpoints
where a variable reaches a bound (BLNZ Algorithm CP, processed a block of breakpoints at a
time by cumulative sums). The subspace step minimises the model over the variables free at
the Cauchy point by Sherman-Morrison-Woodbury, then projects (Morales & Nocedal) or truncates.

Reference:
    Byrd, Lu, Nocedal & Zhu, SIAM J. Sci. Comput. 16 (1995), §4-5; Morales & Nocedal,
    "Remark on Algorithm 778", ACM TOMS 38 (2011).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .lbfgsb_compact import EPS, _Compact

__all__ = ["cauchy_point", "subspace_point", "max_step"]


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
    remaining = np.flatnonzero((t > 0) & (t < np.inf))
    told, block = 0.0, 32
    xc = x.copy()
    while remaining.size:
        b, remaining = _next_block(t, remaining, block)
        bb = np.where(d[b] > 0, upper[b], lower[b])
        dt = np.diff(np.concatenate([[told], t[b]]))
        F1, F2, P, C = _block_slopes(compact, theta, g[b], bb - x[b], dt, b, f1, f2, p, c)
        F1prev, F2prev = np.concatenate([[f1], F1[:-1]]), np.concatenate([[f2], F2[:-1]])
        go = -F1prev / F2prev >= dt
        j = int(np.argmin(go)) if not go.all() else b.size  # breakpoints passed in the block
        if j:
            xc[b[:j]], d[b[:j]], fixed[b[:j]] = bb[:j], 0.0, True
            f1, f2, told = float(F1[j - 1]), float(F2[j - 1]), float(t[b[j - 1]])
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


def _block_slopes(compact, theta, gb, zb, dt, b, f1, f2, p, c):
    r"""The model's slope :math:`f'` and curvature :math:`f''` after each breakpoint of a
    block (cumulative sums of BLNZ's updates), with :math:`p = W^\top d` and
    :math:`c = W^\top (x(t) - x)` after each (``None`` when :math:`B = \theta I`).

    :math:`f''` is floored at :math:`\epsilon f''_0` (a model that loses all curvature
    stops at the next breakpoint instead of running to infinity).
    """
    f2_floor = EPS * f2
    if compact is None or compact.k == 0:
        F2 = np.maximum(f2 - theta * np.cumsum(gb ** 2), f2_floor)
        F2prev = np.concatenate([[f2], F2[:-1]])
        return f1 + np.cumsum(dt * F2prev + gb ** 2 + theta * gb * zb), F2, None, None
    Wb = compact.rows(b)
    MWb = compact.M(Wb)
    P = p[:, None] + np.cumsum(Wb * gb, axis=1)
    Pprev = np.concatenate([p[:, None], P[:, :-1]], axis=1)
    C = c[:, None] + np.cumsum(dt * Pprev, axis=1)
    d2 = -theta * gb ** 2 - 2 * gb * np.einsum("ij,ij->j", MWb, Pprev) \
        - gb ** 2 * np.einsum("ij,ij->j", MWb, Wb)
    F2 = np.maximum(f2 + np.cumsum(d2), f2_floor)
    F2prev = np.concatenate([[f2], F2[:-1]])
    d1 = dt * F2prev + gb ** 2 + theta * gb * zb - gb * np.einsum("ij,ij->j", MWb, C)
    return f1 + np.cumsum(d1), F2, P, C


def subspace_point(x, g, xc, c, fixed, lower, upper, cp: _Compact) -> np.ndarray:
    r"""Minimise the model over the free variables at :math:`x^c`; project (or truncate).

    :math:`r = Z^\top(g + \theta(x^c - x) - W M c)`, :math:`\hat B = \theta I - Z^\top W M
    W^\top Z`, :math:`d^u = -\hat B^{-1} r` by Sherman-Morrison-Woodbury:
    :math:`d^u = -r/\theta - Z^\top W (I - M W^\top Z Z^\top W/\theta)^{-1} M W^\top Z r/\theta^2`.
    """
    free = ~fixed
    if not free.any():
        return xc
    th = cp.pairs.theta
    r = g + th * (xc - x)
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
    if float((xbar - x) @ g) <= 0:  # subsm keeps the projected step unless dd_p > 0
        return xbar
    return _truncated(xc, du, lower, upper)


def _truncated(xc, du, lower, upper) -> np.ndarray:
    r""":math:`x^c + \alpha^* d^u` with the largest :math:`\alpha^* \le 1` inside the box
    (``du`` is zero on the fixed variables)."""
    alpha = min(1.0, max_step(xc, du, lower, upper))
    return np.clip(xc + alpha * du, lower, upper)


def max_step(x, d, lower, upper) -> float:
    """The largest :math:`\\alpha` with :math:`x + \\alpha d` in the box."""
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.where(d > 0, (upper - x) / d, np.where(d < 0, (lower - x) / d, np.inf))
    return float(max(np.min(room, initial=np.inf), 0.0))
