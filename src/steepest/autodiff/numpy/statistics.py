"""Order statistics, NaN-ignoring reductions and covariances of :mod:`steepest.numpy`.

All are compositions of ruled functions, so both modes and every order follow:

- ``quantile``/``percentile``/``median`` (and their ``nan`` forms) sort along the axis (the
  derivative follows the permutation) and interpolate between the two order statistics around
  ``q·(n − 1)``; with ``method="linear"`` (NumPy's default) the value is
  ``s[j] + (q(n − 1) − j)·(s[j+1] − s[j])``, so the derivative splits between ``s[j]`` and
  ``s[j+1]`` (Hyndman & Fan, *Am. Stat.* 50 (1996), definition 7). NaN entries sort last and
  the ``nan`` forms use each slice's count of the others.
- ``nansum``, ``nanprod``, ``nanmean``, ``nanvar``, ``nanstd``, ``nanmax``, ``nanmin``,
  ``nancumsum``, ``nancumprod``: NaN entries replaced by the operation's neutral value (they
  get zero derivative); ``nanstd`` keeps ``std``'s zero derivative at zero spread.
- ``cov`` and ``corrcoef``: centred products ``(X − x̄)(X − x̄)ᵀ / (N − ddof)`` with NumPy's
  frequency and analytic weights, and ``C_ij / √(C_ii C_jj)``.
- ``partition``: the values of ``a`` in the order ``np.argpartition`` gives.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> grad(lambda x: np.median(x))(np.array([3.0, 1.0, 2.0, 4.0]))
    array([0.5, 0. , 0.5, 0. ])
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ..._dispatch import implements
from ..tracing import getval
from .elementwise import multiply, sqrt, where
from .reductions import cumprod, cumsum, dot, max, min, prod, sum
from .shape import (
    broadcast_to,
    concatenate,
    diagonal,
    expand_dims,
    reshape,
    sort,
    take_along_axis,
    transpose,
)

__all__ = ["quantile", "percentile", "median", "nanquantile", "nanpercentile", "nanmedian",
           "nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmax", "nanmin",
           "nancumsum", "nancumprod", "cov", "corrcoef", "partition"]

_METHODS = ("linear", "lower", "higher", "midpoint", "nearest")


def _to_last(a: Any, axis: Any) -> tuple[Any, tuple[int, ...]]:
    """``a`` with the reduced axes merged into one last axis, and the shape of the rest."""
    shape = np.shape(getval(a))
    if axis is None:
        return reshape(a, (-1,)), ()
    axes = tuple(ax % len(shape) for ax in ((axis,) if isinstance(axis, int) else axis))
    rest = tuple(i for i in range(len(shape)) if i not in axes)
    moved = transpose(a, rest + axes)
    kept = tuple(shape[i] for i in rest)
    return reshape(moved, kept + (-1,)), kept


def _keep(out: Any, shape: tuple[int, ...], axis: Any, lead: int) -> Any:
    """Re-insert the reduced axes with length 1 (``keepdims=True``) after ``lead`` q-axes."""
    nd = len(shape)
    axes = range(nd) if axis is None else ((axis,) if isinstance(axis, int) else axis)
    full = [1 if i in {ax % nd for ax in axes} else n for i, n in enumerate(shape)]
    return reshape(out, np.shape(getval(out))[:lead] + tuple(full))


def _positions(q: np.ndarray, n: np.ndarray, method: str) -> tuple[np.ndarray, ...]:
    """Lower index, upper index and weight of the upper one, per (q, slice)."""
    pos = q.reshape(q.shape + (1,) * n.ndim) * (n - 1)
    lo = np.floor(pos)
    frac = pos - lo
    if method == "lower":
        frac = np.zeros_like(frac)
    elif method == "higher":
        frac = (frac > 0).astype(float)
    elif method == "midpoint":
        frac = np.where(frac > 0, 0.5, 0.0)
    elif method == "nearest":  # NumPy rounds half to even
        frac = (np.around(pos) > lo).astype(float)
    lo = np.clip(lo, 0, np.maximum(n - 1, 0)).astype(np.intp)
    hi = np.minimum(lo + 1, np.maximum(n - 1, 0)).astype(np.intp)
    return lo, hi, frac


def _quantile(a: Any, q: Any, axis: Any, keepdims: bool, method: str, skip_nan: bool) -> Any:
    if method not in _METHODS:
        raise ValueError(f"quantile method {method!r} is not differentiable in steepest; use "
                         f"one of {_METHODS}")
    qv = np.asarray(getval(q), dtype=float)
    if np.any((qv < 0) | (qv > 1)):
        raise ValueError("quantiles must lie in [0, 1] (percentiles in [0, 100])")
    shape = np.shape(getval(a))
    flat, kept = _to_last(a, axis)
    s = sort(flat, axis=-1)  # NaN sorts last
    m = np.shape(getval(flat))[-1]
    nan = np.isnan(getval(flat))
    n = (m - np.sum(nan, axis=-1)) if skip_nan else np.full(kept, m)
    lo, hi, frac = _positions(qv, np.asarray(n), method)
    sb = broadcast_to(s, qv.shape + kept + (m,))
    s_lo = take_along_axis(sb, lo[..., None], axis=-1)[..., 0]
    s_hi = take_along_axis(sb, hi[..., None], axis=-1)[..., 0]
    out = s_lo + multiply(frac, s_hi - s_lo)
    empty = np.broadcast_to(np.asarray(n) == 0, np.shape(frac))
    if not skip_nan:
        empty = np.broadcast_to(np.any(nan, axis=-1), np.shape(frac))
    if np.any(empty):
        out = where(empty, np.nan, out)
    return _keep(out, shape, axis, qv.ndim) if keepdims else out


@implements(np.quantile)
def quantile(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
             method: str = "linear", keepdims: bool = False, **kwargs: Any) -> Any:
    """``q``-quantiles of ``a`` over ``axis`` (NumPy's ``method`` names; no weights)."""
    return _quantile(a, q, axis, keepdims, method, skip_nan=False)


@implements(np.percentile)
def percentile(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
               method: str = "linear", keepdims: bool = False, **kwargs: Any) -> Any:
    """``q``-th percentiles: :func:`quantile` at ``q / 100``."""
    return _quantile(a, np.asarray(getval(q)) / 100.0, axis, keepdims, method, skip_nan=False)


@implements(np.median)
def median(a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
           keepdims: bool = False) -> Any:
    """Median: the 0.5-quantile (the mean of the two middle values for an even count)."""
    return _quantile(a, 0.5, axis, keepdims, "linear", skip_nan=False)


@implements(np.nanquantile)
def nanquantile(a: Any, q: Any, axis: Any = None, out: Any = None,
                overwrite_input: bool = False, method: str = "linear", keepdims: bool = False,
                **kwargs: Any) -> Any:
    """:func:`quantile` of the non-NaN entries of each slice."""
    return _quantile(a, q, axis, keepdims, method, skip_nan=True)


@implements(np.nanpercentile)
def nanpercentile(a: Any, q: Any, axis: Any = None, out: Any = None,
                  overwrite_input: bool = False, method: str = "linear",
                  keepdims: bool = False, **kwargs: Any) -> Any:
    """:func:`percentile` of the non-NaN entries of each slice."""
    return _quantile(a, np.asarray(getval(q)) / 100.0, axis, keepdims, method, skip_nan=True)


@implements(np.nanmedian)
def nanmedian(a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
              keepdims: bool = False) -> Any:
    """:func:`median` of the non-NaN entries of each slice."""
    return _quantile(a, 0.5, axis, keepdims, "linear", skip_nan=True)


def _filled(a: Any, value: float) -> tuple[Any, np.ndarray]:
    nan = np.isnan(getval(a))
    return (where(nan, value, a) if np.any(nan) else a), ~nan


@implements(np.nansum)
def nansum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
           keepdims: bool = False, **kwargs: Any) -> Any:
    """Sum treating NaN as 0."""
    return sum(_filled(a, 0.0)[0], axis=axis, keepdims=keepdims)


@implements(np.nanprod)
def nanprod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False, **kwargs: Any) -> Any:
    """Product treating NaN as 1."""
    return prod(_filled(a, 1.0)[0], axis=axis, keepdims=keepdims)


@implements(np.nancumsum)
def nancumsum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """Cumulative sum treating NaN as 0."""
    return cumsum(_filled(a, 0.0)[0], axis=axis)


@implements(np.nancumprod)
def nancumprod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """Cumulative product treating NaN as 1."""
    return cumprod(_filled(a, 1.0)[0], axis=axis)


@implements(np.nanmean)
def nanmean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False, **kwargs: Any) -> Any:
    """Mean of the non-NaN entries (NaN for a slice without any)."""
    filled, ok = _filled(a, 0.0)
    count = np.sum(ok, axis=axis, keepdims=keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sum(filled, axis=axis, keepdims=keepdims) / count


@implements(np.nanvar)
def nanvar(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, **kwargs: Any) -> Any:
    """Variance of the non-NaN entries: ``Σ (x − x̄)² / (count − ddof)``."""
    filled, ok = _filled(a, 0.0)
    centre = nanmean(a, axis=axis, keepdims=True)
    dev = multiply(ok, filled - where(ok, centre, 0.0))
    count = np.sum(ok, axis=axis, keepdims=keepdims) - ddof
    with np.errstate(invalid="ignore", divide="ignore"):
        return sum(dev * dev, axis=axis, keepdims=keepdims) / np.where(count > 0, count, np.nan)


@implements(np.nanstd)
def nanstd(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: float = 0,
           keepdims: bool = False, **kwargs: Any) -> Any:
    """``sqrt(nanvar)``, with zero derivative where a slice has zero spread (as ``std``)."""
    v = nanvar(a, axis=axis, ddof=ddof, keepdims=keepdims)
    spread = np.asarray(getval(v)) > 0
    return multiply(sqrt(v + ~spread), np.where(np.isnan(getval(v)), np.nan, spread))


def _nan_extreme(reduce: Any, a: Any, axis: Any, keepdims: bool, fill: float) -> Any:
    filled, ok = _filled(a, fill)
    out = reduce(filled, axis=axis, keepdims=keepdims)
    none = ~np.any(ok, axis=axis, keepdims=keepdims)
    return where(none, np.nan, out) if np.any(none) else out


@implements(np.nanmax)
def nanmax(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False,
           **kwargs: Any) -> Any:
    """Maximum ignoring NaN (ties split the derivative, as ``max``)."""
    return _nan_extreme(max, a, axis, keepdims, -np.inf)


@implements(np.nanmin)
def nanmin(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False,
           **kwargs: Any) -> Any:
    """Minimum ignoring NaN."""
    return _nan_extreme(min, a, axis, keepdims, np.inf)


def _observations(m: Any, y: Any, rowvar: bool) -> Any:
    """Variables as rows: ``m`` (and ``y``) as 2-D arrays, transposed when ``not rowvar``."""
    x = reshape(m, (1, -1)) if np.ndim(getval(m)) == 1 else m
    if not rowvar and np.shape(getval(x))[0] != 1:
        x = transpose(x)
    if y is None:
        return x
    return concatenate([x, _observations(y, None, rowvar)], axis=0)


@implements(np.cov)
def cov(m: Any, y: Any = None, rowvar: bool = True, bias: bool = False, ddof: Any = None,
        fweights: Any = None, aweights: Any = None, **kwargs: Any) -> Any:
    """Covariance of the rows (variables) of ``m``: ``(X − x̄) W (X − x̄)ᵀ / fact``, with
    ``w = fweights·aweights`` and NumPy's ``fact = Σw − ddof·Σ(w·a)/Σw``."""
    x = _observations(m, y, rowvar)
    ddof = (0 if bias else 1) if ddof is None else ddof
    n = np.shape(getval(x))[1]
    w = np.ones(n)
    for weights in (fweights, aweights):
        if weights is not None:
            w = w * np.asarray(getval(weights), dtype=float)
    v1 = np.sum(w)
    fact = v1 - ddof * (np.sum(w * np.asarray(aweights)) / v1 if aweights is not None else 1)
    centred = x - dot(x, w / v1)[:, None]
    c = dot(multiply(centred, w), transpose(centred)) / builtins.max(fact, 0.0)
    return reshape(c, ()) if np.size(getval(c)) == 1 else c


@implements(np.corrcoef)
def corrcoef(x: Any, y: Any = None, rowvar: bool = True, **kwargs: Any) -> Any:
    """Correlation coefficients ``C_ij / √(C_ii C_jj)`` of :func:`cov`, clipped to [−1, 1]."""
    c = cov(x, y, rowvar)
    if np.ndim(getval(c)) == 0:
        return c / c
    d = sqrt(diagonal(c))
    r = c / expand_dims(d, 1) / expand_dims(d, 0)
    rv = getval(r)
    return where(rv > 1, 1.0, where(rv < -1, -1.0, r))


@implements(np.partition)
def partition(a: Any, kth: Any, axis: Any = -1, kind: str = "introselect",
              order: Any = None) -> Any:
    """``a`` rearranged as ``np.argpartition`` orders it: the ``kth`` entries in sorted place."""
    if axis is None:
        a, axis = reshape(a, (-1,)), -1
    idx = np.argpartition(getval(a), kth, axis=axis)
    return take_along_axis(a, idx, axis=axis)

