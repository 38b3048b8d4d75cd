"""The data of a distributed finite sum: dask arrays chunked along rows, checked and laid out.

:func:`layout` checks a pytree of dask arrays (or dask DataFrames, whose values are taken
with their lengths) before anything is submitted: every leaf chunked along its first axis
only, every chunk size known, the same row chunks in every leaf. It returns a
:class:`Layout`: the leaves, their common row boundaries and the per-chunk blocks as
:class:`dask.delayed.Delayed` objects, which the finite sum feeds to its chunk tasks.

Persisting (:func:`packed`: ``client.persist`` of one task per chunk packing that chunk's rows
of every leaf into a tuple) keeps each chunk in one worker's memory *with its lineage*: its
rows of X and y sit together from the start, so its task never fetches a block, and a chunk
lost with its worker is recomputed from the graph that made it, which data sent with
``client.scatter`` cannot be. Out-of-core data (``da.from_npy_stack(dir, mmap_mode="r")``) is
better left unpersisted: each task then maps its chunk from disk, and the client never holds
the array (``da.from_array(np.memmap)`` would copy it whole).

Example:
    >>> import dask.array as da, numpy as np
    >>> X = da.from_array(np.ones((6, 2)), chunks=(4, 2)); y = da.zeros(6, chunks=4)
    >>> lay = layout((X, y))
    >>> lay.n, lay.bounds.tolist(), len(lay.blocks)
    (6, [0, 4, 6], 2)
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

import dask
import dask.array as da
import numpy as np

from ..tree import TreeDef, tree_flatten, tree_unflatten

__all__ = ["Layout", "layout", "as_dask_leaf", "pack", "packed"]


@dataclass(frozen=True)
class Layout:
    """Row-chunked data: leaves, their structure, row boundaries and per-chunk blocks.

    Attributes:
        leaves: the dask arrays, in leaf order.
        structure: the pytree structure of the data.
        bounds: row boundaries ``[0, m₁, m₁ + m₂, …, n]`` of the chunks.
        blocks: per chunk, the tuple of its delayed blocks (one per leaf), or one delayed
            tuple of them (persisted by :func:`packed`).
    """

    leaves: tuple[da.Array, ...]
    structure: TreeDef
    bounds: np.ndarray
    blocks: tuple[tuple[Any, ...], ...]

    @property
    def n(self) -> int:
        """The number of rows (examples)."""
        return int(self.bounds[-1])

    def tree(self) -> Any:
        """The data pytree of dask arrays."""
        return tree_unflatten(self.structure, list(self.leaves))


def as_dask_leaf(leaf: Any, name: str) -> da.Array:
    """A dask array for one data leaf: dask arrays as they are, a dask DataFrame or Series by
    its values with computed lengths; anything else is refused with the fix."""
    if isinstance(leaf, da.Array):
        return leaf
    to_dask_array = getattr(leaf, "to_dask_array", None)
    if callable(to_dask_array):  # dask DataFrame / Series
        return to_dask_array(lengths=True)
    raise TypeError(
        f"{name} is a {type(leaf).__name__}, not a dask array; wrap it with "
        f"dask.array.from_array(a, chunks=(rows_per_chunk, ...)) (or use "
        "steepest.train.FiniteSum for data in memory)")


def _check_leaf(a: da.Array, name: str) -> tuple[int, ...]:
    if a.ndim == 0:
        raise ValueError(f"{name} is a 0-d array; data leaves need a leading row axis")
    if any(np.isnan(c) for c in a.chunks[0]):
        raise ValueError(
            f"{name} has unknown chunk sizes (NaN rows per chunk, e.g. after boolean "
            "indexing or from a DataFrame); call .compute_chunk_sizes() on it first")
    for axis, chunks in enumerate(a.chunks[1:], 1):
        if len(chunks) != 1:
            raise ValueError(
                f"{name} is chunked along axis {axis} ({len(chunks)} chunks); a finite sum "
                f"needs whole rows in each chunk: rechunk with {name}.rechunk({{{axis}: -1}})")
    return tuple(int(c) for c in a.chunks[0])


def layout(data: Any) -> Layout:
    """Check ``data`` and lay it out by row chunks (nothing is computed or submitted).

    Args:
        data: a pytree of dask arrays (or dask DataFrames) sharing the row axis and its chunks.

    Returns:
        The :class:`Layout`.

    Raises:
        TypeError: a leaf is not a dask collection.
        ValueError: no leaves, column chunks, unknown chunk sizes, different row counts or
            row chunks between leaves (each message says how to fix it).
    """
    leaves, structure = tree_flatten(data)
    if not leaves:
        raise ValueError("data has no arrays; pass a pytree of dask arrays such as (X, y)")
    names = [f"data leaf {k}" for k in range(len(leaves))]
    arrays = tuple(as_dask_leaf(a, nm) for a, nm in zip(leaves, names, strict=True))
    rows = [_check_leaf(a, nm) for a, nm in zip(arrays, names, strict=True)]
    for nm, r in zip(names[1:], rows[1:], strict=True):
        if sum(r) != sum(rows[0]):
            raise ValueError(f"{nm} has {sum(r)} rows but data leaf 0 has {sum(rows[0])}; "
                             "every leaf needs one row per example")
        if r != rows[0]:
            raise ValueError(
                f"{nm} is chunked by rows as {_short(r)} but data leaf 0 as {_short(rows[0])}; "
                "rechunk it the same way: leaf.rechunk({0: X.chunks[0]})")
    bounds = np.concatenate([[0], np.cumsum(rows[0])]).astype(np.int64)
    return Layout(arrays, structure, bounds, _blocks(arrays))


def _short(rows: tuple[int, ...]) -> str:
    return str(rows) if len(rows) <= 4 else f"({rows[0]}, {rows[1]}, ..., {rows[-1]})"


def _blocks(arrays: tuple[da.Array, ...]) -> tuple[tuple[Any, ...], ...]:
    per_leaf = [a.to_delayed().reshape(-1) for a in arrays]
    return tuple(zip(*per_leaf, strict=True))


def pack(*blocks: np.ndarray) -> tuple[np.ndarray, ...]:
    """One chunk's blocks as one tuple (aligned: arrays that crossed processes may not be)."""
    return tuple(np.require(b, requirements="A") for b in blocks)


def packed(checked: Layout, client: Any, name: str) -> Layout:
    """``checked`` persisted on ``client`` as one packed tuple per chunk (lineage kept).

    The leaves of the result are dask arrays that read their blocks back out of the packed
    chunks (a ``getitem`` on the worker holding it), so ``layout.tree()`` stays the data.

    Args:
        checked: a :class:`Layout` from :func:`layout`.
        client: the ``distributed.Client`` to persist on.
        name: a prefix unique to the finite sum, for the keys ``rows-{name}-{c}``.

    Returns:
        The :class:`Layout` whose ``blocks`` are the persisted chunks.
    """
    chunks = client.persist([
        dask.delayed(pack, pure=True)(*blocks, dask_key_name=f"rows-{name}-{c}")
        for c, blocks in enumerate(checked.blocks)])
    rows = np.diff(checked.bounds)
    leaves = tuple(
        da.concatenate([
            da.from_delayed(dask.delayed(operator.getitem, pure=True)(chunk, k),
                            shape=(int(m), *leaf.shape[1:]), dtype=leaf.dtype)
            for chunk, m in zip(chunks, rows, strict=True)])
        for k, leaf in enumerate(checked.leaves))
    return Layout(leaves, checked.structure, checked.bounds, tuple(chunks))
