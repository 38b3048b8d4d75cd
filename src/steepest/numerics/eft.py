r"""Error-free transformations: the one home of TwoSum, Fast2Sum, Dekker's split and TwoProd.

An error-free transformation returns a rounded result together with its exact rounding error,
``a ∘ b = r + e`` with ``r = fl(a ∘ b)`` and ``e`` representable, so that later arithmetic can
carry the lost digits (extended-precision log-sum-exp, exact remainders of shifted arguments,
the rounding of ``x − y`` put back in logaddexp's derivative). All are vectorised, FMA-free and
work on anything with float64 arithmetic operators (ndarrays, NumPy scalars, steepest's traced
constants).

References:
    D. E. Knuth, *TAOCP* vol. 2, §4.2.2 (TwoSum); T. J. Dekker, "A floating-point technique
    for extending the available precision", Numer. Math. 18 (1971) (Fast2Sum, split, TwoProd).
"""

from __future__ import annotations

from typing import Any

import numpy as np

_SPLITTER = 134217729.0  # 2**27 + 1


def two_sum(a: Any, b: Any) -> tuple[Any, Any]:
    """``(s, e)`` with ``s = fl(a + b)`` and ``a + b = s + e`` exactly (Knuth's TwoSum).

    Args:
        a, b: float64 arrays or scalars (broadcast together).

    Returns:
        The rounded sum and its exact error, six operations, no branch.

    Example:
        >>> s, e = two_sum(np.array([1.0]), np.array([1e-20]))
        >>> s.item(), e.item()
        (1.0, 1e-20)
    """
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def two_sum_error(a: Any, b: Any) -> Any:
    """The exact error ``(a + b) − fl(a + b)`` of TwoSum, 0 where the sum is not finite.

    Example:
        >>> two_sum_error(np.array([1.0, np.inf]), np.array([1e-20, 1.0])).tolist()
        [1e-20, 0.0]
    """
    with np.errstate(invalid="ignore", over="ignore"):
        err = two_sum(a, b)[1]
    return np.where(np.isfinite(err), err, 0.0)


def two_diff(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(d, err)`` with ``d = fl(a − b)`` and ``a − b = d + err`` exactly (TwoSum of a, −b).

    The same six operations as :func:`two_sum`, three arrays allocated and the rest done in
    place (large temporaries cost more than the arithmetic); ``err`` is 0 where ``d`` is not
    finite.

    Example:
        >>> d, err = two_diff(np.array([1.0]), np.array([1e-20]))
        >>> d.item(), err.item()
        (1.0, -1e-20)
    """
    d = np.subtract(a, b)
    bv = np.subtract(d, a)
    err = np.subtract(d, bv)
    np.subtract(a, err, out=err)
    np.add(bv, b, out=bv)
    np.subtract(err, bv, out=err)  # (a - (d - bv)) + (-b - bv)
    if not np.isfinite(err).all():
        np.copyto(err, 0.0, where=~np.isfinite(d) | np.isnan(err))
    return d, err


def fast_two_sum(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TwoSum for ``|a| >= |b|`` (or ``a = 0``) in three operations (Dekker's Fast2Sum).

    Example:
        >>> s, e = fast_two_sum(np.array([1.0]), np.array([2.0**-60]))
        >>> s.item(), e.item() == 2.0**-60
        (1.0, True)
    """
    s = a + b
    return s, b - (s - a)


def split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``a = hi + lo`` with ``hi`` and ``lo`` of at most 26 significant bits (Dekker).

    Example:
        >>> hi, lo = split(np.array([1.0 + 2.0**-40]))
        >>> (hi + lo).item() == 1.0 + 2.0**-40, lo.item() != 0.0
        (True, True)
    """
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


def two_prod(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(p, e)`` with ``p = fl(a·b)`` and ``a·b = p + e`` exactly, without FMA (Dekker).

    Example:
        >>> p, e = two_prod(np.array([1.0 + 2.0**-30]), np.array([1.0 + 2.0**-30]))
        >>> e.item() == 2.0**-60
        True
    """
    p = a * b
    ah, al = split(a)
    bh, bl = split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl
