"""The non-primitive operations a ``jit`` recording holds as terms: plain NumPy functions
(:class:`RawOp`), packing recorded values into a tuple or list (:class:`Pack`), taking an
item of a recorded tuple (:class:`Item`) and building an array of recorded scalars
(:class:`ObjectArray`). Each has a ``name`` and a ``fun_plain`` the replay calls.

Example:
    >>> import numpy as np
    >>> RawOp(np.sign, "sign")(np.array([-2.0, 3.0])).tolist(), PACKS[tuple](1, 2)
    ([-1.0, 1.0], (1, 2))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autodiff.tracing import Traced

__all__ = ["Item", "ObjectArray", "PACKS", "Pack", "RawOp"]


class RawOp:
    """A plain NumPy function recorded as a term (no derivative rule of its own: under a
    transform the replay calls it on traced values, which dispatch as in eager code)."""

    __slots__ = ("fun", "name", "fun_plain")

    def __init__(self, fun: Callable[..., Any], name: str) -> None:
        self.fun = self.fun_plain = fun
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fun(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<raw {self.name}>"


class Pack:
    """A list or tuple holding recorded values (an index tuple, a list to stack)."""

    __slots__ = ("kind", "name", "fun_plain")

    def __init__(self, kind: type) -> None:
        self.kind = kind
        self.name = "pack"
        self.fun_plain = self

    def __call__(self, *items: Any) -> Any:
        return self.kind(items)


PACKS = {tuple: Pack(tuple), list: Pack(list)}


class Item:
    """Element ``i`` of a recorded tuple result (``np.linalg.qr(x)[0]``)."""

    __slots__ = ("i", "name", "fun_plain")

    def __init__(self, i: int) -> None:
        self.i = i
        self.name = "item"
        self.fun_plain = self

    def __call__(self, x: Any) -> Any:
        return x[self.i]


class ObjectArray:
    """``np.array([a, b, ...])`` of recorded scalars: a float array on plain values, an
    object array of traced values under a transform (as eager code builds it)."""

    __slots__ = ("shape", "name", "fun_plain")

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape
        self.name = "array"
        self.fun_plain = self

    def __call__(self, *items: Any) -> Any:
        if any(isinstance(v, Traced) for v in items):
            out = np.empty(len(items), dtype=object)
            out[:] = items
            return out.reshape(self.shape)
        return np.array(items).reshape(self.shape)
