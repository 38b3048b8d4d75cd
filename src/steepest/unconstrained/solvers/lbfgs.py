r"""L-BFGS: the BFGS inverse Hessian rebuilt from the last m pairs, never formed.

Liquet et al. §4.6 eqs. (4.68)-(4.69) with their initial scaling
:math:`H_{\text{init}}^{(t)} = \gamma_t I`, :math:`\gamma_t = \frac{s_{t-1}^\top y_{t-1}}
{y_{t-1}^\top y_{t-1}}`; Nocedal & Wright Algorithm 7.4 (two-loop recursion) and eq. (7.24)
(compact form, Byrd, Nocedal & Schnabel 1994).

:func:`two_loop_direction` is the textbook recursion, one pair at a time. The solver uses the
equivalent compact form, which needs only matrix-vector products with the stored
:math:`S = [s_i]`, :math:`Y = [y_i]` (BLAS ``gemv``, memory-bound), plus small m x m algebra:

.. math::
    H g = \gamma g + S u + \gamma Y w,\quad w = -R^{-1} S^\top g,\quad
    u = R^{-\top}\big((D + \gamma Y^\top Y) R^{-1} S^\top g - \gamma Y^\top g\big),

with :math:`R_{ij} = s_i^\top y_j` (:math:`i \le j`) and :math:`D = \operatorname{diag}(s_i^\top
y_i)`. The products :math:`S^\top g_{t+1}, Y^\top g_{t+1}` computed after a step serve both the
new rows of :math:`R, Y^\top Y` (as differences :math:`S^\top g_{t+1} - S^\top g_t`) and the
next direction, so an iteration reads the stored pairs twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.linalg import blas
from scipy.sparse.linalg import LinearOperator

from ..._validate import check_finite_array
from ..solver import LineSearchSolver, LineSearchState

__all__ = ["LBFGS", "LBFGSState", "InverseHessianOperator", "two_loop_direction"]


class InverseHessianOperator(LinearOperator):
    r"""A symmetric :math:`n \times n` inverse-Hessian approximation known by its products
    (scipy's ``LbfgsInvHessProduct`` interface: ``@``, ``matvec``, ``todense()``).

    Args:
        n: the dimension. matvec: ``v -> H v`` for a flat ``v``.

    Example:
        >>> import numpy as np
        >>> H = InverseHessianOperator(2, lambda v: np.array([2.0, 3.0]) * v)
        >>> H.todense().tolist(), (H @ np.ones(2)).tolist()
        ([[2.0, 0.0], [0.0, 3.0]], [2.0, 3.0])
    """

    def __init__(self, n: int, matvec: Any) -> None:
        super().__init__(dtype=np.dtype(float), shape=(n, n))
        self._product = matvec

    def _matvec(self, v: np.ndarray) -> np.ndarray:
        return self._product(np.asarray(v, dtype=float).reshape(-1))

    def _rmatvec(self, v: np.ndarray) -> np.ndarray:
        return self._matvec(v)

    def todense(self) -> np.ndarray:
        """The dense matrix (n products with the unit vectors)."""
        n = self.shape[0]
        return np.column_stack([self._matvec(e) for e in np.eye(n)])


def two_loop_direction(S: np.ndarray, Y: np.ndarray, g: np.ndarray,
                       gamma: float | None = None) -> np.ndarray:
    r"""The L-BFGS direction :math:`-H g` by the two-loop recursion (rows oldest first).

    Args:
        S, Y: arrays of shape (k, n) with the pairs :math:`s_i, y_i`, oldest first.
        g: gradient. gamma: initial scaling (default :math:`s_{k}^\top y_k / y_k^\top y_k`).

    Returns:
        The direction :math:`-\tilde B_t g` (shape of ``g``), with :math:`\tilde B_t` the
        L-BFGS inverse-Hessian approximation built from the stored pairs.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6 "The BFGS and L-BFGS
        Update Rules" (eqs. 4.66-4.69); Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
        Algorithm 7.4.

    Example:
        >>> import numpy as np
        >>> A = np.diag([1.0, 10.0]); S = np.eye(2); Y = S @ A
        >>> np.allclose(two_loop_direction(S, Y, np.array([1.0, 1.0])), [-1.0, -0.1])
        True
    """
    q = np.array(g, dtype=float, copy=True)
    S = check_finite_array(S, "S", shape=(None, q.size))
    Y = check_finite_array(Y, "Y", shape=S.shape)
    k = S.shape[0]
    if k == 0:
        return -q
    rho = 1.0 / np.einsum("ij,ij->i", S, Y)
    if gamma is None:
        gamma = float(S[-1] @ Y[-1]) / float(Y[-1] @ Y[-1])
    a = np.empty(k)
    for i in range(k - 1, -1, -1):
        a[i] = rho[i] * (S[i] @ q)
        q -= a[i] * Y[i]
    q *= gamma
    for i in range(k):
        b = rho[i] * (Y[i] @ q)
        q += (a[i] - b) * S[i]
    return -q


@dataclass(frozen=True)
class _Products:
    """``S g``, ``Y g`` for the gradient ``g`` they were computed from (and ``Y p`` for the
    direction built from it), reused by the next update."""

    g: np.ndarray
    Sg: np.ndarray
    Yg: np.ndarray
    Yp: np.ndarray | None = None


@dataclass
class _Memory:
    """Ring buffer of pairs (rows of S, Y) with their small Gram matrices and cached products."""

    S: np.ndarray
    Y: np.ndarray
    SY: np.ndarray  # SY[i, j] = s_i . y_j (slot indices)
    YY: np.ndarray  # YY[i, j] = y_i . y_j
    count: int = 0
    head: int = 0  # slot of the next write
    gamma: float = 1.0
    cache: _Products | None = None

    @property
    def m(self) -> int:
        return self.S.shape[0]

    def order(self) -> np.ndarray:
        """Filled slots, oldest first."""
        if self.count < self.m:
            return np.arange(self.count)
        return (self.head + np.arange(self.m)) % self.m

    def products(self, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``(S g, Y g)`` over the filled slots, reusing the cache when ``g`` is the same array."""
        c = self.cache
        if c is not None and c.g is g:
            return c.Sg, c.Yg
        k = self.count
        return self.S[:k] @ g, self.Y[:k] @ g


def _apply_inverse_hessian(
    mem: _Memory, v: np.ndarray, Sv: np.ndarray, Yv: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(H v, u, w)`` by the compact form, given ``S v`` and ``Y v`` over the filled slots."""
    k, gam = mem.count, mem.gamma
    o = mem.order()
    R = np.triu(mem.SY[o][:, o])
    YYo = mem.YY[o][:, o]
    # BLAS triangular solves: m x m, so call overhead matters more than flops
    t = blas.dtrsv(R, Sv[o], lower=0)
    u_o = blas.dtrsv(R, np.diag(R) * t + gam * (YYo @ t) - gam * Yv[o], lower=0, trans=1)
    u, w = np.empty(k), np.empty(k)
    u[o], w[o] = u_o, -t
    Hv = mem.S[:k].T @ u  # S[:k].T is Fortran-ordered: BLAS gemv without copies
    Hv = blas.dgemv(gam, mem.Y[:k].T, w, beta=1.0, y=Hv, overwrite_y=1)
    Hv = blas.daxpy(v, Hv, a=gam)
    return Hv, u, w


@dataclass(kw_only=True)
class LBFGSState(LineSearchState):
    """L-BFGS's memory: the last ``m`` pairs and their small Gram matrices.

    Example:
        >>> import numpy as np
        >>> st = LBFGS(m=3).init(None, np.zeros(5), 0.0, np.zeros(5))
        >>> st.mem.S.shape, st.mem.count
        ((3, 5), 0)
    """

    mem: _Memory


class LBFGS(LineSearchSolver):
    r"""Limited-memory BFGS with memory ``m`` (default 10), compact-form directions.

    Defaults as scipy's L-BFGS-B: Moré-Thuente line search (c1=1e-3, c2=0.9, relative interval
    tolerance 0.1),
    gtol=1e-5 (max-norm) and ftol=2.2e-9 (relative improvement). Per iteration
    :math:`O(mn)` work in four matrix-vector products, no Python loop over pairs or entries.

    Args:
        line_search: a line-search name or object (default Moré-Thuente).
        m: number of stored pairs (s_i, y_i).
        **ls: options of the line search.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6 "The BFGS and L-BFGS Update
        Rules" (eqs. 4.68-4.69); Nocedal & Wright, *Numerical Optimization*, 2nd ed., §7.2; Byrd,
        Nocedal & Schnabel, "Representations of quasi-Newton matrices", Math. Prog. 63 (1994)
        (compact form).

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> from steepest.problems import rosenbrock
        >>> p = rosenbrock()
        >>> res = minimize(p.fun, p.x0, method=LBFGS(m=10), jac=p.grad)
        >>> res.success, np.round(res.x, 4).tolist()
        (True, [1.0, 1.0])
    """

    name = "lbfgs"
    default_line_search = "more-thuente"
    line_search_options = {"c1": 1e-3, "c2": 0.9, "interval_tol": 0.1}
    termination_defaults = {"gtol": 1e-5, "ftol": 2.2e-9}

    def __init__(self, line_search: Any = None, m: int = 10, **ls: Any) -> None:
        super().__init__(line_search, **ls)
        if not (isinstance(m, int | np.integer) and m >= 1):
            raise ValueError(f"memory m must be a positive integer, got {m!r}")
        self.m = int(m)

    def init(self, obj, x, f, g) -> LBFGSState:
        m, n = self.m, x.size
        return LBFGSState(mem=_Memory(np.zeros((m, n)), np.zeros((m, n)), np.zeros((m, m)),
                                      np.zeros((m, m))))

    def direction(self, obj, state: LBFGSState, x, g) -> np.ndarray:
        mem = state.mem
        if mem.count == 0:
            mem.cache = None
            return -g
        Sg, Yg = mem.products(g)
        p, u, w = _apply_inverse_hessian(mem, g, Sg, Yg)
        np.negative(p, out=p)
        # y_j . p for the next update, from small matrices only
        k, gam = mem.count, mem.gamma
        Yp = -(gam * Yg + mem.SY[:k, :k].T @ u + gam * (mem.YY[:k, :k] @ w))
        mem.cache = _Products(g, Sg, Yg, Yp)
        return p

    def result_fields(self, state: LBFGSState, obj) -> dict[str, Any]:
        """``hess_inv`` as a :class:`scipy.sparse.linalg.LinearOperator` (like L-BFGS-B's)."""
        mem = state.mem
        n = mem.S.shape[1]

        def matvec(v: np.ndarray) -> np.ndarray:
            v = np.asarray(v, dtype=float).reshape(-1)
            if mem.count == 0:
                return v.copy()
            k = mem.count
            return _apply_inverse_hessian(mem, v, mem.S[:k] @ v, mem.Y[:k] @ v)[0]

        return {"hess_inv": InverseHessianOperator(n, matvec)}

    def update(self, state: LBFGSState, s, y, g_new, p) -> None:
        mem = state.mem
        sy, yy = float(s @ y), float(y @ y)
        if not sy > np.finfo(float).eps * yy:  # L-BFGS-B's test: skip near-zero curvature
            mem.cache = None
            return
        k, i, alpha = mem.count, mem.head, state.alpha_prev
        Sg_new, Yg_new = (mem.S[:k] @ g_new, mem.Y[:k] @ g_new) if k else (np.zeros(0),) * 2
        if k:
            c = mem.cache
            Sg_old, Yg_old, Yp = c.Sg, c.Yg, c.Yp
            mem.SY[:k, i] = Sg_new - Sg_old  # s_j . y_new
            mem.SY[i, :k] = alpha * Yp  # s_new . y_j
            mem.YY[:k, i] = mem.YY[i, :k] = Yg_new - Yg_old
        mem.S[i], mem.Y[i] = s, y
        mem.SY[i, i], mem.YY[i, i] = sy, yy
        mem.gamma = sy / yy
        mem.head = (i + 1) % mem.m
        mem.count = min(k + 1, mem.m)
        Sg, Yg = np.empty(mem.count), np.empty(mem.count)
        Sg[:k], Yg[:k] = Sg_new, Yg_new
        Sg[i], Yg[i] = float(s @ g_new), float(y @ g_new)
        mem.cache = _Products(g_new, Sg, Yg)

    def reset(self, state: LBFGSState) -> None:
        mem = state.mem
        mem.count, mem.head, mem.gamma, mem.cache = 0, 0, 1.0, None
