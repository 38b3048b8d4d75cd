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

from ..autodiff.rules.shape import untake
from ..autodiff.rules.ufunc import _fast_power
from ..autodiff.tracing import getval
from .terms import Term

__all__ = ["plan_buffers", "elementwise"]

MIN_SIZE = 2048  # elements: below this an allocation is cheap and the plain call faster


def elementwise(t: Term, fun: Any) -> tuple[np.ufunc, tuple] | None:
    """``(ufunc, args)`` when ``t`` is one elementwise ufunc call that takes ``out=``."""
    if t.kwargs:
        return None
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
