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

from .eft import two_diff

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
    if type(axis) is int and -ndim <= axis < ndim:  # the common case, fast
        return (axis % ndim,)
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


def shifted_exp(a: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """``exp(a - shift)`` to full accuracy.

    Rounding ``a - shift`` to a float loses up to half an ulp of the difference ``d``; exp
    turns that absolute error into a *relative* error of ``|d|``·eps/2, which is many ulp
    once ``|d|`` is large. The exact remainder ``err`` of the subtraction restores it:
    ``exp(d + err) = exp(d)·(1 + err + O(err²))``.
    """
    e, err = two_diff(a, shift)
    np.exp(e, out=e)
    err *= e
    e += err
    return e


def rows_view(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """``x`` as a 2-D (rows, reduced) array: one row per entry of the reduction's result.

    Rows are in the C order of the kept dimensions, i.e. the order of
    ``np.sum(x, axes, keepdims=True).ravel()``.
    """
    rest = [i for i in range(x.ndim) if i not in axes]
    n = int(np.prod([x.shape[i] for i in axes]))
    m = int(np.prod([x.shape[i] for i in rest]))
    return np.transpose(x, rest + list(axes)).reshape(m, n)


# float64 sums can be carried in the extended format where longdouble has >= 64 mantissa bits
# (x87 80-bit on x86-64, IEEE quad on some others): exact enough for any row under 2**10 terms.
EXTENDED_OK = np.finfo(np.longdouble).nmant >= 63


def accurate_sum(x: np.ndarray, axes: tuple[int, ...], extended: bool | None = None) -> np.ndarray:
    """Sum of finite ``x`` over ``axes`` (dims kept), within about half an ulp of the exact sum.

    Plain ``np.sum`` can be off by a few ulp. For float64 on platforms with an extended
    ``longdouble`` the sum is carried in it (11+ extra bits). Otherwise (or with
    ``extended=False``) a pairwise summation in ``log2(n)`` vectorised rounds accumulates the
    exact TwoSum error of every addition and adds it back at the end. A non-finite entry
    makes the result nan or inf.
    """
    use_ext = (EXTENDED_OK and x.dtype == np.float64) if extended is None else extended
    if use_ext:
        return np.add.reduce(x, axis=axes, keepdims=True, dtype=np.longdouble).astype(x.dtype)
    keep = tuple(1 if i in axes else n for i, n in enumerate(x.shape))
    if x.size == 0:
        return np.zeros(keep, dtype=x.dtype)
    y = rows_view(x, axes)
    comp = np.zeros(y.shape[0], dtype=y.dtype)
    while y.shape[1] > 1:
        h = y.shape[1] // 2
        a, b = y[:, :h], y[:, h : 2 * h]
        s = a + b
        bv = s - a
        err = s - bv
        np.subtract(a, err, out=err)
        np.subtract(b, bv, out=bv)
        err += bv  # (a - (s - bv)) + (b - bv), exact
        comp += err.sum(axis=1)
        y = np.concatenate([s, y[:, 2 * h :]], axis=1) if y.shape[1] % 2 else s
    return (y[:, 0] + comp).reshape(keep)
