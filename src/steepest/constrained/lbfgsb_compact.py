r"""The compact L-BFGS matrix of L-BFGS-B: :math:`B = \theta I - W M W^\top`.

:math:`W = [Y\ \ \theta S]`, :math:`M = \begin{bmatrix} -D & L^\top \\ L & \theta S^\top S
\end{bmatrix}^{-1}` with :math:`D = \operatorname{diag}(s_i^\top y_i)`,
:math:`L_{ij} = s_i^\top y_j` (:math:`i > j`), :math:`\theta = y^\top y / s^\top y`. The pairs
live in a ring buffer whose Gram matrices are updated in O(mn) per pair.

Reference:
    Byrd, Nocedal & Schnabel, "Representations of quasi-Newton matrices and their use in
    limited memory methods", Math. Prog. 63 (1994); Byrd, Lu, Nocedal & Zhu (1995), §3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.linalg import lu_factor, lu_solve

EPS = float(np.finfo(float).eps)


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

    def add(self, s: np.ndarray, y: np.ndarray, sy: float | None = None,
            ss: float | None = None, yy: float | None = None) -> bool:
        """Store a pair unless its curvature ``s·y`` is not safely positive (then False);
        ``sy``, ``ss``, ``yy`` are the diagonal entries when the caller has them (L-BFGS-B
        forms ``s·y`` and ``s·s`` from the line search's slopes and step, as ``matupd``)."""
        sy = float(s @ y) if sy is None else sy
        yy = float(y @ y) if yy is None else float(yy)
        if not sy > EPS * yy and ss is None:
            return False
        m, k, i = self.S.shape[0], self.count, self.head
        if k:  # views, no copies: the overwritten slot's entries are replaced just below
            S, Y = self.S[:k], self.Y[:k]
            self.SY[:k, i], self.SY[i, :k] = S @ y, Y @ s
            self.SS[:k, i] = self.SS[i, :k] = S @ s
            self.YY[:k, i] = self.YY[i, :k] = Y @ y
        self.S[i], self.Y[i] = s, y
        self.SY[i, i], self.YY[i, i] = sy, yy
        self.SS[i, i] = float(s @ s) if ss is None else ss
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
