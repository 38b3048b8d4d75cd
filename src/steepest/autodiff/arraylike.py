"""The NumPy face of traced values: operators, methods, properties and the array protocols.

Traced values take part in plain ``import numpy as np`` code: ufuncs reach
:meth:`ArrayMethods.__array_ufunc__`, array functions (``np.sum``, ``np.dot``, ``np.stack`` ...)
reach :meth:`ArrayMethods.__array_function__`, operators and methods call the same functions.
Every one of them is looked up in the one dispatch table, :data:`steepest._dispatch.TRACED`,
which the NumPy-facing modules of :mod:`steepest.autodiff.numpy` fill with their
differentiable implementations (functions whose result carries no derivative are registered
as :class:`NonDifferentiable`).

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> float(grad(lambda x: (x * x).sum() + np.floor(x))(3.0))  # floor: no derivative
    6.0
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from .._dispatch import TRACED as _TRACED
from .errors import MissingRuleError, traced_error

__all__ = ["ArrayMethods", "Composite", "NonDifferentiable", "apply_ufunc", "apply_function",
           "static"]

_NOKW: dict = {}
_SCALARS = (float, int, np.float64)
_lookup = _TRACED.get


def _plain(x: Any) -> Any:
    """The untraced value of ``x`` (every level of tracing removed); a value batched by
    ``vmap`` stays batched, without the derivative levels below the batch."""
    while isinstance(x, ArrayMethods) and not x._opaque:
        if x._batched:
            return x.without_derivatives()  # type: ignore[attr-defined]
        x = x._value  # type: ignore[attr-defined]
    return x


def _shape(v: Any) -> tuple[int, ...]:
    """The shape of a value returned by :func:`_plain` (a batched value: one example's)."""
    return v.shape if isinstance(v, ArrayMethods) else np.shape(v)


class BatchHooks:
    """What :mod:`steepest.autodiff.batching` installs so that functions without a derivative
    (``NonDifferentiable``) run on batched values: ``active`` counts the open ``vmap`` calls,
    ``call(fn, args, kwargs)`` runs ``fn`` on arguments holding batched values."""

    active = 0
    call: Any = None


def _holds_batched(x: Any) -> bool:
    if isinstance(x, ArrayMethods):
        return x._batched
    if isinstance(x, (list, tuple)):
        return any(_holds_batched(v) for v in x)
    if isinstance(x, dict):
        return any(_holds_batched(v) for v in x.values())
    return False


def static(x: Any) -> Any:
    """Strip tracing from every leaf of nested lists/tuples/dicts (for non-differentiable use).

    Example:
        >>> static([1.0, (2.0,)])
        [1.0, (2.0,)]
    """
    if isinstance(x, ArrayMethods):
        return _plain(x)
    if isinstance(x, (list, tuple)):
        return type(x)(static(v) for v in x) if not hasattr(x, "_fields") else x
    if isinstance(x, dict):
        return {k: static(v) for k, v in x.items()}
    return x


class NonDifferentiable:
    """The traced implementation of a function whose result carries no derivative (shapes,
    indices, predicates, piecewise constants): it calls the function on the untraced values.

    Example:
        >>> import numpy as np
        >>> NonDifferentiable(np.shape)(np.ones(2))
        (2,)
    """

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args, kwargs = static(args), static(kwargs)
        if BatchHooks.active and (_holds_batched(args) or _holds_batched(kwargs)):
            return BatchHooks.call(self.fn, args, kwargs)
        return self.fn(*args, **kwargs)


class Composite:
    """The traced implementation of a ufunc written as a composition of primitives (a ufunc
    with several outputs such as ``np.frexp``, or an error for an unsupported one): called as
    a function, never recorded as one primitive.

    Example:
        >>> Composite(lambda x: (x, 2 * x))(1.0)
        (1.0, 2.0)
    """

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)


_NOT_PRIMITIVE = frozenset({NonDifferentiable, Composite})
_UFUNC_REDUCE = {np.add: np.sum, np.multiply: np.prod, np.maximum: np.max, np.minimum: np.min}
_UFUNC_ACCUMULATE = {np.add: np.cumsum, np.multiply: np.cumprod}
# the nearest supported form of a ufunc method without a rule
_METHOD_ALTERNATIVE = {
    "outer": " (use broadcasting: np.{name}(x[:, None], y[None, :]))",
    "at": " (use the functional steepest.autodiff.index_update(x, idx, values) or np.where)",
    "reduceat": " (reduce each slice: np.stack([np.{name}.reduce(x[i:j]) for i, j in ...]))",
    "accumulate": " (only np.add.accumulate = np.cumsum and np.multiply.accumulate = np.cumprod "
                  "have rules)",
    "reduce": " (use np.sum, np.prod, np.max or np.min)",
}


def apply_ufunc(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    """Route a ufunc call on traced values (``__array_ufunc__``) through the table.

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import grad
        >>> float(grad(lambda x: np.add.reduce(x * x))(np.ones(3))[0])
        2.0
    """
    if kwargs.pop("out", None) is not None:
        raise traced_error("out=...", "in-place")
    impl = _TRACED.get(ufunc)
    if method == "__call__" and impl is not None:
        if type(impl) is NonDifferentiable:
            return impl(*inputs, **kwargs)
        kwargs.pop("dtype", None)
        if kwargs:
            raise TypeError(f"np.{ufunc.__name__} with {sorted(kwargs)} is not supported on "
                            "traced values; use np.where(...) for masked operations")
        return impl(*inputs)
    public = {"reduce": _UFUNC_REDUCE, "accumulate": _UFUNC_ACCUMULATE}.get(method, {}).get(ufunc)
    if public is not None:
        axis = kwargs.pop("axis", 0)
        return _TRACED[public](inputs[0], axis=axis, **kwargs)
    op = ufunc.__name__ + ("" if method == "__call__" else "." + method)
    alternative = _METHOD_ALTERNATIVE.get(method, "").format(name=ufunc.__name__)
    raise MissingRuleError(
        f"np.{op} has no derivative rule in steepest{alternative}. Add one: "
        f"p = steepest.autodiff.primitives(np.{ufunc.__name__}); "
        "steepest.autodiff.defvjp(p, lambda g, ans, x: ...); "
        "steepest.autodiff.defjvp(p, lambda t, ans, x: ...); then call p(x) in your function."
    )


def apply_function(func: Any, args: tuple, kwargs: dict) -> Any:
    """Route a NumPy array function on traced values (``__array_function__``) through the table.

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import grad
        >>> float(grad(lambda x: np.sum(np.stack([x, x])))(1.0))
        2.0
    """
    impl = _TRACED.get(func)
    if impl is not None:
        return impl(*args, **kwargs)
    name = getattr(func, "__name__", repr(func))
    raise MissingRuleError(
        f"np.{name} has no derivative rule in steepest. Use a supported function from "
        "steepest.numpy, or make it a primitive: p = steepest.autodiff.primitives(fn) with "
        "steepest.autodiff.defvjp(p, ...) and defjvp(p, ...); wrap the inputs in "
        "stop_gradient(...) if no derivative is needed."
    )


class ArrayMethods:
    """Operator overloads and ndarray-like methods shared by all traced values."""

    __slots__ = ()
    __array_priority__ = 100.0
    _batched = False  # True for values batched by vmap (steepest.autodiff.batching)
    __hash__ = object.__hash__
    # an opaque value (recorded by steepest.jit) is where stripping of tracing stops, so that
    # value-dependent code (masks, signs, comparisons) is recorded instead of frozen
    _opaque = False

    # ---- protocols -------------------------------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method == "__call__" and not kwargs:
            impl = _lookup(ufunc)
            if impl is not None and impl.__class__ not in _NOT_PRIMITIVE:
                if len(inputs) == 1:  # only self is traced: no level to compare
                    return self._trace.apply(impl, inputs, _NOKW)  # type: ignore[attr-defined]
                return impl(*inputs)
        return apply_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        return apply_function(func, args, kwargs)

    # ---- properties ------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return _shape(_plain(self))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def dtype(self) -> np.dtype:
        v = _plain(self)
        return v.dtype if isinstance(v, ArrayMethods) else np.result_type(v)

    @property
    def T(self) -> Any:
        return _TRACED[np.transpose](self)

    @property
    def mT(self) -> Any:
        return _TRACED[np.swapaxes](self, -1, -2)

    @property
    def real(self) -> Any:
        return _TRACED[np.real](self)

    @property
    def imag(self) -> Any:
        return _TRACED[np.imag](self)

    # ---- arithmetic (+, -, *, /, **, % and +=, ... are made by _operator below) -------------
    def __floordiv__(self, o: Any) -> Any:
        return np.floor_divide(_plain(self), _plain(o))

    def __rfloordiv__(self, o: Any) -> Any:
        return np.floor_divide(_plain(o), _plain(self))

    def __matmul__(self, o: Any) -> Any:
        return _TRACED[np.matmul](self, o)

    def __rmatmul__(self, o: Any) -> Any:
        return _TRACED[np.matmul](o, self)

    def __neg__(self) -> Any:
        return _TRACED[np.negative](self)

    def __pos__(self) -> Any:
        return self

    def __abs__(self) -> Any:
        return _TRACED[np.absolute](self)

    # ---- comparisons (no derivative: plain boolean arrays) ----------------------------------
    def __lt__(self, o: Any) -> Any:
        return _plain(self) < _plain(o)

    def __le__(self, o: Any) -> Any:
        return _plain(self) <= _plain(o)

    def __gt__(self, o: Any) -> Any:
        return _plain(self) > _plain(o)

    def __ge__(self, o: Any) -> Any:
        return _plain(self) >= _plain(o)

    def __eq__(self, o: Any) -> Any:  # type: ignore[override]
        return _plain(self) == _plain(o)

    def __ne__(self, o: Any) -> Any:  # type: ignore[override]
        return _plain(self) != _plain(o)

    def __bool__(self) -> bool:
        return bool(_plain(self))

    def __float__(self) -> float:
        raise traced_error("float()", "conversion")

    def __int__(self) -> int:
        raise traced_error("int()", "conversion")

    def __complex__(self) -> complex:
        raise traced_error("complex()", "conversion")

    def item(self, *args: Any) -> Any:
        raise traced_error(".item()", "conversion")

    def tolist(self) -> Any:
        raise traced_error(".tolist()", "conversion")

    # ---- indexing --------------------------------------------------------------------------
    def __getitem__(self, idx: Any) -> Any:
        return _TRACED[operator.getitem](self, idx)

    def __setitem__(self, idx: Any, value: Any) -> None:
        raise traced_error("x[...] = value", "in-place")

    def __len__(self) -> int:
        shape = self.shape
        if not shape:
            raise TypeError("len() of a 0-d traced value")
        return shape[0]

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))

    # ---- ndarray methods -------------------------------------------------------------------
    def sum(self, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False) -> Any:
        return _TRACED[np.sum](self, axis=axis, out=out, keepdims=keepdims)

    def mean(self, axis: Any = None, dtype: Any = None, out: Any = None,
             keepdims: bool = False) -> Any:
        return _TRACED[np.mean](self, axis=axis, out=out, keepdims=keepdims)

    def prod(self, axis: Any = None, dtype: Any = None, out: Any = None,
             keepdims: bool = False) -> Any:
        return _TRACED[np.prod](self, axis=axis, out=out, keepdims=keepdims)

    def max(self, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
        return _TRACED[np.max](self, axis=axis, out=out, keepdims=keepdims)

    def min(self, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
        return _TRACED[np.min](self, axis=axis, out=out, keepdims=keepdims)

    def var(self, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
            keepdims: bool = False) -> Any:
        return _TRACED[np.var](self, axis=axis, out=out, ddof=ddof, keepdims=keepdims)

    def std(self, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
            keepdims: bool = False) -> Any:
        return _TRACED[np.std](self, axis=axis, out=out, ddof=ddof, keepdims=keepdims)

    def cumsum(self, axis: Any = None) -> Any:
        return _TRACED[np.cumsum](self, axis=axis)

    def cumprod(self, axis: Any = None) -> Any:
        return _TRACED[np.cumprod](self, axis=axis)

    def reshape(self, *shape: Any, order: str = "C") -> Any:
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = tuple(shape[0])
        return _TRACED[np.reshape](self, shape)

    def ravel(self) -> Any:
        return _TRACED[np.ravel](self)

    def flatten(self) -> Any:
        return _TRACED[np.ravel](self)

    def transpose(self, *axes: Any) -> Any:
        if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
            axes = axes[0]
        return _TRACED[np.transpose](self, axes or None)

    def swapaxes(self, a: int, b: int) -> Any:
        return _TRACED[np.swapaxes](self, a, b)

    def squeeze(self, axis: Any = None) -> Any:
        return _TRACED[np.squeeze](self, axis=axis)

    def dot(self, o: Any) -> Any:
        return _TRACED[np.dot](self, o)

    def clip(self, a_min: Any = None, a_max: Any = None) -> Any:
        return _TRACED[np.clip](self, a_min, a_max)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        return _TRACED[np.diagonal](self, offset, axis1, axis2)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        return _TRACED[np.trace](self, offset, axis1, axis2)

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        return _TRACED[np.repeat](self, repeats, axis=axis)

    def take(self, indices: Any, axis: Any = None) -> Any:
        return _TRACED[np.take](self, indices, axis=axis)

    def copy(self) -> Any:
        return self

    def conj(self) -> Any:
        return _TRACED[np.conjugate](self)

    def conjugate(self) -> Any:
        return _TRACED[np.conjugate](self)

    def astype(self, dtype: Any, copy: bool = True) -> Any:
        return _TRACED[np.astype](self, dtype)

    def argmax(self, axis: Any = None) -> Any:
        return np.argmax(_plain(self), axis=axis)

    def argmin(self, axis: Any = None) -> Any:
        return np.argmin(_plain(self), axis=axis)

    def argsort(self, axis: int = -1) -> Any:
        return np.argsort(_plain(self), axis=axis)

    def nonzero(self) -> Any:
        return np.nonzero(_plain(self))

    def all(self, axis: Any = None) -> Any:
        return np.all(_plain(self), axis=axis)

    def any(self, axis: Any = None) -> Any:
        return np.any(_plain(self), axis=axis)

    def __repr__(self) -> str:
        kind = type(self).__name__
        return f"{kind}({_plain(self)!r}, level={self._trace.level})"  # type: ignore[attr-defined]


def _object_loop_method(name: str) -> Any:
    """Method NumPy calls for ufunc ``name`` on object arrays (``np.array([t1, t2])``)."""

    def method(self: Any) -> Any:
        return _TRACED[getattr(np, name)](self)

    method.__name__ = name
    return method


for _name in ("exp", "log", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "arcsin", "arccos",
              "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "exp2", "log2",
              "log10", "square", "cbrt", "reciprocal", "absolute", "deg2rad", "rad2deg"):
    setattr(ArrayMethods, _name, _object_loop_method(_name))


def _operator(ufunc: Any, reflected: bool) -> Any:
    """The method for ``self <op> o`` (``o <op> self`` when ``reflected``): when ``o`` is a
    Python scalar or a value of the same trace, the primitive is recorded on that trace
    directly, skipping the search for the innermost trace."""
    table, scalars, nokw = _TRACED, _SCALARS, _NOKW

    def method(self: Any, o: Any) -> Any:
        if type(o) in scalars or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(table[ufunc], (self, o), nokw)
        return table[ufunc](self, o)

    def reflected_method(self: Any, o: Any) -> Any:
        if type(o) in scalars or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(table[ufunc], (o, self), nokw)
        return table[ufunc](o, self)

    return reflected_method if reflected else method


for _name, _ufunc, _inplace in (("add", np.add, True), ("sub", np.subtract, True),
                                ("mul", np.multiply, True), ("truediv", np.true_divide, True),
                                ("pow", np.power, False), ("mod", np.remainder, False)):
    setattr(ArrayMethods, f"__{_name}__", _operator(_ufunc, reflected=False))
    setattr(ArrayMethods, f"__r{_name}__", _operator(_ufunc, reflected=True))
    if _inplace:  # x += y records a new value: traced arrays are never written in place
        setattr(ArrayMethods, f"__i{_name}__", _operator(_ufunc, reflected=False))
