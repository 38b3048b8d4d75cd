"""Shape and indexing primitives: transpose, indexing, concatenate, pad (reshape and
broadcast_to come from :mod:`.broadcast`).

All of them are linear, so each JVP applies the primitive itself to the tangent and each VJP
is the adjoint linear map (reshape back, inverse permutation, sum over broadcast axes, scatter
into zeros, slice). The other shape functions of :mod:`steepest.numpy` (``stack``, ``split``,
``flip``, ``roll``, ``tile``, ``repeat``, ``take``, ``sort``, ``diagonal`` ...) are compositions
of these, so they need no rules of their own.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ..backward import Scatter
from ..primitives import NothingSaved, Primitive, defjvp, defsaves, defvjp
from ..tracing import Traced, getval, shape_of
from .broadcast import broadcast_to, linear_primitive, reshape

__all__ = ["reshape", "transpose", "broadcast_to", "getitem", "untake", "concatenate", "pad",
           "stack", "flip", "expand_dims", "normalize_index"]


transpose = linear_primitive(
    Primitive(lambda x, axes=None: np.transpose(x, axes), "transpose"),
    lambda g, ans, x, axes=None: transpose(g, None if axes is None else tuple(np.argsort(axes))))


def normalize_index(idx: Any) -> Any:
    """Make an index static: strip tracing from index arrays, turn lists into arrays."""
    if isinstance(idx, tuple):
        return tuple(normalize_index(i) for i in idx)
    if isinstance(idx, Traced):
        return getval(idx)
    if isinstance(idx, list):
        return np.asarray(idx)
    return idx


def _is_scatter_safe(idx: Any) -> bool:
    """True when no entry can be selected twice (no integer-array indices)."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    for p in parts:
        if isinstance(p, np.ndarray) and p.dtype != bool:
            return False
    return True


def _untake(g: Any, idx: Any, shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(shape, dtype=np.result_type(g, float))
    if _is_scatter_safe(idx):
        out[idx] = g
    else:
        np.add.at(out, idx, g)
    return out


def _scatter_add(acc: Any, g: Any, idx: Any) -> np.ndarray:
    """``acc`` with ``g`` added at ``idx`` (a copy; cells outside ``idx`` keep their bits)."""
    out = np.array(acc, dtype=np.result_type(acc, g, float))
    if _is_scatter_safe(idx):
        out[idx] += g
    else:
        np.add.at(out, idx, g)
    return out


getitem = Primitive(operator.getitem, "getitem")
untake = Primitive(_untake, "untake")
scatter_add = Primitive(_scatter_add, "scatter_add")
# scatter_add(acc, g, idx): acc with g added at idx (out = acc.copy(); out[idx] += g). The cells
# outside idx keep acc's bits (-0.0 stays -0.0, where acc + untake(g, idx) gives +0.0): it is how
# the backward pass adds the cotangent of x[idx] into x's, eagerly in place and when traced.


class TracedScatter(Scatter):
    """A :class:`~steepest.autodiff.backward.Scatter` of a traced cotangent: made dense by
    the ``untake`` primitive, added into an accumulator by the ``scatter_add`` primitive, so a
    recording runs the operations the eager backward pass runs (same bits at signed zeros)."""

    __slots__ = ()

    def dense(self) -> Any:
        return untake(self.g, self.idx, self.shape)

    def add_into(self, out: Any) -> Any:
        return scatter_add(out, self.g, self.idx)
def _traced_index(idx: Any) -> bool:
    """Whether the index holds a traced (e.g. batched) index array."""
    return isinstance(idx, Traced) or (isinstance(idx, tuple) and any(
        isinstance(i, Traced) for i in idx))


def _getitem_vjp(g: Any, ans: Any, x: Any, idx: Any) -> Any:
    if _traced_index(idx):
        return untake(g, idx, shape_of(x))
    return (TracedScatter if isinstance(g, Traced) else Scatter)(g, idx, shape_of(x))


defvjp(getitem, _getitem_vjp)
defjvp(getitem, lambda t, ans, x, idx: getitem(t, idx))
defvjp(untake, lambda g, ans, x, idx, shape: getitem(g, idx))
defjvp(untake, lambda t, ans, x, idx, shape: untake(t, idx, shape))
defsaves(getitem, ())
defsaves(untake, ())
defvjp(scatter_add, lambda g, ans, acc, h, idx: g, lambda g, ans, acc, h, idx: getitem(g, idx))
defjvp(scatter_add, lambda t, ans, acc, h, idx: t,
       lambda t, ans, acc, h, idx: untake(t, idx, shape_of(acc)))
defsaves(scatter_add, (), ())


def _concat(*xs: Any, axis: int = 0) -> np.ndarray:
    return np.concatenate(xs, axis=axis)


def _piece(x: Any, xs: tuple, i: int, axis: int) -> tuple:
    """Index selecting input ``i`` of a concatenation along ``axis``."""
    ax = axis % len(shape_of(x))
    start = sum(shape_of(a)[ax] for a in xs[:i])
    stop = start + shape_of(xs[i])[ax]
    return (slice(None),) * ax + (slice(start, stop),)


concatenate = Primitive(_concat, "concatenate")


def _concat_rules(i: int) -> tuple[Any, Any]:
    def vjp(g: Any, ans: Any, *xs: Any, axis: int = 0) -> Any:
        return getitem(g, _piece(ans, xs, i, axis))

    def jvp(t: Any, ans: Any, *xs: Any, axis: int = 0) -> Any:
        ax = axis % len(shape_of(ans))
        idx = _piece(ans, xs, i, axis)[ax]
        widths = [(0, 0)] * len(shape_of(ans))
        widths[ax] = (idx.start, shape_of(ans)[ax] - idx.stop)
        return pad(t, tuple(widths))

    return vjp, jvp


class _ConcatRules(dict):
    """Rules for any number of concatenated arguments, made on demand."""

    def __init__(self, which: int) -> None:
        super().__init__()
        self.which = which

    def __missing__(self, i: int) -> Any:
        rule = _concat_rules(i)[self.which]
        self[i] = rule
        return rule

    def __contains__(self, i: object) -> bool:
        return isinstance(i, int)

    def get(self, i: Any, default: Any = None) -> Any:
        return self[i] if isinstance(i, int) else default


concatenate.vjps = _ConcatRules(0)
concatenate.jvps = _ConcatRules(1)
concatenate.saves = NothingSaved()


def _pad(x: Any, widths: tuple) -> np.ndarray:
    return np.pad(x, widths)


pad = Primitive(_pad, "pad")
defvjp(pad, lambda g, ans, x, widths: getitem(
    g, tuple(slice(lo, s - hi) for (lo, hi), s in zip(widths, shape_of(ans)))))
defjvp(pad, lambda t, ans, x, widths: pad(t, widths))
defsaves(pad, ())


def expand_dims(x: Any, axis: int | tuple[int, ...]) -> Any:
    """Insert size-1 axes (a reshape)."""
    shape = shape_of(x)
    return reshape(x, np.expand_dims(np.empty(shape, dtype=bool), axis).shape)


def stack(xs: Any, axis: int = 0) -> Any:
    """Stack arrays along a new axis (expand each, then concatenate)."""
    xs = list(xs)
    if not xs:
        raise ValueError("stack needs at least one array")
    nd = len(shape_of(xs[0])) + 1
    ax = axis % nd
    return concatenate(*[expand_dims(x, ax) for x in xs], axis=ax)


def flip(x: Any, axis: Any = None) -> Any:
    """Reverse the order of entries along ``axis`` (all axes when ``None``)."""
    nd = len(shape_of(x))
    axes = range(nd) if axis is None else ([axis] if np.ndim(axis) == 0 else axis)
    idx = [slice(None)] * nd
    for a in axes:
        idx[int(a) % nd] = slice(None, None, -1)
    return getitem(x, tuple(idx))
