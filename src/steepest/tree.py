"""Pytrees: nested ``dict`` / ``list`` / ``tuple`` (and namedtuple) containers of arrays.

Every part of steepest that takes "parameters" accepts a pytree: the autodiff transforms,
``minimize``, the first-order optimizers and ``train.fit``. A pytree is flattened into a list
of leaves plus a :class:`TreeDef` that can rebuild the same structure from new leaves.

Leaves are everything that is not a container: NumPy arrays, Python scalars, traced values.
``None`` is an empty container (it has no leaves), as in JAX. Dict keys are visited in sorted
order so flattening is deterministic.

Example:
    >>> from steepest.tree import tree_flatten, tree_unflatten
    >>> leaves, tdef = tree_flatten({"w": [1.0, 2.0], "b": 3.0})
    >>> leaves
    [3.0, 1.0, 2.0]
    >>> tree_unflatten(tdef, [30.0, 10.0, 20.0])
    {'b': 30.0, 'w': [10.0, 20.0]}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._dispatch import is_traced
from ._validate import check_callable

__all__ = [
    "TreeDef",
    "tree_flatten",
    "tree_unflatten",
    "tree_map",
    "tree_leaves",
    "tree_structure",
    "ravel_pytree",
]

_LEAF = "leaf"


@dataclass(frozen=True)
class TreeDef:
    """Structure of a pytree: the container kind, its keys/type and the children's structure."""

    kind: str  # "leaf", "none", "dict", "list", "tuple", "namedtuple"
    meta: Any = None  # dict keys (tuple) or namedtuple class
    children: tuple[TreeDef, ...] = ()

    @property
    def num_leaves(self) -> int:
        if self.kind == _LEAF:
            return 1
        return sum(c.num_leaves for c in self.children)

    def __repr__(self) -> str:  # compact, readable form
        if self.kind == _LEAF:
            return "*"
        if self.kind == "none":
            return "None"
        inner = ", ".join(repr(c) for c in self.children)
        if self.kind == "dict":
            inner = ", ".join(f"{k!r}: {c!r}" for k, c in zip(self.meta, self.children))
            return "{" + inner + "}"
        if self.kind == "list":
            return "[" + inner + "]"
        return "(" + inner + ("," if len(self.children) == 1 else "") + ")"


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def tree_flatten(tree: Any) -> tuple[list[Any], TreeDef]:
    """Flatten ``tree`` into ``(leaves, treedef)`` without recursion limits on depth.

    Args:
        tree: a leaf or a nested dict/list/tuple/namedtuple of leaves (``None`` has no leaves).

    Returns:
        The list of leaves in a deterministic order and the structure to rebuild the tree.
    """
    leaves: list[Any] = []
    return leaves, _flatten_into(tree, leaves)


def _flatten_into(tree: Any, leaves: list[Any]) -> TreeDef:
    if tree is None:
        return TreeDef("none")
    if isinstance(tree, dict):
        keys = tuple(sorted(tree.keys(), key=_sort_key))
        return TreeDef("dict", keys, tuple(_flatten_into(tree[k], leaves) for k in keys))
    if _is_namedtuple(tree):
        return TreeDef("namedtuple", type(tree), tuple(_flatten_into(c, leaves) for c in tree))
    if isinstance(tree, tuple):
        return TreeDef("tuple", None, tuple(_flatten_into(c, leaves) for c in tree))
    if isinstance(tree, list):
        return TreeDef("list", None, tuple(_flatten_into(c, leaves) for c in tree))
    leaves.append(tree)
    return TreeDef(_LEAF)


def _sort_key(k: Any) -> tuple[str, str]:
    return (type(k).__name__, repr(k)) if not isinstance(k, str) else ("", k)


def tree_unflatten(treedef: TreeDef, leaves: Sequence[Any]) -> Any:
    """Rebuild a tree of structure ``treedef`` from ``leaves`` (inverse of :func:`tree_flatten`).

    Raises:
        ValueError: if the number of leaves does not match the structure.
    """
    if not isinstance(treedef, TreeDef):
        raise TypeError(f"treedef must be a TreeDef, got {type(treedef).__name__}; pass the one "
                        "tree_flatten(tree) or tree_structure(tree) returned")
    if len(leaves) != treedef.num_leaves:
        raise ValueError(
            f"tree_unflatten got {len(leaves)} leaves for a structure with "
            f"{treedef.num_leaves}; pass exactly one leaf per position of {treedef!r}"
        )
    it = iter(leaves)
    return _build(treedef, it)


def _build(td: TreeDef, it: Any) -> Any:
    if td.kind == _LEAF:
        return next(it)
    if td.kind == "none":
        return None
    children = [_build(c, it) for c in td.children]
    if td.kind == "dict":
        return dict(zip(td.meta, children))
    if td.kind == "namedtuple":
        return td.meta(*children)
    if td.kind == "tuple":
        return tuple(children)
    return children


def tree_leaves(tree: Any) -> list[Any]:
    """The leaves of ``tree`` in flattening order."""
    return tree_flatten(tree)[0]


def tree_structure(tree: Any) -> TreeDef:
    """The :class:`TreeDef` of ``tree``."""
    return tree_flatten(tree)[1]


def tree_map(f: Callable[..., Any], tree: Any, *rest: Any) -> Any:
    """Apply ``f`` leaf-wise to ``tree`` and trees ``rest`` of the same structure.

    Raises:
        ValueError: if the trees do not share one structure.
    """
    check_callable(f, "f")
    leaves, td = tree_flatten(tree)
    others = []
    for r in rest:
        rl, rtd = tree_flatten(r)
        if rtd != td:
            raise ValueError(
                f"tree_map needs trees of one structure; got {td!r} and {rtd!r}. "
                "Make the containers (and dict keys) match."
            )
        others.append(rl)
    return tree_unflatten(td, [f(*xs) for xs in zip(leaves, *others)])


def ravel_pytree(tree: Any) -> tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """Concatenate all leaves of ``tree`` into one flat float vector.

    Returns:
        ``(flat, unravel)`` where ``unravel(flat)`` rebuilds a tree of the same structure, leaf
        shapes and dtypes. Used by ``minimize`` so that ``x0`` may be a pytree.

    Example:
        >>> import numpy as np
        >>> flat, unravel = ravel_pytree({"a": np.ones(2), "b": 3.0})
        >>> flat
        array([1., 1., 3.])
        >>> unravel(flat * 2)["a"]
        array([2., 2.])
    """
    leaves, td = tree_flatten(tree)
    arrays = [np.asarray(leaf) for leaf in leaves]
    for i, a in enumerate(arrays):
        if a.dtype.kind not in "biufc":
            raise TypeError(f"ravel_pytree needs numeric leaves; leaf {i} has dtype {a.dtype}; "
                            "pass float arrays, e.g. np.asarray(leaf, dtype=float)")
    shapes = [a.shape for a in arrays]
    dtypes = [a.dtype for a in arrays]
    sizes = [a.size for a in arrays]
    if arrays:
        dtype = np.result_type(*[d if np.issubdtype(d, np.inexact) else float for d in dtypes])
        flat = np.concatenate([a.ravel() for a in arrays]).astype(dtype, copy=False)
    else:
        flat = np.zeros(0)
    offsets = np.cumsum([0, *sizes])
    scalar_leaf = [not isinstance(leaf, np.ndarray) and np.ndim(leaf) == 0 for leaf in leaves]

    def unravel(vec: np.ndarray) -> Any:
        traced = is_traced(vec)  # autodiff values keep their own dtype handling
        if not traced:
            vec = np.asarray(vec)
        if np.shape(vec) != (offsets[-1],):
            raise ValueError(
                f"unravel expects a vector of shape ({offsets[-1]},), got {np.shape(vec)}"
            )
        parts = []
        for i, (shape, dt) in enumerate(zip(shapes, dtypes)):
            piece = vec[offsets[i] : offsets[i + 1]].reshape(shape)
            if not traced and np.issubdtype(dt, np.inexact):
                piece = piece.astype(dt, copy=False)
            parts.append(piece[()] if scalar_leaf[i] else piece)
        return tree_unflatten(td, parts)

    return flat, unravel
