"""Compiled objectives kept across ``minimize(..., options={"jit": True})`` calls.

``options={"jit": True}`` replays ``fun`` and its derivatives through :func:`steepest.jit`.
Recording and compiling costs milliseconds, as much as a whole small solve, so a second
``minimize`` of the same function object reuses the compiled functions of the first (as
``jax.jit`` caches by function) -- but only while nothing ``fun`` reads has changed.

What ``fun`` reads is taken from its code: its defaults, its closure cells and the global
names its code (and the code nested in it) mentions, followed into the Python functions it
reaches. The fingerprint holds Python numbers, strings and ``None`` by value, arrays by
identity, shape, dtype and a BLAKE2 digest of their bytes (an in-place write changes it),
builtins, ufuncs and the modules, classes and functions of NumPy, SciPy and steepest by
identity. A ``fun`` that reads anything else (a list, a dict, an object, or a module or class
of the user's, whose attributes may be rebound between calls), or that is not a plain Python
function (a bound method, a ``functools.partial``, a callable object), is compiled afresh
for every call, as before.

The cache holds ``fun`` weakly: the compiled functions call it through a weak reference, and
an entry disappears with its function.

Example:
    >>> import numpy as np
    >>> def f(x):
    ...     return np.sum((x - 1.0) ** 2)
    >>> fp = fingerprint(f)
    >>> fp == fingerprint(f), fingerprint(lambda x: [x][0]) is not None
    (True, True)
    >>> fingerprint(print.__call__) is None  # not a plain Python function
    True
"""

from __future__ import annotations

import functools
import hashlib
import weakref
from collections.abc import Callable
from types import BuiltinFunctionType, CodeType, FunctionType, ModuleType
from typing import Any

import numpy as np

from .autodiff import hvp, value_and_grad
from .compile import jit

__all__ = ["compiled_objective", "fingerprint"]

_VALUES = (bool, int, float, complex, str, bytes, type(None), np.generic)
_BY_IDENTITY = (BuiltinFunctionType, np.ufunc)
_LIBRARY_ONLY = (ModuleType, type)  # attributes a user may rebind: by identity only for libraries
_LIBRARIES = ("numpy", "scipy", "steepest", "math", "builtins")
_MAX_OBJECTS = 256  # a fingerprint visiting more gives up (fresh compile: always correct)


class _Opaque(Exception):
    """Something ``fun`` reads cannot be fingerprinted."""


def fingerprint(fun: Any) -> tuple | None:
    """What a compiled ``fun`` depends on besides its arguments, or ``None`` when unknown.

    Args:
        fun: the objective.

    Returns:
        A hashable-free tuple to compare with ``==`` (see the module docstring for what it
        holds), or ``None`` when ``fun`` or something it reads is not fingerprintable.
    """
    if type(fun) is not FunctionType:
        return None
    try:
        return _function(fun, {}, [0])
    except _Opaque:
        return None


def _function(fn: FunctionType, seen: dict[int, int], count: list[int]) -> tuple:
    if id(fn) in seen:
        return ("seen", seen[id(fn)])
    seen[id(fn)] = len(seen)
    code = fn.__code__
    cells = tuple(_cell(c, seen, count) for c in fn.__closure__ or ())
    glob = fn.__globals__
    names = tuple((n, _value(glob[n], seen, count)) for n in _global_names(code) if n in glob)
    return ("fn", id(code), _value(fn.__defaults__, seen, count),
            _value(fn.__kwdefaults__, seen, count), cells, names)


def _cell(cell: Any, seen: dict[int, int], count: list[int]) -> tuple:
    try:
        return _value(cell.cell_contents, seen, count)
    except ValueError:  # an empty cell (a name not yet bound)
        return ("empty",)


@functools.lru_cache(maxsize=512)
def _global_names(code: CodeType) -> tuple[str, ...]:
    """The names ``code`` and the code objects nested in it look up (globals among them)."""
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, CodeType):
            names.update(_global_names(c))
    return tuple(sorted(names))


def _value(v: Any, seen: dict[int, int], count: list[int]) -> tuple:
    count[0] += 1
    if count[0] > _MAX_OBJECTS:
        raise _Opaque
    t = type(v)
    if isinstance(v, _VALUES):
        return ("v", t, v)
    if t is np.ndarray and v.dtype != object:
        digest = hashlib.blake2b(np.ascontiguousarray(v).data, digest_size=16).digest()
        return ("a", id(v), v.shape, v.dtype.str, digest)
    if t is tuple or t is frozenset:
        return ("t", t, tuple(_value(e, seen, count) for e in v))
    if isinstance(v, _LIBRARY_ONLY):  # a user module or class: its attributes may change
        if _library(v):
            return ("id", id(v))
        raise _Opaque
    if isinstance(v, _BY_IDENTITY) or (callable(v) and _library(v)):
        return ("id", id(v))
    if t is FunctionType:
        return _function(v, seen, count)
    raise _Opaque


def _library(v: Any) -> bool:
    """A function or callable of NumPy, SciPy, steepest or the standard maths (not mutated
    by user code: taken by identity)."""
    module = getattr(v, "__module__", None) or getattr(type(v), "__module__", None) or ""
    if isinstance(v, ModuleType):
        module = v.__name__
    return module.split(".")[0] in _LIBRARIES


class _Entry:
    __slots__ = ("print", "value_and_grad", "hessp")

    def __init__(self, print_: tuple, vg: Callable, hessp: Callable | None) -> None:
        self.print, self.value_and_grad, self.hessp = print_, vg, hessp


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _weakly(fun: FunctionType) -> Callable[..., Any]:
    """``fun`` called through a weak reference (the cache must not keep ``fun`` alive)."""
    ref = weakref.ref(fun)

    def call(*args: Any, **kwargs: Any) -> Any:
        return ref()(*args, **kwargs)

    call.__name__, call.__qualname__ = fun.__name__, fun.__qualname__
    call.__doc__ = fun.__doc__
    return call


def _compile(fun: Callable[..., Any], products: bool) -> tuple[Callable, Callable | None]:
    vg = jit(value_and_grad(fun))
    if not products:
        return vg, None

    def product(x, p, *args):
        return hvp(lambda y: fun(y, *args), x, p)

    return vg, jit(product)


def compiled_objective(fun: Callable[..., Any], products: bool
                       ) -> tuple[Callable[..., Any], Callable[..., Any] | None]:
    """``(jit(value_and_grad(fun)), jit(hvp of fun) or None)``, reused across calls.

    Args:
        fun: the user's objective ``fun(x, *args)``.
        products: also compile Hessian-vector products ``hessp(x, p, *args)``.

    Returns:
        The compiled value-and-gradient and (with ``products``) Hessian-vector product; the
        same objects as for an earlier call when ``fun`` and everything it reads are
        unchanged (:func:`fingerprint`), else new ones.

    Example:
        >>> import numpy as np
        >>> def f(x):
        ...     return np.sum(x ** 2)
        >>> vg, hp = compiled_objective(f, True)
        >>> vg(np.array([1.0, 2.0]))[1].tolist(), hp(np.ones(2), np.ones(2)).tolist()
        ([2.0, 4.0], [2.0, 2.0])
        >>> compiled_objective(f, True)[0] is vg
        True
    """
    fp = fingerprint(fun)
    if fp is None:
        return _compile(fun, products)
    entry = _CACHE.get(fun)
    if entry is not None and entry.print == fp and (entry.hessp is not None or not products):
        return entry.value_and_grad, entry.hessp if products else None
    vg, hp = _compile(_weakly(fun), products)
    _CACHE[fun] = _Entry(fp, vg, hp)
    return vg, hp
