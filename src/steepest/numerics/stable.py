"""Overflow- and underflow-safe elementary functions of machine learning (Goodfellow §4.1).

Each function is accurate to about an ulp over the whole floating-point range (measured
against mpmath by ``benchmarks/ulp_accuracy.py``), never returns nan or inf where the true
value is finite, keeps float32 inputs float32, and is a :func:`steepest._dispatch.traceable`
primitive so the autodiff engine can attach the derivative rule stated in its docstring.

References:
    Goodfellow, Bengio & Courville, *Deep Learning*, §4.1 "Overflow and Underflow".
    M. Mächler, "Accurately computing log(1 - exp(-|a|))", Rmpfr vignette, 2012.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._dispatch import traceable
from ._arrays import AxisLike, as_real_float, finish, normalize_axes, shifted_exp

__all__ = [
    "sigmoid",
    "log_sigmoid",
    "softplus",
    "logit",
    "log1mexp",
    "softmax",
    "log_softmax",
    "logsumexp",
]

_LN2 = float(np.log(2.0))


def _softplus_work(x: np.ndarray) -> np.ndarray:
    # max(x, 0) + log1p(exp(-|x|)): the exponent is never positive, so nothing overflows.
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


@traceable
def sigmoid(x: Any) -> Any:
    r"""Logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`, elementwise.

    Computed as ``1 / (1 + exp(-x))`` for ``x >= 0`` and ``exp(x) / (1 + exp(x))`` for
    ``x < 0``, so the exponential never exceeds 1.

    Why the naive form fails: ``1 / (1 + exp(-x))`` overflows ``exp(-x)`` for ``x < -709``
    (float64) and raises an overflow warning, and ``exp(x) / (1 + exp(x))`` gives
    ``inf / inf = nan`` for ``x > 709``.

    Edge cases: ``sigmoid(+inf) = 1``, ``sigmoid(-inf) = 0``, nan propagates; for
    ``x < -745`` the true value is below the smallest subnormal and rounds to 0.

    Derivative: :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))`; JVP ``v * s * (1 - s)``.

    Args:
        x: real array-like.

    Returns:
        Array (or scalar) of the same shape and float dtype as ``x``.

    Example:
        >>> float(sigmoid(0.0)), float(sigmoid(-1000.0)), float(sigmoid(1000.0))
        (0.5, 0.0, 1.0)
    """
    a, out = as_real_float(x, "x")
    with np.errstate(all="ignore"):
        z = np.exp(-np.abs(a))
        r = np.where(a >= 0, 1.0 / (1.0 + z), z / (1.0 + z))
    return finish(r, out)


@traceable
def softplus(x: Any) -> Any:
    r"""Softplus :math:`\zeta(x) = \log(1 + e^{x})`, elementwise.

    Computed as ``max(x, 0) + log1p(exp(-|x|))``.

    Why the naive form fails: ``log(1 + exp(x))`` overflows to inf for ``x > 709`` although
    the answer is ``≈ x``, and for ``x < -37`` ``1 + exp(x)`` rounds to 1 and the result to 0
    although the answer is ``≈ exp(x)`` (all relative accuracy lost).

    Edge cases: ``softplus(+inf) = inf``, ``softplus(-inf) = 0``, nan propagates.

    Derivative: :math:`\zeta'(x) = \sigma(x)`; JVP ``v * sigmoid(x)``.

    Args:
        x: real array-like.

    Returns:
        Array (or scalar) of the same shape and float dtype as ``x``.

    Example:
        >>> float(softplus(1000.0)), float(softplus(-50.0)) == float(np.exp(-50.0))
        (1000.0, True)
    """
    a, out = as_real_float(x, "x")
    with np.errstate(all="ignore"):
        r = _softplus_work(a)
    return finish(r, out)


@traceable
def log_sigmoid(x: Any) -> Any:
    r"""Log of the logistic sigmoid, :math:`\log\sigma(x) = -\zeta(-x)`, elementwise.

    Why the naive form fails: ``log(sigmoid(x))`` is ``log(0) = -inf`` once ``sigmoid(x)``
    underflows (``x < -745``) although the answer is ``≈ x``, and for ``x > 37`` it returns
    0 where the answer is ``≈ -exp(-x)``.

    Edge cases: ``log_sigmoid(+inf) = 0``, ``log_sigmoid(-inf) = -inf``, nan propagates.

    Derivative: :math:`\frac{d}{dx}\log\sigma(x) = \sigma(-x) = 1 - \sigma(x)`.

    Args:
        x: real array-like.

    Returns:
        Array (or scalar) of the same shape and float dtype as ``x``.

    Example:
        >>> float(log_sigmoid(-1000.0)), float(log_sigmoid(0.0)) == -float(np.log(2.0))
        (-1000.0, True)
    """
    a, out = as_real_float(x, "x")
    with np.errstate(all="ignore"):
        r = -_softplus_work(-a)
    return finish(r, out)


@traceable
def logit(p: Any) -> Any:
    r"""Log-odds :math:`\operatorname{logit}(p) = \log\frac{p}{1-p}`, the inverse of sigmoid.

    Computed as ``2 * atanh(2p - 1)`` for ``p >= 1/4`` (``2p - 1`` is exact there, so the
    cancellation near ``p = 1/2`` costs nothing) and as ``log(p / (1 - p))`` below.

    Why the naive form fails: near ``p = 1/2`` the ratio ``p / (1 - p)`` is ``≈ 1`` and its
    log loses the relative accuracy of the small answer; near ``p = 1`` ``1 - p`` is
    computed from a rounded ``p`` only once, here it is exact.

    Edge cases: ``logit(0) = -inf``, ``logit(1) = inf``, ``p`` outside ``[0, 1]`` or nan
    gives nan (no warning, as ``scipy.special.logit``).

    Derivative: :math:`\operatorname{logit}'(p) = 1 / (p (1 - p))`.

    Args:
        p: real array-like of probabilities.

    Returns:
        Array (or scalar) of the same shape and float dtype as ``p``.

    Example:
        >>> float(logit(0.5)), float(sigmoid(logit(0.25)))
        (0.0, 0.25)
    """
    a, out = as_real_float(p, "p")
    with np.errstate(all="ignore"):
        low = np.log(a / (1.0 - a))
        high = 2.0 * np.arctanh(2.0 * a - 1.0)
        r = np.where(a < 0.25, low, high)
        r = np.where((a >= 0.0) & (a <= 1.0), r, np.nan)
    return finish(r, out)


@traceable
def log1mexp(x: Any) -> Any:
    r""":math:`\log(1 - e^{x})` for :math:`x \le 0`, elementwise (Mächler 2012).

    Computed as ``log(-expm1(x))`` for ``-ln 2 < x <= 0`` and ``log1p(-exp(x))`` for
    ``x <= -ln 2``; each branch is accurate where the other is not. Useful to turn
    ``log p`` into ``log(1 - p)``.

    Why the naive form fails: for ``x`` near 0, ``1 - exp(x)`` cancels catastrophically
    (``x = -1e-20`` gives ``log(0) = -inf`` instead of ``≈ -46``); for ``x < -37``,
    ``1 - exp(x)`` rounds to 1 and the answer ``≈ -exp(x)`` becomes 0.

    Edge cases: ``log1mexp(0) = -inf``, ``log1mexp(-inf) = 0``; ``x > 0`` (log of a negative
    number) and nan give nan.

    Derivative: :math:`\frac{d}{dx}\log(1-e^x) = -e^x/(1-e^x) = -1/\operatorname{expm1}(-x)`.

    Args:
        x: real array-like of non-positive numbers.

    Returns:
        Array (or scalar) of the same shape and float dtype as ``x``.

    Example:
        >>> round(float(log1mexp(-1e-20)), 6), float(log1mexp(-800.0))
        (-46.051702, -0.0)
    """
    a, out = as_real_float(x, "x")
    with np.errstate(all="ignore"):
        near = np.log(-np.expm1(a))
        far = np.log1p(-np.exp(a))
        r = np.where(a > -_LN2, near, far)
        r = np.where(a > 0.0, np.nan, r)
    return finish(r, out)


def _max_and_shift(a: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Maximum over ``axes`` (kept) and the shift to subtract (the max where finite, else 0)."""
    amax = np.max(a, axis=axes, keepdims=True, initial=-np.inf)
    return amax, np.where(np.isfinite(amax), amax, 0.0)


def _inf_share(a: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """Count of ``+inf`` entries per slice (kept dims), the limit rule for softmax."""
    return np.sum(a == np.inf, axis=axes, keepdims=True)


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
        e, _, _ = shifted_exp(a, shift)
        r = e / np.sum(e, axis=axes, keepdims=True)
        if np.any(amax == np.inf):
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
        e, d, err = shifted_exp(a, shift)
        k = np.sum(ismax, axis=axes, keepdims=True)
        rest = np.sum(np.where(ismax, 0.0, e), axis=axes, keepdims=True)
        log_s = np.log(k) + np.log1p(rest / k)
        r = (d - log_s) + err
        r = np.where(amax == -np.inf, np.nan, r)
        if np.any(amax == np.inf):
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

    Semantics (as SciPy): ``b`` broadcasts against ``a`` and may be negative or zero (an entry
    with ``b = 0`` is ignored even if ``a`` is inf or nan); a negative sum gives nan unless
    ``return_sign=True``, which returns ``(log|sum|, sign)`` with sign in ``{-1, 0, 1}``;
    an empty reduction or one over ``-inf`` only gives ``-inf`` (sign 0); a ``+inf`` entry
    gives ``+inf`` (nan if ``+inf`` entries carry weights of both signs); nan propagates.
    ``axis=None`` reduces over all axes. One deliberate difference: for an empty input SciPy
    reports sign -1, this function reports 0 (the empty sum is 0).

    Derivative: :math:`\partial/\partial a_i = b_i e^{a_i - \mathrm{lse}}` (``softmax(a)`` when
    ``b`` is None); JVP ``sum(softmax(a) * v)``, VJP ``g * softmax(a)``.

    Args:
        a: real array-like.
        axis: None (all axes), an int or a tuple of ints.
        b: optional weights broadcastable against ``a``.
        keepdims: keep the reduced axes as size-1 dimensions.
        return_sign: also return the sign of the sum.

    Returns:
        ``lse`` (a scalar when the result is 0-d), or ``(lse, sign)`` if ``return_sign``.

    Example:
        >>> float(logsumexp([1000.0, 1000.0])) == 1000.0 + float(np.log(2.0))
        True
        >>> logsumexp([1.0, 2.0], b=[1.0, -1.0], return_sign=True)[1].item()
        -1.0
    """
    arr, out = as_real_float(a, "a")
    w = None
    if b is not None:
        w, wout = as_real_float(b, "b")
        out = np.result_type(out, wout)
        try:
            arr, w = np.broadcast_arrays(arr, w)
        except ValueError:
            raise ValueError(
                f"b with shape {np.shape(w)} does not broadcast against a with shape "
                f"{np.shape(arr)}; pass weights of a's shape (or broadcastable to it)"
            ) from None
        arr = np.where(w == 0, -np.inf, arr)
    arr = np.atleast_1d(arr)
    w = None if w is None else np.atleast_1d(w)
    axes = normalize_axes(axis, arr.ndim)
    with np.errstate(all="ignore"):
        res, sgn = _lse_core(arr, w, axes)
        bad = ~np.isfinite(res)
        if np.any(bad):
            terms = np.exp(arr) if w is None else w * np.exp(arr)
            direct = np.sum(terms, axis=axes, keepdims=True)
            res = np.where(bad, np.log(np.abs(direct)), res)
            sgn = np.where(bad, np.sign(direct), sgn)
    if not return_sign:
        res = np.where(sgn < 0, np.nan, res)
    if not keepdims:
        res, sgn = np.squeeze(res, axis=axes), np.squeeze(sgn, axis=axes)
    if return_sign:
        return finish(res, out), finish(sgn, out)
    return finish(res, out)


def _lse_core(
    a: np.ndarray, w: np.ndarray | None, axes: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Shifted log-sum-exp with its sign, keeping the reduced dims (non-finite handled later)."""
    amax, shift = _max_and_shift(a, axes)
    ismax = a == amax
    e, _, _ = shifted_exp(np.where(ismax, -np.inf, a), shift)
    if w is None:
        m = np.sum(ismax, axis=axes, keepdims=True).astype(a.dtype)
        rest = np.sum(e, axis=axes, keepdims=True)
    else:
        m = np.sum(np.where(ismax, w, 0.0), axis=axes, keepdims=True)
        rest = np.sum(w * e, axis=axes, keepdims=True)
    s = np.where(rest == 0, 0.0, rest / m)
    sgn = np.sign(s + 1.0) * np.sign(m)
    s = np.where(s < -1.0, -s - 2.0, s)
    return np.log1p(s) + np.log(np.abs(m)) + amax, sgn
