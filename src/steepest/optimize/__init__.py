"""Deterministic optimization: line searches, GD, Newton, CG, BFGS, L-BFGS behind minimize."""

from __future__ import annotations

__all__: list[str] = []
