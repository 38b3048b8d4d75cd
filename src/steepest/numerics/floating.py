"""Floating-point measuring sticks: machine epsilon, ulp, and distances in ulps (Goodfellow §4.1).

The *ulp* (unit in the last place) of ``x`` is the gap between ``|x|`` and the next larger
float of its format; a result "accurate to 1 ulp" differs from the exact value by at most one
such gap. :func:`ulp_distance` counts how many floats lie between two numbers, the natural
measure of the accuracy of a floating-point routine.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["machine_epsilon", "ulp", "ulp_distance"]

_UINT = {2: np.uint16, 4: np.uint32, 8: np.uint64}


def _float_dtype(dtype: Any) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = np.asarray(dtype).dtype
    if dt.kind != "f":
        raise TypeError(
            f"machine_epsilon needs a floating dtype (np.float16/32/64), got {dt}; "
            "integers are exact and have no epsilon"
        )
    return dt


def machine_epsilon(dtype: Any = np.float64) -> float:
    r"""Machine epsilon :math:`\varepsilon = 2^{1-p}` of a float format (``p`` mantissa bits).

    The gap between 1 and the next float; round-to-nearest then has relative error at most
    :math:`\varepsilon/2` (the unit roundoff).

    Args:
        dtype: a float dtype, a dtype name, or an array/scalar whose dtype is used.

    Returns:
        ε as a Python float (2.220446049250313e-16 for float64, 1.1920929e-07 for float32).

    Reference:
        N. J. Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., §2.1.
        Goodfellow et al., *Deep Learning*, §4.1.

    Example:
        >>> machine_epsilon(np.float64) == 2.0 ** -52, machine_epsilon("float32") == 2.0 ** -23
        (True, True)
    """
    return float(np.finfo(_float_dtype(dtype)).eps)


def _real_floats(x: Any, name: str) -> np.ndarray:
    a = np.asarray(x)
    if a.dtype.kind in "biu":
        return a.astype(np.float64)
    if a.dtype.kind != "f" or a.dtype.itemsize not in _UINT:
        raise TypeError(f"{name} must be float16, float32 or float64, got dtype {a.dtype}")
    return a


def ulp(x: Any) -> Any:
    r"""Unit in the last place of ``x``: the gap from ``|x|`` to the next larger float.

    ``ulp(1.0) == machine_epsilon()``; ``ulp(0.0)`` is the smallest subnormal; for the
    largest finite float it is the spacing of its binade (``2**971`` in float64); ``ulp`` of
    ±inf or nan is nan. The dtype of ``x`` picks the format (float32 gives float32 ulps).

    Args:
        x: float array-like (integers are taken as float64).

    Returns:
        Array (or scalar) of ulps, in the dtype of ``x``.

    Reference:
        J.-M. Muller et al., *Handbook of Floating-Point Arithmetic*, ch. 2 (ulp).

    Example:
        >>> float(ulp(1.0)) == 2.0 ** -52, float(ulp(np.float32(1.0))) == 2.0 ** -23
        (True, True)
    """
    a = np.abs(_real_floats(x, "x"))
    with np.errstate(over="ignore", invalid="ignore"):
        gap = np.spacing(a)
        top = a == np.finfo(a.dtype).max  # spacing() overflows there; use the binade's gap
        return np.where(top, a - np.nextafter(a, a.dtype.type(0)), gap)[()]


def _ordinal(a: np.ndarray) -> np.ndarray:
    """Map floats to integers in the same order, consecutive floats to consecutive ints."""
    bits = a.view(_UINT[a.dtype.itemsize]).astype(np.int64) if a.dtype.itemsize < 8 else (
        a.view(np.int64)
    )
    sign_bit = np.int64(1) << (8 * a.dtype.itemsize - 1)
    if a.dtype.itemsize < 8:
        magnitude = bits & (sign_bit - 1)
        negative = (bits & sign_bit) != 0
    else:
        magnitude = bits & np.int64(0x7FFFFFFFFFFFFFFF)
        negative = bits < 0
    return np.where(negative, -magnitude, magnitude)


def ulp_distance(a: Any, b: Any) -> Any:
    r"""Number of floats between ``a`` and ``b`` (0 when equal, 1 for neighbours), elementwise.

    Computed on the ordered integer encoding of IEEE-754 floats, so it is exact across
    binades and subnormals; ``+0`` and ``-0`` are at distance 0; ``inf`` is one step beyond
    the largest finite float; a nan on either side gives nan. Both arguments are taken in the
    wider of their two float formats.

    d(a, b) = |I(a) − I(b)| where I maps each float to its rank in the ordered set of floats of that
    format.

    Args:
        a, b: float array-likes that broadcast together.

    Returns:
        Float array (or scalar) of distances, nan where either input is nan.

    Reference:
        J.-M. Muller et al., *Handbook of Floating-Point Arithmetic*, ch. 2 (ulp).

    Example:
        >>> float(ulp_distance(1.0, 1.0 + 2.0 ** -52)), float(ulp_distance(0.1 + 0.2, 0.3))
        (1.0, 1.0)
    """
    x, y = _real_floats(a, "a"), _real_floats(b, "b")
    if x.shape != y.shape:
        try:
            np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            raise ValueError(f"a and b must broadcast together, got shapes {x.shape} and "
                             f"{y.shape}; pass arrays of one shape") from None
    dt = np.result_type(x, y)
    x, y = np.broadcast_arrays(x.astype(dt), y.astype(dt))
    # Shift the signed ordinals into uint64 (order preserved) so that no difference overflows.
    offset = np.uint64(1) << np.uint64(63)
    ux = _ordinal(np.ascontiguousarray(x)).view(np.uint64) + offset
    uy = _ordinal(np.ascontiguousarray(y)).view(np.uint64) + offset
    dist = np.where(ux >= uy, ux - uy, uy - ux).astype(np.float64).reshape(x.shape)
    dist = np.where(np.isnan(x) | np.isnan(y), np.nan, dist)
    return dist[()] if dist.ndim == 0 else dist
