"""``vmap``: map a function written for one example over a batch, with batching rules.

``vmap(f)(X)[b] = f(X[b])`` for every ``b``, computed by one pass of ``f`` in which every
primitive handles all examples at once (:mod:`.trace`). It nests with itself and with every
derivative transform in both orders: ``vmap(grad(loss), in_axes=(None, 0, 0))(params, X, y)``
gives per-example gradients, ``grad(lambda w: np.sum(vmap(f)(w)))`` differentiates through it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..._validate import check_callable
from ...tree import tree_flatten, tree_unflatten
from ..arraylike import BatchHooks
from ..rules.broadcast import broadcast_to
from ..tracing import pack_object_array, shape_of
from .trace import BatchTrace, BatchTracer, moveaxis

__all__ = ["vmap"]


def _is_axis(a: Any) -> bool:
    return a is None or (isinstance(a, int) and not isinstance(a, bool))


def _check_axes_spec(spec: Any, name: str) -> None:
    if _is_axis(spec):
        return
    if isinstance(spec, dict):
        for v in spec.values():
            _check_axes_spec(v, name)
    elif isinstance(spec, (list, tuple)):
        for v in spec:
            _check_axes_spec(v, name)
    else:
        raise TypeError(f"vmap: {name} must be an int, None or a (nested) tuple/list/dict of "
                        f"them matching the arguments, got {spec!r}; e.g. {name}=0 or "
                        f"{name}=(None, 0)")


def _leaf_axes(spec: Any, tree: Any, name: str, where: str) -> list[Any]:
    """One axis per leaf of ``tree``: ``spec`` is a prefix of ``tree`` (an int or None at a node
    applies to its whole subtree)."""
    if _is_axis(spec):
        return [spec] * len(tree_flatten(tree)[0])
    if isinstance(spec, dict) and isinstance(tree, dict) and set(spec) == set(tree):
        keys = tree_flatten({k: 0 for k in tree})[1].meta
        return [a for k in keys for a in _leaf_axes(spec[k], tree[k], name, f"{where}[{k!r}]")]
    if (isinstance(spec, (list, tuple)) and isinstance(tree, (list, tuple))
            and len(spec) == len(tree) and not isinstance(tree, dict)):
        return [a for i, (s, t) in enumerate(zip(spec, tree))
                for a in _leaf_axes(s, t, name, f"{where}[{i}]")]
    raise ValueError(f"vmap: {name} {spec!r} does not match the structure of {where} "
                     f"({type(tree).__name__}{_describe(tree)}); give one entry per item, or "
                     "an int/None for the whole of it")


def _describe(tree: Any) -> str:
    if isinstance(tree, dict):
        return f" with keys {sorted(map(str, tree))}"
    if isinstance(tree, (list, tuple)):
        return f" of length {len(tree)}"
    return ""


def _batch_size(leaves: list, axes: list, axis_size: int | None) -> int:
    sizes = {}
    for i, (leaf, ax) in enumerate(zip(leaves, axes)):
        if ax is None:
            continue
        shape = shape_of(leaf)
        if not -len(shape) <= ax < len(shape):
            raise ValueError(f"vmap: in_axes={ax} is out of range for input {i} of shape "
                             f"{shape}; pass an axis in [-{len(shape)}, {len(shape)}) or None "
                             "to broadcast it")
        sizes[i] = shape[ax]
    if not sizes:
        if axis_size is None:
            raise ValueError("vmap: no input is mapped (every in_axes entry is None); pass "
                             "axis_size=n to say how many examples to make")
        return axis_size
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"input {i}: {n}" for i, n in sizes.items())
        raise ValueError(f"vmap: the mapped axes have different sizes ({listed}); give every "
                         "mapped input the same number of examples")
    size = next(iter(sizes.values()))
    if axis_size is not None and axis_size != size:
        raise ValueError(f"vmap: axis_size={axis_size} but the mapped inputs have {size} "
                         "examples; drop axis_size or make them agree")
    return size


def _out(leaf: Any, ax: Any, trace: BatchTrace, i: int) -> Any:
    if isinstance(leaf, BatchTracer) and leaf._trace is trace:
        value = leaf._value
        if ax is None:
            raise ValueError(f"vmap: output {i} depends on the mapped inputs but out_axes is "
                             "None for it; give it an axis (e.g. out_axes=0)")
    else:
        if ax is None:
            return leaf
        value = broadcast_to(leaf, (trace.size,) + shape_of(leaf))
    nd = len(shape_of(value))
    if not -nd <= ax < nd:
        raise ValueError(f"vmap: out_axes={ax} is out of range for output {i} with {nd} axes "
                         "(batch included); pass an axis in that range")
    return moveaxis(value, 0, ax)


def vmap(f: Callable, in_axes: Any = 0, out_axes: Any = 0,
         axis_size: int | None = None) -> Callable[..., Any]:
    """Vectorise ``f`` over a batch axis: ``vmap(f)(X)[b] = f(X[b])``, in one pass.

    Every primitive runs once on all examples (its batching rule: most broadcast with the
    batch axis in front and their ``axis`` arguments shifted by one; ``matmul`` folds the batch
    into one BLAS call); a primitive without a rule runs once per example (correct, slower).
    Python control flow on a batched value works when every example takes the same branch.

    Args:
        f: function of one example, written with NumPy.
        in_axes: per positional argument, the axis holding the examples, or ``None`` to pass
            the argument unchanged to every example; an int or ``None`` applies to all
            arguments, and a (nested) tuple/list/dict is a prefix of the arguments' pytree.
            Keyword arguments are always mapped along axis 0.
        out_axes: where the batch axis goes in each output (int, or a prefix tree of them).
        axis_size: the number of examples when no input is mapped.

    Returns:
        A function with the signature of ``f`` returning the stacked outputs.

    Reference:
        JAX's ``jax.vmap`` (Bradbury et al., 2018); ``torch.func.vmap``; per-example gradients:
        Goodfellow, *Efficient per-example gradient computations* (arXiv:1510.01799, 2015).

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import grad
        >>> loss = lambda w, x, y: (np.dot(w, x) - y) ** 2
        >>> w, X, y = np.array([1.0, 2.0]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.zeros(2)
        >>> vmap(grad(loss), in_axes=(None, 0, 0))(w, X, y)  # one gradient per example
        array([[2., 0.],
               [0., 4.]])
    """
    check_callable(f, "f")
    _check_axes_spec(in_axes, "in_axes")
    _check_axes_spec(out_axes, "out_axes")
    if axis_size is not None and (not isinstance(axis_size, int) or axis_size < 1):
        raise ValueError(f"vmap: axis_size must be a positive int, got {axis_size!r}")

    @functools.wraps(f)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        spec = in_axes
        if isinstance(spec, list) and len(args) != 1:
            spec = tuple(spec)
        if isinstance(spec, tuple) and len(spec) != len(args):
            raise ValueError(f"vmap: in_axes has {len(spec)} entries but the function got "
                             f"{len(args)} positional arguments; give one entry per argument")
        axes = _leaf_axes(spec if not isinstance(spec, tuple) else tuple(spec), args,
                          "in_axes", "the arguments")
        kw_leaves, kw_def = tree_flatten(kwargs)
        leaves, a_def = tree_flatten(args)
        all_leaves, all_axes = leaves + kw_leaves, axes + [0] * len(kw_leaves)
        size = _batch_size(all_leaves, all_axes, axis_size)
        trace = BatchTrace(size)
        boxed = [leaf if ax is None else BatchTracer(moveaxis(leaf, ax, 0), trace)
                 for leaf, ax in zip(all_leaves, all_axes)]
        BatchHooks.active += 1
        try:
            out = f(*tree_unflatten(a_def, boxed[:len(leaves)]),
                    **tree_unflatten(kw_def, boxed[len(leaves):]))
            o_leaves, o_def = tree_flatten(out)
            o_axes = _leaf_axes(out_axes, out, "out_axes", "the output")
            res = [_out(pack_object_array(leaf), ax, trace, i)
                   for i, (leaf, ax) in enumerate(zip(o_leaves, o_axes))]
        finally:
            BatchHooks.active -= 1
        return tree_unflatten(o_def, res)

    return wrapped
