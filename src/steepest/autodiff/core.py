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
so chains of any depth work without hitting Python's recursion limit (:mod:`.backward`).

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
    "defsaves",
    "NothingSaved",
    "Stub",
    "Node",
    "Traced",
    "ReverseTracer",
    "ForwardTracer",
    "ReverseTrace",
    "ForwardTrace",
    "getval",
    "MissingRuleError",
]

_levels = itertools.count(1)
_OBJECT = np.dtype(object)


class MissingRuleError(NotImplementedError):
    """Raised when a traced value flows into an operation that has no derivative rule.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 (every elementary operation
        needs its derivative).

    Example:
        >>> from steepest.autodiff import primitive, grad
        >>> double = primitive(lambda x: 2.0 * x)  # no rule registered
        >>> try:
        ...     grad(double)(1.0)
        ... except MissingRuleError:
        ...     print("no VJP rule")
        no VJP rule
    """


class Primitive:
    """A function whose derivatives are given by rules rather than traced through.

    ``vjps[i](g, ans, *args, **kwargs)`` returns the cotangent of positional argument ``i``
    given the output cotangent ``g``; ``jvps[i](t, ans, *args, **kwargs)`` returns the output
    tangent caused by the tangent ``t`` of argument ``i``. Rules must be written with
    differentiable operations so that derivatives nest.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 (the elementary operations
        f_i of the computational graph); Baydin et al., JMLR 18 (2018).

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defvjp, grad
        >>> double = primitive(lambda x: 2.0 * x)
        >>> defvjp(double, lambda g, ans, x: 2.0 * g)
        >>> isinstance(double, Primitive), float(grad(double)(1.0))
        (True, 2.0)
    """

    __slots__ = ("name", "fun", "vjps", "jvps", "saves", "_plans", "__wrapped__")

    def __init__(self, fun: Callable[..., Any], name: str | None = None) -> None:
        self.fun = fun
        self.name = name or getattr(fun, "__name__", repr(fun))
        self.vjps: dict[int, Callable[..., Any]] = {}
        self.jvps: dict[int, Callable[..., Any]] = {}
        # saves[i]: what the VJP rule of argument i reads ("ans" and/or argument numbers);
        # None means "everything". Values no rule reads are not kept in the graph.
        self.saves: dict[int, tuple] | None = None
        self._plans: dict[tuple[int, ...], tuple[bool, tuple[int, ...]]] = {}
        self.__wrapped__ = fun

    def plan(self, traced: tuple[int, ...]) -> tuple[bool, tuple[int, ...]]:
        """For the traced argument numbers: (keep ans?, traced arguments that can be dropped).

        Computed once per pattern of traced arguments, after checking that each has a rule.
        """
        for i in traced:
            if i not in self.vjps:
                raise missing_rule(self, i, "VJP")
        if self.saves is None:
            plan: tuple[bool, tuple[int, ...]] = (True, ())
        else:
            needed: set = set()
            for i in traced:
                needed.update(self.saves.get(i, ("ans", *traced)))
            plan = ("ans" in needed, tuple(i for i in traced if i not in needed))
        self._plans[traced] = plan
        return plan

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        top = None
        level = 0
        for a in args:
            if isinstance(a, Traced):
                lv = a._trace.level
                if lv > level:
                    top, level = a._trace, lv
            elif type(a) is np.ndarray and a.dtype is _OBJECT:
                return self(*[pack_object_array(x) for x in args], **kwargs)
        if top is None:
            return self.fun(*args, **kwargs)
        return top.apply(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<primitive {self.name}>"


def primitive(fun: Callable[..., Any]) -> Primitive:
    """Turn ``fun`` into a :class:`Primitive`; add its rules with :func:`defvjp`/:func:`defjvp`.

    Tracing stops at a primitive: its derivatives come from the rules, one per positional
    argument, ``ā_k = rule(g, ans, *args)`` (VJP) and ``ȧ = Σ_k rule(u̇_k, ans, *args)`` (JVP).
    Write the rules with NumPy functions (they are traced in turn) so that they nest.

    Args:
        fun: a NumPy-level function; keyword arguments are treated as static.

    Returns:
        The primitive, callable like ``fun``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Automatic
        Differentiation"; Baydin et al., "Automatic differentiation in machine learning: a survey",
        JMLR 18 (2018).

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

    Reverse mode propagates the output cotangent ``g = ∂C/∂ans`` to argument ``k`` as
    ``ā_k = rule_k(g, ans, *args) = gᵀ ∂ans/∂a_k`` (the adjoint ζ of the backward pass).

    Args:
        prim: the primitive.
        *rules: one rule per argument, in argument order; ``None`` skips an argument.
        argnums: the argument numbers the rules are for, when not ``0, 1, ...``.

    Returns:
        None; the rules are stored on ``prim`` (a later call replaces a rule).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "Backward Mode
        Automatic Differentiation".

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defvjp, grad
        >>> square = primitive(lambda x: x * x)
        >>> defvjp(square, lambda g, ans, x: 2 * g * x)
        >>> float(grad(square)(3.0))
        6.0
    """
    nums = list(argnums) or list(range(len(rules)))
    for i, rule in zip(nums, rules):
        if rule is not None:
            prim.vjps[i] = rule
    prim.saves = None  # a new rule may read anything: keep every value until defsaves says
    prim._plans = {}


def defjvp(prim: Primitive, *rules: Callable[..., Any] | None, argnums: Iterable[int] = ()) -> None:
    """Register JVP rules ``rule(t, ans, *args, **kwargs)`` for positional arguments.

    Forward mode pushes the argument tangents through as
    ``ȧns = Σ_k rule_k(ȧ_k, ans, *args) = Σ_k (∂ans/∂a_k) ȧ_k``.

    Args:
        prim: the primitive.
        *rules: one rule per argument, in argument order; ``None`` skips an argument.
        argnums: the argument numbers the rules are for, when not ``0, 1, ...``.

    Returns:
        None; the rules are stored on ``prim`` (a later call replaces a rule).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 "The Computational
        Graph and Forward Mode Automatic Differentiation".

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defjvp, jvp
        >>> square = primitive(lambda x: x * x)
        >>> defjvp(square, lambda t, ans, x: 2 * x * t)
        >>> [float(v) for v in jvp(square, (3.0,), (1.0,))]
        [9.0, 6.0]
    """
    nums = list(argnums) or list(range(len(rules)))
    for i, rule in zip(nums, rules):
        if rule is not None:
            prim.jvps[i] = rule


def defsaves(prim: Primitive, *needs: tuple) -> None:
    """Declare which values each argument's VJP rule reads, so the rest can be freed early.

    ``needs[i]`` holds ``"ans"`` and/or argument numbers read by the rule of argument ``i``.
    Traced values that no rule reads are replaced by :class:`Stub` in the graph, so they can
    be freed during the forward pass (the memory of reverse mode is what the backward pass
    must keep, not the whole trace).

    Args:
        prim: the primitive, with its VJP rules already registered by :func:`defvjp`.
        *needs: one tuple per argument, e.g. ``(0,)`` (reads argument 0) or ``("ans",)``.

    Returns:
        None; a later :func:`defvjp` on ``prim`` resets the declaration.

    Reference:
        Griewank & Walther, *Evaluating Derivatives*, 2nd ed. (2008) (the memory of the
        reverse mode); Liquet et al. §4.4.

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import primitive, defvjp, defsaves, grad
        >>> halfsq = primitive(lambda x: 0.5 * x ** 2)
        >>> defvjp(halfsq, lambda g, ans, x: g * x)
        >>> defsaves(halfsq, (0,))  # the rule reads x, never ans
        >>> float(grad(halfsq)(3.0))
        3.0
    """
    prim.saves = dict(enumerate(needs))
    prim._plans = {}


class NothingSaved(dict):
    """``saves`` for rules that read only shapes, for any number of arguments."""

    def get(self, key: Any, default: Any = None) -> tuple:
        return ()


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

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 (nodes a_i of the
        computational graph, Figure 4.7).

    Example:
        >>> import numpy as np
        >>> from steepest.autodiff import trace_graph
        >>> g = trace_graph(lambda x: np.sin(x) * x, np.array([0.5]))
        >>> n = g.nodes[1]
        >>> n.prim.name, [p.prim for _, p in n.parents]  # sin of the input node
        ('sin', [None])
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


class Stub:
    """Stands in a graph node for a value no derivative rule reads: keeps shape and dtype only,
    so large intermediates are freed as soon as the forward pass stops using them."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape: tuple[int, ...], dtype: Any) -> None:
        self.shape, self.dtype = shape, dtype

    @classmethod
    def of(cls, x: Any) -> Any:
        v = getval(x)
        if isinstance(v, np.ndarray) and v.ndim:
            return cls(v.shape, v.dtype)
        return x

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"Stub(shape={self.shape}, dtype={self.dtype})"


class Trace:
    """One level of differentiation; created fresh by each transform invocation."""

    __slots__ = ("level",)

    def __init__(self) -> None:
        self.level = next(_levels)


class ReverseTrace(Trace):
    """Records a :class:`Node` per primitive application (tape for reverse mode)."""

    __slots__ = ("keep_values", "tape")

    def __init__(self, keep_values: bool = False) -> None:
        super().__init__()
        self.keep_values = keep_values
        self.tape: list[Node] = []  # nodes in creation order: a topological order

    def new_input(self, value: Any) -> ReverseTracer:
        return ReverseTracer(value, self, Node(None, (), {}, value, ()))

    def apply(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        vals = list(args)
        parents = []
        traced = ()
        nested = False
        i = 0
        for a in args:
            if type(a) is ReverseTracer and a._trace is self:
                v = vals[i] = a._value
                parents.append((i, a._node))
                traced += (i,)
                if isinstance(v, Traced):
                    nested = True
            elif isinstance(a, Traced):
                nested = True
            i += 1
        ans = prim(*vals, **kwargs) if nested else prim.fun(*vals, **kwargs)
        keep_ans, drop = prim._plans.get(traced) or prim.plan(traced)
        kept = ans
        if not self.keep_values:
            if not keep_ans and type(ans) is np.ndarray:
                kept = Stub(ans.shape, ans.dtype)
            for i in drop:
                v = vals[i]
                if type(v) is np.ndarray:
                    vals[i] = Stub(v.shape, v.dtype)
                elif isinstance(v, Traced):
                    vals[i] = Stub.of(v)
        node = Node(prim, tuple(vals), kwargs, kept, tuple(parents))
        self.tape.append(node)
        return ReverseTracer(ans, self, node)


class ForwardTrace(Trace):
    """Pushes tangents forward with the JVP rules (dual numbers)."""

    __slots__ = ()

    def new_input(self, value: Any, tangent: Any) -> ForwardTracer:
        return ForwardTracer(value, self, tangent)

    def apply(self, prim: Primitive, args: tuple, kwargs: dict) -> Any:
        vals = list(args)
        tangents = []
        nested = False
        for i, a in enumerate(args):
            if type(a) is ForwardTracer and a._trace is self:
                v = vals[i] = a._value
                tangents.append((i, a._tangent))
                nested = nested or isinstance(v, Traced)
            elif isinstance(a, Traced):
                nested = True
        ans = prim(*vals, **kwargs) if nested else prim.fun(*vals, **kwargs)
        out = None
        jvps = prim.jvps
        for i, t in tangents:
            rule = jvps.get(i)
            if rule is None:
                raise missing_rule(prim, i, "JVP")
            contrib = rule(t, ans, *vals, **kwargs)
            out = contrib if out is None else out + contrib
        if _shape(out) != _shape(ans):
            from .ops_shape import broadcast_to

            out = broadcast_to(out, _shape(ans))
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


def _shape(x: Any) -> tuple[int, ...]:
    """Shape of a plain or traced value, with fast paths for arrays and floats."""
    t = type(x)
    if t is np.ndarray or t is np.float64 or t is Stub:
        return x.shape
    if t is float or t is int:
        return ()
    while isinstance(x, Traced):
        x = x._value
    return x.shape if type(x) is np.ndarray else np.shape(x)


def getval(x: Any) -> Any:
    """Strip every level of tracing from ``x`` and return the plain NumPy value.

    getval(x) = x as a value; the result carries no derivative (as :func:`stop_gradient`, for one
    value).

    Args:
        x: a traced value (at any nesting depth) or a plain value.

    Returns:
        The underlying value; a plain ``x`` is returned as is. Unlike
        :func:`stop_gradient` it does not walk pytrees.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4 (the primal values of
        the computational graph).

    Example:
        >>> from steepest.autodiff import getval, grad
        >>> seen = []
        >>> float(grad(lambda x: seen.append(getval(x)) or x * x)(3.0)), seen
        (6.0, [3.0])
    """
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
