"""Reductions (mean, prod, max, min, var, cumsum, cumprod; sum in :mod:`.broadcast`) and rules.

Every reduction takes a static ``axis`` (``None``, an int or a tuple) and ``keepdims``. The VJP
re-expands the output cotangent to the input shape (:func:`expand_to`), the JVP reduces the
tangent the same way.

Kink convention: ``max``/``min`` with several maximisers split the cotangent equally among them
(the derivative of the mean of the tied entries); ``prod`` assumes no zero entries
(``ans / x``), as autograd does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..primitives import Primitive, defjvp, defsaves, defvjp
from ..tracing import asarray_value
from .broadcast import expand_to, normalize_axis, reduced_count, sum
from .shape import flip

__all__ = ["sum", "mean", "prod", "amax", "amin", "var", "cumsum", "cumprod"]


mean = Primitive(lambda x, axis=None, keepdims=False: np.mean(x, axis=axis, keepdims=keepdims),
                 "mean")
defvjp(mean, lambda g, ans, x, axis=None, keepdims=False:
       expand_to(g, x, axis, keepdims) / reduced_count(x, axis))
defjvp(mean, lambda t, ans, x, axis=None, keepdims=False: mean(t, axis=axis, keepdims=keepdims))
defsaves(mean, ())

prod = Primitive(lambda x, axis=None, keepdims=False: np.prod(x, axis=axis, keepdims=keepdims),
                 "prod")
defvjp(prod, lambda g, ans, x, axis=None, keepdims=False:
       expand_to(g * ans, x, axis, keepdims) / x)
defjvp(prod, lambda t, ans, x, axis=None, keepdims=False:
       sum(t * expand_to(ans, x, axis, keepdims) / x, axis=axis, keepdims=keepdims))


def _tie_weights(ans: Any, x: Any, axis: Any, keepdims: bool) -> np.ndarray:
    """Constant weights 1/k on the k entries attaining the max/min of each slice."""
    xv = asarray_value(x)
    av = asarray_value(ans)
    if not keepdims:
        axes = normalize_axis(axis, xv.ndim)
        av = np.expand_dims(av, axes if axes is not None else tuple(range(xv.ndim)))
    mask = (xv == av).astype(float)
    return mask / np.sum(mask, axis=normalize_axis(axis, xv.ndim), keepdims=True)


def _extremum(name: str, fn: Any) -> Primitive:
    prim = Primitive(lambda x, axis=None, keepdims=False: fn(x, axis=axis, keepdims=keepdims),
                     name)
    defvjp(prim, lambda g, ans, x, axis=None, keepdims=False:
           expand_to(g, x, axis, keepdims) * _tie_weights(ans, x, axis, keepdims))
    defjvp(prim, lambda t, ans, x, axis=None, keepdims=False:
           sum(t * _tie_weights(ans, x, axis, keepdims), axis=axis, keepdims=keepdims))
    return prim


amax = _extremum("max", np.max)
amin = _extremum("min", np.min)


def _centered(x: Any, axis: Any) -> Any:
    return x - mean(x, axis=axis, keepdims=True)


var = Primitive(lambda x, axis=None, ddof=0, keepdims=False:
                np.var(x, axis=axis, ddof=ddof, keepdims=keepdims), "var")
defvjp(var, lambda g, ans, x, axis=None, ddof=0, keepdims=False:
       expand_to(g, x, axis, keepdims) * (2.0 / (reduced_count(x, axis) - ddof))
       * _centered(x, axis))
defjvp(var, lambda t, ans, x, axis=None, ddof=0, keepdims=False:
       sum(t * _centered(x, axis), axis=axis, keepdims=keepdims)
       * (2.0 / (reduced_count(x, axis) - ddof)))


def _rev_cumsum(g: Any, axis: int) -> Any:
    return flip(cumsum(flip(g, axis), axis), axis)


cumsum = Primitive(lambda x, axis: np.cumsum(x, axis=axis), "cumsum")
defvjp(cumsum, lambda g, ans, x, axis: _rev_cumsum(g, axis))
defjvp(cumsum, lambda t, ans, x, axis: cumsum(t, axis))

cumprod = Primitive(lambda x, axis: np.cumprod(x, axis=axis), "cumprod")
defvjp(cumprod, lambda g, ans, x, axis: _rev_cumsum(g * ans, axis) / x)
defjvp(cumprod, lambda t, ans, x, axis: ans * cumsum(t / x, axis))
