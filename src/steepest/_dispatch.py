"""The one dispatch table: which implementation handles a call on traced values.

``TRACED`` maps a public callable — a NumPy function (reached through ``__array_function__``),
a ufunc (``__array_ufunc__``), ``operator.getitem``, or a :func:`traceable` function of
steepest's own numerics — to the implementation that accepts traced values. The autodiff engine
fills it when its NumPy-facing modules are imported (:func:`implements`); traced values look
their operations up here, and :func:`traceable` routes a steepest function here.

Calls on ordinary arrays never look at the table beyond one dict lookup: a :func:`traceable`
function with plain arguments runs its NumPy code directly.

A traced value is recognised by the class attribute ``__steepest_traced__ = True``.

Example:
    >>> import numpy as np
    >>> import steepest.autodiff  # fills the table
    >>> np.sin in TRACED and np.sum in TRACED
    True
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["TRACED", "implements", "is_traced", "register_override", "traceable"]

TRACED: dict[Any, Callable[..., Any]] = {}


def is_traced(x: Any) -> bool:
    """True when ``x`` (or, for a list/tuple, one of its items) is a traced autodiff value.

    Args:
        x: any value.

    Returns:
        Whether ``x`` carries derivatives.

    Example:
        >>> is_traced(1.0), is_traced([1.0, 2.0])
        (False, False)
    """
    if getattr(type(x), "__steepest_traced__", False):
        return True
    if isinstance(x, (list, tuple)):
        return any(is_traced(item) for item in x)
    return False


def implements(*publics: Any) -> Callable[[F], F]:
    """Register the decorated function as the traced implementation of each of ``publics``.

    Args:
        *publics: NumPy functions, ufuncs or other callables whose traced calls ``fn`` handles.

    Returns:
        A decorator returning ``fn`` unchanged.

    Example:
        >>> import numpy as np
        >>> TRACED.get(np.sum) is not None
        True
    """

    def deco(fn: F) -> F:
        for public in publics:
            TRACED[public] = fn
        return fn

    return deco


def traceable(fn: F) -> F:
    """Mark ``fn`` as a function the autodiff engine may override for traced inputs.

    Args:
        fn: a NumPy-level function.

    Returns:
        A wrapper that calls ``fn`` on plain inputs and ``TRACED[wrapper]`` on traced ones.

    Example:
        >>> square = traceable(lambda x: x * x)
        >>> square(3.0)
        9.0
    """

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        impl = TRACED.get(wrapper)
        if impl is not None and (
            any(is_traced(a) for a in args) or any(is_traced(v) for v in kwargs.values())
        ):
            return impl(*args, **kwargs)
        return fn(*args, **kwargs)

    wrapper.__steepest_impl__ = fn  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def register_override(public: Callable[..., Any], impl: Callable[..., Any]) -> None:
    """Route traced calls of the :func:`traceable` function ``public`` to ``impl``.

    Args:
        public: a function decorated with :func:`traceable`.
        impl: its implementation for traced values.

    Returns:
        None; the pair is stored in :data:`TRACED`.

    Example:
        >>> try:
        ...     register_override(len, len)
        ... except TypeError:
        ...     print("not traceable")
        not traceable
    """
    if not hasattr(public, "__steepest_impl__"):
        raise TypeError(f"{public!r} is not decorated with steepest._dispatch.traceable")
    TRACED[public] = impl
