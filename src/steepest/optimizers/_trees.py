"""Leaf-level helpers shared by the rule modules (flatten once, map over leaf lists)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._validate import check_float_leaf
from ..tree import TreeDef, tree_flatten, tree_unflatten

__all__ = ["as_dtype", "flat", "lr_at", "need_params", "rebuild", "zeros_like_params"]


def flat(tree: Any, like: TreeDef | None = None, what: str = "grads") -> tuple[list, TreeDef]:
    """Leaves and structure of ``tree``; when ``like`` is given, the structures must match."""
    leaves, td = tree_flatten(tree)
    if like is not None and td != like:
        raise ValueError(
            f"{what} have structure {td!r} but the optimizer state was built for {like!r}; "
            "pass a tree of the same structure as the params given to init"
        )
    return leaves, td


def rebuild(td: TreeDef, leaves: list) -> Any:
    return tree_unflatten(td, leaves)


def zeros_like_params(params: Any, fill: float = 0.0) -> Any:
    """A tree of arrays of ``fill`` with each parameter's shape and (floating) dtype."""
    leaves, td = tree_flatten(params)
    return tree_unflatten(
        td, [np.full(np.shape(p), fill, dtype=check_float_leaf(p)) for p in leaves]
    )


def as_dtype(x: Any, ref: np.ndarray) -> np.ndarray:
    """``x`` as an array of ``ref``'s dtype (a no-op when it already is)."""
    return np.asarray(x).astype(ref.dtype, copy=False)


def lr_at(rate: float | Callable[[int], float], count: int) -> float:
    """The learning rate at ``count`` updates done: a constant or ``schedule(count)``."""
    value = float(rate(count)) if callable(rate) else rate
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"the learning-rate schedule returned {value} at step {count}; "
                         "a schedule must return finite values >= 0")
    return value


def need_params(params: Any, who: str) -> None:
    if params is None:
        raise ValueError(
            f"{who} needs the current parameters: call opt.update(grads, state, params)"
        )
