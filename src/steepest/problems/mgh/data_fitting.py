"""Moré–Garbow–Hillstrom problems 6, 8–12 and 15–20: fitting a model to data.

Each residual is ``y_i - model(t_i; x)`` at data points ``t_i`` (exponentials, rational
functions, Gaussians, polynomials): Jennrich and Sampson, Bard, Gaussian, Meyer, Gulf
research and development, Box three-dimensional, Kowalik and Osborne, Brown and Dennis,
Osborne 1, Biggs EXP6, Osborne 2 and Watson. Most have a nonzero residual at the minimum.
Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh.factory` for conventions and the reference.
"""

from __future__ import annotations

import numpy as np

from ..base import Array, Problem, VectorFn
from .factory import check_n, mgh_lsq

__all__ = [
    "mgh06",
    "mgh08",
    "mgh09",
    "mgh10",
    "mgh11",
    "mgh12",
    "mgh15",
    "mgh16",
    "mgh17",
    "mgh18",
    "mgh19",
    "mgh20",
]


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


# 15. Kowalik and Osborne --------------------------------------------------------------------
_Y15 = np.array(
    [0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235, 0.0246]
)
_U15 = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625])


def _r15(x: Array) -> Array:
    num = _U15 * (_U15 + x[1])
    den = _U15 * (_U15 + x[2]) + x[3]
    return _Y15 - x[0] * num / den


def _j15(x: Array) -> Array:
    num = _U15 * (_U15 + x[1])
    den = _U15 * (_U15 + x[2]) + x[3]
    q = x[0] * num / den**2
    return np.stack([-num / den, -x[0] * _U15 / den, q * _U15, q], axis=1)


def mgh15() -> Problem:
    """MGH 15, Kowalik and Osborne; f* = 3.07505e-4.

    The paper also lists f = 1.02734e-3 at (+inf, -14.07..., -inf, -inf).
    """
    return mgh_lsq(15, "kowalik_osborne", [0.25, 0.39, 0.415, 0.39], _r15, _j15,
                   f_star=3.07505e-4, title="Kowalik and Osborne",
                   notes="Non-global infimum f = 1.02734e-3 at (+inf, -14.07..., -inf, -inf).",
                   )  # fmt: skip


# 16. Brown and Dennis -----------------------------------------------------------------------
def _brown_dennis(m: int) -> tuple[VectorFn, VectorFn]:
    t = np.arange(1.0, m + 1.0) / 5.0
    s, c, e = np.sin(t), np.cos(t), np.exp(t)

    def r(x: Array) -> Array:
        return (x[0] + t * x[1] - e) ** 2 + (x[2] + x[3] * s - c) ** 2

    def J(x: Array) -> Array:
        a = 2.0 * (x[0] + t * x[1] - e)
        b = 2.0 * (x[2] + x[3] * s - c)
        return np.stack([a, a * t, b, b * s], axis=1)

    return r, J


def mgh16(m: int = 20) -> Problem:
    """MGH 16, Brown and Dennis (``m >= 4``); f* = 85822.2 for m = 20."""
    if m < 4:
        raise ValueError(f"Brown and Dennis needs m >= 4, got m={m}")
    r, J = _brown_dennis(m)
    return mgh_lsq(16, "brown_dennis", [25.0, 5.0, -5.0, -1.0], r, J,
                   f_star=85822.2 if m == 20 else None, title="Brown and Dennis",
                   notes="f* published for m = 20 only.")  # fmt: skip


# 17. Osborne 1 ------------------------------------------------------------------------------
_Y17 = np.array(
    [0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
     0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
     0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406]
)  # fmt: skip
_T17 = 10.0 * np.arange(33.0)


def _r17(x: Array) -> Array:
    return _Y17 - (x[0] + x[1] * np.exp(-_T17 * x[3]) + x[2] * np.exp(-_T17 * x[4]))


def _j17(x: Array) -> Array:
    e4, e5 = np.exp(-_T17 * x[3]), np.exp(-_T17 * x[4])
    return np.stack([-np.ones(33), -e4, -e5, x[1] * _T17 * e4, x[2] * _T17 * e5], axis=1)


def mgh17() -> Problem:
    """MGH 17, Osborne 1; f* = 5.46489e-5."""
    return mgh_lsq(17, "osborne1", [0.5, 1.5, -1.0, 0.01, 0.02], _r17, _j17,
                   f_star=5.46489e-5, title="Osborne 1")  # fmt: skip


# 18. Biggs EXP6 -----------------------------------------------------------------------------
def _biggs(m: int) -> tuple[VectorFn, VectorFn]:
    t = 0.1 * np.arange(1.0, m + 1.0)
    y = np.exp(-t) - 5.0 * np.exp(-10.0 * t) + 3.0 * np.exp(-4.0 * t)

    def r(x: Array) -> Array:
        return x[2] * np.exp(-t * x[0]) - x[3] * np.exp(-t * x[1]) + x[5] * np.exp(-t * x[4]) - y

    def J(x: Array) -> Array:
        e1, e2, e5 = np.exp(-t * x[0]), np.exp(-t * x[1]), np.exp(-t * x[4])
        return np.stack([-t * x[2] * e1, t * x[3] * e2, e1, -e2, -t * x[5] * e5, e5], axis=1)

    return r, J


def mgh18(m: int = 13) -> Problem:
    """MGH 18, Biggs EXP6 (``m >= 6``); f* = 0 at (1, 10, 1, 5, 4, 3).

    The paper also lists the local minimum f = 5.65565e-3 for m = 13.
    """
    if m < 6:
        raise ValueError(f"Biggs EXP6 needs m >= 6, got m={m}")
    r, J = _biggs(m)
    return mgh_lsq(18, "biggs_exp6", [1.0, 2.0, 1.0, 1.0, 1.0, 1.0], r, J, f_star=0.0,
                   x_star=[1.0, 10.0, 1.0, 5.0, 4.0, 3.0], title="Biggs EXP6",
                   notes="Local minimum f = 5.65565e-3 when m = 13.")  # fmt: skip


# 19. Osborne 2 ------------------------------------------------------------------------------
_Y19 = np.array(
    [1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679,
     0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644,
     0.624, 0.661, 0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395, 0.375, 0.372, 0.391,
     0.396, 0.405, 0.428, 0.429, 0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668,
     0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581,
     0.428, 0.292, 0.162, 0.098, 0.054]
)  # fmt: skip
_T19 = np.arange(65.0) / 10.0
# Gaussian bumps: (amplitude, rate, centre) indices into x.
_BUMPS19 = ((1, 5, 8), (2, 6, 9), (3, 7, 10))


def _r19(x: Array) -> Array:
    model = x[0] * np.exp(-_T19 * x[4])
    for a, k, c in _BUMPS19:
        model = model + x[a] * np.exp(-x[k] * (_T19 - x[c]) ** 2)
    return _Y19 - model


def _j19(x: Array) -> Array:
    J = np.zeros((65, 11))
    e = np.exp(-_T19 * x[4])
    J[:, 0], J[:, 4] = -e, x[0] * _T19 * e
    for a, k, c in _BUMPS19:
        d = _T19 - x[c]
        g = np.exp(-x[k] * d**2)
        J[:, a] = -g
        J[:, k] = x[a] * d**2 * g
        J[:, c] = -2.0 * x[a] * x[k] * d * g
    return J


def mgh19() -> Problem:
    """MGH 19, Osborne 2; f* = 4.01377e-2."""
    x0 = [1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5]
    return mgh_lsq(19, "osborne2", x0, _r19, _j19, f_star=4.01377e-2,
                   title="Osborne 2")  # fmt: skip


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
