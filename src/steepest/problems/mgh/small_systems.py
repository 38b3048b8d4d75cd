"""Moré–Garbow–Hillstrom problems 1–5, 7, 13 and 14: small systems of nonlinear equations.

Two to four variables, two to six equations ``r(x) = 0`` solved exactly at the minimum
(f* = 0): Rosenbrock, Freudenstein and Roth, Powell and Brown badly scaled, Beale, the
helical valley, Powell singular and Wood.

Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh.factory` for conventions and the reference.
"""

from __future__ import annotations

import numpy as np

from ..base import Array, Problem
from .factory import mgh_lsq

__all__ = [
    "beale_residuals",
    "mgh01",
    "mgh02",
    "mgh03",
    "mgh04",
    "mgh05",
    "mgh07",
    "mgh13",
    "mgh14",
]

_S5, _S10, _S90 = np.sqrt(5.0), np.sqrt(10.0), np.sqrt(90.0)


# 1. Rosenbrock ------------------------------------------------------------------------
def _r01(x: Array) -> Array:
    return np.stack([10.0 * (x[1] - x[0] ** 2), 1.0 - x[0]])


def _j01(x: Array) -> Array:
    return np.array([[-20.0 * x[0], 10.0], [-1.0, 0.0]])


def mgh01() -> Problem:
    """MGH 1, Rosenbrock: ``r = (10(x2 - x1^2), 1 - x1)``; f* = 0 at (1, 1)."""
    return mgh_lsq(1, "rosenbrock", [-1.2, 1.0], _r01, _j01, f_star=0.0, x_star=[1.0, 1.0],
                title="Rosenbrock")  # fmt: skip


# 2. Freudenstein and Roth ---------------------------------------------------------------
def _r02(x: Array) -> Array:
    x1, x2 = x[0], x[1]
    return np.stack(
        [-13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2, -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2]
    )


def _j02(x: Array) -> Array:
    x2 = x[1]
    return np.array([[1.0, 10.0 * x2 - 3.0 * x2**2 - 2.0], [1.0, 3.0 * x2**2 + 2.0 * x2 - 14.0]])


def mgh02() -> Problem:
    """MGH 2, Freudenstein and Roth; f* = 0 at (5, 4).

    The paper also lists the local minimum f = 48.9842 at (11.41..., -0.8968...), which
    descent methods from the standard start often reach.
    """
    return mgh_lsq(2, "freudenstein_roth", [0.5, -2.0], _r02, _j02, f_star=0.0,
                x_star=[5.0, 4.0], title="Freudenstein and Roth",
                notes="Local minimum f = 48.9842 at (11.41..., -0.8968...).")  # fmt: skip


# 3. Powell badly scaled -------------------------------------------------------------------
def _r03(x: Array) -> Array:
    return np.stack([1e4 * x[0] * x[1] - 1.0, np.exp(-x[0]) + np.exp(-x[1]) - 1.0001])


def _j03(x: Array) -> Array:
    return np.array([[1e4 * x[1], 1e4 * x[0]], [-np.exp(-x[0]), -np.exp(-x[1])]])


# Printed: (1.098e-5, 9.106); refined by Newton's method on r(x) = 0
# (mpmath, 40 digits).
_X03 = [1.0981593296998175e-05, 9.106146739866524]


def mgh03() -> Problem:
    """MGH 3, Powell badly scaled; f* = 0 at (1.098...e-5, 9.106...)."""
    return mgh_lsq(3, "powell_badly_scaled", [0.0, 1.0], _r03, _j03, f_star=0.0, x_star=_X03,
                title="Powell badly scaled",
                notes="x_star: printed (1.098e-5, 9.106), refined.")  # fmt: skip


# 4. Brown badly scaled --------------------------------------------------------------------
def _r04(x: Array) -> Array:
    return np.stack([x[0] - 1e6, x[1] - 2e-6, x[0] * x[1] - 2.0])


def _j04(x: Array) -> Array:
    return np.array([[1.0, 0.0], [0.0, 1.0], [x[1], x[0]]])


def mgh04() -> Problem:
    """MGH 4, Brown badly scaled; f* = 0 at (1e6, 2e-6)."""
    return mgh_lsq(4, "brown_badly_scaled", [1.0, 1.0], _r04, _j04, f_star=0.0,
                x_star=[1e6, 2e-6], title="Brown badly scaled")  # fmt: skip


# 5. Beale ----------------------------------------------------------------------------------
_Y05 = np.array([1.5, 2.25, 2.625])
_I05 = np.arange(1.0, 4.0)


def beale_residuals(x: Array) -> Array:
    """Beale residuals ``r_i = y_i - x1 (1 - x2^i)``, ``y = (1.5, 2.25, 2.625)``."""
    return _Y05 - x[0] * (1.0 - x[1] ** _I05)


def _j05(x: Array) -> Array:
    return np.stack([-(1.0 - x[1] ** _I05), x[0] * _I05 * x[1] ** (_I05 - 1.0)], axis=1)


def mgh05() -> Problem:
    """MGH 5, Beale; f* = 0 at (3, 0.5)."""
    return mgh_lsq(5, "beale", [1.0, 1.0], beale_residuals, _j05, f_star=0.0, x_star=[3.0, 0.5],
                title="Beale")  # fmt: skip


# 7. Helical valley --------------------------------------------------------------------------
def _theta07(x1: Array, x2: Array) -> Array:
    # MGH: arctan(x2/x1)/(2 pi), plus 1/2 when x1 < 0; at x1 = 0 it is sign(x2)/4. In terms of
    # arctan2 that is arctan2(x2, x1)/(2 pi), plus 1 in the third quadrant.
    third = np.where((x1 < 0.0) & (x2 < 0.0), 1.0, 0.0)
    return np.arctan2(x2, x1) / (2.0 * np.pi) + third


def _r07(x: Array) -> Array:
    x1, x2, x3 = x[0], x[1], x[2]
    return np.stack(
        [10.0 * (x3 - 10.0 * _theta07(x1, x2)), 10.0 * (np.sqrt(x1**2 + x2**2) - 1.0), x3]
    )


def _j07(x: Array) -> Array:
    x1, x2 = x[0], x[1]
    rho2 = x1 * x1 + x2 * x2
    rho = np.sqrt(rho2)
    c = 100.0 / (2.0 * np.pi * rho2)
    return np.array(
        [[c * x2, -c * x1, 10.0], [10.0 * x1 / rho, 10.0 * x2 / rho, 0.0], [0.0, 0.0, 1.0]]
    )


def mgh07() -> Problem:
    """MGH 7, helical valley; f* = 0 at (1, 0, 0). Discontinuous across x1 = 0, x2 < 0."""
    return mgh_lsq(7, "helical_valley", [-1.0, 0.0, 0.0], _r07, _j07, f_star=0.0,
                x_star=[1.0, 0.0, 0.0], title="Helical valley",
                notes="theta jumps across the half-plane x1 = 0, x2 < 0.")  # fmt: skip


# 13. Powell singular ------------------------------------------------------------------------
def _r13(x: Array) -> Array:
    return np.stack(
        [
            x[0] + 10.0 * x[1],
            _S5 * (x[2] - x[3]),
            (x[1] - 2.0 * x[2]) ** 2,
            _S10 * (x[0] - x[3]) ** 2,
        ]
    )


def _j13(x: Array) -> Array:
    a, b = 2.0 * (x[1] - 2.0 * x[2]), 2.0 * _S10 * (x[0] - x[3])
    return np.array(
        [[1.0, 10.0, 0.0, 0.0], [0.0, 0.0, _S5, -_S5], [0.0, a, -2.0 * a, 0.0], [b, 0.0, 0.0, -b]]
    )


def mgh13() -> Problem:
    """MGH 13, Powell singular; f* = 0 at the origin, where the Hessian is singular."""
    return mgh_lsq(13, "powell_singular", [3.0, -1.0, 0.0, 1.0], _r13, _j13, f_star=0.0,
                   x_star=np.zeros(4), title="Powell singular")  # fmt: skip


# 14. Wood -----------------------------------------------------------------------------------
def _r14(x: Array) -> Array:
    return np.stack(
        [
            10.0 * (x[1] - x[0] ** 2),
            1.0 - x[0],
            _S90 * (x[3] - x[2] ** 2),
            1.0 - x[2],
            _S10 * (x[1] + x[3] - 2.0),
            (x[1] - x[3]) / _S10,
        ]
    )


def _j14(x: Array) -> Array:
    return np.array(
        [
            [-20.0 * x[0], 10.0, 0.0, 0.0],
            [-1.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, -2.0 * _S90 * x[2], _S90],
            [0.0, 0.0, -1.0, 0.0],
            [0.0, _S10, 0.0, _S10],
            [0.0, 1.0 / _S10, 0.0, -1.0 / _S10],
        ]
    )


def mgh14() -> Problem:
    """MGH 14, Wood; f* = 0 at (1, 1, 1, 1)."""
    return mgh_lsq(14, "wood", [-3.0, -1.0, -3.0, -1.0], _r14, _j14, f_star=0.0,
                   x_star=np.ones(4), title="Wood")  # fmt: skip
