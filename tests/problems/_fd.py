"""Finite-difference helpers for the problem tests (fourth-order central differences)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_H = np.finfo(float).eps ** 0.2  # optimal step for a fourth-order stencil


def fd_jacobian(
    fun: Callable[[np.ndarray], np.ndarray], x: np.ndarray, step: float = _H
) -> np.ndarray:
    """``d fun / dx`` by the stencil ``(8[f(x+h)-f(x-h)] - [f(x+2h)-f(x-2h)]) / (12 h)``."""
    x = np.asarray(x, dtype=float)
    cols = []
    for i in range(x.size):
        h = step * max(1e-3, abs(x[i]))
        e = np.zeros_like(x)
        e[i] = h

        def at(k: float, e: np.ndarray = e) -> np.ndarray:
            return np.atleast_1d(np.asarray(fun(x + k * e), dtype=float))

        cols.append((8.0 * (at(1) - at(-1)) - (at(2) - at(-2))) / (12.0 * h))
    return np.stack(cols, axis=-1)


def fd_gradient(fun: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    return fd_jacobian(fun, x)[0]


def central_gradient(f, x, h=1e-6):
    """``grad f`` by second-order central differences with a fixed step ``h``."""
    x = np.asarray(x, dtype=float)
    e = np.eye(x.size)
    return np.array([(f(x + h * ei) - f(x - h * ei)) / (2 * h) for ei in e])
