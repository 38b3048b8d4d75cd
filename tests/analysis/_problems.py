"""Functions with analytic derivatives shared by the analysis tests."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Quadratic:
    """f(x) = ½ xᵀAx − bᵀx with exact derivatives."""

    A: np.ndarray
    b: np.ndarray

    def f(self, x):
        return 0.5 * x @ self.A @ x - self.b @ x

    def grad(self, x):
        return self.A @ x - self.b

    def hess(self, x):
        return self.A

    def hvp(self, x, v):
        return self.A @ v


def random_spd(n: int, seed: int, cond: float = 1e3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.logspace(0, np.log10(cond), n)
    return (Q * lam) @ Q.T


def random_symmetric(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    M = rng.standard_normal((n, n))
    return 0.5 * (M + M.T)


def rosenbrock(x):
    return 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2


def rosenbrock_grad(x):
    return np.array([-400.0 * x[0] * (x[1] - x[0] ** 2) - 2.0 * (1.0 - x[0]),
                     200.0 * (x[1] - x[0] ** 2)])


def rosenbrock_hess(x):
    return np.array([[1200.0 * x[0] ** 2 - 400.0 * x[1] + 2.0, -400.0 * x[0]],
                     [-400.0 * x[0], 200.0]])


def central_gradient(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    e = np.eye(x.size)
    return np.array([(f(x + h * ei) - f(x - h * ei)) / (2 * h) for ei in e])
