"""Constrained optimization: projections, Lagrangian/KKT solvers and certificates.

Sign convention (Goodfellow et al. eq. 4.14): L(x, λ, α) = f(x) + Σλᵢgᵢ(x) + Σαⱼhⱼ(x) for
equalities g(x) = 0 and inequalities h(x) ≤ 0, α ≥ 0. See :mod:`steepest.constrained.kkt`.
"""

from __future__ import annotations

from .certificate import as_constraints, certify
from .constraints import ConstraintSet, Eq, Ineq
from .driver import maximize_constrained, minimize_constrained
from .kkt import (
    CONVENTIONS,
    KKTCondition,
    KKTReport,
    convert_multipliers,
    kkt_check,
    lagrangian,
)
from .projected import ProjectedGradientResult, projected_gradient
from .projections import (
    Affine,
    Box,
    Halfspace,
    Hyperplane,
    L1Ball,
    L2Ball,
    LinfBall,
    NonnegativeOrthant,
    Product,
    Projection,
    Simplex,
)
from .result import ConstrainedResult
from .secular import SecularResult, norm_constrained_lstsq

__all__: list[str] = [
    "Affine",
    "Box",
    "CONVENTIONS",
    "ConstrainedResult",
    "ConstraintSet",
    "Eq",
    "Halfspace",
    "Hyperplane",
    "Ineq",
    "KKTCondition",
    "KKTReport",
    "L1Ball",
    "L2Ball",
    "LinfBall",
    "NonnegativeOrthant",
    "Product",
    "ProjectedGradientResult",
    "Projection",
    "SecularResult",
    "Simplex",
    "as_constraints",
    "certify",
    "convert_multipliers",
    "kkt_check",
    "lagrangian",
    "maximize_constrained",
    "minimize_constrained",
    "norm_constrained_lstsq",
    "projected_gradient",
]
