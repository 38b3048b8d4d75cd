"""Moré–Garbow–Hillstrom problems 1–12: the fixed-size problems with n = 2 or 3.

Each problem is a sum of squares ``f = sum_i r_i(x)^2``; this module defines the residuals
``r`` (plain NumPy, traceable by automatic differentiation) and their analytic Jacobians, and a
factory returning a :class:`~steepest.problems.base.Problem`. Definitions, starting points and
minimum values follow Section 3 of

    J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing unconstrained optimization
    software", ACM Trans. Math. Software 7 (1981) 17–41.

Minimum values are quoted to the digits the paper prints. Where the paper prints a minimizer
rounded to a few digits, ``x_star`` holds that point refined by Newton's method on the
optimality conditions (the tests check it rounds back to the printed digits).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Array, Problem, VectorFn, least_squares_problem

MGH_REF = (
    "J. J. Moré, B. S. Garbow and K. E. Hillstrom, Testing unconstrained optimization "
    "software, ACM Trans. Math. Software 7 (1981) 17-41."
)

__all__ = [
    "MGH_REF",
    "mgh_lsq",
    "beale_residuals",
    "mgh01",
    "mgh02",
    "mgh03",
    "mgh04",
    "mgh05",
    "mgh06",
    "mgh07",
    "mgh08",
    "mgh09",
    "mgh10",
    "mgh11",
    "mgh12",
]


def mgh_lsq(
    number: int, name: str, x0: list[float], r: VectorFn, J: VectorFn, **info: Any
) -> Problem:
    """Least-squares :class:`Problem` named ``mghNN_name`` with the MGH reference."""
    return least_squares_problem(
        f"mgh{number:02d}_{name}", x0, r, J, number=number, reference=MGH_REF, **info
    )


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


# 6. Jennrich and Sampson --------------------------------------------------------------------
def _jennrich(m: int) -> tuple[VectorFn, VectorFn]:
    i = np.arange(1.0, m + 1.0)

    def r(x: Array) -> Array:
        return 2.0 + 2.0 * i - (np.exp(i * x[0]) + np.exp(i * x[1]))

    def J(x: Array) -> Array:
        return np.stack([-i * np.exp(i * x[0]), -i * np.exp(i * x[1])], axis=1)

    return r, J


# Printed: x1 = x2 = 0.2578 (m = 10); refined by Newton's method on grad f = 0
# (mpmath, 40 digits).
_X06 = [0.25782521367036408, 0.25782521367036408]


def mgh06(m: int = 10) -> Problem:
    """MGH 6, Jennrich and Sampson (``m >= 2`` residuals); f* = 124.362 for m = 10."""
    if m < 2:
        raise ValueError(f"Jennrich and Sampson needs m >= 2, got m={m}")
    r, J = _jennrich(m)
    known = m == 10
    return mgh_lsq(6, "jennrich_sampson", [0.3, 0.4], r, J,
                f_star=124.362 if known else None, x_star=_X06 if known else None,
                title="Jennrich and Sampson",
                notes="f* published for m = 10 only; x_star: printed 0.2578, refined.")  # fmt: skip


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


# 8. Bard ------------------------------------------------------------------------------------
_Y08 = np.array(
    [0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34, 2.10, 4.39]
)
_U08 = np.arange(1.0, 16.0)
_V08 = 16.0 - _U08
_W08 = np.minimum(_U08, _V08)


def _r08(x: Array) -> Array:
    return _Y08 - (x[0] + _U08 / (_V08 * x[1] + _W08 * x[2]))


def _j08(x: Array) -> Array:
    d2 = (_V08 * x[1] + _W08 * x[2]) ** 2
    return np.stack([-np.ones(15), _U08 * _V08 / d2, _U08 * _W08 / d2], axis=1)


def mgh08() -> Problem:
    """MGH 8, Bard; f* = 8.21487e-3 (also f = 17.4286 at (0.8406, -inf, -inf))."""
    return mgh_lsq(8, "bard", [1.0, 1.0, 1.0], _r08, _j08, f_star=8.21487e-3, title="Bard",
                notes="Non-global infimum f = 17.4286 at (0.8406..., -inf, -inf).")  # fmt: skip


# 9. Gaussian --------------------------------------------------------------------------------
_Y09 = np.array(
    [0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
     0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009]
)  # fmt: skip
_T09 = (8.0 - np.arange(1.0, 16.0)) / 2.0


def _r09(x: Array) -> Array:
    return x[0] * np.exp(-0.5 * x[1] * (_T09 - x[2]) ** 2) - _Y09


def _j09(x: Array) -> Array:
    d = _T09 - x[2]
    e = np.exp(-0.5 * x[1] * d**2)
    return np.stack([e, -0.5 * x[0] * e * d**2, x[0] * x[1] * e * d], axis=1)


def mgh09() -> Problem:
    """MGH 9, Gaussian; f* = 1.12793e-8."""
    return mgh_lsq(9, "gaussian", [0.4, 1.0, 0.0], _r09, _j09, f_star=1.12793e-8,
                title="Gaussian")  # fmt: skip


# 10. Meyer ----------------------------------------------------------------------------------
_Y10 = np.array(
    [34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0, 9744.0,
     8261.0, 7030.0, 6005.0, 5147.0, 4427.0, 3820.0, 3307.0, 2872.0]
)  # fmt: skip
_T10 = 45.0 + 5.0 * np.arange(1.0, 17.0)


def _r10(x: Array) -> Array:
    return x[0] * np.exp(x[1] / (_T10 + x[2])) - _Y10


def _j10(x: Array) -> Array:
    d = _T10 + x[2]
    e = np.exp(x[1] / d)
    return np.stack([e, x[0] * e / d, -x[0] * x[1] * e / d**2], axis=1)


def mgh10() -> Problem:
    """MGH 10, Meyer; f* = 87.9458 (badly scaled)."""
    return mgh_lsq(10, "meyer", [0.02, 4000.0, 250.0], _r10, _j10, f_star=87.9458,
                title="Meyer")  # fmt: skip


# 11. Gulf research and development ----------------------------------------------------------
def _gulf(m: int) -> tuple[VectorFn, VectorFn]:
    t = np.arange(1.0, m + 1.0) / 100.0
    y = 25.0 + (-50.0 * np.log(t)) ** (2.0 / 3.0)

    def r(x: Array) -> Array:
        return np.exp(-(np.abs(y - x[1]) ** x[2]) / x[0]) - t

    def J(x: Array) -> Array:
        a = np.abs(y - x[1])
        p = a ** x[2]
        e = np.exp(-p / x[0])
        with np.errstate(divide="ignore", invalid="ignore"):
            dp_dx2 = np.where(a > 0.0, -x[2] * p / a * np.sign(y - x[1]), 0.0)
            dp_dx3 = np.where(a > 0.0, p * np.log(np.where(a > 0.0, a, 1.0)), 0.0)
        return np.stack([e * p / x[0] ** 2, -e * dp_dx2 / x[0], -e * dp_dx3 / x[0]], axis=1)

    return r, J


def mgh11(m: int = 99) -> Problem:
    """MGH 11, Gulf research and development (``3 <= m <= 100``); f* = 0 at (50, 25, 1.5)."""
    if not 3 <= m <= 100:
        raise ValueError(f"Gulf research and development needs 3 <= m <= 100, got m={m}")
    r, J = _gulf(m)
    return mgh_lsq(11, "gulf", [5.0, 2.5, 0.15], r, J, f_star=0.0, x_star=[50.0, 25.0, 1.5],
                title="Gulf research and development")  # fmt: skip


# 12. Box three-dimensional ------------------------------------------------------------------
def _box(m: int) -> tuple[VectorFn, VectorFn]:
    i = np.arange(1.0, m + 1.0)
    t = 0.1 * i
    c = np.exp(-t) - np.exp(-i)

    def r(x: Array) -> Array:
        return np.exp(-t * x[0]) - np.exp(-t * x[1]) - x[2] * c

    def J(x: Array) -> Array:
        return np.stack([-t * np.exp(-t * x[0]), t * np.exp(-t * x[1]), -c], axis=1)

    return r, J


def mgh12(m: int = 10) -> Problem:
    """MGH 12, Box three-dimensional (``m >= 3``); f* = 0 at (1, 10, 1).

    Also zero at (10, 1, -1) and wherever x1 = x2 and x3 = 0.
    """
    if m < 3:
        raise ValueError(f"Box three-dimensional needs m >= 3, got m={m}")
    r, J = _box(m)
    return mgh_lsq(12, "box3d", [0.0, 10.0, 20.0], r, J, f_star=0.0, x_star=[1.0, 10.0, 1.0],
                title="Box three-dimensional",
                notes="f = 0 also at (10, 1, -1) and on the line x1 = x2, x3 = 0.")  # fmt: skip
