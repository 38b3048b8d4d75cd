"""Hook that lets plain-NumPy functions of steepest become differentiable primitives.

The stable numerics (``softmax``, ``logsumexp`` ...) are written in NumPy. When the autodiff
engine is loaded it registers, for each such function, an implementation that accepts traced
values. :func:`traceable` wraps a function so that a call with a traced argument is routed to
that implementation, while calls on ordinary arrays go straight to NumPy code (one dict lookup
of overhead).

A traced value is recognised by the class attribute ``__steepest_traced__ = True``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_OVERRIDES: dict[Callable[..., Any], Callable[..., Any]] = {}


def is_traced(x: Any) -> bool:
    """True when ``x`` (or, for a list/tuple, one of its items) is a traced autodiff value."""
    if getattr(type(x), "__steepest_traced__", False):
        return True
    if isinstance(x, (list, tuple)):
        return any(is_traced(item) for item in x)
    return False


def traceable(fn: F) -> F:
    """Mark ``fn`` as a primitive the autodiff engine may override for traced inputs."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _OVERRIDES:
            impl = _OVERRIDES.get(wrapper)
            if impl is not None and (
                any(is_traced(a) for a in args) or any(is_traced(v) for v in kwargs.values())
            ):
                return impl(*args, **kwargs)
        return fn(*args, **kwargs)

    wrapper.__steepest_impl__ = fn  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def register_override(public: Callable[..., Any], impl: Callable[..., Any]) -> None:
    """Route traced calls of the :func:`traceable` function ``public`` to ``impl``."""
    if not hasattr(public, "__steepest_impl__"):
        raise TypeError(f"{public!r} is not decorated with steepest._dispatch.traceable")
    _OVERRIDES[public] = impl
