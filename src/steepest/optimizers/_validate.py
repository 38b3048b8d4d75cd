"""Hyperparameter checks shared by every rule: fail at construction, name the fix."""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real
from typing import Any

import numpy as np

__all__ = ["check_decay", "check_nonnegative", "check_positive", "check_rate", "float_leaf_dtype"]


def _as_float(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, Real | np.floating | np.integer):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name} must be finite, got {v}; pass a finite number")
    return v


def check_nonnegative(name: str, value: Any) -> float:
    """``value`` as a float, requiring ``value >= 0``."""
    v = _as_float(name, value)
    if v < 0:
        raise ValueError(f"{name} must be >= 0, got {v}; pass a non-negative value (0 disables it)")
    return v


def check_positive(name: str, value: Any, hint: str = "") -> float:
    """``value`` as a float, requiring ``value > 0``."""
    v = _as_float(name, value)
    if v <= 0:
        fix = hint or "pass a small positive value such as 1e-8"
        raise ValueError(f"{name} must be > 0, got {v}; {fix}")
    return v


def check_decay(name: str, value: Any, *, allow_one: bool = False) -> float:
    """An exponential-smoothing factor: ``0 <= value < 1`` (or ``<= 1`` when ``allow_one``)."""
    v = _as_float(name, value)
    ok = 0.0 <= v <= 1.0 if allow_one else 0.0 <= v < 1.0
    if not ok:
        interval = "[0, 1]" if allow_one else "[0, 1)"
        raise ValueError(
            f"{name} must lie in {interval}, got {v}; typical values are 0.9 (momentum) "
            "and 0.999 (second moments)"
        )
    return v


def check_rate(name: str, value: Any) -> float | Callable[[int], float]:
    """A learning rate: a non-negative float or a schedule (callable ``count -> float``)."""
    if callable(value):
        return value
    v = _as_float(name, value)
    if v < 0:
        raise ValueError(
            f"{name} must be >= 0, got {v}; the rules already step downhill, so pass a "
            "positive value such as 1e-3 (or a schedule)"
        )
    return v


def float_leaf_dtype(leaf: Any) -> np.dtype:
    """The dtype of a parameter leaf; integer or complex leaves are rejected."""
    dt = np.asarray(leaf).dtype
    if not np.issubdtype(dt, np.floating):
        raise TypeError(
            f"optimizers need real floating parameters, got a leaf of dtype {dt}; "
            "cast it first, e.g. params = tree_map(lambda p: np.asarray(p, float), params)"
        )
    return dt
