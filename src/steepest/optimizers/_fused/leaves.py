"""Run one kernel over every leaf of a pytree: structure checks, per-leaf decay masks, dtypes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from .._trees import check_state, flat, need_params, rebuild
from .kernels import Coefficients, fused_leaf
from .pool import BufferPool
from .specs import Direction

__all__ = ["direction_update", "run_kernel"]

_FLOAT = np.dtype(np.float64)


def run_kernel(kind: str, grads: Any, moments: list[Any], params: Any, c: Coefficients,
               mask: Any = None, *, to_params: bool, inplace: bool = False,
               pool: BufferPool | None = None) -> tuple[Any, list[Any]]:
    """One step of kernel ``kind`` on a pytree.

    Args:
        kind: a key of :data:`~.kernels.KERNELS`.
        grads: the gradient pytree; its structure is the reference.
        moments: the moment pytrees of the rule (checked against ``grads``' structure).
        params: the parameters (may be None when neither decay nor ``to_params`` needs them).
        c: the step's coefficients.
        mask: pytree of bools (or callable ``params ->`` that pytree) selecting the leaves
            that ``c.l2`` and ``c.decay`` apply to; None decays every leaf.
        to_params: return new parameters (update and apply) instead of updates.
        inplace: write into the moments and parameters where they are writable arrays.
        pool: recycles unreferenced output buffers (two generations are kept); None
            allocates fresh ones.

    Returns:
        ``(updates or new params, new moment pytrees)``.
    """
    g_leaves, td = flat(grads)
    ms = [flat(m, td, "optimizer state")[0] for m in moments]
    if params is None and (c.l2 or c.decay or to_params):
        need_params(params, "step" if to_params else "weight decay")
    p_leaves = [None] * len(g_leaves) if params is None else flat(params, td, "params")[0]
    coefs = [c] * len(g_leaves)
    if mask is not None and (c.l2 or c.decay):
        keep = flat(mask(params) if callable(mask) else mask, td, "mask")[0]
        undecayed = replace(c, l2=0.0, decay=0.0)
        coefs = [c if k else undecayed for k in keep]
    alloc = np.empty
    if pool is not None:
        pool.per_key = 2 * (len(ms) + 1) * len(g_leaves)  # two generations of every output
        alloc = pool.take
    outs = []
    for i, (g, p, ci) in enumerate(zip(g_leaves, p_leaves, coefs)):
        leaf_ms = tuple(m[i] for m in ms)
        _check_leaf(i, g, leaf_ms, p)
        outs.append(fused_leaf(kind, g, leaf_ms, p, _leaf_dtype(leaf_ms, p, g), ci,
                               to_params=to_params, inplace=inplace, alloc=alloc))
    new_moments = [rebuild(td, [o[0][j] for o in outs]) for j in range(len(ms))]
    return rebuild(td, [o[1] for o in outs]), new_moments


def _check_leaf(i: int, g: Any, moments: tuple, p: Any) -> None:
    """Shapes of leaf ``i`` agree with the state (and the params); its dtypes are usable.

    The common case (arrays that agree) costs a few attribute reads; anything else goes to
    :func:`_explain_leaf`, which raises the error that names the argument and the fix.
    """
    ref = moments[0] if moments else p
    try:
        if (g.shape == ref.shape and g.dtype.kind in "fiub"
                and (p is None or (p.shape == g.shape and (p.dtype == ref.dtype or not moments)))):
            return
    except AttributeError:  # a Python scalar, a list or no reference: checked one by one
        pass
    _explain_leaf(i, g, moments, p)


def _explain_leaf(i: int, g: Any, moments: tuple, p: Any) -> None:
    """Raise the error for leaf ``i`` when its shapes or dtypes disagree (else return)."""
    shape = np.shape(g)
    ref = moments[0] if moments else p
    if ref is not None and np.shape(ref) != shape:
        whose = "the state was initialised for" if moments else "the params leaf has"
        raise ValueError(
            f"updates leaf {i} has shape {shape}, {whose} {np.shape(ref)}; pass gradients "
            "shaped like the params, or call init again with the new params"
        )
    if moments and p is not None and np.shape(p) != shape:
        raise ValueError(
            f"params leaf {i} has shape {np.shape(p)}, the state was initialised for {shape}; "
            "pass the params given to init, or call init again with the new params"
        )
    if getattr(g, "dtype", _FLOAT).kind not in "fiub":
        raise TypeError(f"updates leaf {i} has dtype {g.dtype}; pass real floating gradients")
    dtype, want = getattr(p, "dtype", None), getattr(ref, "dtype", None)
    if moments and dtype is not None and want is not None and dtype != want:
        raise TypeError(
            f"params leaf {i} has dtype {dtype}, the state was initialised for {want}; "
            "call init again with the new params"
        )


def _leaf_dtype(moments: tuple, p: Any, g: Any) -> np.dtype:
    if moments:
        return np.asarray(moments[0]).dtype
    ref = np.asarray(p if p is not None else g)
    return ref.dtype if ref.dtype.kind == "f" else np.dtype(np.float64)


def direction_update(spec: Direction, state_type: type) -> Callable[..., tuple[Any, Any]]:
    """The ``update`` of a kernel-backed transform on its own (not fused with a step).

    ``update(grads, state, params=None)`` reads the moments from ``state``'s ``spec.fields``,
    returns the direction (unit scale, no sign) and ``state`` with the new moments (and the
    count advanced when ``spec.counted``). The function carries ``spec`` as ``.fusable`` so
    that :func:`~.plan.recognise` can fuse it into a chain, and ``state_type`` as
    ``.state_type`` (a state of another type is refused with a TypeError).
    """
    who = f"{state_type.made_by}'s {spec.kind} kernel"

    def update(grads: Any, state: Any, params: Any = None) -> tuple[Any, Any]:
        check_state(state, state_type, who)
        count = int(state.count) if spec.counted else 0
        out, moments = run_kernel(spec.kind, grads, [getattr(state, f) for f in spec.fields],
                                  params, spec.coefficients(count), to_params=False)
        fields = dict(zip(spec.fields, moments))
        if spec.counted:
            fields["count"] = count + 1
        return out, state._replace(**fields)

    update.fusable = spec
    update.state_type = state_type
    return update
