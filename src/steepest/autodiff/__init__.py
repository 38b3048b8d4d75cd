"""Automatic differentiation: forward and reverse mode to any order (Liquet §4.4)."""

from __future__ import annotations

__all__: list[str] = []
