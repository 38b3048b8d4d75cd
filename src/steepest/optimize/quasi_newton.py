r"""Quasi-Newton solvers: BFGS with an inverse-Hessian update strategy, and L-BFGS.

Liquet et al. §4.6 (Algorithm 4.3, eqs. 4.59-4.69); Nocedal & Wright ch. 6-7.
With :math:`s_t = x_{t+1}-x_t`, :math:`y_t = g_{t+1}-g_t`, :math:`\rho_t = 1/(y_t^\top s_t)`,
the BFGS inverse update is

.. math:: H_{t+1} = (I-\rho_t s_t y_t^\top) H_t (I-\rho_t y_t s_t^\top) + \rho_t s_t s_t^\top,

and the direction is :math:`p_t = -H_t g_t`. L-BFGS applies the same update implicitly from
the last :math:`m` pairs (two-loop recursion) with the seed's initial scaling
:math:`H^{(t)}_{\text{init}} = \frac{s_{t-1}^\top y_{t-1}}{y_{t-1}^\top y_{t-1}} I`.
A pair with :math:`y^\top s \le 10^{-10}\|s\|\|y\|` is skipped, which keeps :math:`H` positive
definite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.linalg import blas

from .solver import LineSearchSolver, LineSearchState

__all__ = ["InverseBFGSUpdate", "InverseDFPUpdate", "BFGS", "LBFGS"]

_CURVATURE_EPS = 1e-10


def _curvature_ok(sy: float, s: np.ndarray, y: np.ndarray) -> bool:
    return bool(sy > _CURVATURE_EPS * np.linalg.norm(s) * np.linalg.norm(y))


class InverseBFGSUpdate:
    """The BFGS update of an inverse-Hessian approximation, as a strategy object.

    ``update(H, s, y)`` modifies ``H`` in place and returns whether it did (the pair is
    skipped when the curvature condition :math:`y^\\top s > 0` fails). With
    ``scale_initial=True`` :math:`H_0` is rescaled to :math:`(s^\\top y / y^\\top y) I` before
    the first update (Nocedal & Wright eq. 6.20); off by default, as in scipy's BFGS, which
    needs fewer evaluations on the classic test problems.
    """

    name = "bfgs"

    def __init__(self, scale_initial: bool = False) -> None:
        self.scale_initial = scale_initial

    def update(self, H: np.ndarray, s: np.ndarray, y: np.ndarray, first: bool) -> bool:
        sy = float(s @ y)
        if not _curvature_ok(sy, s, y):
            return False
        if first and self.scale_initial:
            H[...] = np.eye(H.shape[0]) * (sy / float(y @ y))
        self._apply(H, s, y, sy)
        return True

    @staticmethod
    def _apply(H: np.ndarray, s: np.ndarray, y: np.ndarray, sy: float) -> None:
        rho = 1.0 / sy
        Hy = H @ y
        yHy = float(y @ Hy)
        H -= rho * (np.outer(Hy, s) + np.outer(s, Hy))
        H += (rho * rho * yHy + rho) * np.outer(s, s)


class InverseDFPUpdate(InverseBFGSUpdate):
    r"""DFP update :math:`H_+ = H - \frac{Hyy^\top H}{y^\top H y} + \frac{ss^\top}{y^\top s}`."""

    name = "dfp"

    @staticmethod
    def _apply(H: np.ndarray, s: np.ndarray, y: np.ndarray, sy: float) -> None:
        Hy = H @ y
        H -= np.outer(Hy, Hy) / float(y @ Hy)
        H += np.outer(s, s) / sy


_UPDATES = {"bfgs": InverseBFGSUpdate, "dfp": InverseDFPUpdate}


class BFGS(LineSearchSolver):
    """BFGS: :math:`p = -H g` with ``H`` updated by a strategy (``update="bfgs"`` or ``"dfp"``).

    Defaults: strong Wolfe line search (c1=1e-4, c2=0.9), gtol=1e-5 (max-norm), as scipy.
    The result carries ``hess_inv``.
    """

    name = "bfgs"
    default_line_search = "strong_wolfe"
    line_search_options = {"c1": 1e-4, "c2": 0.9}
    termination_defaults = {"gtol": 1e-5}

    def __init__(self, line_search: Any = None, update: Any = "bfgs", **ls: Any) -> None:
        super().__init__(line_search, **ls)
        if isinstance(update, str):
            if update not in _UPDATES:
                raise ValueError(f"unknown update {update!r}; choose one of {sorted(_UPDATES)}")
            update = _UPDATES[update]()
        self.strategy = update

    def init(self, obj, x, f, g) -> LineSearchState:
        st = LineSearchState()
        st.extra["H"] = np.eye(x.size)
        st.extra["updated"] = False
        return st

    def direction(self, obj, state, x, g) -> np.ndarray:
        return -(state.extra["H"] @ g)

    def update(self, state, s, y, g_new, p) -> None:
        first = not state.extra["updated"]
        if self.strategy.update(state.extra["H"], s, y, first):
            state.extra["updated"] = True

    def reset(self, state) -> None:
        state.extra["H"] = np.eye(state.extra["H"].shape[0])
        state.extra["updated"] = False

    def result_fields(self, state, obj) -> dict[str, Any]:
        return {"hess_inv": state.extra["H"]}


@dataclass
class _History:
    """Ring buffer of the last m pairs (s_i, y_i), stored as rows."""

    S: np.ndarray
    Y: np.ndarray
    rho: np.ndarray
    count: int = 0
    head: int = 0  # slot of the next write
    gamma: float = 1.0

    def order_newest_first(self) -> list[int]:
        m = self.S.shape[0]
        return [(self.head - 1 - k) % m for k in range(self.count)]


class LBFGS(LineSearchSolver):
    r"""Limited-memory BFGS (two-loop recursion) with memory ``m`` (default 10).

    Defaults as scipy's L-BFGS-B: Moré-Thuente line search (c1=1e-3, c2=0.9, xtol=0.1),
    gtol=1e-5 (max-norm) and ftol=2.2e-9 (relative improvement). Per iteration O(mn) work in
    BLAS calls.
    """

    name = "lbfgs"
    default_line_search = "more-thuente"
    line_search_options = {"c1": 1e-3, "c2": 0.9, "xtol": 0.1}
    termination_defaults = {"gtol": 1e-5, "ftol": 2.2e-9}

    def __init__(self, line_search: Any = None, m: int = 10, **ls: Any) -> None:
        super().__init__(line_search, **ls)
        if not (isinstance(m, int | np.integer) and m >= 1):
            raise ValueError(f"memory m must be a positive integer, got {m!r}")
        self.m = int(m)

    def init(self, obj, x, f, g) -> LineSearchState:
        st = LineSearchState()
        m = min(self.m, max(1, x.size)) if x.size < self.m else self.m
        st.extra["hist"] = _History(np.empty((m, x.size)), np.empty((m, x.size)), np.zeros(m))
        return st

    def direction(self, obj, state, x, g) -> np.ndarray:
        h: _History = state.extra["hist"]
        q = np.array(g, dtype=float, copy=True)
        order = h.order_newest_first()
        a = np.empty(len(order))
        for k, i in enumerate(order):
            a[k] = h.rho[i] * blas.ddot(h.S[i], q)
            q = blas.daxpy(h.Y[i], q, a=-a[k])
        q *= h.gamma
        for k in range(len(order) - 1, -1, -1):
            i = order[k]
            b = h.rho[i] * blas.ddot(h.Y[i], q)
            q = blas.daxpy(h.S[i], q, a=a[k] - b)
        q *= -1.0
        return q

    def update(self, state, s, y, g_new, p) -> None:
        h: _History = state.extra["hist"]
        sy = float(blas.ddot(s, y))
        yy = float(blas.ddot(y, y))
        if not sy > _CURVATURE_EPS * np.sqrt(float(blas.ddot(s, s)) * yy):
            return
        i = h.head
        h.S[i] = s
        h.Y[i] = y
        h.rho[i] = 1.0 / sy
        h.gamma = sy / yy
        h.head = (h.head + 1) % h.S.shape[0]
        h.count = min(h.count + 1, h.S.shape[0])

    def reset(self, state) -> None:
        h: _History = state.extra["hist"]
        h.count, h.head, h.gamma = 0, 0, 1.0
