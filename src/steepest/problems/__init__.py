"""Test problems with known minima: Rosenbrock, quadratics, peaks, Moré–Garbow–Hillstrom."""

from __future__ import annotations

__all__: list[str] = []
