"""Differentiable shape functions of :mod:`steepest.numpy`: every one of them is a composition
of the linear primitives of :mod:`steepest.autodiff.rules.shape` (reshape, transpose,
broadcast_to, indexing, concatenate, pad), so derivatives come for free and nest.

Each is registered in the one dispatch table under the NumPy function it implements
(``x[idx]`` under ``operator.getitem``, ``x.astype`` under ``np.astype``).

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> grad(lambda x: np.sum(np.concatenate([x, np.flip(x)]) * np.arange(4.0)))(np.ones(2))
    array([3., 3.])
"""

from __future__ import annotations

import builtins
import operator
from typing import Any

import numpy as np

from ..._dispatch import implements
from ..rules import shape as shape_rules
from ..rules.ufunc import multiply, where_prim
from ..tracing import Traced, asarray_value, getval, pack_object_array

__all__ = [
    "reshape", "ravel", "transpose", "swapaxes", "moveaxis", "expand_dims", "squeeze",
    "broadcast_to", "concatenate", "stack", "hstack", "vstack", "column_stack", "split",
    "array_split", "tile", "repeat", "flip", "fliplr", "flipud", "roll", "pad", "diag",
    "diagonal", "triu", "tril", "take", "take_along_axis", "sort", "atleast_1d", "atleast_2d",
    "array", "asarray", "copy", "astype", "getitem", "index_update", "append", "rot90",
    "rollaxis", "atleast_3d", "dstack", "vsplit", "hsplit", "dsplit",
]


def _shape(x: Any) -> tuple[int, ...]:
    return np.shape(getval(x))


@implements(np.reshape)
def reshape(a: Any, shape: Any = None, order: str = "C", **kwargs: Any) -> Any:
    """Give ``a`` a new shape (``-1`` infers one axis)."""
    shape = kwargs.pop("newshape", shape)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if -1 in shape:
        shape = np.empty(_shape(a), dtype=bool).reshape(shape).shape
    return shape_rules.reshape(a, shape) if shape != _shape(a) else a


@implements(np.ravel)
def ravel(a: Any, order: str = "C") -> Any:
    """Flatten to 1-D."""
    return reshape(a, (-1,))


@implements(np.transpose)
def transpose(a: Any, axes: Any = None) -> Any:
    """Permute the axes (reverse them when ``axes`` is ``None``)."""
    nd = len(_shape(a))
    axes = tuple(range(nd))[::-1] if axes is None else tuple(int(i) % nd for i in axes)
    return shape_rules.transpose(a, axes) if axes != tuple(range(nd)) else a


@implements(np.swapaxes)
def swapaxes(a: Any, axis1: int, axis2: int) -> Any:
    """Exchange two axes."""
    axes = list(range(len(_shape(a))))
    axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
    return transpose(a, axes)


@implements(np.moveaxis)
def moveaxis(a: Any, source: Any, destination: Any) -> Any:
    """Move axes to new positions, keeping the order of the others."""
    nd = len(_shape(a))
    src = [int(s) % nd for s in np.atleast_1d(source)]
    dst = [int(d) % nd for d in np.atleast_1d(destination)]
    order = [i for i in range(nd) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, order)


@implements(np.expand_dims)
def expand_dims(a: Any, axis: Any) -> Any:
    """Insert unit axes at ``axis``."""
    return shape_rules.expand_dims(a, axis)


@implements(np.squeeze)
def squeeze(a: Any, axis: Any = None) -> Any:
    """Remove unit axes."""
    return reshape(a, np.squeeze(np.empty(_shape(a), dtype=bool), axis=axis).shape)


@implements(np.broadcast_to)
def broadcast_to(array: Any, shape: Any, subok: bool = False) -> Any:
    """Broadcast to ``shape`` (the VJP sums over the broadcast axes)."""
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    return shape_rules.broadcast_to(array, shape) if shape != _shape(array) else array


@implements(np.concatenate)
def concatenate(arrays: Any, axis: Any = 0, out: Any = None, **kwargs: Any) -> Any:
    """Join arrays along an existing axis (``axis=None`` flattens first)."""
    arrays = [pack_object_array(a) for a in arrays]
    if axis is None:
        arrays, axis = [ravel(a) for a in arrays], 0
    return shape_rules.concatenate(*arrays, axis=axis)


@implements(np.stack)
def stack(arrays: Any, axis: int = 0, out: Any = None, **kwargs: Any) -> Any:
    """Join arrays along a new axis."""
    return shape_rules.stack([pack_object_array(a) for a in arrays], axis=axis)


@implements(np.hstack)
def hstack(tup: Any, **kwargs: Any) -> Any:
    """Stack horizontally (along axis 1, or 0 for 1-D arrays)."""
    arrs = [atleast_1d(a) for a in tup]
    return concatenate(arrs, axis=0 if len(_shape(arrs[0])) == 1 else 1)


@implements(np.vstack)
def vstack(tup: Any, **kwargs: Any) -> Any:
    """Stack vertically (rows)."""
    return concatenate([atleast_2d(a) for a in tup], axis=0)


@implements(np.column_stack)
def column_stack(tup: Any) -> Any:
    """Stack 1-D arrays as columns."""
    return concatenate([reshape(a, (-1, 1)) if len(_shape(a)) < 2 else a for a in tup], axis=1)


@implements(np.array_split)
def array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Any]:
    """Split into pieces along ``axis`` (unequal sections allowed)."""
    nd = len(_shape(ary))
    ax = axis % nd
    n = _shape(ary)[ax]
    if np.ndim(indices_or_sections) == 0:
        k = int(indices_or_sections)
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        bounds = np.concatenate([[0], np.cumsum(sizes)])
    else:
        bounds = np.concatenate([[0], np.asarray(indices_or_sections, dtype=int), [n]])
    pre = (slice(None),) * ax
    return [shape_rules.getitem(ary, (*pre, slice(int(lo), int(hi)))) for lo, hi in
            zip(bounds[:-1], bounds[1:])]


@implements(np.split)
def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Any]:
    """Split into equal sections or at the given indices."""
    if np.ndim(indices_or_sections) == 0 and _shape(ary)[axis] % int(indices_or_sections):
        raise ValueError("array split does not result in an equal division; use array_split")
    return array_split(ary, indices_or_sections, axis)


@implements(np.take)
def take(a: Any, indices: Any, axis: Any = None, out: Any = None, mode: str = "raise") -> Any:
    """Gather entries by integer index along ``axis`` (of the flattened array when ``None``)."""
    indices = asarray_value(indices)
    if axis is None:
        return shape_rules.getitem(ravel(a), indices)
    nd = len(_shape(a))
    return shape_rules.getitem(a, (slice(None),) * (axis % nd) + (indices,))


@implements(np.take_along_axis)
def take_along_axis(arr: Any, indices: Any, axis: Any = -1) -> Any:
    """Gather with an index array shaped like ``arr`` along ``axis``."""
    indices = asarray_value(indices)
    if axis is None:
        return shape_rules.getitem(ravel(arr), indices)
    shape = _shape(arr)
    nd = len(shape)
    ax = axis % nd
    grids = np.ogrid[tuple(slice(n) for n in indices.shape)]
    idx = tuple(indices if i == ax else grids[i] for i in range(nd))
    return shape_rules.getitem(arr, idx)


@implements(np.repeat)
def repeat(a: Any, repeats: Any, axis: Any = None) -> Any:
    """Repeat each entry (a gather with repeated indices)."""
    if axis is None:
        a, axis = ravel(a), 0
    n = _shape(a)[axis]
    return take(a, np.repeat(np.arange(n), repeats), axis=axis)


@implements(np.tile)
def tile(A: Any, reps: Any) -> Any:
    """Repeat the whole array ``reps`` times per axis (broadcast and reshape)."""
    reps = (int(reps),) if np.ndim(reps) == 0 else tuple(int(r) for r in reps)
    shape = _shape(A)
    nd = builtins.max(len(shape), len(reps))
    shape = (1,) * (nd - len(shape)) + shape
    reps = (1,) * (nd - len(reps)) + reps
    x = reshape(A, tuple(v for s in shape for v in (1, s)))
    x = broadcast_to(x, tuple(v for s, r in zip(shape, reps) for v in (r, s)))
    return reshape(x, tuple(s * r for s, r in zip(shape, reps)))


@implements(np.flip)
def flip(m: Any, axis: Any = None) -> Any:
    """Reverse the order of entries along ``axis``."""
    return shape_rules.flip(m, axis)


@implements(np.fliplr)
def fliplr(m: Any) -> Any:
    """Reverse columns."""
    return shape_rules.flip(m, 1)


@implements(np.flipud)
def flipud(m: Any) -> Any:
    """Reverse rows."""
    return shape_rules.flip(m, 0)


@implements(np.roll)
def roll(a: Any, shift: Any, axis: Any = None) -> Any:
    """Shift entries cyclically along ``axis``."""
    if axis is None:
        return reshape(roll(ravel(a), shift, 0), _shape(a))
    shifts = np.broadcast_to(shift, np.shape(axis))
    for s, ax in zip(np.atleast_1d(shifts), np.atleast_1d(axis)):
        n = _shape(a)[ax]
        a = take(a, (np.arange(n) - int(s)) % n, axis=int(ax))
    return a


@implements(np.pad)
def pad(array: Any, pad_width: Any, mode: str = "constant", **kwargs: Any) -> Any:
    """Pad with zeros (``mode="constant"``, ``constant_values`` 0) — the differentiable case."""
    if mode != "constant" or np.any(kwargs.get("constant_values", 0) != 0):
        raise NotImplementedError("steepest differentiates np.pad with mode='constant' and "
                                  "constant_values=0 only; add a constant afterwards instead")
    nd = len(_shape(array))
    widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (nd, 2))
    return shape_rules.pad(array, tuple((int(lo), int(hi)) for lo, hi in widths))


@implements(np.diagonal)
def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """The diagonal over two axes, put last (an advanced-index gather)."""
    x = moveaxis(a, (axis1, axis2), (-2, -1))
    n, m = _shape(x)[-2:]
    k = builtins.max(0, builtins.min(n, m - offset) if offset >= 0 else builtins.min(n + offset, m))
    rows = np.arange(k) + builtins.max(0, -offset)
    return shape_rules.getitem(x, (Ellipsis, rows, rows + offset))


@implements(np.diag)
def diag(v: Any, k: int = 0) -> Any:
    """Diagonal of a matrix, or the matrix with diagonal ``v``."""
    if len(_shape(v)) == 2:
        return diagonal(v, k)
    n = _shape(v)[0] + abs(k)
    rows = np.arange(_shape(v)[0]) + builtins.max(0, -k)
    return shape_rules.untake(v, (rows, rows + k), (n, n))


@implements(np.triu)
def triu(m: Any, k: int = 0) -> Any:
    """Upper triangle (a constant mask)."""
    n, p = _shape(m)[-2:]
    return multiply(m, np.triu(np.ones((n, p)), k))


@implements(np.tril)
def tril(m: Any, k: int = 0) -> Any:
    """Lower triangle (a constant mask)."""
    n, p = _shape(m)[-2:]
    return multiply(m, np.tril(np.ones((n, p)), k))


@implements(np.sort)
def sort(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, **kwargs: Any) -> Any:
    """Sorted copy; the derivative follows the permutation."""
    if axis is None:
        a, axis = ravel(a), -1
    return take_along_axis(a, np.argsort(getval(a), axis=axis), axis)


@implements(np.atleast_1d)
def atleast_1d(*arys: Any) -> Any:
    """View inputs as arrays with at least one axis."""
    res = [reshape(a, (1,)) if len(_shape(a)) == 0 else a for a in arys]
    return res[0] if len(res) == 1 else res


@implements(np.atleast_2d)
def atleast_2d(*arys: Any) -> Any:
    """View inputs as arrays with at least two axes."""
    res = [reshape(a, (1,) * (2 - len(_shape(a))) + _shape(a)) if len(_shape(a)) < 2 else a
           for a in arys]
    return res[0] if len(res) == 1 else res


def _contains_traced(obj: Any) -> bool:
    if isinstance(obj, Traced):
        return True
    if isinstance(obj, (list, tuple)):
        return builtins.any(_contains_traced(o) for o in obj)
    if type(obj) is np.ndarray and obj.dtype == object:
        return builtins.any(isinstance(o, Traced) for o in obj.ravel())
    return False


def array(obj: Any, dtype: Any = None, copy: bool = True, **kwargs: Any) -> Any:
    """Build an array; nested lists holding traced values become one traced array."""
    if isinstance(obj, Traced):
        return obj
    if not _contains_traced(obj):
        return np.array(obj, dtype=dtype, copy=copy, **kwargs)
    if type(obj) is np.ndarray:
        return pack_object_array(obj)
    return stack([array(o) for o in obj], axis=0)


def asarray(a: Any, dtype: Any = None, **kwargs: Any) -> Any:
    """Like :func:`array` without copying plain arrays."""
    if isinstance(a, Traced) or _contains_traced(a):
        return array(a)
    return np.asarray(a, dtype=dtype, **kwargs)


@implements(np.copy)
def copy(a: Any, **kwargs: Any) -> Any:
    """Traced values are immutable, so a copy is the value itself."""
    return a


@implements(np.astype)
def astype(x: Any, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Any:
    """Cast; only floating dtypes keep derivatives."""
    if not np.issubdtype(np.dtype(dtype), np.floating):
        return getval(x).astype(dtype)
    return x


@implements(operator.getitem)
def getitem(x: Any, idx: Any) -> Any:
    """``x[idx]`` for slices, integers, integer arrays and boolean masks."""
    return shape_rules.getitem(x, shape_rules.normalize_index(idx))


def index_update(x: Any, idx: Any, values: Any) -> Any:
    """Functional ``x[idx] = values``: a new array, differentiable in ``x`` and ``values``.

    ``y = x`` off ``idx`` and ``y[idx] = values``; so ``∂C/∂x = ḡ`` with ``ḡ[idx] = 0`` and
    ``∂C/∂values = ḡ[idx]`` (summed over broadcast dimensions).

    Args:
        x: the array (traced or not); it is not modified.
        idx: any NumPy index (int, slice, tuple, boolean or integer array).
        values: the values written, broadcastable to ``x[idx]``.

    Returns:
        A new array equal to ``x`` except at ``idx``.

    Reference:
        The functional counterpart of in-place assignment, as ``x.at[idx].set(values)`` in JAX;
        Liquet et al. §4.4.

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import grad, index_update
        >>> grad(lambda x: index_update(x, 0, 3 * x[1]).sum())(np.ones(3))
        array([0., 4., 1.])
    """
    idx = shape_rules.normalize_index(idx)
    mask = np.zeros(_shape(x), dtype=bool)
    mask[idx] = True
    placed = shape_rules.untake(multiply(np.ones(_shape(x))[idx], values), idx, _shape(x))
    return where_prim(mask, placed, x)


@implements(np.append)
def append(arr: Any, values: Any, axis: Any = None) -> Any:
    """``values`` appended to ``arr`` along ``axis`` (both flattened when ``None``)."""
    if axis is None:
        return concatenate([ravel(arr), ravel(values)])
    return concatenate([arr, values], axis=axis)


@implements(np.rot90)
def rot90(m: Any, k: int = 1, axes: Any = (0, 1)) -> Any:
    """Rotation by ``k`` quarter turns in the plane ``axes``: flips and one axis swap."""
    k %= 4
    if k == 0:
        return m
    if k == 2:
        return flip(flip(m, axes[0]), axes[1])
    if k == 1:
        return swapaxes(flip(m, axes[1]), axes[0], axes[1])
    return flip(swapaxes(m, axes[0], axes[1]), axes[1])


@implements(np.rollaxis)
def rollaxis(a: Any, axis: int, start: int = 0) -> Any:
    """Roll ``axis`` back until it lies before position ``start`` (NumPy's older moveaxis)."""
    nd = len(_shape(a))
    axis, start = axis % nd, start + nd if start < 0 else start
    start -= int(axis < start)
    return a if axis == start else moveaxis(a, axis, start)


@implements(np.atleast_3d)
def atleast_3d(*arys: Any) -> Any:
    """View inputs with at least three axes: ``(N,)`` as ``(1, N, 1)``, ``(M, N)`` as
    ``(M, N, 1)``."""
    pad = {0: lambda s: (1, 1, 1), 1: lambda s: (1, *s, 1), 2: lambda s: (*s, 1)}
    res = [reshape(a, pad[len(_shape(a))](_shape(a))) if len(_shape(a)) < 3 else a
           for a in arys]
    return res[0] if len(res) == 1 else res


@implements(np.dstack)
def dstack(tup: Any) -> Any:
    """Stack along the third axis (after :func:`atleast_3d`)."""
    return concatenate([atleast_3d(a) for a in tup], axis=2)


@implements(np.vsplit)
def vsplit(ary: Any, indices_or_sections: Any) -> list[Any]:
    """:func:`split` along axis 0 (of an array with at least two axes)."""
    return split(ary, indices_or_sections, 0)


@implements(np.hsplit)
def hsplit(ary: Any, indices_or_sections: Any) -> list[Any]:
    """:func:`split` along axis 1 (axis 0 for a 1-D array)."""
    return split(ary, indices_or_sections, 1 if len(_shape(ary)) > 1 else 0)


@implements(np.dsplit)
def dsplit(ary: Any, indices_or_sections: Any) -> list[Any]:
    """:func:`split` along axis 2."""
    return split(ary, indices_or_sections, 2)
