"""Hock–Schittkowski test problems 7, 14, 35 and 71 with their published solutions.

Each problem is written in this library's convention (g(x) = 0, h(x) ≤ 0) with analytic
derivatives. Published values: x*, f* from Hock & Schittkowski (1981), printed to about 8
significant digits (for HS71 the printed x₃* = 3.8211503 differs from the true optimum
3.82114998 in the 7th digit, a known rounding of the book); multipliers for HS71 from the Ipopt
HS071 tutorial output (λ for Σx² = 40, α for x₁x₂x₃x₄ ≥ 25 and for x₁ ≥ 1). For HS7/14/35 the
solutions are known in closed form and the multipliers follow from stationarity.

References:
    W. Hock, K. Schittkowski, *Test Examples for Nonlinear Programming Codes*, Lecture Notes in
    Economics and Mathematical Systems 187, Springer 1981. Ipopt documentation, "Interfacing
    your NLP to Ipopt" (HS071 example).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..constrained import Eq, Ineq

__all__ = ["HSProblem", "hs7", "hs14", "hs35", "hs71", "hs_problems"]

SQRT3, SQRT7 = np.sqrt(3.0), np.sqrt(7.0)


@dataclass(frozen=True)
class HSProblem:
    """A test problem: objective with derivatives, constraints, start and published solution.

    ``lam_star`` / ``alpha_star`` are in this library's convention (L = f + λᵀg + αᵀh), alpha
    ordered as the stacked inequalities (user inequalities first, then bound rows lower/upper
    per variable for finite bounds).
    """

    name: str
    x0: np.ndarray
    fun: Any
    jac: Any
    hess: Any
    constraints: list
    bounds: Any
    x_star: np.ndarray
    f_star: float
    lam_star: np.ndarray
    alpha_star: np.ndarray
    notes: str = ""
    extra: dict = field(default_factory=dict)


def hs7() -> HSProblem:
    """min log(1 + x₁²) − x₂  s.t. (1 + x₁²)² + x₂² − 4 = 0;  x* = (0, √3), f* = −√3."""
    g = Eq(lambda x: (1 + x[0] ** 2) ** 2 + x[1] ** 2 - 4,
           jac=lambda x: np.array([4 * x[0] * (1 + x[0] ** 2), 2 * x[1]]),
           hess=lambda x, v: v[0] * np.diag([4 + 12 * x[0] ** 2, 2.0]), name="HS7 eq")
    return HSProblem(
        "HS7", np.array([2.0, 2.0]), lambda x: np.log1p(x[0] ** 2) - x[1],
        lambda x: np.array([2 * x[0] / (1 + x[0] ** 2), -1.0]),
        lambda x: np.diag([2 * (1 - x[0] ** 2) / (1 + x[0] ** 2) ** 2, 0.0]), [g], None,
        np.array([0.0, SQRT3]), -SQRT3, np.array([1 / (2 * SQRT3)]), np.zeros(0),
        "λ = 1/(2√3) from −1 + λ·2√3 = 0")


def hs14() -> HSProblem:
    """min (x₁−2)² + (x₂−1)²  s.t. x₁ − 2x₂ + 1 = 0, x₁²/4 + x₂² − 1 ≤ 0."""
    eq = Eq.linear([[1.0, -2.0]], [-1.0], name="x1-2x2+1=0")
    ineq = Ineq(lambda x: x[0] ** 2 / 4 + x[1] ** 2 - 1,
                jac=lambda x: np.array([x[0] / 2, 2 * x[1]]),
                hess=lambda x, v: v[0] * np.diag([0.5, 2.0]), name="ellipse")
    xs = np.array([(SQRT7 - 1) / 2, (SQRT7 + 1) / 4])
    # stationarity 2(x−c) + λ(1, −2) + α(x₁/2, 2x₂) = 0 solved for (λ, α) at x*
    M = np.array([[1.0, xs[0] / 2], [-2.0, 2 * xs[1]]])
    lam, alpha = np.linalg.solve(M, -2 * (xs - np.array([2.0, 1.0])))
    return HSProblem(
        "HS14", np.array([2.0, 2.0]), lambda x: (x[0] - 2) ** 2 + (x[1] - 1) ** 2,
        lambda x: np.array([2 * (x[0] - 2), 2 * (x[1] - 1)]), lambda x: 2 * np.eye(2),
        [eq, ineq], None, xs, 9 - 23 * SQRT7 / 8, np.array([lam]), np.array([alpha]),
        "x* = ((√7−1)/2, (√7+1)/4), f* = 9 − 23√7/8")


_H35 = np.array([[4.0, 2.0, 2.0], [2.0, 4.0, 0.0], [2.0, 0.0, 2.0]])
_C35 = np.array([8.0, 6.0, 4.0])


def hs35() -> HSProblem:
    """min 9 − 8x₁ − 6x₂ − 4x₃ + 2x₁² + 2x₂² + x₃² + 2x₁x₂ + 2x₁x₃, x₁ + x₂ + 2x₃ ≤ 3, x ≥ 0."""
    return HSProblem(
        "HS35", np.array([0.5, 0.5, 0.5]),
        lambda x: 9 - _C35 @ x + 0.5 * x @ _H35 @ x, lambda x: _H35 @ x - _C35,
        lambda x: _H35, [Ineq.linear([[1.0, 1.0, 2.0]], [3.0], name="x1+x2+2x3<=3")], (0, None),
        np.array([4 / 3, 7 / 9, 4 / 9]), 1 / 9, np.zeros(0), np.array([2 / 9, 0.0, 0.0, 0.0]),
        "α = 2/9 for the linear constraint, bounds inactive")


def _prod_grad(x):
    x1, x2, x3, x4 = x
    return np.array([x2 * x3 * x4, x1 * x3 * x4, x1 * x2 * x4, x1 * x2 * x3])


def _prod_hess(x):
    x1, x2, x3, x4 = x
    return np.array([[0, x3 * x4, x2 * x4, x2 * x3], [x3 * x4, 0, x1 * x4, x1 * x3],
                     [x2 * x4, x1 * x4, 0, x1 * x2], [x2 * x3, x1 * x3, x1 * x2, 0]])


def _f71_hess(x):
    x1, x2, x3, x4 = x
    s = 2 * x1 + x2 + x3
    return np.array([[2 * x4, x4, x4, s], [x4, 0, 0, x1], [x4, 0, 0, x1], [s, x1, x1, 0]])


def hs71() -> HSProblem:
    """min x₁x₄(x₁+x₂+x₃) + x₃  s.t. x₁x₂x₃x₄ ≥ 25, Σxᵢ² = 40, 1 ≤ x ≤ 5."""
    ineq = Ineq(lambda x: 25 - np.prod(x), jac=lambda x: -_prod_grad(x),
                hess=lambda x, v: -v[0] * _prod_hess(x), name="x1x2x3x4>=25")
    eq = Eq(lambda x: x @ x - 40, jac=lambda x: 2 * x, hess=lambda x, v: 2 * v[0] * np.eye(4),
            name="sum x^2=40")
    alpha = np.zeros(9)
    alpha[0], alpha[1] = 0.55229366, 1.08787123  # product constraint, x₁ ≥ 1
    return HSProblem(
        "HS71", np.array([1.0, 5.0, 5.0, 1.0]),
        lambda x: x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2],
        lambda x: np.array([x[3] * (2 * x[0] + x[1] + x[2]), x[0] * x[3], x[0] * x[3] + 1,
                            x[0] * (x[0] + x[1] + x[2])]),
        _f71_hess, [ineq, eq], [(1.0, 5.0)] * 4,
        np.array([1.0, 4.7429994, 3.8211503, 1.3794082]), 17.0140173, np.array([0.16146857]),
        alpha, "x*, f* as printed in HS (1981); multipliers from the Ipopt HS071 example")


def hs_problems() -> list[HSProblem]:
    """Hock–Schittkowski problems 7, 14, 35 and 71, in that order.

    Returns:
        Four :class:`HSProblem` records (objective with derivatives, constraints, bounds,
        start, published x*, f* and multipliers).

    Reference: Hock & Schittkowski (1981), problems 7, 14, 35, 71.

    Example:
        >>> [p.name for p in hs_problems()]
        ['HS7', 'HS14', 'HS35', 'HS71']
    """
    return [hs7(), hs14(), hs35(), hs71()]
