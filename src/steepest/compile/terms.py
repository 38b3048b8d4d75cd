"""Terms: a traced computation as an expression DAG that rewrites can rebuild.

:func:`trace_terms` runs a function once under a value-keeping reverse trace and returns its
outputs as :class:`Term` trees: each term is one primitive application whose arguments are
other terms or constants, with its value at the traced point and the user's source line.
The autodiff :class:`~steepest.autodiff.Node` keeps traced arguments apart from constant ones
(``parents``); a term holds both in one ``args`` tuple, which is what a pattern matches on.

Everything here walks the DAG iteratively, so chains of any length work.

Example:
    >>> import numpy as np
    >>> traced = trace_terms(lambda x: np.log(1 + x), (np.array(0.5),))
    >>> [t.name for t in postorder(traced.outputs)]
    ['input', 'add', 'log']
    >>> float(evaluate(traced, (np.array(1.0),))) == float(np.log(2.0))
    True
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..autodiff.tracing import ReverseTrace, ReverseTracer, getval
from ..tree import tree_flatten, tree_unflatten

__all__ = ["Term", "Traced", "trace_terms", "postorder", "substitute", "evaluate",
           "merge_common"]

_OWN = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_NUMPY = os.path.dirname(os.path.abspath(np.__file__))


@dataclass(eq=False)
class Term:
    """One primitive application (or an input when ``op`` is ``None``).

    Attributes:
        op: the primitive (any callable with a ``name``), ``None`` for an input.
        args: positional arguments: :class:`Term` or constant values.
        kwargs: static keyword arguments.
        value: the value at the traced point.
        line: ``"file:line"`` of the user's code that created it, when known.
    """

    op: Any
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    value: Any = None
    line: str | None = None

    @property
    def name(self) -> str:
        """The primitive's name, ``"input"`` for an input."""
        return "input" if self.op is None else self.op.name

    def __repr__(self) -> str:
        return f"Term({self.name}, shape={np.shape(self.value)})"


@dataclass
class Traced:
    """A traced call: its input terms, output tree (terms or constants) and structure."""

    inputs: list[Term]
    outputs: list[Any]
    treedef: Any


def _user_line() -> str | None:
    """``file:line`` of the innermost frame outside steepest and NumPy."""
    frame = sys._getframe(2)
    while frame is not None:
        path = frame.f_code.co_filename
        if not (path.startswith(_OWN) or path.startswith(_NUMPY)):
            return f"{path}:{frame.f_lineno}"
        frame = frame.f_back
    return None


class _LineTrace(ReverseTrace):
    """A value-keeping reverse trace that also notes the source line of each node."""

    __slots__ = ("lines",)

    def __init__(self) -> None:
        super().__init__(keep_values=True)
        self.lines: dict[Any, str | None] = {}

    def apply(self, prim: Any, args: tuple, kwargs: dict) -> Any:
        out = super().apply(prim, args, kwargs)
        self.lines[out._node] = _user_line()
        return out


def trace_terms(f: Callable[..., Any], args: tuple) -> Traced:
    """Trace ``f(*args)`` at the plain values of ``args`` and return it as terms.

    Args:
        f: a function of arrays (pytrees allowed) written with NumPy.
        args: the arguments; traced ones are traced at their plain values.

    Returns:
        The :class:`Traced` call; inputs follow the flattened order of ``args``.
    """
    leaves, tdef = tree_flatten(args)
    trace = _LineTrace()
    boxes = [trace.new_input(getval(v)) for v in leaves]
    with np.errstate(all="ignore"):  # the naive form may overflow; evaluate() reports it
        out = f(*tree_unflatten(tdef, boxes))
    memo: dict[Any, Term] = {b._node: Term(None, value=b._value) for b in boxes}
    out_leaves, out_def = tree_flatten(out)
    roots = [o._node for o in out_leaves if type(o) is ReverseTracer and o._trace is trace]
    for node in _node_postorder(roots):
        if node not in memo:
            args_ = list(node.args)
            for i, p in node.parents:
                args_[i] = memo[p]
            memo[node] = Term(node.prim, tuple(args_), node.kwargs, node.value,
                              trace.lines.get(node))
    outputs = [memo[o._node] if type(o) is ReverseTracer and o._trace is trace else o
               for o in out_leaves]
    return Traced([memo[b._node] for b in boxes], outputs, out_def)


def _node_postorder(roots: list[Any]) -> list[Any]:
    return _walk(roots, lambda n: [p for _, p in n.parents])


def _walk(roots: Iterable[Any], children: Callable[[Any], list[Any]]) -> list[Any]:
    """Iterative post-order (children before parents), each item once."""
    seen: set[int] = set()
    order: list[Any] = []
    stack: list[tuple[Any, bool]] = [(r, False) for r in reversed(list(roots))]
    while stack:
        item, done = stack.pop()
        if done:
            order.append(item)
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        stack.append((item, True))
        stack.extend((c, False) for c in reversed(children(item)) if id(c) not in seen)
    return order


def postorder(outputs: Iterable[Any]) -> list[Term]:
    """Every term reachable from ``outputs``, arguments before the terms that use them.

    Args:
        outputs: terms or constants (constants are skipped).

    Returns:
        The terms in an evaluation order.
    """
    roots = [o for o in outputs if isinstance(o, Term)]
    return _walk(roots, lambda t: [a for a in t.args if isinstance(a, Term)])


def substitute(outputs: list[Any], old: Term, new: Any) -> list[Any]:
    """Rebuild ``outputs`` with every use of ``old`` replaced by ``new`` (a term or constant).

    Terms that do not depend on ``old`` are kept as they are (same objects).
    """
    memo: dict[int, Any] = {id(old): new}
    for t in postorder(outputs):
        if id(t) in memo:
            continue
        args = tuple(memo.get(id(a), a) if isinstance(a, Term) else a for a in t.args)
        changed = any(a is not b for a, b in zip(args, t.args))
        memo[id(t)] = Term(t.op, args, t.kwargs, t.value, t.line) if changed else t
    return [memo.get(id(o), o) if isinstance(o, Term) else o for o in outputs]


def _key(t: Term) -> tuple | None:
    """A hashable identity for ``t``'s computation, or ``None`` when a constant is unhashable."""
    consts = []
    for a in t.args:
        if isinstance(a, Term):
            consts.append(("term", id(a)))
        elif isinstance(a, (int, float, complex, np.generic)) or (
                type(a) is np.ndarray and a.ndim == 0):
            v = getval(a)
            consts.append(("const", type(v).__name__, repr(v)))
        elif isinstance(a, tuple) and all(type(e) is int for e in a):
            consts.append(("const", "tuple", a))
        else:
            return None
    try:
        kw = tuple(sorted((k, repr(v)) for k, v in t.kwargs.items()))
    except TypeError:
        return None
    return (id(t.op), tuple(consts), kw)


def merge_common(outputs: list[Any]) -> list[Any]:
    """Common-subexpression elimination: one term per (op, arguments, kwargs).

    Two ``np.exp(x)`` calls on the same ``x`` become one term, so a pattern such as
    ``exp(x) / sum(exp(x))`` sees the same ``exp`` twice. Array constants are never merged.
    """
    seen: dict[tuple, Term] = {}
    memo: dict[int, Term] = {}
    for t in postorder(outputs):
        args = tuple(memo.get(id(a), a) if isinstance(a, Term) else a for a in t.args)
        if any(a is not b for a, b in zip(args, t.args)):
            t2 = Term(t.op, args, t.kwargs, t.value, t.line)
        else:
            t2 = t
        key = _key(t2) if t2.op is not None else None
        if key is not None and key in seen:
            t2 = seen[key]
        elif key is not None:
            seen[key] = t2
        memo[id(t)] = t2
    return [memo.get(id(o), o) if isinstance(o, Term) else o for o in outputs]


def evaluate(traced: Traced, args: tuple, outputs: list[Any] | None = None) -> Any:
    """Run the terms on new (possibly traced) arguments of the same structure.

    Args:
        traced: the traced call.
        args: arguments with the structure of the traced ones.
        outputs: output terms to run instead of ``traced.outputs`` (a rewritten form).

    Returns:
        The output, with the traced output structure.
    """
    outs = traced.outputs if outputs is None else outputs
    env: dict[int, Any] = {id(t): v for t, v in zip(traced.inputs, tree_flatten(args)[0])}
    for t in postorder(outs):
        if id(t) not in env:
            vals = [env[id(a)] if isinstance(a, Term) else a for a in t.args]
            env[id(t)] = t.op(*vals, **t.kwargs)
    leaves = [env[id(o)] if isinstance(o, Term) else o for o in outs]
    return tree_unflatten(traced.treedef, leaves)
