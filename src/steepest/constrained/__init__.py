"""Constrained optimization: projections, Lagrangian/KKT solvers and certificates."""

from __future__ import annotations

__all__: list[str] = []
