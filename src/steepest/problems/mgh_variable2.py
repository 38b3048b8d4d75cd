"""Moré–Garbow–Hillstrom problems 28–35: variable-dimension problems (part 2).

Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh_fixed` for conventions and the reference.
"""

from __future__ import annotations

import numpy as np

from .base import Array, Problem, VectorFn
from .mgh_fixed import mgh_lsq
from .mgh_variable import check_n

__all__ = ["mgh28", "mgh29", "mgh30", "mgh31", "mgh32", "mgh33", "mgh34", "mgh35"]


def _grid(n: int) -> tuple[float, Array]:
    h = 1.0 / (n + 1.0)
    return h, h * np.arange(1.0, n + 1.0)


def _neighbours(x: Array) -> tuple[Array, Array]:
    """``(x_{i-1}, x_{i+1})`` with the boundary values ``x_0 = x_{n+1} = 0``."""
    zero = np.zeros(1)
    return np.concatenate([zero, x[:-1]]), np.concatenate([x[1:], zero])


def _tridiag(diag: Array, lower: float, upper: float) -> Array:
    n = diag.size
    return np.diag(diag) + lower * np.eye(n, k=-1) + upper * np.eye(n, k=1)


# 28. Discrete boundary value ----------------------------------------------------------------
def _bv(n: int) -> tuple[VectorFn, VectorFn]:
    h, t = _grid(n)

    def r(x: Array) -> Array:
        prev, nxt = _neighbours(x)
        return 2.0 * x - prev - nxt + 0.5 * h**2 * (x + t + 1.0) ** 3

    def J(x: Array) -> Array:
        return _tridiag(2.0 + 1.5 * h**2 * (x + t + 1.0) ** 2, -1.0, -1.0)

    return r, J


def mgh28(n: int = 10) -> Problem:
    """MGH 28, discrete boundary value (m = n); f* = 0."""
    n = check_n(n, 1, "discrete boundary value")
    _, t = _grid(n)
    r, J = _bv(n)
    return mgh_lsq(28, "discrete_boundary_value", t * (t - 1.0), r, J, f_star=0.0,
                   title="Discrete boundary value")  # fmt: skip


# 29. Discrete integral equation -------------------------------------------------------------
def _ie(n: int) -> tuple[VectorFn, VectorFn]:
    h, t = _grid(n)
    lower = np.tril(np.ones((n, n)))
    K = np.where(lower > 0, np.outer(1.0 - t, t), np.outer(t, 1.0 - t))

    def r(x: Array) -> Array:
        return x + 0.5 * h * (K @ (x + t + 1.0) ** 3)

    def J(x: Array) -> Array:
        return np.eye(n) + 1.5 * h * K * ((x + t + 1.0) ** 2)[None, :]

    return r, J


def mgh29(n: int = 10) -> Problem:
    """MGH 29, discrete integral equation (m = n); f* = 0."""
    n = check_n(n, 1, "discrete integral equation")
    _, t = _grid(n)
    r, J = _ie(n)
    return mgh_lsq(29, "discrete_integral_equation", t * (t - 1.0), r, J, f_star=0.0,
                   title="Discrete integral equation")  # fmt: skip


# 30. Broyden tridiagonal --------------------------------------------------------------------
def _r30(x: Array) -> Array:
    prev, nxt = _neighbours(x)
    return (3.0 - 2.0 * x) * x - prev - 2.0 * nxt + 1.0


def _j30(x: Array) -> Array:
    return _tridiag(3.0 - 4.0 * x, -1.0, -2.0)


def mgh30(n: int = 10) -> Problem:
    """MGH 30, Broyden tridiagonal (m = n); f* = 0."""
    n = check_n(n, 1, "Broyden tridiagonal")
    return mgh_lsq(30, "broyden_tridiagonal", -np.ones(n), _r30, _j30, f_star=0.0,
                   title="Broyden tridiagonal")  # fmt: skip


# 31. Broyden banded -------------------------------------------------------------------------
def _banded(n: int, ml: int = 5, mu: int = 1) -> tuple[VectorFn, VectorFn]:
    i, j = np.indices((n, n))
    B = ((j >= i - ml) & (j <= i + mu) & (j != i)).astype(float)

    def r(x: Array) -> Array:
        return x * (2.0 + 5.0 * x**2) + 1.0 - B @ (x * (1.0 + x))

    def J(x: Array) -> Array:
        return np.diag(2.0 + 15.0 * x**2) - B * (1.0 + 2.0 * x)[None, :]

    return r, J


def mgh31(n: int = 10) -> Problem:
    """MGH 31, Broyden banded (m = n, bandwidths ml = 5, mu = 1); f* = 0."""
    n = check_n(n, 1, "Broyden banded")
    r, J = _banded(n)
    return mgh_lsq(31, "broyden_banded", -np.ones(n), r, J, f_star=0.0,
                   title="Broyden banded")  # fmt: skip


# 32–34. Linear functions --------------------------------------------------------------------
def _linear(A: Array) -> tuple[VectorFn, VectorFn]:
    def r(x: Array) -> Array:
        return A @ x - 1.0

    def J(x: Array) -> Array:
        return A.copy()

    return r, J


def _check_m(n: int, m: int, name: str) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < n:
        raise ValueError(f"{name}: m must be an int >= n = {n}, got m={m!r}")
    return int(m)


def mgh32(n: int = 10, m: int = 20) -> Problem:
    """MGH 32, linear function of full rank (m >= n); f* = m - n at (-1, ..., -1)."""
    n = check_n(n, 1, "linear full rank")
    m = _check_m(n, m, "linear full rank")
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
    m = _check_m(n, m, "linear rank 1")
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
    m = _check_m(n, m, "linear rank 1 with zero columns and rows")
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


# 35. Chebyquad ------------------------------------------------------------------------------
def _chebyquad(n: int, m: int) -> tuple[VectorFn, VectorFn]:
    i = np.arange(1.0, m + 1.0)
    even = i % 2 == 0
    c = np.where(even, -1.0 / np.where(even, i * i - 1.0, 1.0), 0.0)  # int_0^1 T_i*(u) du

    def r(x: Array) -> Array:
        y = 2.0 * x - 1.0
        prev, cur, rows = np.ones_like(y), y, [y]
        for _ in range(m - 1):
            prev, cur = cur, 2.0 * y * cur - prev
            rows.append(cur)
        return np.mean(np.stack(rows), axis=1) - c

    def J(x: Array) -> Array:
        y = 2.0 * x - 1.0
        t_prev, t_cur = np.ones_like(y), y
        d_prev, d_cur = np.zeros_like(y), np.ones_like(y)
        rows = [d_cur]
        for _ in range(m - 1):
            d_prev, d_cur = d_cur, 2.0 * t_cur + 2.0 * y * d_cur - d_prev
            t_prev, t_cur = t_cur, 2.0 * y * t_cur - t_prev
            rows.append(d_cur)
        return (2.0 / n) * np.stack(rows)

    return r, J


def _chebyquad_fstar(n: int, m: int) -> float | None:
    if m != n:
        return None
    if n <= 7 or n == 9:
        return 0.0
    return {8: 3.51687e-3, 10: 6.50395e-3}.get(n)


def mgh35(n: int = 8, m: int | None = None) -> Problem:
    """MGH 35, Chebyquad (m >= n, default m = n); f* = 0 for m = n <= 7 and n = 9,
    3.51687e-3 for m = n = 8, 6.50395e-3 for m = n = 10."""
    n = check_n(n, 1, "Chebyquad")
    m = n if m is None else _check_m(n, m, "Chebyquad")
    r, J = _chebyquad(n, m)
    x0 = np.arange(1.0, n + 1.0) / (n + 1.0)
    return mgh_lsq(35, "chebyquad", x0, r, J, f_star=_chebyquad_fstar(n, m),
                   title="Chebyquad",
                   notes="f* published for m = n <= 10.")  # fmt: skip
