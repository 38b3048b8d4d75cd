"""What the graph passes share: the plain function of a term, use counts, uniform constants,
and one rebuild loop that applies a local rule to every term bottom-up.

A recording is a DAG of :class:`~steepest.compile.terms.Term` reached from its *roots* (the
outputs and the guarded terms); a term nothing reachable reads is simply not visited, so every
pass is followed by dead-code elimination for free.

Example:
    >>> import numpy as np
    >>> uniform(np.broadcast_to(np.float64(2.0), (5,))), uniform(np.arange(3.0))
    (np.float64(2.0), None)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..._dispatch import TRACED
from ...autodiff.primitives import Primitive
from ...autodiff.tracing import getval
from ..rawops import RawOp
from ..terms import Term

__all__ = ["order", "plain_fun", "uses", "uniform", "scalar_const", "value", "rebuild", "count",
           "op_for", "Rule", "dtype_of"]

# a rule: (term with rebuilt arguments, use counts) -> replacement (term or constant) or None
Rule = Callable[[Term, dict[int, int]], Any]


def plain_fun(t: Term) -> Any:
    """The NumPy function a plain replay calls for ``t`` (``None`` for an input)."""
    op = t.op
    if op is None:
        return None
    return getattr(op, "fun_plain", None) or getattr(op, "fun", op)


def value(a: Any) -> Any:
    """The value of a term at the traced point, or the constant itself."""
    return getval(a.value) if isinstance(a, Term) else a


def dtype_of(v: Any) -> np.dtype | None:
    """The dtype of an array or number (``None`` for anything else: tuples, lists...)."""
    if isinstance(v, (np.ndarray, np.generic)):
        return v.dtype
    if type(v) in (bool, int, float, complex):
        return np.result_type(v)
    return None


def order(roots: list[Any]) -> list[Term]:
    """The terms reachable from ``roots``, arguments first (as
    :func:`~steepest.compile.terms.postorder`, specialised to terms: the passes walk the
    graph a few times per pass, so this walk is a large part of their cost)."""
    seen: set[int] = set()
    out: list[Term] = []
    stack: list[Any] = [r for r in reversed(roots) if type(r) is Term]
    done = object()
    while stack:
        t = stack.pop()
        if t is done:
            out.append(stack.pop())
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        stack.append(t)
        stack.append(done)
        for a in reversed(t.args):
            if type(a) is Term and id(a) not in seen:
                stack.append(a)
    return out


def uses(roots: list[Any], terms: list[Term] | None = None) -> dict[int, int]:
    """How many terms (and roots) read each term, by ``id`` (``terms``: the :func:`order` of
    ``roots`` when already at hand)."""
    n: dict[int, int] = {}
    for t in order(roots) if terms is None else terms:
        for a in dict.fromkeys(a for a in t.args if isinstance(a, Term)):
            n[id(a)] = n.get(id(a), 0) + 1
    for r in roots:
        if isinstance(r, Term):
            n[id(r)] = n.get(id(r), 0) + 1
    return n


def count(roots: list[Any]) -> int:
    """Number of operations (terms other than inputs) reachable from ``roots``."""
    return sum(t.op is not None for t in order(roots))


def uniform(c: Any) -> Any:
    """The single element of a constant all of whose elements are the same bits (a Python or
    NumPy real scalar, a broadcast view of one element, an array of ones...), as a NumPy
    scalar of the constant's dtype (Python numbers as they are); ``None`` otherwise."""
    if isinstance(c, Term) or type(c) is bool:
        return None
    if type(c) in (int, float):
        return c
    if isinstance(c, np.generic):
        return c if c.dtype.kind in "fiu" else None
    if type(c) is not np.ndarray or not c.size or c.dtype.kind not in "fiu":
        return None
    first = c.reshape(-1)[0]
    if c.size == 1 or all(s == 0 for s, n in zip(c.strides, c.shape) if n > 1):
        return first
    bits = c.view(f"u{c.itemsize}") if c.flags.c_contiguous or c.flags.f_contiguous else None
    if bits is not None and np.all(bits == bits.reshape(-1)[0]):
        return first
    return None


def scalar_const(c: Any) -> bool:
    """Whether ``c`` is a real scalar constant (Python or NumPy number, not bool)."""
    return type(c) in (int, float) or (isinstance(c, np.generic) and c.dtype.kind in "fiu")


def op_for(like: Term, fun: Any) -> Any:
    """An op of the same family as ``like``'s (a primitive or a raw NumPy call) for ``fun``."""
    if type(like.op) is Primitive:
        prim = TRACED.get(fun)
        if type(prim) is Primitive:
            return prim
    return RawOp(fun, fun.__name__)


def rebuild(roots: list[Any], rule: Rule, protect: set[int] | None = None
            ) -> tuple[list[Any], int]:
    """Apply ``rule`` to every term, arguments first, until it declines; returns the new
    roots and the number of replacements.

    A root term (an output or a guarded term) is only replaced by a *new* term: never by a
    constant, an input or another existing term, so a replay never hands the caller a cached
    constant or its own argument where eager code would return a fresh array.
    """
    terms = order(roots)
    counts = uses(roots, terms)
    root_ids = {id(r) for r in roots if isinstance(r, Term)} | (protect or set())
    existing = {id(t) for t in terms}
    memo: dict[int, Any] = {}
    changed = 0
    for t in terms:
        if t.op is None:
            memo[id(t)] = t
            continue
        args = tuple(memo.get(id(a), a) if isinstance(a, Term) else a for a in t.args)
        cur = t if all(a is b for a, b in zip(args, t.args)) else \
            Term(t.op, args, t.kwargs, t.value, t.line)
        for _ in range(16):
            new = rule(cur, counts)
            if new is None or new is cur:
                break
            if id(t) in root_ids and not (isinstance(new, Term) and new.op is not None
                                          and id(new) not in existing):
                break
            changed += 1
            cur = new
            if not isinstance(cur, Term) or cur.op is None:
                break
        memo[id(t)] = cur
        if cur is not t and isinstance(cur, Term):  # keep the use counts roughly current
            was_arg = any(a is cur for a in args)
            counts[id(cur)] = counts.get(id(cur), 0) + counts.get(id(t), 0) - was_arg
    return [memo.get(id(r), r) if isinstance(r, Term) else r for r in roots], changed
