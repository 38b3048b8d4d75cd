"""The scipy tutorial's constrained Rosenbrock problem, shared by the drop-in tests.

Bounds 0 ≤ x₀ ≤ 1, −0.5 ≤ x₁ ≤ 2; the linear constraints x₀ + 2x₁ ≤ 1, 2x₀ + x₁ = 1 and the
nonlinear x₀² + x₁ ≤ 1, x₀² − x₁ ≤ 1, written both as scipy's constraint dicts (``ineq`` means
fun(x) ≥ 0) and as ``LinearConstraint``/``NonlinearConstraint`` objects.
"""

from __future__ import annotations

import numpy as np
import scipy.optimize as so


def tutorial_constraints():
    """``(bounds, [eq, ineq] dicts, [linear, nonlinear] objects)`` of the tutorial."""
    bounds = so.Bounds([0, -0.5], [1.0, 2.0])
    ineq = {"type": "ineq",
            "fun": lambda x: np.array([1 - x[0] - 2 * x[1], 1 - x[0] ** 2 - x[1],
                                       1 - x[0] ** 2 + x[1]]),
            "jac": lambda x: np.array([[-1.0, -2.0], [-2 * x[0], -1.0], [-2 * x[0], 1.0]])}
    eq = {"type": "eq", "fun": lambda x: np.array([2 * x[0] + x[1] - 1]),
          "jac": lambda x: np.array([2.0, 1.0])}
    linear = so.LinearConstraint([[1, 2], [2, 1]], [-np.inf, 1], [1, 1])
    nonlinear = so.NonlinearConstraint(
        lambda x: [x[0] ** 2 + x[1], x[0] ** 2 - x[1]], -np.inf, 1,
        jac=lambda x: [[2 * x[0], 1], [2 * x[0], -1]],
        hess=lambda x, v: (v[0] + v[1]) * np.array([[2.0, 0.0], [0.0, 0.0]]))
    return bounds, [eq, ineq], [linear, nonlinear]
