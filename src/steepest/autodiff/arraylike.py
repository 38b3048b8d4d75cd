"""The NumPy face of traced values: operators, methods, properties and the array protocols.

Traced values take part in plain ``import numpy as np`` code: ufuncs reach
:meth:`ArrayMethods.__array_ufunc__`, array functions (``np.sum``, ``np.dot``, ``np.stack`` ...)
reach :meth:`ArrayMethods.__array_function__`, and both are routed to the differentiable
namespace :mod:`steepest.numpy` (bound as ``_api`` when the package is imported).
"""

from __future__ import annotations

from typing import Any

import numpy as np

_api: Any = None  # steepest.autodiff.numpy_api, bound by steepest.autodiff.__init__
_ufuncs: dict = {}  # ufunc -> primitive
_NOKW: dict = {}
_SCALARS = (float, int, np.float64)


def bind(api: Any, ufuncs: dict) -> None:
    """Bind the differentiable namespace and ufunc table used by the methods below."""
    global _api, _ufuncs
    _api, _ufuncs = api, ufuncs


def _inplace_error(what: str) -> TypeError:
    return TypeError(
        f"{what} would modify a traced array in place, which automatic differentiation cannot "
        "follow. Build a new array instead: use np.where(mask, new, x), np.concatenate, "
        "or steepest.autodiff.index_update(x, idx, values)."
    )


def _conversion_error(what: str) -> TypeError:
    return TypeError(
        f"{what} of a traced value would drop its derivative. Keep it an array inside the "
        "differentiated function (remove the conversion; use np.exp, not math.exp); to fill "
        "a preallocated array (out[i] = ...) collect the entries in a list and use "
        "np.array(list) or np.stack instead; wrap a value in steepest.autodiff.stop_gradient(x) "
        "if no derivative is wanted."
    )


class ArrayMethods:
    """Operator overloads and ndarray-like methods shared by all traced values."""

    __slots__ = ()
    __array_priority__ = 100.0
    __hash__ = object.__hash__

    # ---- protocols -------------------------------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        if method == "__call__" and not kwargs:
            prim = _ufuncs.get(ufunc)
            if prim is not None:
                if len(inputs) == 1:  # only self is traced: no level to compare
                    return self._trace.apply(prim, inputs, _NOKW)  # type: ignore[attr-defined]
                return prim(*inputs)
        return _api.apply_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        return _api.apply_function(func, args, kwargs)

    # ---- properties ------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return np.shape(_api.getval(self))

    @property
    def ndim(self) -> int:
        return np.ndim(_api.getval(self))

    @property
    def size(self) -> int:
        return int(np.size(_api.getval(self)))

    @property
    def dtype(self) -> np.dtype:
        return np.result_type(_api.getval(self))

    @property
    def T(self) -> Any:
        return _api.transpose(self)

    @property
    def mT(self) -> Any:
        return _api.swapaxes(self, -1, -2)

    # ---- arithmetic --------------------------------------------------------------------------
    def __add__(self, o: Any) -> Any:
        if type(o) in _SCALARS or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(_api.add, (self, o), _NOKW)  # type: ignore[attr-defined]
        return _api.add(self, o)

    def __radd__(self, o: Any) -> Any:
        if type(o) in _SCALARS or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(_api.add, (o, self), _NOKW)  # type: ignore[attr-defined]
        return _api.add(o, self)

    def __sub__(self, o: Any) -> Any:
        if type(o) in _SCALARS or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(_api.subtract, (self, o), _NOKW)  # type: ignore[attr-defined]
        return _api.subtract(self, o)

    def __rsub__(self, o: Any) -> Any:
        if type(o) in _SCALARS or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(_api.subtract, (o, self), _NOKW)  # type: ignore[attr-defined]
        return _api.subtract(o, self)

    def __mul__(self, o: Any) -> Any:
        if type(o) in _SCALARS or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(_api.multiply, (self, o), _NOKW)  # type: ignore[attr-defined]
        return _api.multiply(self, o)

    def __rmul__(self, o: Any) -> Any:
        if type(o) in _SCALARS or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(_api.multiply, (o, self), _NOKW)  # type: ignore[attr-defined]
        return _api.multiply(o, self)

    def __truediv__(self, o: Any) -> Any:
        if type(o) in _SCALARS or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(_api.divide, (self, o), _NOKW)  # type: ignore[attr-defined]
        return _api.divide(self, o)

    def __rtruediv__(self, o: Any) -> Any:
        if type(o) in _SCALARS or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(_api.divide, (o, self), _NOKW)  # type: ignore[attr-defined]
        return _api.divide(o, self)

    def __pow__(self, o: Any) -> Any:
        if type(o) in _SCALARS or (type(o) is type(self) and o._trace is self._trace):
            return self._trace.apply(_api.power, (self, o), _NOKW)  # type: ignore[attr-defined]
        return _api.power(self, o)

    def __rpow__(self, o: Any) -> Any:
        return _api.power(o, self)

    def __mod__(self, o: Any) -> Any:
        return _api.remainder(self, o)

    def __rmod__(self, o: Any) -> Any:
        return _api.remainder(o, self)

    def __floordiv__(self, o: Any) -> Any:
        return np.floor_divide(_api.getval(self), _api.getval(o))

    def __rfloordiv__(self, o: Any) -> Any:
        return np.floor_divide(_api.getval(o), _api.getval(self))

    def __matmul__(self, o: Any) -> Any:
        return _api.matmul(self, o)

    def __rmatmul__(self, o: Any) -> Any:
        return _api.matmul(o, self)

    def __neg__(self) -> Any:
        return _api.negative(self)

    def __pos__(self) -> Any:
        return self

    def __abs__(self) -> Any:
        return _api.absolute(self)

    # ---- comparisons (no derivative: plain boolean arrays) ----------------------------------
    def __lt__(self, o: Any) -> Any:
        return _api.getval(self) < _api.getval(o)

    def __le__(self, o: Any) -> Any:
        return _api.getval(self) <= _api.getval(o)

    def __gt__(self, o: Any) -> Any:
        return _api.getval(self) > _api.getval(o)

    def __ge__(self, o: Any) -> Any:
        return _api.getval(self) >= _api.getval(o)

    def __eq__(self, o: Any) -> Any:  # type: ignore[override]
        return _api.getval(self) == _api.getval(o)

    def __ne__(self, o: Any) -> Any:  # type: ignore[override]
        return _api.getval(self) != _api.getval(o)

    def __bool__(self) -> bool:
        return bool(_api.getval(self))

    def __float__(self) -> float:
        raise _conversion_error("float()")

    def __int__(self) -> int:
        raise _conversion_error("int()")

    def __complex__(self) -> complex:
        raise _conversion_error("complex()")

    def item(self, *args: Any) -> Any:
        raise _conversion_error(".item()")

    def tolist(self) -> Any:
        raise _conversion_error(".tolist()")

    # ---- indexing --------------------------------------------------------------------------
    def __getitem__(self, idx: Any) -> Any:
        return _api.getitem(self, idx)

    def __setitem__(self, idx: Any, value: Any) -> None:
        raise _inplace_error("x[...] = value")

    def __len__(self) -> int:
        return len(_api.getval(self))

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))

    def __iadd__(self, o: Any) -> Any:
        return _api.add(self, o)

    def __isub__(self, o: Any) -> Any:
        return _api.subtract(self, o)

    def __imul__(self, o: Any) -> Any:
        return _api.multiply(self, o)

    def __itruediv__(self, o: Any) -> Any:
        return _api.divide(self, o)

    # ---- ndarray methods -------------------------------------------------------------------
    def sum(self, axis: Any = None, dtype: Any = None, out: Any = None,
            keepdims: bool = False) -> Any:
        return _api.sum(self, axis=axis, out=out, keepdims=keepdims)

    def mean(self, axis: Any = None, dtype: Any = None, out: Any = None,
             keepdims: bool = False) -> Any:
        return _api.mean(self, axis=axis, out=out, keepdims=keepdims)

    def prod(self, axis: Any = None, dtype: Any = None, out: Any = None,
             keepdims: bool = False) -> Any:
        return _api.prod(self, axis=axis, out=out, keepdims=keepdims)

    def max(self, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
        return _api.max(self, axis=axis, out=out, keepdims=keepdims)

    def min(self, axis: Any = None, out: Any = None, keepdims: bool = False) -> Any:
        return _api.min(self, axis=axis, out=out, keepdims=keepdims)

    def var(self, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
            keepdims: bool = False) -> Any:
        return _api.var(self, axis=axis, out=out, ddof=ddof, keepdims=keepdims)

    def std(self, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
            keepdims: bool = False) -> Any:
        return _api.std(self, axis=axis, out=out, ddof=ddof, keepdims=keepdims)

    def cumsum(self, axis: Any = None) -> Any:
        return _api.cumsum(self, axis=axis)

    def cumprod(self, axis: Any = None) -> Any:
        return _api.cumprod(self, axis=axis)

    def reshape(self, *shape: Any, order: str = "C") -> Any:
        if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
            shape = tuple(shape[0])
        return _api.reshape(self, shape)

    def ravel(self) -> Any:
        return _api.ravel(self)

    def flatten(self) -> Any:
        return _api.ravel(self)

    def transpose(self, *axes: Any) -> Any:
        if len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
            axes = axes[0]
        return _api.transpose(self, axes or None)

    def swapaxes(self, a: int, b: int) -> Any:
        return _api.swapaxes(self, a, b)

    def squeeze(self, axis: Any = None) -> Any:
        return _api.squeeze(self, axis=axis)

    def dot(self, o: Any) -> Any:
        return _api.dot(self, o)

    def clip(self, a_min: Any = None, a_max: Any = None) -> Any:
        return _api.clip(self, a_min, a_max)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        return _api.diagonal(self, offset, axis1, axis2)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        return _api.trace(self, offset, axis1, axis2)

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        return _api.repeat(self, repeats, axis=axis)

    def take(self, indices: Any, axis: Any = None) -> Any:
        return _api.take(self, indices, axis=axis)

    def copy(self) -> Any:
        return self

    def conj(self) -> Any:
        return self

    def astype(self, dtype: Any, copy: bool = True) -> Any:
        return _api.astype(self, dtype)

    def argmax(self, axis: Any = None) -> Any:
        return np.argmax(_api.getval(self), axis=axis)

    def argmin(self, axis: Any = None) -> Any:
        return np.argmin(_api.getval(self), axis=axis)

    def argsort(self, axis: int = -1) -> Any:
        return np.argsort(_api.getval(self), axis=axis)

    def nonzero(self) -> Any:
        return np.nonzero(_api.getval(self))

    def all(self, axis: Any = None) -> Any:
        return np.all(_api.getval(self), axis=axis)

    def any(self, axis: Any = None) -> Any:
        return np.any(_api.getval(self), axis=axis)

    def __repr__(self) -> str:
        kind = type(self).__name__
        return f"{kind}({_api.getval(self)!r}, level={self._trace.level})"  # type: ignore[attr-defined]


def _object_loop_method(name: str) -> Any:
    """Method NumPy calls for ufunc ``name`` on object arrays (``np.array([t1, t2])``)."""

    def method(self: Any) -> Any:
        return getattr(_api, name)(self)

    method.__name__ = name
    return method


for _name in ("exp", "log", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "arcsin", "arccos",
              "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "exp2", "log2",
              "log10", "square", "cbrt", "reciprocal", "absolute", "deg2rad", "rad2deg"):
    setattr(ArrayMethods, _name, _object_loop_method(_name))
