"""Traces and traced values: the nesting levels and the reverse-mode graph records.

Every transform invocation opens a fresh :class:`Trace` with a strictly larger ``level``. A
traced value belongs to one trace; its ``_value`` may itself be a traced value of an outer
(lower) trace. A primitive applied to values of several traces is handled by the innermost
(highest-level) one, which strips its own boxes and re-applies the primitive to the inner
values, so outer traces see the rule computations. Distinct levels mean no perturbation
confusion: ``grad(lambda x: grad(lambda y: x * y)(1.0))(2.0)`` is ``1``.

:class:`ReverseTrace` records one :class:`Node` per primitive application (primal ``a_i``,
arguments, parents); :class:`ForwardTrace` pushes tangents ``ȧ_i`` forward with the JVP rules.
The graph is a plain data structure, walked with an iterative topological sort, so chains of any
depth work without hitting Python's recursion limit (:mod:`.backward`). The primitives and their
rules live in :mod:`.primitives`, which builds on this module.

References: Liquet et al., *Mathematical Engineering of Deep Learning*, §4.4; Griewank &
Walther, *Evaluating Derivatives* (2008); autograd's ``tracer.py`` (Maclaurin et al.).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from .arraylike import ArrayMethods
from .errors import complex_unsupported, missing_rule

__all__ = [
    "Node",
    "Stub",
    "Trace",
    "ReverseTrace",
    "ForwardTrace",
    "Traced",
    "ReverseTracer",
    "ForwardTracer",
    "getval",
    "constant",
    "shape_of",
    "pack_object_array",
]

_levels = itertools.count(1)


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

    def __init__(self, prim: Any, args: tuple, kwargs: dict, value: Any,
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

    __slots__ = ("level", "complex_prim")

    def __init__(self) -> None:
        self.level = next(_levels)
        # the first primitive whose result was complex (or "input" for a complex input): the
        # backward pass then keeps the cotangents of real values real (see backward_pass)
        self.complex_prim: Any = None

    def saw_complex(self, prim: Any, ans: Any) -> None:
        """Record a complex result ``ans`` of ``prim``; refuse it unless ``prim``'s rules hold
        for complex values."""
        if not prim.complex_ok:
            raise complex_unsupported(prim)
        self.complex_prim = self.complex_prim or prim

    def check_real_inputs(self, prim: Any, vals: list) -> None:
        """Refuse complex arguments of ``prim`` (a real result, e.g. ``var``) unless its rules
        hold for complex values; only checked once the trace has seen a complex value."""
        if any(_is_complex(v) for v in vals):
            raise complex_unsupported(prim)

    def note_input(self, value: Any) -> None:
        """Record a complex input (its cotangents and tangents are complex)."""
        if np.iscomplexobj(getval(value)) and self.complex_prim is None:
            self.complex_prim = "input"


def _is_complex(ans: Any) -> bool:
    """Whether ``ans`` (plain, or traced by an outer trace) holds complex values."""
    while isinstance(ans, Traced):
        ans = ans._value
    return type(ans) in _COMPLEX or (type(ans) is np.ndarray and ans.dtype.kind == "c")


class ReverseTrace(Trace):
    """Records a :class:`Node` per primitive application (tape for reverse mode)."""

    __slots__ = ("keep_values", "tape")

    def __init__(self, keep_values: bool = False) -> None:
        super().__init__()
        self.keep_values = keep_values
        self.tape: list[Node] = []  # nodes in creation order: a topological order

    def new_input(self, value: Any) -> ReverseTracer:
        self.note_input(value)
        return ReverseTracer(value, self, Node(None, (), {}, value, ()))

    def apply(self, prim: Any, args: tuple, kwargs: dict) -> Any:
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
        if type(ans) in _COMPLEX or (type(ans) is np.ndarray and ans.dtype.kind == "c") or (
                nested and _is_complex(ans)):
            self.saw_complex(prim, ans)
        elif self.complex_prim is not None and not prim.complex_ok:
            self.check_real_inputs(prim, vals)
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
        self.note_input(value)
        return ForwardTracer(value, self, tangent)

    def apply(self, prim: Any, args: tuple, kwargs: dict) -> Any:
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
        if type(ans) in _COMPLEX or (type(ans) is np.ndarray and ans.dtype.kind == "c") or (
                nested and _is_complex(ans)):
            self.saw_complex(prim, ans)
        elif self.complex_prim is not None and not prim.complex_ok:
            self.check_real_inputs(prim, vals)
        out = None
        jvps = prim.jvps
        for i, t in tangents:
            rule = jvps.get(i)
            if rule is None:
                raise missing_rule(prim, i, "JVP")
            contrib = rule(t, ans, *vals, **kwargs)
            out = contrib if out is None else out + contrib
        shape = shape_of(ans)
        if shape_of(out) != shape:
            out = np.broadcast_to(out, shape)  # a traced tangent reaches the table's version
        return ForwardTracer(ans, self, out)


_COMPLEX = frozenset({complex, np.complex64, np.complex128, np.clongdouble})


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


def shape_of(x: Any) -> tuple[int, ...]:
    """Shape of a plain or traced value, with fast paths for arrays and floats.

    Args:
        x: an array, a scalar, a :class:`Stub` or a traced value.

    Returns:
        ``np.shape`` of its value.

    Example:
        >>> import numpy as np
        >>> shape_of(np.ones((2, 3))), shape_of(1.0)
        ((2, 3), ())
    """
    t = type(x)
    if t is np.ndarray or t is np.float64 or t is Stub:
        return x.shape
    if t is float or t is int:
        return ()
    while isinstance(x, Traced) and not x._opaque:
        if x._batched:
            return x.shape  # a batched value: the shape of one example
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

    A value batched by :func:`steepest.vmap` stays batched: the result is its batched value
    with the derivative levels below the batch removed.
    """
    while isinstance(x, Traced) and not x._opaque:
        if x._batched:
            return x.without_derivatives()
        x = x._value
    return x


def constant(x: Any) -> Any:
    """``x`` without derivatives, as an array: ``np.asarray(getval(x))``, except that a value
    batched by ``vmap`` stays batched and a value recorded by ``jit`` stays recorded (rules and
    library code use it for masks, signs, weights and indices, so that under ``jit`` the
    constant is part of the replayed graph instead of a number frozen at trace time).

    Example:
        >>> constant(2.0)
        array(2.)
    """
    v = getval(x)
    return v if isinstance(v, Traced) else np.asarray(v)


def pack_object_array(x: Any) -> Any:
    """Turn an object array holding traced scalars (``np.array([t1, t2])``) into one traced
    array; other arguments are returned unchanged."""
    if type(x) is not np.ndarray or x.dtype != object:
        return x
    items = list(x.ravel())
    if not any(isinstance(v, Traced) for v in items):
        return np.array(items, dtype=float).reshape(x.shape)
    return np.stack(items, axis=0).reshape(x.shape)  # traced items: the table's stack
