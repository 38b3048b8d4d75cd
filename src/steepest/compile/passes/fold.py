"""Constant folding: a term whose value the signature already fixes is computed once, at
compile time, by the same NumPy call the replay would make.

Two kinds of term qualify: *shape-only* calls on a term (``ones_like(x)``, ``zeros_like(x)``,
``full_like(x, c)``: the signature fixes ``x``'s shape and dtype, so the result is the one
recorded), and calls all of whose arguments are constants (which appear once a shape-only
call is folded: the backward pass of ``sum`` reshapes and broadcasts a seed of ones). The
folded value is exactly what the replay would have computed — the same function on the same
arguments. A large result is folded only when it costs no memory: a view of a constant
(``broadcast_to``), or an elementwise ``+ - * /`` or negation of one-element constants,
computed on the element and broadcast (these four operations are correctly rounded, so the
element is the same bits in any loop).

Example:
    >>> import numpy as np
    >>> from steepest.compile.terms import Term
    >>> from steepest.compile.rawops import RawOp
    >>> x = Term(None, value=np.zeros(3))
    >>> ones = Term(RawOp(np.ones_like, "ones_like"), (x,), {}, np.ones(3))
    >>> fold_rule(ones, {}).tolist()
    [1.0, 1.0, 1.0]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..terms import Term
from .graph import plain_fun, uniform

__all__ = ["fold_rule", "FOLD_MAX", "SHAPE_ONLY"]

FOLD_MAX = 4096  # elements: a larger folded constant is kept only when it costs no memory
SHAPE_ONLY = frozenset({np.ones_like, np.zeros_like, np.full_like})
_CORRECTLY_ROUNDED = frozenset({np.add, np.subtract, np.multiply, np.true_divide,
                                np.negative})


def _frozen(v: Any) -> Any:
    if type(v) is np.ndarray and v.flags.writeable:
        v = v.view()
        v.flags.writeable = False
    return v


def _shape_only(t: Term, fun: Any) -> Any:
    if fun not in SHAPE_ONLY or not t.args or any(isinstance(a, Term) for a in t.args[1:]):
        return None
    if any(isinstance(v, Term) for v in t.kwargs.values()):
        return None
    v = t.value
    return _frozen(v) if isinstance(v, (np.ndarray, np.generic)) else None


def _broadcast_elementwise(fun: Any, args: tuple, shape: tuple) -> Any:
    """``fun`` of one-element constants on their elements, filled into a fresh contiguous
    array of ``shape`` (the layout the replay would have produced, so any consumer computes
    the same bits; a consumer ``+ - * /`` then reads just the element, see :mod:`.simplify`,
    and the array is dropped with the graph that no longer reads it)."""
    if fun not in _CORRECTLY_ROUNDED:
        return None
    elems = []
    for a in args:
        u = uniform(a)
        if u is None:
            return None
        elems.append(np.asarray(u) if type(a) is np.ndarray else u)
    with np.errstate(all="ignore"):
        one = fun(*elems)
    return _frozen(np.full(shape, one, dtype=np.result_type(one)))


def fold_rule(t: Term, _uses: dict[int, int]) -> Any:
    """The constant value of ``t`` when it can be folded exactly, else ``None``."""
    fun = plain_fun(t)
    if fun is None:
        return None
    shape_only = _shape_only(t, fun)
    if shape_only is not None:
        return shape_only
    if any(isinstance(a, Term) for a in t.args) or any(
            isinstance(v, Term) for v in t.kwargs.values()):
        return None
    try:
        with np.errstate(all="ignore"):
            v = fun(*t.args, **t.kwargs)
    except Exception:  # noqa: BLE001 - an op that cannot run on constants stays a term
        return None
    if not isinstance(v, (np.ndarray, np.generic, int, float, complex)) or type(v) is bool:
        return None
    if type(v) is np.ndarray and v.size > FOLD_MAX and not any(
            type(a) is np.ndarray and np.may_share_memory(v, a) for a in t.args):
        return _broadcast_elementwise(fun, t.args, v.shape) if not t.kwargs else None
    return _frozen(v)
