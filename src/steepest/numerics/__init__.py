"""Stable numerics, floating-point diagnostics and conditioning (Goodfellow §4.1–4.2)."""

from __future__ import annotations

__all__: list[str] = []
