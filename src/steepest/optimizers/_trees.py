"""Leaf-level helpers shared by the rule modules (flatten once, map over leaf lists)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._validate import check_float_leaf
from ..tree import TreeDef, tree_flatten, tree_unflatten

__all__ = [
    "as_dtype", "check_leaves", "check_state", "flat", "lr_at", "made_by", "need_params",
    "rebuild", "zeros_like_params",
]


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


def made_by(state: Any) -> str:
    """The optimizer whose ``init`` made ``state``, read from the state's type (O(1)).

    Each state class names its maker in a ``made_by`` class attribute (``TraceState`` ->
    ``"momentum"``); a chain's state is a tuple, named after its first inner state that is
    more than a step counter.
    """
    maker = getattr(type(state), "made_by", None)
    if maker is not None:
        return maker
    if type(state) is tuple:
        names = [made_by(s) for s in state]
        rules = [n for n in names if n not in ("sgd", "a stateless transform")]
        return rules[0] if rules else ("sgd" if "sgd" in names else "a stateless transform")
    return f"something else (a {type(state).__name__})"


def check_state(state: Any, cls: type, who: str) -> None:
    """Raise a TypeError naming ``state`` and the fix unless ``state`` is a ``cls``."""
    if type(state) is not cls:
        raise TypeError(
            f"state is not a {cls.__name__}: this state was made by {made_by(state)}'s init, "
            f"but {who} keeps a {cls.__name__}; pass the state returned by this optimizer's "
            "init(params)"
        )


def check_leaves(leaves: list, refs: list, what: str, ref_what: str) -> None:
    """Raise a ValueError unless each leaf has the shape of its reference leaf (O(1) a leaf)."""
    for i, (x, ref) in enumerate(zip(leaves, refs)):
        if np.shape(x) != np.shape(ref):
            raise ValueError(
                f"{what} leaf {i} has shape {np.shape(x)}, {ref_what} {np.shape(ref)}; pass "
                f"{what} shaped like the params, or call init again with the new params"
            )
