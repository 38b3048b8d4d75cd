"""Input handling and exact-arithmetic helpers shared by the stable numerics.

Every stable function accepts array-likes, computes in a *working* precision and returns the
*result* precision:

- float64 (and longdouble) inputs are computed in their own precision;
- float16/float32 inputs are computed in float64 and rounded once at the end, so the answer is
  the float64 answer correctly rounded to float32 (up to double rounding) and stays float32;
- integer and boolean inputs are promoted to float64, as NumPy's ufuncs do;
- complex inputs are rejected with a TypeError (these are real functions).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

AxisLike = int | Sequence[int] | None


def as_real_float(x: Any, name: str) -> tuple[np.ndarray, np.dtype]:
    """Return ``(array in working precision, result dtype)`` for a real input ``x``.

    Raises:
        TypeError: if ``x`` is complex or not numeric.
    """
    a = np.asarray(x)
    kind = a.dtype.kind
    if kind == "c":
        raise TypeError(
            f"{name} must be real, got complex dtype {a.dtype}; pass x.real (or np.abs(x))"
        )
    if kind in "biu":
        out = np.dtype(np.float64)
    elif kind == "f":
        out = a.dtype
    else:
        raise TypeError(f"{name} must be a real numeric array, got dtype {a.dtype}")
    work = np.dtype(np.float64) if out.itemsize < 8 else out
    return a.astype(work, copy=False), out


def finish(r: np.ndarray, out: np.dtype) -> Any:
    """Cast ``r`` to the result dtype; a 0-d array becomes a NumPy scalar (like a ufunc)."""
    if r.dtype != out:
        r = r.astype(out)
    return r[()] if r.ndim == 0 else r


def normalize_axes(axis: AxisLike, ndim: int, name: str = "axis") -> tuple[int, ...]:
    """Turn ``axis`` (None, int or tuple of ints) into a tuple of non-negative axes.

    Raises:
        TypeError: for a non-integer axis.
        ValueError: for an axis out of range or repeated.
    """
    if axis is None:
        return tuple(range(ndim))
    items = (axis,) if np.ndim(axis) == 0 else tuple(axis)  # type: ignore[arg-type]
    axes = []
    for ax in items:
        if isinstance(ax, bool) or not isinstance(ax, (int, np.integer)):
            raise TypeError(f"{name} must be an int, a tuple of ints or None, got {axis!r}")
        if not -ndim <= ax < max(ndim, 1):
            raise ValueError(
                f"{name}={ax} is out of range for an array with {ndim} dimension(s); "
                f"use an axis in [{-ndim}, {ndim - 1}]"
            )
        axes.append(int(ax) % max(ndim, 1))
    if len(set(axes)) != len(axes):
        raise ValueError(f"{name}={axis!r} repeats an axis; list each axis once")
    return tuple(axes)


def two_diff(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact difference: ``a - b == d + err`` exactly, with ``d = fl(a - b)`` (Knuth's TwoSum).

    Where ``d`` is not finite the error term is set to 0.
    """
    d = a - b
    bv = d - a
    err = (a - (d - bv)) + (-b - bv)
    return d, np.where(np.isfinite(d), err, 0.0)


def shifted_exp(a: np.ndarray, shift: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``exp(a - shift)`` to full accuracy, with the rounded difference and its error.

    Rounding ``a - shift`` to a float loses up to half an ulp of the difference ``d``; exp
    turns that absolute error into a *relative* error of ``|d|``·eps/2, which is many ulp
    once ``|d|`` is large. The exact remainder ``err`` of the subtraction restores it:
    ``exp(d + err) = exp(d)·(1 + err + O(err²))``.

    Returns:
        ``(e, d, err)`` with ``e ≈ exp(a - shift)``, ``d = fl(a - shift)`` and ``err`` the
        exact remainder ``(a - shift) - d``.
    """
    d, err = two_diff(a, shift)
    e = np.exp(d)
    return e + e * err, d, err
