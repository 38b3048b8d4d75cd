"""First-order update rules as (init, update) pairs: SGD ... Adam, Nadam (Liquet §4.3)."""

from __future__ import annotations

__all__: list[str] = []
