"""Batching rules of matmul, einsum and the linear-algebra primitives.

``matmul`` of a batch of vectors or matrices with one unbatched matrix folds the batch into
the rows, so the whole batch is one BLAS call (``(B·m, k) @ (k, n)``), not ``B`` small ones;
otherwise the batch becomes a leading stack axis of NumPy's own broadcasting matmul.
``einsum`` gives the batch axis a fresh letter. The ``numpy.linalg`` primitives whose NumPy
function works on stacks (``inv``, ``det``, ``slogdet``, ``cholesky``, ``solve``) take the
batch as a stack axis.

Example:
    >>> from steepest.autodiff.rules import products
    >>> products.matmul in RULES and products.einsum in RULES
    True
"""

from __future__ import annotations

import string
from typing import Any

from ..rules import linalg, products
from ..rules.broadcast import broadcast_to, reshape
from ..tracing import shape_of
from .rules import reduction, register
from .trace import RULES, example_ndim, loop, moveaxis  # noqa: F401  (RULES: doctest)

__all__ = ["batched_matmul"]


def _as_stack(v: Any, nd: int) -> Any:
    """A batched operand with ``nd`` axes per example (unit stack axes after the batch)."""
    s = shape_of(v)
    k = len(s) - 1
    return v if k >= nd else reshape(v, s[:1] + (1,) * (nd - k) + s[1:])


def batched_matmul(a: Any, ba: bool, b: Any, bb: bool, size: int) -> Any:
    """``a @ b`` for each example, the batch along axis 0 of the batched operands."""
    mm = products.matmul
    na, nb = example_ndim(a, ba), example_ndim(b, bb)
    if ba and not bb:
        sa = shape_of(a)
        if nb == 2:  # (B, ..., k) @ (k, n): one (B·rows, k) @ (k, n) product
            out = mm(reshape(a, (-1, sa[-1])), b)
            return reshape(out, sa[:-1] + shape_of(b)[-1:])
        if na == 1:  # (B, k) against a stack of matrices
            return moveaxis(mm(a, b), -2, 0)
        return mm(_as_stack(a, max(na, nb)), b)
    if bb and not ba:
        sb = shape_of(b)
        if na == 2 and nb == 1:  # (m, k) @ (B, k): (B, k) @ (k, m)
            return mm(b, linalg.T(a))
        if na == 2 and nb == 2:  # (m, k) @ (B, k, n) = [(B, n, k) @ (k, m)] transposed
            bt = reshape(moveaxis(b, 1, 2), (-1, sb[1]))
            out = reshape(mm(bt, linalg.T(a)), (size, sb[2], shape_of(a)[0]))
            return moveaxis(out, 2, 1)
        if nb == 1:
            return moveaxis(mm(a, moveaxis(b, 0, 1)), -1, 0)
        return mm(a, _as_stack(b, max(na, nb)))
    # both batched
    if na == 1 and nb == 1:
        return products.einsum("bi,bi->b", a, b)
    if na == 1:
        out = mm(reshape(a, shape_of(a)[:1] + (1,) * (nb - 1) + shape_of(a)[1:]), b)
        s = shape_of(out)
        return reshape(out, s[:-2] + s[-1:])
    if nb == 1:
        out = mm(_as_stack(a, na), reshape(b, shape_of(b)[:1] + (1,) * (na - 2)
                                            + shape_of(b)[1:] + (1,)))
        return reshape(out, shape_of(out)[:-1])
    nd = max(na, nb)
    return mm(_as_stack(a, nd), _as_stack(b, nd))


def _matmul(prim: Any, vals: list, bat: list, size: int) -> Any:
    return batched_matmul(vals[0], bat[0], vals[1], bat[1], size)


def _einsum(prim: Any, vals: list, bat: list, size: int) -> Any:
    spec, ops = vals[0], vals[1:]
    if bat[0] or not isinstance(spec, str):
        return loop(prim, vals, bat, size)
    shapes = [shape_of(o)[1:] if m else shape_of(o) for o, m in zip(ops, bat[1:])]
    spec = products.expand_ellipsis(spec, shapes)
    parts, out = products._parse(spec, len(ops))
    letter = next(c for c in string.ascii_letters if c not in spec)
    parts = [letter + p if m else p for p, m in zip(parts, bat[1:])]
    return products.einsum(",".join(parts) + "->" + letter + out, *ops)


def _stacked(prim: Any, vals: list, bat: list, size: int, **kwargs: Any) -> Any:
    """A primitive whose NumPy function maps over leading stack axes: the batch is one."""
    if len(vals) != 1:
        return loop(prim, vals, bat, size, **kwargs)
    return prim(vals[0], **kwargs)


def _solve(prim: Any, vals: list, bat: list, size: int) -> Any:
    """solve(a, b) per example: a stack of systems; a vector ``b`` becomes one column (NumPy
    reads a stacked ``b`` as matrices)."""
    (a, b), (ba, bb) = vals, bat
    na, nb = example_ndim(a, ba), example_ndim(b, bb)
    if na != 2 or nb not in (1, 2):
        return loop(prim, vals, bat, size)
    a = a if ba else broadcast_to(a, (size,) + shape_of(a))
    b = b if bb else broadcast_to(b, (size,) + shape_of(b))
    if nb == 2:
        return prim(a, b)
    out = prim(a, reshape(b, shape_of(b) + (1,)))
    return reshape(out, shape_of(out)[:-1])


register(_solve, linalg.solve)
register(_matmul, products.matmul)
register(_einsum, products.einsum)
register(_stacked, linalg.inv, linalg.det, linalg.logabsdet, linalg.cholesky, linalg.cofactor,
         linalg.eigh_packed, linalg.eigvalsh, linalg.svd_packed, linalg.svdvals,
         linalg.qr_packed, linalg.pinv)
register(reduction, linalg.norm2)
