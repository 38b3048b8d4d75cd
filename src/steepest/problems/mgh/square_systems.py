"""Moré–Garbow–Hillstrom problems 26–31: square nonlinear systems ``F(x) = 0`` in any ``n``.

Trigonometric, Brown almost-linear, the discrete boundary-value and integral equations and
Broyden's tridiagonal and banded systems; ``m = n`` and f* = 0.

Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh.factory` for conventions and the reference.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..base import Array, Problem, VectorFn
from .factory import check_n, mgh_lsq

__all__ = ["mgh26", "mgh27", "mgh28", "mgh29", "mgh30", "mgh31"]


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


# 26. Trigonometric --------------------------------------------------------------------------
def _r26(x: Array) -> Array:
    n = x.size
    i = np.arange(1.0, n + 1.0)
    return n - np.sum(np.cos(x)) + i * (1.0 - np.cos(x)) - np.sin(x)


def _j26(x: Array) -> Array:
    n = x.size
    i = np.arange(1.0, n + 1.0)
    J = np.tile(np.sin(x), (n, 1))
    J[np.arange(n), np.arange(n)] += i * np.sin(x) - np.cos(x)
    return J


def mgh26(n: int = 10) -> Problem:
    """MGH 26, trigonometric (m = n); f* = 0 (solvers often stop at positive local minima)."""
    n = check_n(n, 1, "trigonometric")
    return mgh_lsq(26, "trigonometric", np.full(n, 1.0 / n), _r26, _j26, f_star=0.0,
                   title="Trigonometric",
                   notes="The paper gives f* = 0; positive local minima exist.")  # fmt: skip


# 27. Brown almost-linear --------------------------------------------------------------------
def _r27(x: Array) -> Array:
    n = x.size
    lin = x[:-1] + np.sum(x) - (n + 1.0)
    return np.concatenate([lin, np.stack([np.prod(x) - 1.0])])


def _j27(x: Array) -> Array:
    n = x.size
    J = np.ones((n, n)) + np.eye(n)
    before = np.concatenate([[1.0], np.cumprod(x[:-1])])
    after = np.concatenate([np.cumprod(x[::-1][:-1])[::-1], [1.0]])
    J[n - 1] = before * after  # prod_{k != j} x_k without dividing by x_j
    return J


def mgh27(n: int = 10) -> Problem:
    """MGH 27, Brown almost-linear (m = n); f* = 0 at (1, ..., 1).

    Zero also at ``(a, ..., a, a^(1-n))`` with ``n a^n - (n+1) a^(n-1) + 1 = 0``; f = 1 at
    ``(0, ..., 0, n+1)``.
    """
    n = check_n(n, 1, "Brown almost-linear")
    return mgh_lsq(27, "brown_almost_linear", np.full(n, 0.5), _r27, _j27, f_star=0.0,
                   x_star=np.ones(n), title="Brown almost-linear",
                   notes="f = 1 at the non-global point (0, ..., 0, n+1).")  # fmt: skip


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
    return _on_grid(28, "Discrete boundary value", _bv, n)


def _on_grid(number: int, title: str, system: Callable[[int], tuple[VectorFn, VectorFn]],
             n: int) -> Problem:
    """MGH 28/29: the system ``system(n)`` on the grid ``t_i = i h``, started at
    ``t_i (t_i - 1)``, with f* = 0."""
    n = check_n(n, 1, title.lower())
    _, t = _grid(n)
    r, J = system(n)
    return mgh_lsq(number, title.lower().replace(" ", "_"), t * (t - 1.0), r, J, f_star=0.0,
                   title=title)


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
    return _on_grid(29, "Discrete integral equation", _ie, n)


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
