"""Moré–Garbow–Hillstrom problems 32–34: linear least squares ``min ||A x - b||²``.

Full rank, rank 1, and rank 1 with a zero first and last column and row.

Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh.factory` for conventions and the reference.
"""

from __future__ import annotations

import numpy as np

from ..base import Array, Problem, VectorFn
from .factory import check_m, check_n, mgh_lsq

__all__ = ["mgh32", "mgh33", "mgh34"]


# 32–34. Linear functions --------------------------------------------------------------------
def _linear(A: Array) -> tuple[VectorFn, VectorFn]:
    def r(x: Array) -> Array:
        return A @ x - 1.0

    def J(x: Array) -> Array:
        return A.copy()

    return r, J


def mgh32(n: int = 10, m: int = 20) -> Problem:
    """MGH 32, linear function of full rank (m >= n); f* = m - n at (-1, ..., -1)."""
    n = check_n(n, 1, "linear full rank")
    m = check_m(n, m, "linear full rank")
    A = np.vstack([np.eye(n), np.zeros((m - n, n))]) - 2.0 / m
    # r_i = x_i - (2/m) sum_j x_j - 1 (i <= n), -(2/m) sum_j x_j - 1 (i > n)
    r, J = _linear(A)
    return mgh_lsq(32, "linear_full_rank", np.ones(n), r, J, f_star=float(m - n),
                   x_star=-np.ones(n), title="Linear function - full rank")  # fmt: skip


def mgh33(n: int = 10, m: int = 20) -> Problem:
    """MGH 33, linear function of rank 1 (m >= n); f* = m(m-1) / (2(2m+1)).

    Minimal wherever ``sum_j j x_j = 3 / (2m + 1)``; ``x_star`` is the point of that set
    with only ``x_1`` nonzero.
    """
    n = check_n(n, 1, "linear rank 1")
    m = check_m(n, m, "linear rank 1")
    A = np.outer(np.arange(1.0, m + 1.0), np.arange(1.0, n + 1.0))
    r, J = _linear(A)
    x_star = np.zeros(n)
    x_star[0] = 3.0 / (2.0 * m + 1.0)
    return mgh_lsq(33, "linear_rank1", np.ones(n), r, J,
                   f_star=m * (m - 1.0) / (2.0 * (2.0 * m + 1.0)), x_star=x_star,
                   title="Linear function - rank 1",
                   notes="Minimizers: the hyperplane sum_j j x_j = 3/(2m+1).")  # fmt: skip


def mgh34(n: int = 10, m: int = 20) -> Problem:
    """MGH 34, linear function of rank 1 with zero columns and rows (n >= 3, m >= n);
    f* = (m^2 + 3m - 6) / (2(2m - 3)), wherever ``sum_{j=2}^{n-1} j x_j = 3 / (2m - 3)``."""
    n = check_n(n, 3, "linear rank 1 with zero columns and rows")
    m = check_m(n, m, "linear rank 1 with zero columns and rows")
    A = np.zeros((m, n))
    A[1 : m - 1, 1 : n - 1] = np.outer(np.arange(1.0, m - 1.0), np.arange(2.0, n))
    r, J = _linear(A)
    x_star = np.zeros(n)
    x_star[1] = 3.0 / (2.0 * (2.0 * m - 3.0))
    return mgh_lsq(34, "linear_rank1_zero_cols_rows", np.ones(n), r, J,
                   f_star=(m * m + 3.0 * m - 6.0) / (2.0 * (2.0 * m - 3.0)), x_star=x_star,
                   title="Linear function - rank 1 with zero columns and rows",
                   notes="Minimizers: the hyperplane sum_{j=2}^{n-1} j x_j = 3/(2m-3).",
                   )  # fmt: skip
