"""matplotlib figures used by the tour and by users (optional extra plot)."""

from __future__ import annotations

__all__: list[str] = []
