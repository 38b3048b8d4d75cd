"""Moré–Garbow–Hillstrom problems 21 and 22: block extensions of small problems to any ``n``.

The extended Rosenbrock and extended Powell singular functions repeat problems 1 and 13
on independent blocks of 2 and 4 variables.

Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh.factory` for conventions and the reference.
"""

from __future__ import annotations

import numpy as np

from ..base import Array, Problem
from .factory import check_n, mgh_lsq

__all__ = ["mgh21", "mgh22"]


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
