"""Differences, integration, interpolation, convolution, polynomials and selections of
:mod:`steepest.numpy`, as compositions of ruled functions (so both modes, every order).

- ``gradient``: NumPy's second-order central differences inside and first- or second-order
  one-sided ones at the edges, for uniform or coordinate spacing (Fornberg, *Math. Comp.* 51
  (1988)); ``ediff1d`` and ``trapezoid`` (``Σ Δx·(yᵢ + yᵢ₊₁)/2``), differentiable in ``y``
  and ``x``.
- ``interp``: ``fp[j] + (x − xp[j])·(fp[j+1] − fp[j])/(xp[j+1] − xp[j])`` with the bracket
  ``j`` found on the values (the derivative at a knot is the right-hand slope).
- ``convolve``/``correlate``: a banded (Toeplitz) matrix gathered from ``v`` times ``a``;
  ``polyval`` by Horner's rule; ``polyadd``/``polysub``/``polymul``/``polyder``/``polyint``.
- ``select``, ``piecewise``, ``compress``, ``extract``, ``delete``, ``diagflat``, ``vander``,
  ``unwrap``, ``cumulative_sum``/``cumulative_prod``, ``matrix_transpose``, ``unstack``,
  ``apply_along_axis``: selections and maps whose index sets are constants.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> float(grad(lambda x: np.trapezoid(x**2, dx=0.5))(np.array([1.0, 2.0, 3.0]))[1])
    2.0
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ..._dispatch import TRACED, implements
from ..arraylike import Composite
from ..tracing import getval
from .elementwise import multiply, where
from .reductions import cumprod, cumsum, diff, dot, einsum, sum
from .shape import (
    broadcast_to,
    concatenate,
    diag,
    flip,
    getitem,
    index_update,
    moveaxis,
    ravel,
    reshape,
    stack,
    swapaxes,
    take,
)

__all__ = ["gradient", "ediff1d", "trapezoid", "interp", "convolve", "correlate", "polyval",
           "polyadd", "polysub", "polymul", "polyder", "polyint", "select", "piecewise",
           "compress", "extract", "delete", "diagflat", "vander", "unwrap", "cumulative_sum",
           "cumulative_prod", "matrix_transpose", "unstack", "apply_along_axis", "vecdot",
           "matvec", "vecmat", "choose", "broadcast_arrays"]


def _shape(x: Any) -> tuple[int, ...]:
    return np.shape(getval(x))


def _last(f: Any, i: Any) -> Any:
    return getitem(f, (Ellipsis, i))


def _edges(f: Any, dx: np.ndarray, order: int) -> tuple[Any, Any]:
    """One-sided first/last derivatives of ``f`` (last axis) with spacings ``dx``."""
    if order == 1:
        return ((_last(f, 1) - _last(f, 0)) / dx[0], (_last(f, -1) - _last(f, -2)) / dx[-1])
    d1, d2 = dx[0], dx[1]
    first = (-(2 * d1 + d2) / (d1 * (d1 + d2)) * _last(f, 0) + (d1 + d2) / (d1 * d2)
             * _last(f, 1) - d1 / (d2 * (d1 + d2)) * _last(f, 2))
    d1, d2 = dx[-2], dx[-1]
    last = (d2 / (d1 * (d1 + d2)) * _last(f, -3) - (d2 + d1) / (d1 * d2) * _last(f, -2)
            + (2 * d2 + d1) / (d2 * (d1 + d2)) * _last(f, -1))
    return first, last


def _gradient_last(f: Any, spacing: Any, edge_order: int) -> Any:
    n = _shape(f)[-1]
    if n < edge_order + 1:
        raise ValueError(f"gradient needs at least edge_order + 1 = {edge_order + 1} points "
                         f"along each differentiated axis; got {n}")
    sv = np.asarray(getval(spacing), dtype=float)
    dx = np.full(n - 1, float(sv)) if sv.ndim == 0 else np.diff(sv)
    d1, d2 = dx[:-1], dx[1:]
    inner = (-d2 / (d1 * (d1 + d2)) * f[..., :-2] + (d2 - d1) / (d1 * d2) * f[..., 1:-1]
             + d1 / (d2 * (d1 + d2)) * f[..., 2:])
    first, last = _edges(f, dx, edge_order)
    return concatenate([first[..., None], inner, last[..., None]], axis=-1)


@implements(np.gradient)
def gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: int = 1) -> Any:
    """NumPy's finite-difference gradient of ``f`` along ``axis`` (spacings constant)."""
    nd = len(_shape(f))
    axes = tuple(range(nd)) if axis is None else (axis,) if isinstance(axis, int) else axis
    spacings = varargs * len(axes) if len(varargs) <= 1 else varargs
    spacings = spacings or (1.0,) * len(axes)
    if len(spacings) != len(axes):
        raise TypeError(f"gradient: give one spacing or one per axis ({len(axes)}); "
                        f"got {len(varargs)}")
    outs = [moveaxis(_gradient_last(moveaxis(f, ax, -1), h, edge_order), -1, ax)
            for ax, h in zip(axes, spacings)]
    return outs[0] if len(outs) == 1 else tuple(outs)


@implements(np.ediff1d)
def ediff1d(ary: Any, to_end: Any = None, to_begin: Any = None) -> Any:
    """Differences of the flattened array, with ``to_begin``/``to_end`` around them."""
    parts = [to_begin, diff(ravel(ary)), to_end]
    return concatenate([ravel(p) for p in parts if p is not None])


@implements(np.trapezoid)
def trapezoid(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> Any:
    """Trapezoidal rule ``Σ Δx·(yᵢ + yᵢ₊₁)/2`` along ``axis``."""
    ym = moveaxis(y, axis, -1)
    if x is None:
        d = dx
    elif len(_shape(x)) == 1:
        d = diff(x)
    else:
        d = diff(moveaxis(x, axis, -1), axis=-1)
    return sum(multiply(d, ym[..., 1:] + ym[..., :-1]) / 2.0, axis=-1)


@implements(np.interp)
def interp(x: Any, xp: Any, fp: Any, left: Any = None, right: Any = None,
           period: Any = None) -> Any:
    """Piecewise-linear interpolation of ``(xp, fp)`` at ``x``: differentiable in all three."""
    if period is not None:
        raise NotImplementedError("np.interp with period= is not differentiable in steepest; "
                                  "reduce x modulo the period first and pass sorted xp, fp")
    xv, xpv = np.asarray(getval(x), dtype=float), np.asarray(getval(xp), dtype=float)
    j = np.clip(np.searchsorted(xpv, xv, side="right") - 1, 0, xpv.size - 2)
    x0, x1, f0, f1 = take(xp, j), take(xp, j + 1), take(fp, j), take(fp, j + 1)
    out = f0 + (x - x0) * (f1 - f0) / (x1 - x0)
    out = where(xv < xpv[0], take(fp, 0) if left is None else left, out)
    return where(xv > xpv[-1], take(fp, -1) if right is None else right, out)


def _full_convolution(a: Any, v: Any) -> Any:
    """``c_k = Σ_i a_i v_{k−i}``: the banded matrix ``T_ki = v_{k−i}`` times ``a``."""
    n, m = _shape(a)[0], _shape(v)[0]
    padded = concatenate([np.zeros(n - 1), v, np.zeros(n - 1)])
    k, i = np.ogrid[: n + m - 1, :n]
    return dot(take(padded, k - i + n - 1), a)


def _mode_slice(c: Any, n: int, m: int, mode: str) -> Any:
    if mode == "full":
        return c
    lo, hi = builtins.max(n, m), builtins.min(n, m)
    if mode == "same":
        return c[(hi - 1) // 2: (hi - 1) // 2 + lo]
    if mode == "valid":
        return c[hi - 1: lo]
    raise ValueError(f"mode must be 'full', 'same' or 'valid', got {mode!r}")


@implements(np.convolve)
def convolve(a: Any, v: Any, mode: str = "full") -> Any:
    """Discrete linear convolution of two 1-D arrays."""
    n, m = _shape(a)[0], _shape(v)[0]
    if n == 0 or m == 0:
        raise ValueError("convolve: a and v must not be empty")
    return _mode_slice(_full_convolution(a, v), n, m, mode)


@implements(np.correlate)
def correlate(a: Any, v: Any, mode: str = "valid") -> Any:
    """Cross-correlation ``c_k = Σ_n a_{n+k} v_n`` of two 1-D real arrays."""
    n, m = _shape(a)[0], _shape(v)[0]
    if m > n:
        return flip(correlate(v, a, mode))
    return _mode_slice(_full_convolution(a, flip(v)), n, m, mode)


@implements(np.polyval)
def polyval(p: Any, x: Any) -> Any:
    """``p[0] xᴺ + … + p[N]`` by Horner's rule."""
    y = 0.0 * x
    for i in range(_shape(p)[0]):
        y = y * x + getitem(p, i)
    return y


def _pad_front(p: Any, n: int) -> Any:
    short = n - _shape(p)[0]
    return concatenate([np.zeros(short), p]) if short > 0 else p


@implements(np.polyadd)
def polyadd(a1: Any, a2: Any) -> Any:
    """Sum of two coefficient vectors (highest power first)."""
    n = builtins.max(_shape(a1)[0], _shape(a2)[0])
    return _pad_front(a1, n) + _pad_front(a2, n)


@implements(np.polysub)
def polysub(a1: Any, a2: Any) -> Any:
    """Difference of two coefficient vectors."""
    n = builtins.max(_shape(a1)[0], _shape(a2)[0])
    return _pad_front(a1, n) - _pad_front(a2, n)


@implements(np.polymul)
def polymul(a1: Any, a2: Any) -> Any:
    """Product of two polynomials: the convolution of their coefficients."""
    return convolve(a1, a2)


@implements(np.polyder)
def polyder(p: Any, m: int = 1) -> Any:
    """``m``-th derivative of a polynomial (coefficients times their powers)."""
    for _ in range(m):
        n = _shape(p)[0]
        p = p[:-1] * np.arange(n - 1, 0, -1.0) if n > 1 else 0.0 * p
    return p


@implements(np.polyint)
def polyint(p: Any, m: int = 1, k: Any = None) -> Any:
    """``m``-th antiderivative, integration constants ``k`` (default 0)."""
    ks = np.zeros(m) if k is None else np.broadcast_to(np.asarray(getval(k), float), (m,))
    for j in range(m):
        n = _shape(p)[0]
        p = concatenate([p / np.arange(n, 0, -1.0), ks[j: j + 1]])
    return p


@implements(np.select)
def select(condlist: Any, choicelist: Any, default: Any = 0) -> Any:
    """The first ``choicelist[i]`` whose ``condlist[i]`` holds, else ``default``."""
    if len(condlist) != len(choicelist):
        raise ValueError("select: condlist and choicelist must have the same length")
    out = default
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = where(np.asarray(getval(cond), dtype=bool), choice, out)
    return out


@implements(np.choose)
def choose(a: Any, choices: Any, out: Any = None, mode: str = "raise") -> Any:
    """``choices[a[i]][i]`` for the integer index array ``a`` (a constant)."""
    idx = np.asarray(getval(a))
    n = len(choices)
    if mode == "raise" and (np.any(idx < 0) or np.any(idx >= n)):
        raise ValueError(f"choose: indices must lie in [0, {n - 1}] with mode='raise'")
    idx = np.clip(idx, 0, n - 1) if mode == "clip" else idx % n
    out = where(idx == 0, choices[0], 0.0)
    for i in range(1, n):
        out = where(idx == i, choices[i], out)
    return out


@implements(np.broadcast_arrays)
def broadcast_arrays(*args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """Every argument broadcast to their common shape (``subok`` is moot: one traced class)."""
    shape = np.broadcast_shapes(*(_shape(a) for a in args))
    return tuple(broadcast_to(a, shape) for a in args)


@implements(np.piecewise)
def piecewise(x: Any, condlist: Any, funclist: Any, *args: Any, **kw: Any) -> Any:
    """``funclist[i](x[condlist[i]])`` on each piece (a constant where it is a number)."""
    xv = np.asarray(getval(x))
    conds = [np.asarray(getval(c), dtype=bool) for c in
             ([condlist] if np.ndim(getval(condlist)) == xv.ndim and not isinstance(
                 condlist, list) else condlist)]
    if len(funclist) == len(conds) + 1:
        conds.append(~np.any(conds, axis=0))
    out = np.zeros(xv.shape)
    for cond, fn in zip(conds, funclist):
        cond = np.broadcast_to(cond, xv.shape)
        if cond.any():
            value = fn(getitem(x, cond), *args, **kw) if callable(fn) else fn
            out = index_update(out, cond, value)
    return out


@implements(np.compress)
def compress(condition: Any, a: Any, axis: Any = None, out: Any = None) -> Any:
    """The slices of ``a`` along ``axis`` where ``condition`` holds."""
    keep = np.nonzero(np.asarray(getval(condition), dtype=bool))[0]
    return take(a, keep, axis=axis)


@implements(np.extract)
def extract(condition: Any, arr: Any) -> Any:
    """The entries of ``arr`` where ``condition`` holds, flattened."""
    return take(ravel(arr), np.nonzero(np.ravel(getval(condition)))[0])


@implements(np.delete)
def delete(arr: Any, obj: Any, axis: Any = None) -> Any:
    """``arr`` without the entries (or slices along ``axis``) ``obj``."""
    if axis is None:
        arr, axis = ravel(arr), 0
    keep = np.delete(np.arange(_shape(arr)[axis]), getval(obj))
    return take(arr, keep, axis=axis)


@implements(np.diagflat)
def diagflat(v: Any, k: int = 0) -> Any:
    """The flattened ``v`` on the ``k``-th diagonal of a square matrix."""
    return diag(ravel(v), k)


@implements(np.vander)
def vander(x: Any, N: Any = None, increasing: bool = False) -> Any:
    """Columns ``x**(N−1), …, x, 1`` (reversed when ``increasing``)."""
    n = _shape(x)[0] if N is None else N
    powers = range(n) if increasing else range(n - 1, -1, -1)
    return stack([x**p if p else 0.0 * x + 1.0 for p in powers], axis=1)


@implements(np.unwrap)
def unwrap(p: Any, discont: Any = None, axis: int = -1, *, period: float = 2 * np.pi) -> Any:
    """``p`` plus the multiples of ``period`` that remove jumps (a constant: derivative 1)."""
    pv = np.asarray(getval(p), dtype=float)
    return p + (np.unwrap(pv, discont=discont, axis=axis, period=period) - pv)


def _with_initial(c: Any, x: Any, axis: Any, fill: float, include_initial: bool) -> Any:
    if not include_initial:
        return c
    shape = list(_shape(c))
    shape[axis] = 1
    return concatenate([np.full(shape, fill), c], axis=axis)


@implements(np.cumulative_sum)
def cumulative_sum(x: Any, /, *, axis: Any = None, dtype: Any = None, out: Any = None,
                   include_initial: bool = False) -> Any:
    """Running sums along ``axis`` (array API), with a leading 0 when ``include_initial``."""
    ax = 0 if axis is None else axis
    return _with_initial(cumsum(x, axis=ax), x, ax, 0.0, include_initial)


@implements(np.cumulative_prod)
def cumulative_prod(x: Any, /, *, axis: Any = None, dtype: Any = None, out: Any = None,
                    include_initial: bool = False) -> Any:
    """Running products along ``axis`` (array API), with a leading 1 when ``include_initial``."""
    ax = 0 if axis is None else axis
    return _with_initial(cumprod(x, axis=ax), x, ax, 1.0, include_initial)


@implements(np.matrix_transpose)
def matrix_transpose(x: Any, /) -> Any:
    """The last two axes swapped."""
    return swapaxes(x, -1, -2)


@implements(np.unstack)
def unstack(x: Any, /, *, axis: int = 0) -> tuple[Any, ...]:
    """The slices of ``x`` along ``axis``."""
    moved = moveaxis(x, axis, 0)
    return tuple(getitem(moved, i) for i in range(_shape(moved)[0]))


@implements(np.apply_along_axis)
def apply_along_axis(func1d: Any, axis: int, arr: Any, *args: Any, **kwargs: Any) -> Any:
    """``func1d`` applied to each 1-D slice along ``axis``; its output axes replace it."""
    moved = moveaxis(arr, axis, -1)
    lead = _shape(moved)[:-1]
    rows = reshape(moved, (-1, _shape(moved)[-1]))
    outs = [func1d(getitem(rows, i), *args, **kwargs) for i in range(_shape(rows)[0])]
    res = stack(outs)
    out_shape = _shape(res)[1:]
    res = reshape(res, lead + out_shape)
    ax = axis % (len(lead) + 1)
    return moveaxis(res, tuple(range(len(lead), len(lead) + len(out_shape))),
                    tuple(range(ax, ax + len(out_shape)))) if out_shape else res


def vecdot(x1: Any, x2: Any) -> Any:
    """``Σ x1·x2`` over the last axis (the gufunc ``np.vecdot``, real values)."""
    return sum(multiply(x1, x2), axis=-1)


def matvec(a: Any, x: Any) -> Any:
    """Stacked matrix-vector products ``A x`` (the gufunc ``np.matvec``)."""
    return einsum("...ij,...j->...i", a, x)


def vecmat(x: Any, a: Any) -> Any:
    """Stacked vector-matrix products ``xᵀ A`` (the gufunc ``np.vecmat``)."""
    return einsum("...i,...ij->...j", x, a)


TRACED.update({np.vecdot: Composite(vecdot), np.matvec: Composite(matvec),
               np.vecmat: Composite(vecmat)})
