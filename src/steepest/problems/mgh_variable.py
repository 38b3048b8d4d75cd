"""Moré–Garbow–Hillstrom problems 20–27: variable-dimension problems (part 1).

Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh_fixed` for conventions and the reference. Each factory takes
the dimension ``n`` (and ``m`` where the paper allows a choice); ``f_star`` is set where the
paper publishes it for that size, otherwise ``None``.
"""

from __future__ import annotations

import numpy as np

from .base import Array, Problem, VectorFn
from .mgh_fixed import mgh_lsq

__all__ = ["mgh20", "mgh21", "mgh22", "mgh23", "mgh24", "mgh25", "mgh26", "mgh27"]


def check_n(n: int, minimum: int, name: str, multiple: int = 1) -> int:
    """Validate a problem dimension, naming the fix in the error."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name}: n must be an int, got {type(n).__name__}")
    if n < minimum or n % multiple:
        extra = f" and a multiple of {multiple}" if multiple > 1 else ""
        raise ValueError(f"{name}: n must be >= {minimum}{extra}, got n={n}")
    return int(n)


# 20. Watson ---------------------------------------------------------------------------------
_WATSON_FSTAR = {6: 2.28767e-3, 9: 1.39976e-6, 12: 4.72238e-10}


def _watson(n: int) -> tuple[VectorFn, VectorFn]:
    t = np.arange(1.0, 30.0) / 29.0
    P = t[:, None] ** np.arange(n)  # P[i, j] = t_i^j
    k = np.arange(1.0, n)  # (j - 1) for x_j, j = 2..n

    def r(x: Array) -> Array:
        a = P[:, : n - 1] @ (k * x[1:])
        b = P @ x
        return np.concatenate([a - b**2 - 1.0, np.stack([x[0], x[1] - x[0] ** 2 - 1.0])])

    def J(x: Array) -> Array:
        b = P @ x
        D = np.zeros_like(P)
        D[:, 1:] = k * P[:, : n - 1]
        top = D - 2.0 * b[:, None] * P
        tail = np.zeros((2, n))
        tail[0, 0], tail[1, 0], tail[1, 1] = 1.0, -2.0 * x[0], 1.0
        return np.vstack([top, tail])

    return r, J


def mgh20(n: int = 6) -> Problem:
    """MGH 20, Watson (``2 <= n <= 31``, m = 31); f* = 2.28767e-3 (n=6), 1.39976e-6 (n=9),
    4.72238e-10 (n=12)."""
    n = check_n(n, 2, "Watson")
    if n > 31:
        raise ValueError(f"Watson: n must be <= 31, got n={n}")
    r, J = _watson(n)
    return mgh_lsq(20, "watson", np.zeros(n), r, J, f_star=_WATSON_FSTAR.get(n),
                   title="Watson", notes="f* published for n = 6, 9, 12.")  # fmt: skip


# 21. Extended Rosenbrock --------------------------------------------------------------------
def _r21(x: Array) -> Array:
    xo, xe = x[0::2], x[1::2]
    return np.stack([10.0 * (xe - xo**2), 1.0 - xo], axis=1).reshape(-1)


def _j21(x: Array) -> Array:
    n = x.size
    J = np.zeros((n, n))
    i = np.arange(0, n, 2)
    J[i, i], J[i, i + 1], J[i + 1, i] = -20.0 * x[0::2], 10.0, -1.0
    return J


def mgh21(n: int = 10) -> Problem:
    """MGH 21, extended Rosenbrock (n even, m = n); f* = 0 at (1, ..., 1)."""
    n = check_n(n, 2, "extended Rosenbrock", multiple=2)
    x0 = np.where(np.arange(n) % 2 == 0, -1.2, 1.0)
    return mgh_lsq(21, "extended_rosenbrock", x0, _r21, _j21, f_star=0.0, x_star=np.ones(n),
                   title="Extended Rosenbrock")  # fmt: skip


# 22. Extended Powell singular ---------------------------------------------------------------
_S5, _S10 = np.sqrt(5.0), np.sqrt(10.0)


def _r22(x: Array) -> Array:
    b = x.reshape(-1, 4)
    x1, x2, x3, x4 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    cols = [x1 + 10.0 * x2, _S5 * (x3 - x4), (x2 - 2.0 * x3) ** 2, _S10 * (x1 - x4) ** 2]
    return np.stack(cols, axis=1).reshape(-1)


def _j22(x: Array) -> Array:
    n = x.size
    J = np.zeros((n, n))
    for a in range(0, n, 4):
        u, v = 2.0 * (x[a + 1] - 2.0 * x[a + 2]), 2.0 * _S10 * (x[a] - x[a + 3])
        J[a, a], J[a, a + 1] = 1.0, 10.0
        J[a + 1, a + 2], J[a + 1, a + 3] = _S5, -_S5
        J[a + 2, a + 1], J[a + 2, a + 2] = u, -2.0 * u
        J[a + 3, a], J[a + 3, a + 3] = v, -v
    return J


def mgh22(n: int = 12) -> Problem:
    """MGH 22, extended Powell singular (n a multiple of 4); f* = 0 at the origin."""
    n = check_n(n, 4, "extended Powell singular", multiple=4)
    x0 = np.tile([3.0, -1.0, 0.0, 1.0], n // 4)
    return mgh_lsq(22, "extended_powell_singular", x0, _r22, _j22, f_star=0.0,
                   x_star=np.zeros(n), title="Extended Powell singular")  # fmt: skip


# 23. Penalty I ------------------------------------------------------------------------------
_SQA = np.sqrt(1e-5)


def _r23(x: Array) -> Array:
    return np.concatenate([_SQA * (x - 1.0), np.stack([np.sum(x * x) - 0.25])])


def _j23(x: Array) -> Array:
    return np.vstack([_SQA * np.eye(x.size), 2.0 * x[None, :]])


def mgh23(n: int = 10) -> Problem:
    """MGH 23, penalty I (m = n + 1); f* = 2.24997e-5 (n=4), 7.08765e-5 (n=10)."""
    n = check_n(n, 1, "penalty I")
    fstar = {4: 2.24997e-5, 10: 7.08765e-5}.get(n)
    return mgh_lsq(23, "penalty1", np.arange(1.0, n + 1.0), _r23, _j23, f_star=fstar,
                   title="Penalty I", notes="f* published for n = 4, 10.")  # fmt: skip


# 24. Penalty II -----------------------------------------------------------------------------
def _penalty2(n: int) -> tuple[VectorFn, VectorFn]:
    i = np.arange(2.0, n + 1.0)
    y = np.exp(i / 10.0) + np.exp((i - 1.0) / 10.0)
    w = n - np.arange(n, dtype=float)  # n - j + 1 for j = 1..n

    def r(x: Array) -> Array:
        e = np.exp(x / 10.0)
        return np.concatenate(
            [
                np.stack([x[0] - 0.2]),
                _SQA * (e[1:] + e[:-1] - y),
                _SQA * (e[1:] - np.exp(-0.1)),
                np.stack([np.sum(w * x * x) - 1.0]),
            ]
        )

    def J(x: Array) -> Array:
        de = _SQA * np.exp(x / 10.0) / 10.0
        J = np.zeros((2 * n, n))
        J[0, 0] = 1.0
        rows = np.arange(1, n)
        J[rows, rows], J[rows, rows - 1] = de[1:], de[:-1]
        J[rows + n - 1, rows] = de[1:]
        J[2 * n - 1] = 2.0 * w * x
        return J

    return r, J


def mgh24(n: int = 10) -> Problem:
    """MGH 24, penalty II (m = 2n); f* = 9.37629e-6 (n=4), 2.93660e-4 (n=10)."""
    n = check_n(n, 1, "penalty II")
    r, J = _penalty2(n)
    fstar = {4: 9.37629e-6, 10: 2.93660e-4}.get(n)
    return mgh_lsq(24, "penalty2", np.full(n, 0.5), r, J, f_star=fstar, title="Penalty II",
                   notes="f* published for n = 4, 10.")  # fmt: skip


# 25. Variably dimensioned -------------------------------------------------------------------
def _r25(x: Array) -> Array:
    s = np.sum(np.arange(1.0, x.size + 1.0) * (x - 1.0))
    return np.concatenate([x - 1.0, np.stack([s, s * s])])


def _j25(x: Array) -> Array:
    j = np.arange(1.0, x.size + 1.0)
    s = np.sum(j * (x - 1.0))
    return np.vstack([np.eye(x.size), j[None, :], 2.0 * s * j[None, :]])


def mgh25(n: int = 10) -> Problem:
    """MGH 25, variably dimensioned (m = n + 2); f* = 0 at (1, ..., 1)."""
    n = check_n(n, 1, "variably dimensioned")
    x0 = 1.0 - np.arange(1.0, n + 1.0) / n
    return mgh_lsq(25, "variably_dimensioned", x0, _r25, _j25, f_star=0.0,
                   x_star=np.ones(n), title="Variably dimensioned")  # fmt: skip


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
