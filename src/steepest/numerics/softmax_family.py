"""Softmax, log-softmax and log-sum-exp without overflow or underflow (Goodfellow §4.1, eq. 4.1).

All three shift by the maximum so that the largest exponential is exactly 1, and carry the
rounding error of each subtraction ``x - max x`` into the exponential, so that even the tiny
entries are accurate to about an ulp. They are :func:`steepest._dispatch.traceable`
primitives; their derivative rules are stated in the docstrings.

References:
    Goodfellow, Bengio & Courville, *Deep Learning*, §4.1 "Overflow and Underflow".
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._dispatch import traceable
from ._arrays import (
    AxisLike,
    accurate_sum,
    as_real_float,
    finish,
    normalize_axes,
    rows_view,
    shifted_exp,
    two_diff,
)
from ._extended import lse_repair

__all__ = ["softmax", "log_softmax", "logsumexp"]


def _max_and_shift(a: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Maximum over ``axes`` (kept) and the shift to subtract (the max where finite, else 0)."""
    amax = np.maximum.reduce(a, axis=axes, keepdims=True, initial=-np.inf)
    finite = np.isfinite(amax)
    return amax, (amax if finite.all() else np.where(finite, amax, 0.0))


def _inf_share(a: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """Count of ``+inf`` entries per slice (kept dims), the limit rule for softmax."""
    return np.add.reduce(a == np.inf, axes, keepdims=True)


@traceable
def softmax(x: Any, axis: AxisLike = -1) -> Any:
    r"""Softmax :math:`s_i = e^{x_i} / \sum_j e^{x_j}` along ``axis`` (Goodfellow eq. 4.1).

    Computed as ``exp(x - max x) / sum(exp(x - max x))`` with the rounding error of each
    subtraction ``x - max x`` carried into the exponential, so every entry is accurate to
    about an ulp, even the tiny ones.

    Why the naive form fails: ``exp(x)`` overflows to inf for ``x > 709`` (then ``inf/inf``
    is nan) and underflows to 0 for ``x < -745`` (then ``0/0`` is nan); shifting by the
    maximum makes the largest exponent 0, so the denominator is at least 1.

    Edge cases: ``+inf`` entries share the whole mass equally (the limit of softmax as those
    entries grow together), the others get 0; a slice of only ``-inf`` or with a nan is nan;
    an empty slice gives an empty result.

    Derivative: the Jacobian is ``diag(s) - s sᵀ``; JVP ``s * (v - sum(s * v))`` and, the
    Jacobian being symmetric, VJP ``s * (g - sum(g * s))`` (sums along ``axis``).

    Args:
        x: real array-like.
        axis: axis (or tuple of axes) the probabilities sum to one along.

    Returns:
        Array of the shape and float dtype of ``x``.

    Example:
        >>> softmax([-12345.0, -67890.0, -99999999.0]).tolist()
        [1.0, 0.0, 0.0]
        >>> softmax([1000.0, 1000.0]).tolist()
        [0.5, 0.5]
    """
    a, out = as_real_float(x, "x")
    axes = normalize_axes(axis, a.ndim)
    with np.errstate(all="ignore"):
        amax, shift = _max_and_shift(a, axes)
        r = shifted_exp(a, shift)
        # The exact-ish sum matters only when the answer stays float64 (float32 is rounded).
        r /= accurate_sum(r, axes) if out == np.float64 else np.add.reduce(r, axes, keepdims=True)
        if (amax == np.inf).any():
            share = (a == np.inf) / _inf_share(a, axes)
            r = np.where(amax == np.inf, share, r)
    return finish(r, out)


@traceable
def log_softmax(x: Any, axis: AxisLike = -1) -> Any:
    r"""Log-softmax :math:`x_i - \log\sum_j e^{x_j}` along ``axis``.

    Computed as ``(x - m) - log(k) - log1p(r / k)`` where ``m = max x``, ``k`` counts the
    entries equal to ``m`` and ``r`` sums ``exp(x_j - m)`` over the others; the ``log1p``
    keeps full accuracy for the confident entry (where the answer is ``≈ -r``).

    Why the naive form fails: ``log(softmax(x))`` is ``log(0) = -inf`` as soon as an entry of
    ``softmax(x)`` underflows (Goodfellow §4.1), although ``log_softmax`` is finite, e.g.
    ``x = [0, -1000]`` gives ``[0, -1000]``.

    Edge cases: with ``+inf`` entries those get ``-log(count)`` and the others ``-inf``; a
    slice of only ``-inf`` or with a nan is nan.

    Derivative: Jacobian ``I - 1 sᵀ`` with ``s = softmax(x)``; JVP ``v - sum(s * v)``,
    VJP ``g - s * sum(g)`` (sums along ``axis``).

    Args:
        x: real array-like.
        axis: axis (or tuple of axes) of the normalisation.

    Returns:
        Array of the shape and float dtype of ``x``.

    Example:
        >>> log_softmax([0.0, -1000.0]).tolist()
        [0.0, -1000.0]
    """
    a, out = as_real_float(x, "x")
    axes = normalize_axes(axis, a.ndim)
    with np.errstate(all="ignore"):
        amax, shift = _max_and_shift(a, axes)
        ismax = a == amax
        d, err = two_diff(a, shift)
        e = np.exp(d)
        e *= 1.0 + err
        np.copyto(e, 0.0, where=ismax)  # the max terms are exactly 1: counted in k
        k = np.add.reduce(ismax, axes, dtype=a.dtype, keepdims=True)
        log_s = np.log(k) + np.log1p(np.add.reduce(e, axes, keepdims=True) / k)
        d -= log_s
        d += err
        r = d
        if (amax == -np.inf).any():
            r = np.where(amax == -np.inf, np.nan, r)
        if (amax == np.inf).any():
            n_inf = _inf_share(a, axes)
            r = np.where(amax == np.inf, np.where(a == np.inf, -np.log(n_inf), -np.inf), r)
    return finish(r, out)


@traceable
def logsumexp(
    a: Any,
    axis: AxisLike = None,
    b: Any = None,
    keepdims: bool = False,
    return_sign: bool = False,
) -> Any:
    r""":math:`\log\sum_i b_i e^{a_i}` over ``axis``, with ``scipy.special.logsumexp``'s semantics.

    Computed as :math:`m + \log|w_m| + \operatorname{log1p}(\sum_{i \ne \max} b_i
    e^{a_i - m} / w_m)` with ``m = max a`` and ``w_m`` the total weight of the entries equal
    to ``m`` (the shift's rounding error is carried into the exponentials).

    Why the naive form fails: ``log(sum(exp(a)))`` overflows for ``a > 709`` and gives
    ``log(0) = -inf`` when every ``a < -745``; the shift makes the largest term ``|w_m|``.

    Accuracy (float64): within 2 ulp of the exact value, also where the result cancels its
    terms (``|lse| ≪ |max a|``, e.g. ``a = log p`` for probabilities ``p``, where ``lse`` is
    the rounding residue of the logs, ~1e-17, and the condition number
    :math:`\kappa = \sum_i |a_i|\,\mathrm{softmax}_i / |\mathrm{lse}|` passes
    :math:`2^{53}`): such rows are recomputed as ``r + log Σ b e^{a - r}`` around the first
    estimate ``r`` with every exponential in triple-double (error-free transformations in
    NumPy, :mod:`steepest.numerics._extended`), and the few rows beyond even that
    (``|lse| < 2⁻⁶⁶``) in exact fixed point. That costs about 0.2 ms per call with such rows
    plus about 0.2 µs per repaired entry.

    Semantics (as SciPy): ``b`` broadcasts against ``a`` and may be negative or zero (an entry
    with ``b = 0`` is ignored even if ``a`` is inf or nan); a negative sum gives nan unless
    ``return_sign=True``, which returns ``(log|sum|, sign)`` with sign in ``{-1, 0, 1}``;
    an empty reduction or one over ``-inf`` only gives ``-inf`` (sign 0); a ``+inf`` entry
    gives ``+inf`` (nan if ``+inf`` entries carry weights of both signs); nan propagates.
    ``axis=None`` reduces over all axes. One deliberate difference: for an empty input SciPy
    reports sign -1, this function reports 0 (the empty sum is 0).

    Derivative: :math:`\partial/\partial a_i = b_i e^{a_i - \mathrm{lse}}` (``softmax(a)`` when
    ``b`` is None); JVP ``sum(softmax(a) * v)``, VJP ``g * softmax(a)``. Prefer
    ``softmax(a)`` to ``exp(a - lse)``: rounding ``a - lse`` costs ``≈ |a|·eps`` relatively.

    Args:
        a: real array-like.
        axis: None (all axes), an int or a tuple of ints.
        b: optional weights broadcastable against ``a``.
        keepdims: keep the reduced axes as size-1 dimensions.
        return_sign: also return the sign of the sum.

    Returns:
        ``lse`` (a scalar when the result is 0-d), or ``(lse, sign)`` if ``return_sign``.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1 "Overflow and Underflow" (the max-shift of eq.
        4.1); Dekker (1971) and Knuth, *TAOCP* 2 §4.2.2 for the error-free transformations.

    Example:
        >>> float(logsumexp([1000.0, 1000.0])) == 1000.0 + float(np.log(2.0))
        True
        >>> logsumexp([1.0, 2.0], b=[1.0, -1.0], return_sign=True)[1].item()
        -1.0
    """
    arr, w, out = _weighted_inputs(a, b)
    axes = normalize_axes(axis, arr.ndim)
    with np.errstate(all="ignore"):
        res, sgn = _lse_core(arr, w, axes)[:2] if out != np.float64 else \
            _repair_cancellation(arr, w, axes, _lse_core(arr, w, axes))
        bad = ~np.isfinite(res)
        if bad.any():  # inf/nan/empty: the direct formula has the IEEE semantics
            terms = np.exp(arr) if w is None else w * np.exp(arr)
            direct = np.add.reduce(terms, axes, keepdims=True)
            res = np.where(bad, np.log(np.abs(direct)), res)
            sgn = np.where(bad, np.sign(direct), sgn)
    if not return_sign:
        res = np.where(sgn < 0, np.nan, res)
    if not keepdims:
        res, sgn = np.squeeze(res, axis=axes), np.squeeze(sgn, axis=axes)
    if return_sign:
        return finish(res, out), finish(sgn, out)
    return finish(res, out)


def _weighted_inputs(a: Any, b: Any) -> tuple[np.ndarray, np.ndarray | None, np.dtype]:
    """``(a, b, result dtype)`` broadcast together, at least 1-d; ``a = -inf`` where ``b = 0``."""
    arr, out = as_real_float(a, "a")
    if b is None:
        return np.atleast_1d(arr), None, out
    w, wout = as_real_float(b, "b")
    try:
        arr, w = np.broadcast_arrays(arr, w)
    except ValueError:
        raise ValueError(
            f"b with shape {np.shape(w)} does not broadcast against a with shape "
            f"{np.shape(arr)}; pass weights of a's shape (or broadcastable to it)"
        ) from None
    arr = np.where(w == 0, -np.inf, arr)
    return np.atleast_1d(arr), np.atleast_1d(w), np.result_type(out, wout)


def _lse_core(
    a: np.ndarray, w: np.ndarray | None, axes: tuple[int, ...]
) -> tuple[np.ndarray, ...]:
    """Shifted log-sum-exp ``amax + log|m| + log1p(s)``, its sign, and (for the repair) the
    largest of the three terms in magnitude and ``s`` (dims kept; non-finite fixed later)."""
    amax, shift = _max_and_shift(a, axes)
    ismax = a == amax
    e = shifted_exp(a, shift)
    np.copyto(e, 0.0, where=ismax)  # the max terms are counted in m
    if w is None:
        m = np.add.reduce(ismax, axes, dtype=a.dtype, keepdims=True)
        rest = np.add.reduce(e, axes, keepdims=True)
    else:
        m = np.add.reduce(np.where(ismax, w, 0.0), axes, keepdims=True)
        rest = np.add.reduce(w * e, axes, keepdims=True)
    s = np.where(rest == 0, 0.0, rest / m)
    sgn = np.sign(s + 1.0) * np.sign(m)
    s = np.where(s < -1.0, -s - 2.0, s)
    log1p_s, log_m = np.log1p(s), np.log(np.abs(m))
    largest = np.maximum(np.abs(amax), np.maximum(np.abs(log1p_s), np.abs(log_m)))
    return log1p_s + log_m + amax, sgn, largest, s


# A result smaller in magnitude than CANCELLING times its largest term is repaired.
CANCELLING = 1.0


def _repair_cancellation(
    a: np.ndarray, w: np.ndarray | None, axes: tuple[int, ...], core: tuple[np.ndarray, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Recompute the results that cancel, ``|lse| < CANCELLING·max(|max a|, |log|m||,
    |log1p(s)|)`` (or whose weights cancel, ``s < -1/2``), with
    :func:`~._extended.lse_repair` (triple-double).

    There the double-precision rounding of ``exp`` and ``log1p`` (absolute errors of order
    eps) is amplified by the largest term over ``|lse|``; only those rows are redone, so the
    common case costs a comparison.
    """
    res, sgn, largest, s = core
    flag = np.abs(res) < CANCELLING * largest
    if w is not None:
        flag |= s < -0.5
    flag &= np.isfinite(res)
    if not flag.any():
        return res, sgn
    pick = flag.ravel()
    wsub = None if w is None else rows_view(w, axes)[pick]
    better, bsgn = lse_repair(rows_view(a, axes)[pick], wsub, res.ravel()[pick],
                              sgn.ravel()[pick])
    res, sgn = res.ravel().copy(), sgn.ravel().copy()
    res[pick], sgn[pick] = better, bsgn
    return res.reshape(core[0].shape), sgn.reshape(core[0].shape)
