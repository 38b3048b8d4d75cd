"""Finite-sum training: minibatches, epochs, fit loop, early stopping (Liquet §4.2)."""

from __future__ import annotations

__all__: list[str] = []
