"""Products: matmul (the one BLAS primitive) and einsum; dot, inner, outer, tensordot and kron
are compositions of these and of shape operations (see :mod:`steepest.autodiff.numpy.reductions`).

``matmul`` follows NumPy's rules for 1-D operands (prepend/append a unit axis) and batch
broadcasting; its VJPs are ``g @ Bᵀ`` and ``Aᵀ @ g`` summed over broadcast batch axes.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

from ..primitives import Primitive, defjvp, defsaves, defvjp
from ..tracing import shape_of
from .broadcast import broadcast_to, reshape, unbroadcast
from .shape import expand_dims, transpose

__all__ = ["matmul", "einsum", "expand_ellipsis"]


def _swap(x: Any) -> Any:
    nd = len(shape_of(x))
    if nd < 2:
        return x
    axes = list(range(nd))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return transpose(x, tuple(axes))


def _matmul_vjp_a(g: Any, ans: Any, a: Any, b: Any) -> Any:
    na, nb = len(shape_of(a)), len(shape_of(b))
    if na == 1 and nb == 1:
        return g * b
    if na == 1:  # (k,) @ (..., k, n) -> (..., n)
        return unbroadcast(reshape(matmul(b, expand_dims(g, -1)),
                                       shape_of(g)[:-1] + shape_of(a)), a)
    if nb == 1:  # (..., m, k) @ (k,) -> (..., m)
        return unbroadcast(expand_dims(g, -1) * b, a)
    return unbroadcast(matmul(g, _swap(b)), a)


def _matmul_vjp_b(g: Any, ans: Any, a: Any, b: Any) -> Any:
    na, nb = len(shape_of(a)), len(shape_of(b))
    if na == 1 and nb == 1:
        return g * a
    if na == 1:
        return unbroadcast(expand_dims(a, -1) * expand_dims(g, -2), b)
    if nb == 1:
        return unbroadcast(reshape(matmul(_swap(a), expand_dims(g, -1)),
                                       shape_of(g)[:-1] + shape_of(b)), b)
    return unbroadcast(matmul(_swap(a), g), b)


matmul = Primitive(np.matmul, "matmul")
defvjp(matmul, _matmul_vjp_a, _matmul_vjp_b)
defjvp(matmul, lambda t, ans, a, b: matmul(t, b), lambda t, ans, a, b: matmul(a, t))
defsaves(matmul, (1,), (0,))


# ---- einsum --------------------------------------------------------------------------------
def expand_ellipsis(subscripts: str, shapes: list[tuple[int, ...]]) -> str:
    """Replace ``...`` by explicit letters (right-aligned batch axes) and make the output
    explicit, so that every operand's subscripts name each of its axes."""
    spec = subscripts.replace(" ", "")
    if "." not in spec:
        return spec
    ins, arrow, out = spec.partition("->")
    parts = ins.split(",")
    free = [c for c in string.ascii_letters if c not in spec]
    counts = [len(shape) - (len(p) - 3) for p, shape in zip(parts, shapes) if "..." in p]
    nb = max(counts, default=0)
    batch = "".join(free[:nb])
    sizes: dict[str, int] = {}
    new_parts = []
    for p, shape in zip(parts, shapes):
        if "..." in p:
            k = len(shape) - (len(p) - 3)
            letters = batch[nb - k:] if k else ""
            for c, d in zip(letters, shape[p.index("..."):]):
                if sizes.setdefault(c, d) != d:
                    raise ValueError("einsum '...' axes of different sizes are not differentiable "
                                     "here; np.broadcast_to the operands to one batch shape")
            p = p.replace("...", letters)
        new_parts.append(p)
    if arrow:
        out = out.replace("...", batch)
    else:
        joined = "".join(new_parts)
        out = batch + "".join(sorted(c for c in set(joined) if joined.count(c) == 1
                                     and c not in batch))
    return ",".join(new_parts) + "->" + out


def _parse(subscripts: str, n: int) -> tuple[list[str], str]:
    spec = subscripts.replace(" ", "")
    if "->" in spec:
        ins, out = spec.split("->")
    else:
        ins = spec
        letters = ins.replace(",", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    parts = ins.split(",")
    if len(parts) != n:
        raise ValueError(f"einsum subscripts {subscripts!r} name {len(parts)} operands, got {n}")
    return parts, out


def _einsum_fun(subscripts: str, *ops: Any) -> Any:
    return np.einsum(subscripts, *ops, optimize=len(ops) > 2)


einsum = Primitive(_einsum_fun, "einsum")


def _einsum_vjp(i: int) -> Any:
    def rule(g: Any, ans: Any, subscripts: str, *ops: Any) -> Any:
        parts, out = _parse(subscripts, len(ops))
        target = parts[i - 1]
        others = [p for j, p in enumerate(parts) if j != i - 1]
        avail = set(out).union(*others) if others else set(out)
        kept = "".join(dict.fromkeys(c for c in target if c in avail))
        spec = ",".join([out, *others]) + "->" + kept
        other_ops = [o for j, o in enumerate(ops) if j != i - 1]
        red = einsum(spec, g, *other_ops)
        return _expand_subscripts(red, kept, target, shape_of(ops[i - 1]))

    return rule


def _expand_subscripts(x: Any, have: str, want: str, shape: tuple[int, ...]) -> Any:
    """Lay ``x`` (subscripts ``have``, no repeats) out with subscripts ``want``: broadcast the
    letters it lacks, and keep only the diagonal for letters repeated in ``want``."""
    letters = "".join(dict.fromkeys(want))
    order = [have.index(c) for c in letters if c in have]
    if order != list(range(len(order))):
        x = transpose(x, tuple(order))
    inter = [1] * len(want)
    for c in letters:
        if c in have:
            inter[want.index(c)] = shape[want.index(c)]
    x = broadcast_to(reshape(x, tuple(inter)), shape)
    if len(letters) == len(want):
        return x
    mask = np.ones(shape)
    for c in letters:
        pos = [k for k, d in enumerate(want) if d == c]
        for p in pos[1:]:
            sh = [1] * len(shape)
            sh[pos[0]], sh[p] = shape[pos[0]], shape[p]
            mask = mask * np.eye(shape[p]).reshape(sh)
    return x * mask


class _EinsumRules(dict):
    def __init__(self, which: str) -> None:
        super().__init__()
        self.which = which

    def __missing__(self, i: int) -> Any:
        rule = _einsum_vjp(i) if self.which == "vjp" else _einsum_jvp(i)
        self[i] = rule
        return rule

    def __contains__(self, i: object) -> bool:
        return isinstance(i, int) and i >= 1

    def get(self, i: Any, default: Any = None) -> Any:
        return self[i] if isinstance(i, int) and i >= 1 else default


def _einsum_jvp(i: int) -> Any:
    def rule(t: Any, ans: Any, subscripts: str, *ops: Any) -> Any:
        ops = list(ops)
        ops[i - 1] = t
        return einsum(subscripts, *ops)

    return rule


einsum.vjps = _EinsumRules("vjp")
einsum.jvps = _EinsumRules("jvp")
