"""Traced :mod:`scipy.special`: its ufuncs in the dispatch table, its Python functions here.

Every :mod:`scipy.special` ufunc with a rule (``gammaln``, ``betaln``, ``erfinv``, ``ive``,
``xlog1py`` ... see :data:`steepest.autodiff.rules.scipy_special.UFUNCS`) is registered under
the ufunc itself, so ``scipy.special.gammaln(x)`` on a traced ``x`` reaches the traced value's
``__array_ufunc__`` and records the primitive: plain SciPy code is differentiated.

``scipy.special.logsumexp``, ``softmax``, ``log_softmax`` and ``polygamma`` are Python
functions, not ufuncs: they convert their input to a plain array before any ufunc sees it, so
NumPy's protocols never reach the traced value. Their traced versions below keep SciPy's
signatures; :mod:`steepest.scipy.special` serves them under SciPy's names.

Example:
    >>> import numpy as np
    >>> import scipy.special as sps
    >>> from steepest.autodiff import grad
    >>> round(float(grad(lambda a: sps.betaln(a, 2.0))(1.0)), 6)  # ψ(1) − ψ(3) = −3/2
    -1.5
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sps

from ..._dispatch import TRACED
from ..arraylike import Composite, NonDifferentiable
from ..rules import scipy_special as rules
from ..rules import special as special_rules
from ..rules.broadcast import reshape, sum
from ..rules.ufunc import absolute, exp, log, polygamma_prim
from ..tracing import getval, shape_of
from .coverage import Unsupported
from .special import logsumexp as _lse_nonnegative

__all__ = ["logsumexp", "softmax", "log_softmax", "polygamma"]

TRACED.update(rules.UFUNCS)
TRACED[np.i0] = rules.i0  # NumPy's i0 is a function, not a ufunc: __array_function__ reaches it
TRACED.update({sps.round: NonDifferentiable(sps.round),
               sps.gammasgn: NonDifferentiable(sps.gammasgn)})

# the nearest supported function for some of the scipy.special ufuncs without a rule
NEAREST = {"yn": "scipy.special.yv", "kn": "scipy.special.kv",
           "jve": "scipy.special.jv", "kve": "scipy.special.kv", "yve": "scipy.special.yv",
           "gdtr": "steepest.scipy.stats.gamma.cdf", "gdtrc": "steepest.scipy.stats.gamma.sf",
           "pdtr": "steepest.scipy.stats.poisson.cdf", "pdtrc": "steepest.scipy.stats.poisson.sf",
           "chdtr": "scipy.special.gammainc(k / 2, x / 2)", "betaincc": "1 - scipy.special.betainc",
           "ndtri_exp": "scipy.special.ndtri(np.exp(y))", "expn": "scipy.special.gammaincc",
           "boxcox": "(x**lmbda - 1) / lmbda", "poch": "np.exp(gammaln(z + m) - gammaln(z))",
           "binom": "np.exp(gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1))",
           "huber": "np.where(abs(r) <= delta, r**2 / 2, delta * (abs(r) - delta / 2))",
           "pseudo_huber": "delta**2 * (np.sqrt(1 + (r / delta)**2) - 1)"}
_GENERAL = ("a composition of ruled scipy.special functions (gammaln, digamma, betaln, ive, "
            "gammainc, betainc, erf ...)")
for _name in dir(sps):
    _obj = getattr(sps, _name)
    if isinstance(_obj, np.ufunc) and _obj not in TRACED:
        _why = f"no derivative rule yet; use {NEAREST.get(_name, _GENERAL)}"
        TRACED[_obj] = Composite(Unsupported(f"scipy.special.{_name}", _why))


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


def logsumexp(a: Any, axis: Any = None, b: Any = None, keepdims: bool = False,
              return_sign: bool = False) -> Any:
    """Traced ``log |Σ b·exp(a)|`` over ``axis`` (SciPy's signature and conventions).

    With weights ``b ≥ 0`` it is the stable primitive (derivative ``softmax``); with weights of
    both signs it is ``m + log |Σ b·exp(a − m)|`` for the constant ``m = max a``, whose
    derivative is ``b·exp(a − lse)·sign``. Without ``return_sign`` a negative sum gives nan,
    as in SciPy.

    Args:
        a: the exponents.
        axis: the axes summed over (``None``: all).
        b: weights broadcast against ``a`` (``None``: 1).
        keepdims: keep the summed axes with length 1.
        return_sign: also return the sign of the sum (a constant).

    Returns:
        ``lse``, or ``(lse, sign)`` when ``return_sign``.

    Example:
        >>> import numpy as np
        >>> lse, s = logsumexp(np.array([0.0, 1.0]), b=np.array([1.0, -1.0]), return_sign=True)
        >>> round(float(lse), 6), float(s)
        (0.541325, -1.0)
    """
    axis = _axis(axis)
    if b is None or not np.any(np.asarray(getval(b)) < 0):
        lse = _lse_nonnegative(a, axis=axis, b=b, keepdims=keepdims)
        if not return_sign:
            return lse
        return lse, np.where(np.isneginf(getval(lse)), 0.0, 1.0)
    s, m = _scaled_sum(a, b, axis)
    sign = np.sign(getval(s))
    lse = log(absolute(s)) + m
    if not keepdims:
        lse = _squeeze(lse, axis, len(shape_of(a)))
        sign = _squeeze(sign, axis, len(shape_of(a)))
    if return_sign:
        return lse, sign
    return lse + np.where(sign < 0, np.nan, 0.0)


def _scaled_sum(a: Any, b: Any, axis: Any) -> tuple[Any, np.ndarray]:
    """``(Σ b·exp(a − m), m)`` with the summed axes kept, ``m`` the (finite) max of ``a``."""
    av, bv = np.broadcast_arrays(np.asarray(getval(a), dtype=float), np.asarray(getval(b)))
    m = np.max(np.where(bv != 0, av, -np.inf), axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return sum(b * exp(a - m), axis=axis, keepdims=True), m


def _squeeze(x: Any, axis: Any, ndim: int) -> Any:
    axes = range(ndim) if axis is None else (axis,) if isinstance(axis, int) else axis
    drop = {ax % ndim for ax in axes}
    shape = tuple(n for i, n in enumerate(np.shape(getval(x))) if i not in drop)
    return reshape(x, shape)


def _over(fn: Any, x: Any, axis: Any) -> Any:
    """``fn(x, axis)``; ``axis=None`` (SciPy's default) means over every entry."""
    if axis is None:
        return reshape(fn(reshape(x, (-1,)), axis=-1), shape_of(x))
    return fn(x, axis=_axis(axis))


def softmax(x: Any, axis: Any = None) -> Any:
    """Traced ``exp(x) / Σ exp(x)`` over ``axis`` (SciPy's default ``None``: every entry).

    Args:
        x: the logits.
        axis: the axes normalised over.

    Returns:
        The probabilities, shaped like ``x``.

    Example:
        >>> import numpy as np
        >>> softmax(np.zeros((2, 2))).tolist()
        [[0.25, 0.25], [0.25, 0.25]]
    """
    return _over(special_rules.softmax, x, axis)


def log_softmax(x: Any, axis: Any = None) -> Any:
    """Traced ``x − logsumexp(x)`` over ``axis`` (SciPy's default ``None``: every entry).

    Args:
        x: the logits.
        axis: the axes normalised over.

    Returns:
        The log-probabilities, shaped like ``x``.

    Example:
        >>> import numpy as np
        >>> round(float(log_softmax(np.zeros(4))[0]), 6)  # −log 4
        -1.386294
    """
    return _over(special_rules.log_softmax, x, axis)


def polygamma(n: Any, x: Any) -> Any:
    """Traced ``ψ⁽ⁿ⁾(x)``, differentiable in ``x`` (``∂ψ⁽ⁿ⁾/∂x = ψ⁽ⁿ⁺¹⁾``); ``n`` is an order.

    Args:
        n: non-negative integer order(s), not traced.
        x: the argument.

    Returns:
        The polygamma function.

    Example:
        >>> round(float(polygamma(1, 1.0)), 6)  # π²/6
        1.644934
    """
    nv = np.asarray(getval(n))
    if nv.dtype.kind not in "iu" and not np.all(nv == np.floor(nv)):
        raise ValueError(f"polygamma: the order n must be a non-negative integer, got {n!r}")
    if np.any(nv < 0):
        raise ValueError(f"polygamma: the order n must be non-negative, got {n!r}")
    return polygamma_prim(nv, x)
