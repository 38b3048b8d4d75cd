"""The table from NumPy functions to their differentiable versions (``__array_function__``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["FUNCTIONS", "implements"]

FUNCTIONS: dict[Callable[..., Any], Callable[..., Any]] = {}


def implements(*np_funcs: Callable[..., Any]) -> Callable[[Callable], Callable]:
    """Register the decorated function as the traced version of each of ``np_funcs``."""

    def deco(fn: Callable) -> Callable:
        for f in np_funcs:
            FUNCTIONS[f] = fn
        return fn

    return deco
