"""Reductions and products of :mod:`steepest.numpy`: ``sum`` ... ``cumprod``, ``dot`` ...
``einsum``.

Reductions call the primitives of :mod:`steepest.autodiff.rules.reduce`; the products are
compositions of ``matmul``/``einsum`` (:mod:`steepest.autodiff.rules.products`) and of shape
operations. Each function is registered in the one dispatch table under the NumPy function it
implements, so ``np.sum(x)`` on a traced ``x`` lands here.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> grad(lambda x: np.dot(x, x) + np.mean(x))(np.array([1.0, 2.0]))
    array([2.5, 4.5])
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from ..._dispatch import implements, is_traced
from ..errors import traced_error
from ..rules import reduce as reduce_rules
from ..rules.products import einsum as einsum_prim
from ..rules.products import expand_ellipsis, matmul
from ..tracing import asarray_value, getval
from .elementwise import multiply, sqrt, subtract
from .shape import concatenate, diagonal, getitem, ravel, reshape, stack, transpose

__all__ = [
    "sum", "mean", "prod", "max", "min", "amax", "amin", "var", "std", "cumsum", "cumprod",
    "matmul", "dot", "vdot", "inner", "outer", "tensordot", "einsum", "kron", "trace", "diff",
    "average", "cross", "ptp",
]


def _no_out(out: Any) -> None:
    if out is not None:
        raise traced_error("out=...", "in-place")


def _array(a: Any) -> Any:
    """A (nested) list/tuple holding traced values as one traced array (``np.mean([x, y])``)."""
    if isinstance(a, (list, tuple)) and is_traced(a):
        return stack([_array(v) for v in a])
    return a


# ---- reductions -----------------------------------------------------------------------------
@implements(np.sum)
def sum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
        **kwargs: Any) -> Any:
    """Sum over ``axis`` (all axes when ``None``)."""
    _no_out(out)
    return reduce_rules.sum(_array(a), axis=_axis(axis), keepdims=keepdims)


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


@implements(np.mean)
def mean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         **kwargs: Any) -> Any:
    """Arithmetic mean over ``axis``."""
    _no_out(out)
    return reduce_rules.mean(_array(a), axis=_axis(axis), keepdims=keepdims)


@implements(np.prod)
def prod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         **kwargs: Any) -> Any:
    """Product over ``axis`` (derivative assumes no zero entries)."""
    _no_out(out)
    return reduce_rules.prod(_array(a), axis=_axis(axis), keepdims=keepdims)


@implements(np.max, np.amax)
def max(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kwargs: Any) -> Any:
    """Maximum over ``axis``; ties share the derivative equally."""
    _no_out(out)
    return reduce_rules.amax(_array(a), axis=_axis(axis), keepdims=keepdims)


@implements(np.min, np.amin)
def min(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kwargs: Any) -> Any:
    """Minimum over ``axis``; ties share the derivative equally."""
    _no_out(out)
    return reduce_rules.amin(_array(a), axis=_axis(axis), keepdims=keepdims)


amax, amin = max, min


@implements(np.ptp)
def ptp(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
    """Peak to peak, ``max - min`` over ``axis`` (ties share the derivative, as in max/min)."""
    return subtract(max(a, axis=axis, out=out, keepdims=keepdims),
                    min(a, axis=axis, out=out, keepdims=keepdims))


@implements(np.var)
def var(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
        keepdims: bool = False, **kwargs: Any) -> Any:
    """Variance over ``axis`` with ``ddof`` delta degrees of freedom."""
    _no_out(out)
    return reduce_rules.var(_array(a), axis=_axis(axis), ddof=ddof, keepdims=keepdims)


@implements(np.std)
def std(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
        keepdims: bool = False, **kwargs: Any) -> Any:
    """Standard deviation, ``sqrt(var)``; where every entry of a slice is equal its derivative
    is 0 (the library's no-NaN-at-kinks convention, as for ``abs``), not ``0/0``.

    Masking the variance, ``sqrt(v + [v == 0]) * [v > 0]``, keeps the value and gives the
    slices of zero spread a zero derivative of every order.
    """
    v = var(a, axis=axis, out=out, ddof=ddof, keepdims=keepdims)
    spread = asarray_value(v) > 0
    return multiply(sqrt(v + ~spread), spread)


@implements(np.cumsum)
def cumsum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """Cumulative sum along ``axis`` (of the flattened array when ``None``)."""
    _no_out(out)
    a = _array(a)
    return reduce_rules.cumsum(ravel(a), 0) if axis is None else reduce_rules.cumsum(a, axis)


@implements(np.cumprod)
def cumprod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """Cumulative product along ``axis`` (derivative assumes no zero entries)."""
    _no_out(out)
    a = _array(a)
    return reduce_rules.cumprod(ravel(a), 0) if axis is None else reduce_rules.cumprod(a, axis)


# ---- products -------------------------------------------------------------------------------
implements(np.matmul)(matmul)


@implements(np.dot)
def dot(a: Any, b: Any, out: Any = None) -> Any:
    """NumPy ``dot``: products for scalars, ``matmul`` for 1-D/2-D, tensordot beyond."""
    _no_out(out)
    na, nb = np.ndim(getval(a)), np.ndim(getval(b))
    if na == 0 or nb == 0:
        return multiply(a, b)
    if na <= 2 and nb <= 2:
        return matmul(a, b)
    return tensordot(a, b, axes=([na - 1], [builtins.max(nb - 2, 0)]))


@implements(np.vdot)
def vdot(a: Any, b: Any) -> Any:
    """Dot product of the flattened arrays."""
    return sum(multiply(ravel(a), ravel(b)))


@implements(np.inner)
def inner(a: Any, b: Any) -> Any:
    """Sum product over the last axes."""
    if np.ndim(getval(a)) == 0 or np.ndim(getval(b)) == 0:
        return multiply(a, b)
    return tensordot(a, b, axes=([-1], [-1]))


@implements(np.outer)
def outer(a: Any, b: Any, out: Any = None) -> Any:
    """Outer product of the flattened arrays."""
    _no_out(out)
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


@implements(np.tensordot)
def tensordot(a: Any, b: Any, axes: Any = 2) -> Any:
    """Sum products over the given axes (transpose + reshape + matmul)."""
    sa, sb = np.shape(getval(a)), np.shape(getval(b))
    if isinstance(axes, (int, np.integer)):
        ax_a = list(range(len(sa) - int(axes), len(sa)))
        ax_b = list(range(int(axes)))
    else:
        ax_a, ax_b = ([axes[0]] if np.ndim(axes[0]) == 0 else list(axes[0]),
                      [axes[1]] if np.ndim(axes[1]) == 0 else list(axes[1]))
    ax_a = [int(i) % len(sa) for i in ax_a]
    ax_b = [int(i) % len(sb) for i in ax_b]
    free_a = [i for i in range(len(sa)) if i not in ax_a]
    free_b = [i for i in range(len(sb)) if i not in ax_b]
    k = int(np.prod([sa[i] for i in ax_a], dtype=np.int64))
    a2 = reshape(transpose(a, free_a + ax_a), (-1, k))
    b2 = reshape(transpose(b, ax_b + free_b), (k, -1))
    return reshape(matmul(a2, b2), tuple(sa[i] for i in free_a) + tuple(sb[i] for i in free_b))


@implements(np.einsum)
def einsum(subscripts: Any, *operands: Any, out: Any = None, optimize: Any = False,
           **kwargs: Any) -> Any:
    """Einstein summation (each operand differentiable; ``...`` batch axes allowed), in the
    string form ``einsum("ij,jk", A, B)`` or NumPy's sublist form ``einsum(A, [0, 1], B,
    [1, 2], [0, 2])``."""
    _no_out(out)
    if not isinstance(subscripts, str):
        subscripts, operands = _sublists_to_subscripts((subscripts, *operands))
    shapes = [np.shape(getval(op)) for op in operands]
    return einsum_prim(expand_ellipsis(subscripts, shapes), *operands)


def _sublist_letters(sublist: Any) -> str:
    """``[0, 1, Ellipsis]`` as ``"ab..."`` (axis labels 0..51 are letters, as in NumPy)."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join("..." if i is Ellipsis else letters[int(i)] for i in sublist)


def _sublists_to_subscripts(args: tuple) -> tuple[str, tuple]:
    """NumPy's ``einsum(op0, sub0, op1, sub1, ..., [sub_out])`` as a subscripts string."""
    operands, subs = args[0::2][: len(args) // 2], args[1::2]
    spec = ",".join(_sublist_letters(s) for s in subs[: len(operands)])
    if len(args) % 2:
        spec += "->" + _sublist_letters(args[-1])
    return spec, tuple(operands)


@implements(np.kron)
def kron(a: Any, b: Any) -> Any:
    """Kronecker product: an outer product with interleaved axes, reshaped."""
    sa, sb = np.shape(getval(a)), np.shape(getval(b))
    nd = builtins.max(len(sa), len(sb))
    sa, sb = (1,) * (nd - len(sa)) + sa, (1,) * (nd - len(sb)) + sb
    ea = reshape(a, tuple(v for s in sa for v in (s, 1)))
    eb = reshape(b, tuple(v for s in sb for v in (1, s)))
    return reshape(multiply(ea, eb), tuple(x * y for x, y in zip(sa, sb)))


@implements(np.diff)
def diff(a: Any, n: int = 1, axis: int = -1, **kwargs: Any) -> Any:
    """``n``-th forward difference along ``axis`` (differences of slices)."""
    if kwargs.get("prepend") is not None or kwargs.get("append") is not None:
        a = concatenate([x for x in (kwargs.get("prepend"), a, kwargs.get("append"))
                         if x is not None], axis=axis)
    nd = np.ndim(getval(a))
    ax = axis % nd
    pre = (slice(None),) * ax
    for _ in range(n):
        a = subtract(getitem(a, (*pre, slice(1, None))), getitem(a, (*pre, slice(None, -1))))
    return a


@implements(np.average)
def average(a: Any, axis: Any = None, weights: Any = None, returned: bool = False,
            keepdims: bool = False) -> Any:
    """Weighted mean ``Σ w a / Σ w`` (plain mean without weights)."""
    if weights is None:
        avg = mean(a, axis=axis, keepdims=keepdims)
        total = np.asarray(float(np.size(getval(a)) / np.size(getval(avg))))
    else:
        if np.ndim(getval(weights)) != np.ndim(getval(a)) and axis is not None:
            shape = [1] * np.ndim(getval(a))
            shape[axis] = -1
            weights = reshape(weights, tuple(shape))
        total = sum(weights * np.ones(np.shape(getval(a))), axis=axis, keepdims=keepdims)
        avg = sum(multiply(a, weights), axis=axis, keepdims=keepdims) / total
    return (avg, total) if returned else avg


@implements(np.cross)
def cross(a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: Any = None) -> Any:
    """Cross product of 3-vectors along the last axis."""
    if axis is not None or (axisa, axisb, axisc) != (-1, -1, -1) or \
            np.shape(getval(a))[-1] != 3 or np.shape(getval(b))[-1] != 3:
        raise NotImplementedError("steepest differentiates np.cross of 3-vectors along the "
                                  "last axis; move the axis last with np.moveaxis first")
    x = [getitem(a, (Ellipsis, k)) for k in range(3)]
    y = [getitem(b, (Ellipsis, k)) for k in range(3)]
    return stack([x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2],
                  x[0] * y[1] - x[1] * y[0]], axis=-1)


@implements(np.trace)
def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None,
          out: Any = None) -> Any:
    """Sum of the diagonal."""
    _no_out(out)
    return sum(diagonal(a, offset, axis1, axis2), axis=-1)
