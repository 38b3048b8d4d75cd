"""Local analysis: Taylor models, curvature, optimal steps, critical points (Goodfellow §4.3)."""

from __future__ import annotations

__all__: list[str] = []
