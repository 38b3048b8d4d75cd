"""The few test functions the optimize tests need (value, gradient, Hessian, known minimum)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class P:
    name: str
    x0: np.ndarray
    fun: Callable
    grad: Callable
    hess: Callable
    x_star: np.ndarray
    f_star: float


def rosen(x):
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2))


def rosen_grad(x):
    g = np.zeros_like(x)
    d = x[1:] - x[:-1] ** 2
    g[:-1] = -400.0 * x[:-1] * d - 2.0 * (1 - x[:-1])
    g[1:] += 200.0 * d
    return g


def rosen_hess(x):
    n = x.size
    H = np.zeros((n, n))
    for i in range(n - 1):
        H[i, i] += 1200 * x[i] ** 2 - 400 * x[i + 1] + 2
        H[i, i + 1] = H[i + 1, i] = -400 * x[i]
        H[i + 1, i + 1] += 200
    return H


def quadratic(n=6, cond=50.0, seed=0):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = Q @ np.diag(np.geomspace(1.0, cond, n)) @ Q.T
    A = 0.5 * (A + A.T)
    b = rng.standard_normal(n)
    xs = np.linalg.solve(A, b)
    return P(f"quadratic{n}", np.zeros(n), lambda x: 0.5 * x @ A @ x - b @ x,
             lambda x: A @ x - b, lambda x: A, xs, float(-0.5 * b @ xs)), A, b


def himmelblau_parts():
    f = lambda x: (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2  # noqa: E731

    def g(x):
        a, b = x[0] ** 2 + x[1] - 11, x[0] + x[1] ** 2 - 7
        return np.array([4 * a * x[0] + 2 * b, 2 * a + 4 * b * x[1]])

    def h(x):
        a, b = x[0] ** 2 + x[1] - 11, x[0] + x[1] ** 2 - 7
        return np.array([[4 * a + 8 * x[0] ** 2 + 2, 4 * x[0] + 4 * x[1]],
                         [4 * x[0] + 4 * x[1], 2 + 4 * b + 8 * x[1] ** 2]])

    return f, g, h


def catalogue():
    f, g, h = himmelblau_parts()
    return [
        P("rosen2", np.array([-1.2, 1.0]), rosen, rosen_grad, rosen_hess, np.ones(2), 0.0),
        P("rosen6", np.array([-1.2, 1.0] * 3), rosen, rosen_grad, rosen_hess, np.ones(6), 0.0),
        quadratic()[0],
        P("himmelblau", np.array([0.0, 0.0]), f, g, h, np.array([3.0, 2.0]), 0.0),
    ]
