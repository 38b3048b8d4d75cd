"""Common-subexpression elimination with a complete key: one term per (operation, arguments,
keyword arguments), where arguments may also be slices, index tuples, ``None``, strings,
dtypes and small constant arrays (compared by dtype, shape and bytes).

:func:`steepest.compile.terms.merge_common` (which the rewrite table relies on) merges terms
whose constants are numbers or int tuples; the backward pass of ``x[1:]``/``x[:-1]`` indexes
with slices, so ``x[:-1]`` read by the forward and by the backward pass stayed two terms.

Example:
    >>> import numpy as np
    >>> from steepest.compile.terms import Term, postorder
    >>> from steepest.compile.rawops import RawOp
    >>> import operator
    >>> x = Term(None, value=np.arange(4.0))
    >>> get = RawOp(operator.getitem, "getitem")
    >>> a, b = (Term(get, (x, slice(None, -1)), {}, x.value[:-1]) for _ in range(2))
    >>> out = cse([a, b])
    >>> out[0] is out[1]
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..rawops import RawOp
from ..terms import Term
from .graph import order

__all__ = ["cse", "const_key"]

_SMALL = 64  # elements: larger constant arrays are never compared


def const_key(a: Any) -> Any:
    """A hashable key equal for two constants exactly when they are the same value (same
    type, and for floats the same bits); ``None`` when ``a`` cannot be keyed."""
    if a is None or a is Ellipsis or type(a) in (bool, str):
        return (type(a).__name__, a)
    if type(a) in (int, float, complex):
        return (type(a).__name__, repr(a))
    if isinstance(a, np.generic):
        return ("np", a.dtype.str, a.tobytes())
    if type(a) is np.ndarray and a.size <= _SMALL and a.dtype != object:
        return ("arr", a.dtype.str, a.shape, a.tobytes())
    if isinstance(a, np.dtype):
        return ("dtype", a.str)
    if type(a) is slice:
        parts = tuple(const_key(p) for p in (a.start, a.stop, a.step))
        return None if None in parts else ("slice", parts)
    if type(a) in (tuple, list):
        parts = tuple(const_key(p) for p in a)
        return None if None in parts else (type(a).__name__, parts)
    return None


def _key(t: Term) -> tuple | None:
    parts = []
    for a in t.args:
        k = ("term", id(a)) if isinstance(a, Term) else const_key(a)
        if k is None:
            return None
        parts.append(k)
    kw = []
    for name, v in sorted(t.kwargs.items()):
        k = ("term", id(v)) if isinstance(v, Term) else const_key(v)
        if k is None:
            return None
        kw.append((name, k))
    op = ("raw", id(t.op.fun)) if type(t.op) is RawOp else id(t.op)
    return (op, tuple(parts), tuple(kw))


def cse(roots: list[Any]) -> list[Any]:
    """``roots`` with every repeated computation computed once.

    Args:
        roots: output and guarded terms (constants pass through).

    Returns:
        The new roots.
    """
    seen: dict[tuple, Term] = {}
    memo: dict[int, Term] = {}
    for t in order(roots):
        args = tuple(memo.get(id(a), a) if isinstance(a, Term) else a for a in t.args)
        t2 = t if all(a is b for a, b in zip(args, t.args)) else \
            Term(t.op, args, t.kwargs, t.value, t.line)
        key = _key(t2) if t2.op is not None else None
        if key is not None:
            t2 = seen.setdefault(key, t2)
        memo[id(t)] = t2
    return [memo.get(id(r), r) if isinstance(r, Term) else r for r in roots]
