"""The memory plan of a plain replay: elementwise results written into dead buffers.

A replay that allocates a fresh array for every intermediate spends much of its time in the
allocator and in page faults once arrays are large. :func:`plan_buffers` finds, for each
elementwise NumPy call (a ufunc, or ``x ** 2`` / ``x ** 0.5``), an argument that dies at
that call, was itself freshly allocated by an elementwise call (so no view of it can exist),
and has the result's shape and dtype; the replay then calls the ufunc with ``out=`` that
buffer. The values are the same bits: a ufunc computes the same thing into any output array.

Example:
    >>> import numpy as np
    >>> from steepest.compile.recording import record
    >>> from steepest.compile.replay import compile_program
    >>> rec = record(lambda x: np.sin(x * 2.0) + 1.0, (np.ones(10_000),))
    >>> "out=" in compile_program(rec).source
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autodiff.rules.shape import scatter_add, untake
from ..autodiff.rules.ufunc import _fast_power
from ..autodiff.tracing import getval
from .terms import Term

__all__ = ["plan_buffers", "plan_scatters", "elementwise"]

MIN_SIZE = 2048  # elements: below this an allocation is cheap and the plain call faster


def elementwise(t: Term, fun: Any) -> tuple[np.ufunc, tuple] | None:
    """``(ufunc, args)`` when ``t`` is one elementwise ufunc call that takes ``out=``."""
    if t.kwargs:
        return None
    if getattr(fun, "takes_out", False):  # a fused kernel (.fusion)
        return fun, t.args
    if isinstance(fun, np.ufunc) and fun.nout == 1 and len(t.args) == fun.nin:
        return fun, t.args
    if fun is _fast_power and len(t.args) == 2:
        x, y = t.args
        if type(y) in (int, float) and y == 2:
            return np.square, (x,)
        if type(y) in (int, float) and y == 0.5:  # noqa: PLR2004
            return np.sqrt, (x,)
        return np.power, t.args
    return None


def _array(t: Any) -> np.ndarray | None:
    v = getval(t.value) if isinstance(t, Term) else None
    return v if type(v) is np.ndarray and v.size >= MIN_SIZE else None


def plan_buffers(terms: list[Term], funs: list[Any], keep: set[int]
                 ) -> dict[int, tuple[np.ufunc, tuple, Term]]:
    """For each term index, the ufunc call writing into a dead argument's buffer.

    Args:
        terms: the replay's terms in evaluation order.
        funs: the plain function of each term.
        keep: ids of terms that must survive (outputs).

    Returns:
        ``{i: (ufunc, args, buffer_term)}``.
    """
    ew = [elementwise(t, f) if t.op is not None else None for t, f in zip(terms, funs)]
    last_use: dict[int, int] = {}
    only_elementwise: dict[int, bool] = {}
    for i, t in enumerate(terms):
        for a in t.args:
            if isinstance(a, Term):
                last_use[id(a)] = i
                ok = ew[i] is not None and any(b is a for b in ew[i][1])
                only_elementwise[id(a)] = only_elementwise.get(id(a), True) and ok
    fresh = {id(t) for t, f, e in zip(terms, funs, ew)
             if (e is not None or t.op is untake) and _array(t) is not None}
    plan: dict[int, tuple[np.ufunc, tuple, Term]] = {}
    for i, (t, e) in enumerate(zip(terms, ew)):
        out = _array(t)
        if e is None or out is None:
            continue
        for a in e[1]:
            if (isinstance(a, Term) and id(a) in fresh and id(a) not in keep
                    and last_use.get(id(a)) == i and only_elementwise.get(id(a))):
                buf = _array(a)
                if buf is not None and buf.shape == out.shape and buf.dtype == out.dtype:
                    plan[i] = (e[0], e[1], a)
                    break
    return plan


def _untake_into(b: Any, consumers: dict[int, int], out: np.ndarray) -> tuple | None:
    """``(g, idx)`` when ``b`` is an ``untake(g, idx, shape)`` of ``out``'s shape read once,
    with a constant basic index (no entry selected twice)."""
    if not (isinstance(b, Term) and b.op is untake and consumers.get(id(b)) == 1):
        return None
    g, idx, shape = b.args
    if isinstance(idx, Term) or isinstance(shape, Term) or tuple(shape) != out.shape:
        return None
    return _basic_add(g, idx, out)


def _basic_add(g: Any, idx: Any, out: np.ndarray) -> tuple | None:
    """``(g, idx)`` when ``out[idx] += g`` is a plain slice add that keeps ``out``'s dtype."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    if isinstance(idx, Term) or any(isinstance(p, (np.ndarray, list)) for p in parts):
        return None
    gv = getval(g.value) if isinstance(g, Term) else g
    if np.result_type(gv, out.dtype) != out.dtype:
        return None
    return g, idx


def plan_scatters(terms: list[Term], funs: list[Any], keep: set[int],
                  taken: set[int]) -> dict[int, tuple[Term, Term, Any, Term]]:
    """``add(buffer, untake(g, idx, shape))`` → ``buffer[idx] += g`` without the zeros, and
    ``scatter_add(buffer, g, idx)`` → ``buffer[idx] += g`` without the copy.

    The backward pass of ``x[1:]`` and ``x[:-1]`` adds scattered cotangents; eager code
    accumulates them into one buffer, and so does this plan: the untake is not run (the
    scatter-add copies nothing), its ``g`` is added into the slice of a dead fresh buffer of
    the same shape and dtype. A scatter-add's entry has no untake (``None``).

    Args:
        terms, funs, keep: as for :func:`plan_buffers`.
        taken: indices already planned by :func:`plan_buffers` (left alone).

    Returns:
        ``{i: (buffer_term, g, idx, untake_term)}``.
    """
    consumers: dict[int, int] = {}
    last_use: dict[int, int] = {}
    for i, t in enumerate(terms):
        for a in dict.fromkeys(a for a in t.args if isinstance(a, Term)):
            consumers[id(a)] = consumers.get(id(a), 0) + 1
            last_use[id(a)] = i
    fresh = {id(t) for t, f in zip(terms, funs)
             if (elementwise(t, f) is not None or t.op in (untake, scatter_add)
                 or getattr(f, "fresh", False)) and _array(t) is not None}
    plan: dict[int, tuple[Term, Term, Any, Term | None]] = {}
    used: set[int] = set()
    for i, (t, f) in enumerate(zip(terms, funs)):
        out = _array(t)

        def dead(buf: Any) -> bool:  # a fresh buffer read only here, at i
            return (isinstance(buf, Term) and id(buf) in fresh and id(buf) not in keep
                    and consumers.get(id(buf)) == 1 and last_use.get(id(buf)) == i  # noqa: B023
                    and id(buf) not in used)

        if i in taken or out is None:
            continue
        if t.op is scatter_add and not t.kwargs and dead(t.args[0]):
            bv, hit = _array(t.args[0]), _basic_add(t.args[1], t.args[2], out)
            if bv is not None and bv.shape == out.shape and bv.dtype == out.dtype and hit:
                plan[i] = (t.args[0], hit[0], hit[1], None)
                used.add(id(t.args[0]))
            continue
        if f is not np.add or t.kwargs or len(t.args) != 2:
            continue
        for buf, other in (t.args, t.args[::-1]):
            if not dead(buf):
                continue
            bv = _array(buf)
            hit = _untake_into(other, consumers, out)
            if bv is not None and bv.shape == out.shape and bv.dtype == out.dtype and hit:
                plan[i] = (buf, hit[0], hit[1], other)
                used.add(id(other))
                break
    return plan
