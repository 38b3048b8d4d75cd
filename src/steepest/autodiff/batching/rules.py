"""Batching rules of the elementwise, reduction and shape primitives, keyed by primitive.

A rule ``rule(prim, vals, bat, size, **kwargs)`` gets the primitive's positional arguments
(``vals[i]`` holds the batch along axis 0 when ``bat[i]``), the batch size and the static
keyword arguments, and returns the batched result (batch along axis 0). Most NumPy functions
broadcast, so most rules line the examples up (:func:`~.trace.lift`) and call the primitive
itself; reductions and axis arguments shift by one; indexing prepends a full slice.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff.rules import ufunc
    >>> ufunc.sin in RULES and ufunc.add in RULES
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..primitives import Primitive
from ..rules import broadcast, reduce, shape, special, ufunc
from ..tracing import Traced, shape_of
from .trace import RULES, example_ndim, lift, loop, moveaxis

__all__ = ["elementwise", "reduction", "register"]


def register(rule: Any, *prims: Primitive) -> None:
    """Make ``rule`` the batching rule of each of ``prims``."""
    for p in prims:
        RULES[p] = rule


def _broadcast_batch(v: Any, size: int) -> Any:
    """An unbatched value given the batch axis (every example the same)."""
    s = shape_of(v)
    return broadcast.broadcast_to(v, (size,) + s)


def elementwise(prim: Any, vals: list, bat: list, size: int, **kwargs: Any) -> Any:
    """Broadcasting primitives: line the examples up and call ``prim`` once."""
    nd = max(example_ndim(v, m) for v, m in zip(vals, bat))
    return prim(*[lift(v, nd) if m else v for v, m in zip(vals, bat)], **kwargs)


def _axes(axis: Any, nd: int) -> tuple[int, ...]:
    """Per-example ``axis`` (None, int or tuple) as axes of the batched value."""
    if axis is None:
        return tuple(range(1, nd + 1))
    if isinstance(axis, (int, np.integer)):
        axis = (axis,)
    return tuple(int(a) % max(nd, 1) + 1 for a in axis)


def _named(vals: list, names: tuple[str, ...], kwargs: dict) -> dict:
    """Positional static arguments after the first, by name."""
    return {**dict(zip(names, vals[1:])), **kwargs}


def reduction(prim: Any, vals: list, bat: list, size: int, **kwargs: Any) -> Any:
    """Reductions over per-example axes: the axes shift past the batch axis."""
    if any(bat[1:]):
        return loop(prim, vals, bat, size, **kwargs)
    x = vals[0]
    kw = _named(vals, ("axis", "keepdims"), kwargs)
    kw["axis"] = _axes(kw.get("axis"), example_ndim(x, True))
    return prim(x, **kw)


def _scan(prim: Any, vals: list, bat: list, size: int, **kwargs: Any) -> Any:
    """cumsum/cumprod(x, axis): axis None flattens one example."""
    if any(bat[1:]):
        return loop(prim, vals, bat, size, **kwargs)
    x, axis = vals
    if axis is None:
        x, axis = reshape_batched(x, (-1,)), 0
    return prim(x, _axes(axis, example_ndim(x, True))[0], **kwargs)


def _with_axis(prim: Any, vals: list, bat: list, size: int, **kwargs: Any) -> Any:
    """softmax/log_softmax(x, axis): one axis of an example."""
    if any(bat[1:]):
        return loop(prim, vals, bat, size, **kwargs)
    x = vals[0]
    kw = _named(vals, ("axis",), kwargs)
    kw["axis"] = _axes(kw.get("axis", -1), example_ndim(x, True))[0]
    return prim(x, **kw)


def reshape_batched(x: Any, new: Any) -> Any:
    """Reshape every example of the batched ``x`` to ``new``."""
    new = (new,) if isinstance(new, (int, np.integer)) else tuple(new)
    return broadcast.reshape(x, shape_of(x)[:1] + new)


def _reshape(prim: Any, vals: list, bat: list, size: int) -> Any:
    if bat[1]:
        return loop(prim, vals, bat, size)
    return reshape_batched(vals[0], vals[1])


def _broadcast_to(prim: Any, vals: list, bat: list, size: int) -> Any:
    if bat[1]:
        return loop(prim, vals, bat, size)
    target = (vals[1],) if isinstance(vals[1], (int, np.integer)) else tuple(vals[1])
    return broadcast.broadcast_to(lift(vals[0], len(target)), (size,) + target)


def _transpose(prim: Any, vals: list, bat: list, size: int, **kwargs: Any) -> Any:
    x = vals[0]
    axes = _named(vals, ("axes",), kwargs).get("axes")
    nd = example_ndim(x, True)
    perm = range(nd - 1, -1, -1) if axes is None else (int(a) % nd for a in axes)
    return shape.transpose(x, (0,) + tuple(a + 1 for a in perm))


# ---- indexing ------------------------------------------------------------------------------
def _expand_index(idx: Any, nd: int) -> tuple:
    """The index as a tuple with ``...`` replaced by full slices."""
    idx = idx if isinstance(idx, tuple) else (idx,)
    if any(i is Ellipsis for i in idx):
        k = idx.index(Ellipsis)
        used = sum(1 if i is not None else 0 for i in idx if i is not Ellipsis) + sum(
            np.ndim(i) - 1 for i in idx if isinstance(i, np.ndarray) and i.dtype == bool)
        idx = idx[:k] + (slice(None),) * (nd - used) + idx[k + 1:]
    return idx


def _is_advanced(i: Any) -> bool:
    return isinstance(i, (np.ndarray, list)) or (
        isinstance(i, (int, np.integer)) and not isinstance(i, bool))


def _batch_position(idx: tuple) -> int:
    """Where the batch axis lands in ``x[(slice(None),) + idx]``: 0 unless advanced indices
    are split by a slice or ``None`` (NumPy then puts their axes first)."""
    arrays = [i for i in idx if isinstance(i, (np.ndarray, list))]
    if not arrays:
        return 0
    where = [k for k, i in enumerate(idx) if _is_advanced(i)]
    if where[-1] - where[0] + 1 == len(where):
        return 0
    shapes = [(int(np.count_nonzero(i)),) if np.asarray(i).dtype == bool else np.shape(i)
              for i in idx if _is_advanced(i)]
    return len(np.broadcast_shapes(*shapes))


def _getitem(prim: Any, vals: list, bat: list, size: int) -> Any:
    x, idx = vals
    if bat[1]:
        return _batched_index(prim, vals, bat, size)
    if isinstance(idx, Traced) or (isinstance(idx, tuple) and any(
            isinstance(i, Traced) for i in idx)):
        return loop(prim, vals, bat, size)
    idx = _expand_index(idx, example_ndim(x, True))
    out = shape.getitem(x, (slice(None),) + idx)
    pos = _batch_position(idx)
    return moveaxis(out, pos, 0) if pos else out


def _plain_int_array(v: Any) -> np.ndarray | None:
    while isinstance(v, Traced):
        v = v._value
    return v if isinstance(v, np.ndarray) and v.dtype.kind in "iu" else None


def _gather_index(idx: Any, flags: Any, size: int, x_batched: bool) -> tuple | None:
    """The batched form of an index made only of integer arrays, some batched (``flags``):
    the batch becomes one more (leading) index array when ``x`` is batched. ``None`` when the
    index has another form (the caller loops)."""
    parts, flags = (idx, (True,)) if flags is True else (idx, flags)
    parts = parts if isinstance(parts, tuple) else (parts,)
    arrays = [_plain_int_array(p) if m else p for p, m in zip(parts, flags)]
    if any(not (isinstance(a, np.ndarray) and a.dtype.kind in "iu") for a in arrays):
        return None
    nd = max(a.ndim - 1 if m else a.ndim for a, m in zip(arrays, flags))
    lifted = [a.reshape(a.shape[:1] + (1,) * (nd - a.ndim + 1) + a.shape[1:]) if m else a
              for a, m in zip(arrays, flags)]
    if not x_batched:
        return tuple(lifted)
    return (np.arange(size).reshape((size,) + (1,) * nd), *lifted)


def _batched_index(prim: Any, vals: list, bat: list, size: int) -> Any:
    """``x[idx]`` with batched integer index arrays (a gather, e.g. ``take_along_axis``)."""
    new = _gather_index(vals[1], bat[1], size, bool(bat[0]))
    if new is None:
        return loop(prim, vals, bat, size)
    return shape.getitem(vals[0], new)


def _untake(prim: Any, vals: list, bat: list, size: int) -> Any:
    g, idx, full = vals
    if bat[2]:
        return loop(prim, vals, bat, size)
    if bat[1]:  # a scatter through batched index arrays: the adjoint of the gather above
        new = _gather_index(idx, bat[1], size, True)
        if new is None:
            return loop(prim, vals, bat, size)
        g = g if bat[0] else _broadcast_batch(g, size)
        return shape.untake(g, new, (size,) + tuple(full))
    if not bat[0]:
        return loop(prim, vals, bat, size)
    idx = _expand_index(idx, len(full))
    pos = _batch_position(idx)
    return shape.untake(moveaxis(g, 0, pos) if pos else g, (slice(None),) + idx,
                        (size,) + tuple(full))


def _scatter_add(prim: Any, vals: list, bat: list, size: int) -> Any:
    """``acc[b][idx] += g[b]`` for every example ``b``: one scatter-add behind the batch axis."""
    acc, g, idx = vals
    if bat[2] or _traced_index_value(idx):
        return loop(prim, vals, bat, size)
    acc = acc if bat[0] else _broadcast_batch(acc, size)
    g = g if bat[1] else _broadcast_batch(g, size)
    idx = _expand_index(idx, example_ndim(acc, True))
    pos = _batch_position(idx)
    return shape.scatter_add(acc, moveaxis(g, 0, pos) if pos else g, (slice(None),) + idx)


def _traced_index_value(idx: Any) -> bool:
    return isinstance(idx, Traced) or (isinstance(idx, tuple) and any(
        isinstance(i, Traced) for i in idx))


def _concatenate(prim: Any, vals: list, bat: list, size: int, axis: int = 0) -> Any:
    nd = next(example_ndim(v, True) for v, m in zip(vals, bat) if m)
    parts = [v if m else _broadcast_batch(v, size) for v, m in zip(vals, bat)]
    return shape.concatenate(*parts, axis=int(axis) % nd + 1)


def _pad(prim: Any, vals: list, bat: list, size: int) -> Any:
    x, widths = vals
    if bat[1] or len(widths) != example_ndim(x, True):
        return loop(prim, vals, bat, size)
    return shape.pad(x, ((0, 0),) + tuple(tuple(w) for w in widths))


def _elementwise_prims() -> list[Primitive]:
    prims = [v for v in vars(ufunc).values() if isinstance(v, Primitive)]
    return prims + [special.sigmoid, special.softplus, special.log_sigmoid, special.stable_logit]


register(elementwise, *_elementwise_prims())
register(reduction, broadcast.sum, reduce.mean, reduce.prod, reduce.amax, reduce.amin,
         reduce.var, special.logsumexp_prim)
register(_scan, reduce.cumsum, reduce.cumprod)
register(_with_axis, special.softmax, special.log_softmax)
register(_reshape, broadcast.reshape)
register(_broadcast_to, broadcast.broadcast_to)
register(_transpose, shape.transpose)
register(_getitem, shape.getitem)
register(_untake, shape.untake)
register(_scatter_add, shape.scatter_add)
register(_concatenate, shape.concatenate)
register(_pad, shape.pad)
