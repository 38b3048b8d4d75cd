"""Overflow- and underflow-safe elementwise functions of machine learning (Goodfellow §4.1).

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
from ._arrays import as_real_float, finish

__all__ = ["sigmoid", "log_sigmoid", "softplus", "logit", "log1mexp"]

_LN2 = float(np.log(2.0))


def _log1p_exp_neg_abs(x: np.ndarray) -> np.ndarray:
    """``log1p(exp(-|x|))``: the exponent is never positive, so nothing overflows."""
    t = np.abs(x, out=np.empty_like(x))
    np.negative(t, out=t)
    np.exp(t, out=t)
    return np.log1p(t, out=t)


def _softplus_work(x: np.ndarray) -> np.ndarray:
    # max(x, 0) + log1p(exp(-|x|))
    t = _log1p_exp_neg_abs(x)
    t += np.maximum(x, 0.0)
    return t


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

    Derivative: :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x)) = \sigma(x)\sigma(-x)`; evaluate
    it as ``sigmoid(x) * sigmoid(-x)`` (``1 - s`` rounds to 0 for ``x > 37``, losing the
    ``≈ e^{-x}`` tail); JVP ``v * sigmoid(x) * sigmoid(-x)``.

    Args:
        x: real array-like.

    Returns:
        Array (or scalar) of the same shape and float dtype as ``x``.

    Reference:
        Goodfellow et al., *Deep Learning*, §3.10 and §4.1 "Overflow and Underflow".

    Example:
        >>> float(sigmoid(0.0)), float(sigmoid(-1000.0)), float(sigmoid(1000.0))
        (0.5, 0.0, 1.0)
    """
    a, out = as_real_float(x, "x")
    with np.errstate(all="ignore"):
        z = np.abs(a, out=np.empty_like(a))
        np.negative(z, out=z)
        np.exp(z, out=z)  # exp(-|x|) <= 1
        r = np.where(a >= 0, 1.0, z)
        z += 1.0
        r /= z
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

    Reference:
        Goodfellow et al., *Deep Learning*, §3.10 (softplus) and §4.1.

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

    Reference:
        Goodfellow et al., *Deep Learning*, §3.10 (log σ(x) = -ζ(-x)) and §4.1.

    Example:
        >>> float(log_sigmoid(-1000.0)), float(log_sigmoid(0.0)) == -float(np.log(2.0))
        (-1000.0, True)
    """
    a, out = as_real_float(x, "x")
    with np.errstate(all="ignore"):
        r = np.minimum(a, 0.0)
        r -= _log1p_exp_neg_abs(a)
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

    Reference:
        Goodfellow et al., *Deep Learning*, §3.10 (the logit is σ⁻¹).

    Example:
        >>> float(logit(0.5)), float(sigmoid(logit(0.25)))
        (0.0, 0.25)
    """
    a, out = as_real_float(p, "p")
    with np.errstate(all="ignore"):
        # Outside [0, 1] both branches give nan by themselves (atanh of |t| > 1, log of < 0).
        r = np.asarray(2.0 * np.arctanh(2.0 * a - 1.0))
        low = a < 0.25
        if np.any(low):
            p_low = a[low]
            r[low] = np.log(p_low / (1.0 - p_low))
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

    Reference:
        M. Mächler, "Accurately computing log(1 - exp(-|a|))", Rmpfr vignette, 2012.

    Example:
        >>> round(float(log1mexp(-1e-20)), 6), float(log1mexp(-800.0))
        (-46.051702, -0.0)
    """
    a, out = as_real_float(x, "x")
    with np.errstate(all="ignore"):
        # x > 0 lands in the first branch and gives log of a negative number: nan.
        r = np.asarray(np.log1p(-np.exp(a)))
        near = a > -_LN2
        if np.any(near):
            r[near] = np.log(-np.expm1(a[near]))
    return finish(r, out)
