"""Moré–Garbow–Hillstrom problems 13–19: fixed-size problems with 4 <= n <= 11.

Residuals are plain NumPy (traceable by automatic differentiation), Jacobians are analytic;
see :mod:`steepest.problems.mgh_fixed` for conventions and the reference.
"""

from __future__ import annotations

import numpy as np

from .base import Array, Problem, VectorFn
from .mgh_fixed import mgh_lsq

__all__ = ["mgh13", "mgh14", "mgh15", "mgh16", "mgh17", "mgh18", "mgh19"]

_S5, _S10, _S90 = np.sqrt(5.0), np.sqrt(10.0), np.sqrt(90.0)


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
