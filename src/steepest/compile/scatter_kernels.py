"""Kernels that write into a slice of a gradient buffer instead of a temporary.

The backward pass of ``x[1:]`` is ``untake(g, slice(1, None), x.shape)``: zeros of ``x``'s
shape with ``g`` copied into the slice; cotangents of several slices are then added up.
When ``g`` is a fused kernel read only there, the copy and the temporary are avoidable:

- ``untake(kernel(...), idx, shape)`` → ``out = zeros(shape); kernel(..., out=out[idx])``
  (:class:`ScatterKernel`);
- ``add(buf, untake(kernel(...), idx, shape))`` with ``buf`` a dead fresh buffer →
  ``kernel(..., buf[idx], out=buf[idx])``, the kernel adding its result to the slice in the
  same pass (:class:`AccumulateKernel`).

The values are the same bits as the unfused ``zeros; out[idx] = g; buf + untake`` (``0 + g``
and ``buf + g`` are the additions either way).

Example:
    >>> import numpy as np
    >>> from steepest.compile.kernels import Kernel, numexpr_module
    >>> if numexpr_module() is not None:
    ...     s = ScatterKernel(Kernel("(v0 * (2.0))", [np.float64], 1), slice(1, None), (4,),
    ...                       np.float64)
    ...     a = AccumulateKernel(Kernel("(-v0)", [np.float64], 1), slice(None, -1))
    ...     buf = s(np.array([1.0, 2.0, 3.0]))
    ...     assert a(buf, np.array([1.0, 1.0, 1.0])).tolist() == [-1.0, 1.0, 3.0, 6.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autodiff.rules.shape import scatter_add, untake
from ..autodiff.tracing import getval
from .kernels import Kernel
from .terms import Term

__all__ = ["ScatterKernel", "AccumulateKernel", "fuse_scatters"]


class ScatterKernel:
    """``untake(kernel(*operands), idx, shape)`` computed into the slice of fresh zeros."""

    name = "fused_untake"
    fresh = True  # its result is a new array no view refers to (for the memory plan)

    def __init__(self, kernel: Kernel, idx: Any, shape: tuple[int, ...], dtype: Any) -> None:
        self.kernel, self.idx, self.shape, self.dtype = kernel, idx, tuple(shape), dtype
        self.expression = kernel.expression
        self.fun_plain = self

    def __call__(self, *operands: Any) -> np.ndarray:
        out = np.zeros(self.shape, self.dtype)
        self.kernel(*operands, out=out[self.idx])
        return out


class AccumulateKernel:
    """``buf + untake(kernel(*operands), idx)``: the kernel adds into ``buf[idx]`` in place."""

    name = "fused_add_untake"
    fresh = True

    def __init__(self, kernel: Kernel, idx: Any) -> None:
        self.kernel = kernel.accumulating(np.float64)
        self.idx = idx
        self.expression = self.kernel.expression
        self.fun_plain = self

    def __call__(self, buf: np.ndarray, *operands: Any) -> np.ndarray:
        view = buf[self.idx]
        self.kernel(*operands, view, out=view)
        return buf


def _basic_slices(idx: Any) -> bool:
    parts = idx if isinstance(idx, tuple) else (idx,)
    return all(isinstance(p, slice) and p.step in (None, 1) for p in parts) and bool(parts)


def _float_array(t: Any, size: int) -> bool:
    v = getval(t.value) if isinstance(t, Term) else None
    return type(v) is np.ndarray and v.dtype == np.float64 and v.size >= size


def _fresh(t: Term, fun: Any) -> bool:
    """Whether ``t``'s value is an array of its own that no view refers to."""
    return (t.op in (untake, scatter_add) or isinstance(fun, (Kernel, np.ufunc))
            or getattr(fun, "fresh", False))


def fuse_scatters(terms: list[Term], funs: list[Any], keep: set[int], min_size: int
                  ) -> tuple[list[Term], list[Any], dict[int, Term]]:
    """Turn ``untake``s of kernels (and the adds of them into dead buffers) into
    :class:`ScatterKernel` / :class:`AccumulateKernel` terms.

    Args:
        terms: the fused replay's terms in evaluation order.
        funs: their plain functions.
        keep: ids of terms that must stay computed.
        min_size: smallest buffer worth it (elements).

    Returns:
        ``(terms, funs, replaced)``: ``replaced`` maps the id of a replaced term to the term
        that now computes its value (arguments are not relinked yet).
    """
    readers: dict[int, int] = {}
    for t in terms:
        for a in dict.fromkeys(a for a in t.args if isinstance(a, Term)):
            readers[id(a)] = readers.get(id(a), 0) + 1
    fun_of = {id(t): f for t, f in zip(terms, funs)}

    def kernel_of(u: Any) -> tuple[Term, Any] | None:
        """``(kernel term, idx)`` when ``u`` is an untake of a kernel read only there."""
        if not (isinstance(u, Term) and u.op is untake and readers.get(id(u)) == 1
                and id(u) not in keep):
            return None
        g, idx, shape = u.args
        if not (isinstance(g, Term) and isinstance(fun_of.get(id(g)), Kernel)
                and readers.get(id(g)) == 1 and id(g) not in keep and _basic_slices(idx)
                and not isinstance(shape, Term) and _float_array(u, min_size)
                and _float_array(g, 1)):
            return None
        return g, idx

    def dead(buf: Any, t: Term) -> bool:
        """Whether ``buf`` is a fresh float buffer of ``t``'s shape read only by ``t``."""
        return (isinstance(buf, Term) and readers.get(id(buf)) == 1 and id(buf) not in keep
                and _fresh(buf, fun_of[id(buf)]) and _float_array(buf, min_size)
                and np.shape(getval(buf.value)) == np.shape(getval(t.value)))

    replaced: dict[int, Term] = {}
    dropped: set[int] = set()
    for t in terms:
        f = fun_of[id(t)]
        if t.op is scatter_add and not t.kwargs and dead(t.args[0], t):
            buf, g, idx = t.args
            if (isinstance(g, Term) and isinstance(fun_of.get(id(g)), Kernel)
                    and readers.get(id(g)) == 1 and id(g) not in keep and _basic_slices(idx)
                    and _float_array(g, 1)):
                op = AccumulateKernel(fun_of[id(g)], idx)
                replaced[id(t)] = Term(op, (buf, *g.args), {}, t.value, t.line)
                fun_of[id(replaced[id(t)])] = op
                dropped.add(id(g))
            continue
        if f is np.add and not t.kwargs and len(t.args) == 2:
            for buf, other in (t.args, t.args[::-1]):
                hit = kernel_of(other)
                if (hit is None or not isinstance(buf, Term) or readers.get(id(buf)) != 1
                        or id(buf) in keep or not _fresh(buf, fun_of[id(buf)])
                        or not _float_array(buf, min_size)
                        or np.shape(getval(buf.value)) != np.shape(getval(t.value))):
                    continue
                g, idx = hit
                op = AccumulateKernel(fun_of[id(g)], idx)
                replaced[id(t)] = Term(op, (buf, *g.args), {}, t.value, t.line)
                fun_of[id(replaced[id(t)])] = op
                dropped |= {id(g), id(other)}
                break
    for t in terms:  # the untakes of kernels no add took
        hit = kernel_of(t) if id(t) not in dropped else None
        if hit is not None:
            g, idx = hit
            op = ScatterKernel(fun_of[id(g)], idx, t.args[2], np.float64)
            replaced[id(t)] = Term(op, g.args, {}, t.value, t.line)
            fun_of[id(replaced[id(t)])] = op
            dropped.add(id(g))
    out = [replaced.get(id(t), t) for t in terms if id(t) not in dropped]
    return out, [fun_of[id(t)] for t in out], replaced
