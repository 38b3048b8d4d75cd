"""The tracing core: primitives, traces, traced values and the computational graph.

A *primitive* is a NumPy-level function with a VJP rule and a JVP rule for each of its
positional arguments. Calling a primitive on a traced value records one :class:`Node` of the
computational graph (reverse mode) or pushes a tangent forward (forward mode), exactly as in
the seed's §4.4: primals ``a_i``, tangents ``ȧ_i``, adjoints ``ā_i``.

Nesting. Every transform invocation opens a fresh :class:`Trace` with a strictly larger
``level``. A traced value belongs to one trace; its ``_value`` may itself be a traced value of
an outer (lower) trace. A primitive applied to values of several traces is handled by the
innermost (highest-level) one, which strips its own boxes and re-applies the primitive to the
inner values, so outer traces see the rule computations. Distinct levels mean no perturbation
confusion: ``grad(lambda x: grad(lambda y: x * y)(1.0))(2.0)`` is ``1``.

The reverse-mode graph is a plain data structure (:class:`Node`: primitive, argument values,
keyword arguments, output value, parent nodes). It is walked with an iterative topological sort,
so chains of any depth work without hitting Python's recursion limit.

References: Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4; Griewank &
Walther, *Evaluating Derivatives* (2008); autograd's ``core.py`` (Maclaurin et al.).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .arraylike import ArrayMethods

__all__ = [
    "Primitive",
    "primitive",
    "defvjp",
    "defjvp",
    "Node",
    "Traced",
    "ReverseTracer",
    "ForwardTracer",
    "ReverseTrace",
    "ForwardTrace",
    "getval",
    "toposort",
    "backward_pass",
    "MissingRuleError",
]

_levels = itertools.count(1)


class MissingRuleError(NotImplementedError):
    """Raised when a traced value flows into an operation that has no derivative rule."""


class Primitive:
    """A function whose derivatives are given by rules rather than traced through.

    ``vjps[i](g, ans, *args, **kwargs)`` returns the cotangent of positional argument ``i``
    given the output cotangent ``g``; ``jvps[i](t, ans, *args, **kwargs)`` returns the output
    tangent caused by the tangent ``t`` of argument ``i``. Rules must be written with
    differentiable operations so that derivatives nest.
    """

    __slots__ = ("name", "fun", "vjps", "jvps", "__wrapped__")

    def __init__(self, fun: Callable[..., Any], name: str | None = None) -> None:
        self.fun = fun
        self.name = name or getattr(fun, "__name__", repr(fun))
        self.vjps: dict[int, Callable[..., Any]] = {}
        self.jvps: dict[int, Callable[..., Any]] = {}
        self.__wrapped__ = fun

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        top = None
        level = 0
        for a in args:
            if isinstance(a, Traced):
                lv = a._trace.level
                if lv > level:
                    top, level = a._trace, lv
            elif type(a) is np.ndarray and a.dtype == object:
                return self(*[pack_object_array(x) for x in args], **kwargs)
        if top is None:
            return self.fun(*args, **kwargs)
        return top.apply(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def primitive(fun: Callable[..., Any]) -> Primitive:
    """Turn ``fun`` into a :class:`Primitive`; add its rules with :func:`defvjp`/:func:`defjvp`.

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defvjp, defjvp, grad
        >>> @primitive
        ... def cube(x):
        ...     return x ** 3
        >>> defvjp(cube, lambda g, ans, x: g * 3 * x ** 2)
        >>> defjvp(cube, lambda t, ans, x: t * 3 * x ** 2)
        >>> float(grad(cube)(2.0))
        12.0
    """
    return Primitive(fun)


def defvjp(prim: Primitive, *rules: Callable[..., Any] | None, argnums: Iterable[int] = ()) -> None:
    """Register VJP rules ``rule(g, ans, *args, **kwargs)`` for positional arguments.

    Rules are given in argument order (``argnums`` overrides); ``None`` skips an argument.
    """
    nums = list(argnums) or list(range(len(rules)))
    for i, rule in zip(nums, rules):
        if rule is not None:
            prim.vjps[i] = rule


def defjvp(prim: Primitive, *rules: Callable[..., Any] | None, argnums: Iterable[int] = ()) -> None:
    """Register JVP rules ``rule(t, ans, *args, **kwargs)`` for positional arguments."""
    nums = list(argnums) or list(range(len(rules)))
    for i, rule in zip(nums, rules):
        if rule is not None:
            prim.jvps[i] = rule


def missing_rule(prim: Primitive, i: int, kind: str) -> MissingRuleError:
    """The error for a primitive without a ``kind`` ('VJP'/'JVP') rule for argument ``i``."""
    fn = "defvjp" if kind == "VJP" else "defjvp"
    var = "g" if kind == "VJP" else "t"
    return MissingRuleError(
        f"{prim.name} has no {kind} rule for positional argument {i}, so it cannot be "
        f"differentiated in that argument. Add one with steepest.autodiff.{fn}("
        f"<primitive>, ..., argnums=[{i}]) where the rule is lambda {var}, ans, *args: ..., "
        "or wrap the computation in stop_gradient(...) if no derivative is wanted."
    )


class Node:
    """One primitive application in the reverse-mode graph (a plain, inspectable record).

    Attributes:
        prim: the :class:`Primitive` applied, or ``None`` for an input (leaf) node.
        args: the positional argument values (own-trace boxes removed).
        kwargs: static keyword arguments.
        value: the output value (the primal ``a_i``).
        parents: ``((argnum, parent_node), ...)`` for the arguments traced by this trace.
    """

    __slots__ = ("prim", "args", "kwargs", "value", "parents", "__weakref__")

    def __init__(self, prim: Primitive | None, args: tuple, kwargs: dict, value: Any,
                 parents: tuple) -> None:
        self.prim = prim
        self.args = args
        self.kwargs = kwargs
        self.value = value
        self.parents = parents

    def __repr__(self) -> str:
        name = "input" if self.prim is None else self.prim.name
        return f"Node({name}, shape={np.shape(getval(self.value))})"


class Trace:
    """One level of differentiation; created fresh by each transform invocation."""

    __slots__ = ("level",)

    def __init__(self) -> None:
        self.level = next(_levels)


class ReverseTrace(Trace):
    """Records a :class:`Node` per primitive application (tape for reverse mode)."""

    __slots__ = ()

    def new_input(self, value: Any) -> ReverseTracer:
        return ReverseTracer(value, self, Node(None, (), {}, value, ()))

    def apply(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        vals = list(args)
        parents = []
        for i, a in enumerate(args):
            if isinstance(a, ReverseTracer) and a._trace is self:
                vals[i] = a._value
                parents.append((i, a._node))
        ans = prim(*vals, **kwargs)
        vjps = prim.vjps
        for i, _ in parents:
            if i not in vjps:
                raise missing_rule(prim, i, "VJP")
        node = Node(prim, tuple(vals), kwargs, ans, tuple(parents))
        return ReverseTracer(ans, self, node)


class ForwardTrace(Trace):
    """Pushes tangents forward with the JVP rules (dual numbers)."""

    __slots__ = ()

    def new_input(self, value: Any, tangent: Any) -> ForwardTracer:
        return ForwardTracer(value, self, tangent)

    def apply(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        vals = list(args)
        tangents = []
        for i, a in enumerate(args):
            if isinstance(a, ForwardTracer) and a._trace is self:
                vals[i] = a._value
                tangents.append((i, a._tangent))
        ans = prim(*vals, **kwargs)
        out = None
        jvps = prim.jvps
        for i, t in tangents:
            rule = jvps.get(i)
            if rule is None:
                raise missing_rule(prim, i, "JVP")
            contrib = rule(t, ans, *vals, **kwargs)
            out = contrib if out is None else out + contrib
        shape = np.shape(ans) if not isinstance(ans, Traced) else ans.shape
        if (out.shape if isinstance(out, Traced) else np.shape(out)) != shape:
            from .ops_shape import broadcast_to

            out = broadcast_to(out, shape)
        return ForwardTracer(ans, self, out)


class Traced(ArrayMethods):
    """Base of traced values; the NumPy-facing behaviour comes from :mod:`.arraylike`."""

    __slots__ = ("_value", "_trace")
    __steepest_traced__ = True


class ReverseTracer(Traced):
    """A value traced for reverse mode: carries its graph node."""

    __slots__ = ("_node",)

    def __init__(self, value: Any, trace: ReverseTrace, node: Node) -> None:
        self._value = value
        self._trace = trace
        self._node = node


class ForwardTracer(Traced):
    """A value traced for forward mode: carries its tangent."""

    __slots__ = ("_tangent",)

    def __init__(self, value: Any, trace: ForwardTrace, tangent: Any) -> None:
        self._value = value
        self._trace = trace
        self._tangent = tangent


def getval(x: Any) -> Any:
    """Strip every level of tracing from ``x`` and return the plain NumPy value."""
    while isinstance(x, Traced):
        x = x._value
    return x


def pack_object_array(x: Any) -> Any:
    """Turn an object array holding traced scalars (``np.array([t1, t2])``) into one traced
    array; other arguments are returned unchanged."""
    if type(x) is not np.ndarray or x.dtype != object:
        return x
    from .ops_shape import stack

    items = list(x.ravel())
    if not any(isinstance(v, Traced) for v in items):
        return np.array(items, dtype=float).reshape(x.shape)
    return stack(items, axis=0).reshape(x.shape)


def toposort(roots: Iterable[Node]) -> list[Node]:
    """Nodes reachable from ``roots``, each after all of its consumers (iterative, Kahn)."""
    roots = list(roots)
    child_count: dict[Node, int] = {}
    stack = list(roots)
    seen = set(roots)
    while stack:
        node = stack.pop()
        for _, p in node.parents:
            if p in child_count:
                child_count[p] += 1
            else:
                child_count[p] = 1
            if p not in seen:
                seen.add(p)
                stack.append(p)
    order = []
    ready = [r for r in dict.fromkeys(roots) if r not in child_count]
    while ready:
        node = ready.pop()
        order.append(node)
        for _, p in node.parents:
            c = child_count[p] - 1
            child_count[p] = c
            if c == 0:
                ready.append(p)
    return order


def backward_pass(seeds: list[tuple[Node, Any]]) -> dict[Node, Any]:
    """Propagate cotangents from ``(node, cotangent)`` seeds to every reachable node.

    Returns:
        The accumulated cotangent (adjoint ``ā_i``) of every reached node; leaf (input) nodes
        keep theirs, intermediate entries are dropped once used to save memory.
    """
    grads: dict[Node, Any] = {}
    for node, g in seeds:
        grads[node] = g if node not in grads else grads[node] + g
    for node in toposort(n for n, _ in seeds):
        prim = node.prim
        if prim is None:
            continue
        g = grads.pop(node, None)
        if g is None:
            continue
        vjps = prim.vjps
        args, kwargs, ans = node.args, node.kwargs, node.value
        for i, parent in node.parents:
            contrib = vjps[i](g, ans, *args, **kwargs)
            prev = grads.get(parent)
            grads[parent] = contrib if prev is None else prev + contrib
    return grads
