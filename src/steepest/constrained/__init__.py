"""Constrained optimization: projections, Lagrangian/KKT solvers and certificates."""

from __future__ import annotations

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

__all__: list[str] = [
    "Affine",
    "Box",
    "Halfspace",
    "Hyperplane",
    "L1Ball",
    "L2Ball",
    "LinfBall",
    "NonnegativeOrthant",
    "Product",
    "Projection",
    "Simplex",
]
