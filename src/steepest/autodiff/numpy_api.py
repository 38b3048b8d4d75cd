"""The differentiable NumPy namespace (exposed as :mod:`steepest.numpy`) and the routing of
NumPy's ``__array_ufunc__``/``__array_function__`` protocols to it.

Every function here works on plain arrays (it then just calls NumPy) and on traced values.
``FUNCTIONS`` maps NumPy functions to their differentiable versions so that plain
``import numpy as np`` code is traced; ``NONDIFF_FUNCTIONS`` lists functions whose result
carries no derivative (shapes, indices, predicates) and which therefore receive untraced values.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from . import numpy_linalg  # noqa: F401  (registers the np.linalg functions)
from . import ops_reduce as R
from . import ops_special as SP
from . import ops_ufunc as U
from .core import MissingRuleError, Traced, getval
from .numpy_shape import *  # noqa: F403
from .numpy_shape import __all__ as _shape_all
from .numpy_shape import concatenate, diagonal, getitem, ravel, reshape, stack, transpose
from .ops_products import einsum as _einsum
from .ops_products import expand_ellipsis, matmul
from .ops_ufunc import UFUNC_PRIMITIVES
from .registry import FUNCTIONS, implements


def _static(x: Any) -> Any:
    """Strip tracing from every leaf of nested lists/tuples/dicts (for non-differentiable use)."""
    if isinstance(x, Traced):
        return getval(x)
    if isinstance(x, (list, tuple)):
        return type(x)(_static(v) for v in x) if not hasattr(x, "_fields") else x
    if isinstance(x, dict):
        return {k: _static(v) for k, v in x.items()}
    return x


def _no_out(out: Any) -> None:
    if out is not None:
        from .arraylike import _inplace_error

        raise _inplace_error("out=...")


# ---- protocol routing ----------------------------------------------------------------------
_UFUNC_REDUCE = {np.add: "sum", np.multiply: "prod", np.maximum: "max", np.minimum: "min"}
_UFUNC_ACCUMULATE = {np.add: "cumsum", np.multiply: "cumprod"}


def apply_ufunc(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    """Route a ufunc call on traced values (``__array_ufunc__``)."""
    _no_out(kwargs.pop("out", None))
    if method == "__call__":
        prim = UFUNC_PRIMITIVES.get(ufunc)
        if prim is not None:
            kwargs.pop("dtype", None)
            if kwargs:
                raise TypeError(f"np.{ufunc.__name__} with {sorted(kwargs)} is not supported on "
                                "traced values; use np.where(...) for masked operations")
            return prim(*inputs)
        if ufunc in U.NONDIFF_UFUNCS:
            return ufunc(*_static(inputs), **kwargs)
    name = {"reduce": _UFUNC_REDUCE, "accumulate": _UFUNC_ACCUMULATE}.get(method, {}).get(ufunc)
    if name is not None:
        axis = kwargs.pop("axis", 0)
        return globals()[name](inputs[0], axis=axis, **kwargs)
    op = ufunc.__name__ + ("" if method == "__call__" else "." + method)
    raise MissingRuleError(
        f"np.{op} has no derivative rule in steepest. Add one: "
        f"p = steepest.autodiff.primitive(np.{ufunc.__name__}); "
        "steepest.autodiff.defvjp(p, lambda g, ans, x: ...); "
        "steepest.autodiff.defjvp(p, lambda t, ans, x: ...); then call p(x) in your function."
    )


def apply_function(func: Any, args: tuple, kwargs: dict) -> Any:
    """Route a NumPy array function on traced values (``__array_function__``)."""
    impl = FUNCTIONS.get(func)
    if impl is not None:
        return impl(*args, **kwargs)
    if func in NONDIFF_FUNCTIONS:
        return func(*_static(args), **_static(kwargs))
    name = getattr(func, "__name__", repr(func))
    raise MissingRuleError(
        f"np.{name} has no derivative rule in steepest. Use a supported function from "
        "steepest.numpy, or make it a primitive: p = steepest.autodiff.primitive(fn) with "
        "steepest.autodiff.defvjp(p, ...) and defjvp(p, ...); wrap the inputs in "
        "stop_gradient(...) if no derivative is needed."
    )


# ---- elementwise ----------------------------------------------------------------------------
add, subtract, multiply, divide = U.add, U.subtract, U.multiply, U.divide
true_divide = divide
power, negative, positive, remainder = U.power, U.negative, U.positive, U.remainder
mod = remainder
exp, exp2, expm1, log, log2, log10, log1p = U.exp, U.exp2, U.expm1, U.log, U.log2, U.log10, U.log1p
sqrt, cbrt, square, reciprocal = U.sqrt, U.cbrt, U.square, U.reciprocal
sin, cos, tan, arcsin, arccos, arctan = U.sin, U.cos, U.tan, U.arcsin, U.arccos, U.arctan
sinh, cosh, tanh = U.sinh, U.cosh, U.tanh
arcsinh, arccosh, arctanh = U.arcsinh, U.arccosh, U.arctanh
absolute = abs = fabs = U.absolute
deg2rad, rad2deg = UFUNC_PRIMITIVES[np.deg2rad], UFUNC_PRIMITIVES[np.rad2deg]
radians, degrees = deg2rad, rad2deg
maximum, minimum, fmax, fmin = U.maximum, U.minimum, U.fmax, U.fmin
logaddexp, logaddexp2, hypot, arctan2, fmod = U.logaddexp, U.logaddexp2, U.hypot, U.arctan2, U.fmod


expit, logit, erf, erfc, ndtr, log_ndtr = U.expit, U.logit, U.erf, U.erfc, U.ndtr, U.log_ndtr
gammaln, digamma, gamma, xlogy = U.gammaln, U.digamma, U.gamma, U.xlogy
logsumexp, softmax, log_softmax = SP.logsumexp, SP.softmax, SP.log_softmax


def sign(x: Any) -> Any:
    """Sign of ``x`` (piecewise constant: no derivative, returns a plain array)."""
    return np.sign(getval(x))


def floor(x: Any) -> Any:
    """Floor of ``x`` (piecewise constant: no derivative)."""
    return np.floor(getval(x))


def ceil(x: Any) -> Any:
    """Ceiling of ``x`` (piecewise constant: no derivative)."""
    return np.ceil(getval(x))


@implements(np.where)
def where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """``x`` where ``condition`` holds, else ``y``; the condition carries no derivative."""
    if x is None and y is None:
        return np.where(getval(condition))
    return U.where_prim(np.asarray(getval(condition)), x, y)


@implements(np.clip)
def clip(a: Any, a_min: Any = None, a_max: Any = None, out: Any = None, **kwargs: Any) -> Any:
    """Clip ``a`` to ``[a_min, a_max]``; the derivative is 1 inside, 0 outside (0 at a tie
    with a traced bound goes to the bound)."""
    _no_out(out)
    a_min = kwargs.pop("min", a_min)
    a_max = kwargs.pop("max", a_max)
    if a_min is not None:
        a = where(getval(a) < getval(a_min), a_min, a)
    if a_max is not None:
        a = where(getval(a) > getval(a_max), a_max, a)
    return a


# ---- reductions -----------------------------------------------------------------------------
@implements(np.sum)
def sum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
        **kwargs: Any) -> Any:
    """Sum over ``axis`` (all axes when ``None``)."""
    _no_out(out)
    return R.sum(a, axis=_axis(axis), keepdims=keepdims)


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


@implements(np.mean)
def mean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         **kwargs: Any) -> Any:
    """Arithmetic mean over ``axis``."""
    _no_out(out)
    return R.mean(a, axis=_axis(axis), keepdims=keepdims)


@implements(np.prod)
def prod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         **kwargs: Any) -> Any:
    """Product over ``axis`` (derivative assumes no zero entries)."""
    _no_out(out)
    return R.prod(a, axis=_axis(axis), keepdims=keepdims)


@implements(np.max, np.amax)
def max(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kwargs: Any) -> Any:
    """Maximum over ``axis``; ties share the derivative equally."""
    _no_out(out)
    return R.amax(a, axis=_axis(axis), keepdims=keepdims)


@implements(np.min, np.amin)
def min(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False, **kwargs: Any) -> Any:
    """Minimum over ``axis``; ties share the derivative equally."""
    _no_out(out)
    return R.amin(a, axis=_axis(axis), keepdims=keepdims)


amax, amin = max, min


@implements(np.var)
def var(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
        keepdims: bool = False, **kwargs: Any) -> Any:
    """Variance over ``axis`` with ``ddof`` delta degrees of freedom."""
    _no_out(out)
    return R.var(a, axis=_axis(axis), ddof=ddof, keepdims=keepdims)


@implements(np.std)
def std(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
        keepdims: bool = False, **kwargs: Any) -> Any:
    """Standard deviation, ``sqrt(var)``."""
    return sqrt(var(a, axis=axis, out=out, ddof=ddof, keepdims=keepdims))


@implements(np.cumsum)
def cumsum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """Cumulative sum along ``axis`` (of the flattened array when ``None``)."""
    _no_out(out)
    return R.cumsum(ravel(a), 0) if axis is None else R.cumsum(a, axis)


@implements(np.cumprod)
def cumprod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Any:
    """Cumulative product along ``axis`` (derivative assumes no zero entries)."""
    _no_out(out)
    return R.cumprod(ravel(a), 0) if axis is None else R.cumprod(a, axis)


# ---- products -------------------------------------------------------------------------------
FUNCTIONS[np.matmul] = UFUNC_PRIMITIVES[np.matmul] = matmul


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
def einsum(subscripts: str, *operands: Any, out: Any = None, optimize: Any = False,
           **kwargs: Any) -> Any:
    """Einstein summation (each operand differentiable; ``...`` batch axes allowed)."""
    _no_out(out)
    shapes = [np.shape(getval(op)) for op in operands]
    return _einsum(expand_ellipsis(subscripts, shapes), *operands)


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


NONDIFF_FUNCTIONS = frozenset({
    np.shape, np.ndim, np.size, np.argmax, np.argmin, np.argsort, np.nonzero, np.flatnonzero,
    np.argwhere, np.isclose, np.allclose, np.array_equal, np.zeros_like, np.ones_like,
    np.empty_like, np.full_like, np.round, np.around, np.searchsorted, np.count_nonzero,
    np.any, np.all, np.result_type, np.iscomplexobj, np.isrealobj, np.may_share_memory,
    np.shares_memory, np.digitize, np.histogram, np.can_cast, np.min_scalar_type, np.isfinite,
    np.isnan, np.isinf, np.sign, np.floor, np.ceil, np.unravel_index, np.ravel_multi_index,
    np.argpartition, np.lexsort, np.sort_complex, np.nanargmax, np.nanargmin, np.array_repr,
    np.array_str, np.array2string, np.ndim,
})

_ELEMENTWISE = [
    "add", "subtract", "multiply", "divide", "true_divide", "power", "negative", "positive",
    "remainder", "mod", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt",
    "square", "reciprocal", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh", "arcsinh", "arccosh", "arctanh", "absolute", "abs", "fabs", "deg2rad", "rad2deg",
    "radians", "degrees", "maximum", "minimum", "fmax", "fmin", "logaddexp", "logaddexp2",
    "hypot", "arctan2", "fmod", "expit", "logit", "erf", "erfc", "ndtr", "log_ndtr", "gammaln",
    "digamma", "gamma", "xlogy", "logsumexp", "softmax", "log_softmax", "sign", "floor", "ceil",
    "where", "clip",
]
_REDUCTIONS_AND_PRODUCTS = [
    "sum", "mean", "prod", "max", "min", "amax", "amin", "var", "std", "cumsum", "cumprod",
    "matmul", "dot", "vdot", "inner", "outer", "tensordot", "einsum", "kron", "trace", "diff",
    "average", "cross",
]
__all__ = _ELEMENTWISE + _REDUCTIONS_AND_PRODUCTS + list(_shape_all)
