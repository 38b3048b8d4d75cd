"""Moré–Garbow–Hillstrom problems 23–25: penalty functions in any dimension.

Penalty I and II and the variably dimensioned function: a few terms that pull every
variable towards a target plus a penalty on a sum of all of them.

Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh.factory` for conventions and the reference.
"""

from __future__ import annotations

import numpy as np

from ..base import Array, Problem, VectorFn
from .factory import check_n, mgh_lsq

__all__ = ["mgh23", "mgh24", "mgh25"]

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
