"""Patterns over terms: what a rewrite recognises, in a few constructors.

A pattern is built from :class:`Op` (a primitive by name, with argument patterns), :class:`Var`
(binds anything; the same name must bind the same term) and :class:`Const` (a constant equal
to a number everywhere). ``add`` and ``multiply`` match their arguments in either order.
:func:`match` returns the bindings, including each ``Op`` bound with ``bind=``.

Example:
    >>> import numpy as np
    >>> from steepest.compile.terms import trace_terms
    >>> t = trace_terms(lambda x: np.log(x + 1), (np.array(0.5),)).outputs[0]
    >>> m = match(Op("log", Op("add", Const(1), Var("x"))), t)
    >>> m["x"].name
    'input'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..autodiff.tracing import getval
from .terms import Term

__all__ = ["Op", "Var", "Const", "match", "emit"]

_COMMUTATIVE = frozenset({"add", "multiply"})


@dataclass(frozen=True)
class Var:
    """Binds any argument (a term or a constant) under ``name``."""

    name: str


@dataclass(frozen=True)
class Const:
    """Matches a constant argument equal to ``value`` in every element."""

    value: float


class Op:
    """Matches a term whose primitive is named ``names`` (one or several) with these args."""

    def __init__(self, names: str | tuple[str, ...], *args: Any, bind: str | None = None) -> None:
        self.names = (names,) if isinstance(names, str) else tuple(names)
        self.args = args
        self.bind = bind


def _match_const(pattern: Const, arg: Any) -> bool:
    if isinstance(arg, Term):
        return False
    v = getval(arg)
    if np.ndim(v) and np.size(v) > 1 and not np.all(v == v.flat[0]):
        return False
    with np.errstate(all="ignore"):
        return bool(np.all(np.asarray(v) == pattern.value))


def _match(pattern: Any, arg: Any, env: dict[str, Any]) -> dict[str, Any] | None:
    if isinstance(pattern, Var):
        bound = env.get(pattern.name)
        if bound is None:
            return {**env, pattern.name: arg}
        return env if bound is arg else None
    if isinstance(pattern, Const):
        return env if _match_const(pattern, arg) else None
    if not isinstance(arg, Term) or arg.op is None or arg.name not in pattern.names:
        return None
    if len(arg.args) != len(pattern.args):
        return None
    orders = [arg.args]
    if arg.name in _COMMUTATIVE and len(arg.args) == 2:
        orders.append(arg.args[::-1])
    for args in orders:
        out: dict[str, Any] | None = env if pattern.bind is None else {**env, pattern.bind: arg}
        for p, a in zip(pattern.args, args):
            out = _match(p, a, out)
            if out is None:
                break
        if out is not None:
            return out
    return None


def match(pattern: Op, term: Term) -> dict[str, Any] | None:
    """Match ``pattern`` at ``term``.

    Args:
        pattern: an :class:`Op` pattern.
        term: the term to match at (its root must be the pattern's root).

    Returns:
        The bindings (name → term or constant), or ``None`` when it does not match.
    """
    return _match(pattern, term, {})


def emit(op: Any, *args: Any, **kwargs: Any) -> Term:
    """A new term ``op(*args, **kwargs)``, its value computed from the arguments' values.

    Args:
        op: a primitive (or a callable with a ``name``).
        *args: terms or constants.
        **kwargs: static keyword arguments.

    Returns:
        The term.
    """
    vals = [a.value if isinstance(a, Term) else a for a in args]
    with np.errstate(all="ignore"):
        value = op(*vals, **kwargs)
    return Term(op, args, kwargs, value)
