"""``steepest.scipy.special``: :mod:`scipy.special` with derivatives, a drop-in.

Every name of :mod:`scipy.special` is here. The ufuncs are SciPy's own objects: on a traced
value they reach its ``__array_ufunc__`` and the primitive of
:mod:`steepest.autodiff.rules.scipy_special` (or :mod:`~steepest.autodiff.rules.ufunc`) is
recorded, so ``scipy.special.gammaln`` itself is differentiable. The Python-level functions
SciPy writes on top of its ufuncs — :func:`logsumexp`, :func:`softmax`, :func:`log_softmax`,
:func:`polygamma` — convert their input to a plain array, so this module replaces them with
functions of the same signature that call SciPy on plain input and trace otherwise.

Example:
    >>> import numpy as np
    >>> from steepest import grad
    >>> from steepest.scipy import special
    >>> np.allclose(grad(lambda a: special.logsumexp(a))(np.zeros(2)), [0.5, 0.5])
    True
    >>> special.gammaln is __import__("scipy.special").special.gammaln
    True
"""

from __future__ import annotations

from typing import Any

import scipy.special as _sps

from .._dispatch import is_traced
from ..autodiff.numpy import scipy_special as _traced

__all__ = ["logsumexp", "softmax", "log_softmax", "polygamma"]


def _any_traced(*args: Any) -> bool:
    return any(is_traced(a) for a in args)


def logsumexp(a: Any, axis: Any = None, b: Any = None, keepdims: bool = False,
              return_sign: bool = False) -> Any:
    """``log Σ b·exp(a)`` over ``axis``, stable, as :func:`scipy.special.logsumexp`.

    Args:
        a: the exponents.
        axis: the axes summed over (``None``: all).
        b: weights broadcast against ``a``; of any sign with ``return_sign``.
        keepdims: keep the summed axes with length 1.
        return_sign: also return the sign of the sum.

    Returns:
        ``log |Σ b·exp(a)|``, or the pair ``(lse, sign)``. Its gradient in ``a`` is
        ``b·exp(a − lse)`` (the softmax when ``b = 1``).

    Example:
        >>> import numpy as np
        >>> round(float(logsumexp(np.log([1.0, 3.0]))), 6)  # log 4
        1.386294
    """
    if _any_traced(a, b):
        return _traced.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=return_sign)
    return _sps.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=return_sign)


def softmax(x: Any, axis: Any = None) -> Any:
    """``exp(x) / Σ exp(x)`` over ``axis`` (``None``: all), as :func:`scipy.special.softmax`.

    Args:
        x: the logits.
        axis: the axes normalised over.

    Returns:
        The probabilities; the Jacobian-vector product is ``s·(t − Σ s·t)``.

    Example:
        >>> import numpy as np
        >>> softmax(np.log([1.0, 3.0])).tolist()
        [0.25, 0.75]
    """
    return _traced.softmax(x, axis=axis) if _any_traced(x) else _sps.softmax(x, axis=axis)


def log_softmax(x: Any, axis: Any = None) -> Any:
    """``x − logsumexp(x)`` over ``axis``, as :func:`scipy.special.log_softmax`.

    Args:
        x: the logits.
        axis: the axes normalised over (``None``: every entry).

    Returns:
        The log-probabilities.

    Example:
        >>> import numpy as np
        >>> np.allclose(log_softmax(np.log([1.0, 3.0])), np.log([0.25, 0.75]))
        True
    """
    return _traced.log_softmax(x, axis=axis) if _any_traced(x) else _sps.log_softmax(x, axis=axis)


def polygamma(n: Any, x: Any) -> Any:
    """The polygamma function ``ψ⁽ⁿ⁾(x)``, as :func:`scipy.special.polygamma`.

    Args:
        n: the order (a non-negative integer, not differentiated).
        x: the argument.

    Returns:
        ``ψ⁽ⁿ⁾(x)``; its derivative in ``x`` is ``ψ⁽ⁿ⁺¹⁾(x)`` (DLMF 5.15.1).

    Example:
        >>> round(float(polygamma(0, 1.0)), 6)  # −γ
        -0.577216
    """
    return _traced.polygamma(n, x) if _any_traced(x) else _sps.polygamma(n, x)


def __dir__() -> list[str]:
    """Every public name of :mod:`scipy.special`."""
    return sorted({*__all__, *(n for n in dir(_sps) if not n.startswith("_"))})


def __getattr__(name: str) -> Any:
    """SciPy's own object for every other name (its ufuncs are traced directly)."""
    try:
        return getattr(_sps, name)
    except AttributeError:
        raise AttributeError(f"module 'steepest.scipy.special' has no attribute {name!r}; "
                             "it is not a name of scipy.special either") from None
