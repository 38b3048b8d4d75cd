r"""L-BFGS-B's step with no finite bound, in the arithmetic of scipy's ``lbfgsb.c``.

With every variable free, ``mainlb`` skips the Cauchy search once there is memory and takes
:math:`z = x - B^{-1} g` from ``formk`` and ``subsm``: the middle matrix

.. math::
    K = \begin{bmatrix} Y^\top Y/\theta + D & R^\top \\ R & 0 \end{bmatrix}
      = \begin{bmatrix} U_{11}^\top & 0 \\ X^\top & U_{22}^\top \end{bmatrix}
        \begin{bmatrix} U_{11} & X \\ 0 & U_{22} \end{bmatrix}\ \text{(signs aside)},

with :math:`R` the upper triangle of :math:`S^\top Y`, is factorised by two Cholesky
factorisations (:math:`U_{11}^\top U_{11} = Y^\top Y/\theta + D`, :math:`X = U_{11}^{-\top}
R^\top`, :math:`U_{22}^\top U_{22} = X^\top X`), and

.. math::
    v = [Y^\top r;\ \theta S^\top r],\quad v \leftarrow U^{-1} J U^{-\top} v,\quad
    z = x + \tfrac1\theta\big(r + Y v_1/\theta + S v_2\big),\qquad r = -g,

:math:`J = \operatorname{diag}(-I, I)`. The long inner products are summed in index order, as
the C loops sum them (``cumsum`` is a sequential sum), the small ones by the same BLAS and
LAPACK routines (``ddot``, ``dpotrf``, ``dtrtrs``), so the iterates equal scipy's to the last
bit and the evaluation counts are scipy's. This costs :math:`O(mn)` memory traffic a few times
over, so :class:`~.lbfgsb.LBFGSB` uses it up to :data:`EXACT_MAX_N` variables and plain
L-BFGS's two-loop arithmetic (the same :math:`B`, other rounding) above.

Reference:
    Byrd, Lu, Nocedal & Zhu, SIAM J. Sci. Comput. 16 (1995), §5 (the direct primal method);
    Zhu, Byrd, Lu & Nocedal, "Algorithm 778", ACM TOMS 23 (1997), subroutines ``formk`` and
    ``subsm``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import blas, lapack

__all__ = ["EXACT_MAX_N", "SequentialGram", "sequential_dots", "free_step"]

#: largest n for which the no-bound step follows scipy's arithmetic exactly
EXACT_MAX_N = 20_000


def sequential_dots(A: np.ndarray, v: np.ndarray) -> np.ndarray:
    r""":math:`a_i^\top v` for each row of ``A``, summed in index order (a C ``for`` loop).

    Args:
        A: a ``(k, n)`` block of rows. v: an ``n``-vector.

    Returns:
        The ``k`` inner products, each rounded as :math:`((a_1 v_1 + a_2 v_2) + \dots)`.

    Example:
        >>> import numpy as np
        >>> a = np.array([[1e16, 1.0, -1e16, 1.0]])  # 1e16 + 1 rounds to 1e16 first
        >>> float(sequential_dots(a, np.ones(4))[0])
        1.0
        >>> float(sequential_dots(np.array([[1.0, 2.0, 3.0]]), np.ones(3))[0])
        6.0
    """
    if A.shape[0] == 0:
        return np.zeros(0)
    return np.cumsum(A.T * v[:, None], axis=0)[-1]


@dataclass
class SequentialGram:
    """``y_i·y_j`` and ``s_i·y_j`` (:math:`i \\le j`) by slot, each summed in index order
    when the newer pair arrives (``formk``'s ``wn1`` with every variable free)."""

    YY: np.ndarray
    SY: np.ndarray

    @classmethod
    def empty(cls, m: int) -> SequentialGram:
        """Room for ``m`` pairs."""
        return cls(np.zeros((m, m)), np.zeros((m, m)))

    def add(self, S: np.ndarray, Y: np.ndarray, order: np.ndarray, slot: int) -> None:
        """The new pair is in ``slot`` (``order``: the filled slots, oldest first)."""
        yy = sequential_dots(Y[order], Y[slot])
        self.YY[order, slot] = self.YY[slot, order] = yy
        self.SY[order, slot] = sequential_dots(S[order], Y[slot])


def _middle_factor(gram: SequentialGram, o: np.ndarray, sy_diag: np.ndarray,
                   theta: float) -> np.ndarray | None:
    """The upper triangular ``2k x 2k`` factor ``[[U11, X], [0, U22]]`` (``formk``), or
    ``None`` when a Cholesky factorisation fails (then scipy drops the memory)."""
    k = o.size
    ix = np.ix_(o, o)
    a11 = np.triu(gram.YY[ix]) / theta
    a11[np.diag_indices(k)] += sy_diag
    u11, info = lapack.dpotrf(a11, lower=0, clean=1)
    if info != 0:
        return None
    x12, info = lapack.dtrtrs(u11, np.tril(gram.SY[ix].T), lower=0, trans=1)
    if info != 0:
        return None
    x12 = np.asfortranarray(x12)
    a22 = np.zeros((k, k), order="F")
    for i in range(k):
        for j in range(i, k):
            a22[i, j] = blas.ddot(x12[:, i], x12[:, j])
    u22, info = lapack.dpotrf(a22, lower=0, clean=1)
    if info != 0:
        return None
    wn = np.zeros((2 * k, 2 * k), order="F")
    wn[:k, :k], wn[:k, k:], wn[k:, k:] = u11, x12, u22
    return wn


def free_step(S: np.ndarray, Y: np.ndarray, o: np.ndarray, gram: SequentialGram,
              sy_diag: np.ndarray, theta: float, x: np.ndarray,
              g: np.ndarray) -> np.ndarray | None:
    r"""``subsm``'s point :math:`z = x - B^{-1} g` with every variable free.

    Args:
        S, Y: the pair buffers (rows by slot). o: the filled slots, oldest first.
        gram: their :class:`SequentialGram`. sy_diag: :math:`s_i^\top y_i` in the order
            ``o``. theta: :math:`\theta`. x, g: the point and its gradient.

    Returns:
        The point :math:`z`, or ``None`` when the middle matrix is not positive definite.

    Example:
        >>> import numpy as np
        >>> s, y = np.array([[1.0, 0.0]]), np.array([[2.0, 0.0]])  # curvature 2 along e1
        >>> gram = SequentialGram.empty(1); gram.add(s, y, np.arange(1), 0)
        >>> free_step(s, y, np.arange(1), gram, np.array([2.0]), 2.0, np.zeros(2),
        ...           np.array([4.0, 2.0])).tolist()
        [-2.0, -1.0]
    """
    wn = _middle_factor(gram, o, sy_diag, theta)
    if wn is None:
        return None
    k = o.size
    r = -g
    Yo, So = Y[o], S[o]
    wv = np.concatenate([sequential_dots(Yo, r), theta * sequential_dots(So, r)])
    wv, info = lapack.dtrtrs(wn, wv, lower=0, trans=1)
    if info != 0:
        return None
    wv[:k] = -wv[:k]
    wv, info = lapack.dtrtrs(wn, wv, lower=0, trans=0)
    if info != 0:
        return None
    d = r.copy()
    for j in range(k):
        d = d + Yo[j] * wv[j] / theta + So[j] * wv[k + j]
    d *= 1.0 / theta
    return x + d
