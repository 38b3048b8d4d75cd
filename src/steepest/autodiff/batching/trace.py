"""The batch trace: values carrying a batch axis, and the dispatch of primitives to batching rules.

:func:`steepest.vmap` opens a :class:`BatchTrace` (a nesting level like those of ``grad`` and
``jvp``) and wraps each mapped input in a :class:`BatchTracer` whose value holds the batch along
axis 0. The function sees one example: ``shape``, ``ndim``, ``len`` and the shapes read by the
derivative rules (:func:`~steepest.autodiff.tracing.shape_of`) are those of one example. A
primitive applied to a batched value is handed to its *batching rule*
(``RULES[prim](prim, values, batched, size, **kwargs)``, in :mod:`.rules` and
:mod:`.products`), which computes all examples at once, usually by calling the primitive itself
on the batched values with the batch axis at the front and ``axis`` arguments shifted by one. A
primitive without a rule is run once per example and the results stacked (correct, slower);
:data:`LOOPED` records which ones were.

Functions without a derivative (comparisons, ``sign``, ``argmax`` ...) run batched too: ufuncs
elementwise on the batched values, shape queries on one example, anything else per example
(:func:`call_nondifferentiable`).

Reference: the batching interpreter of JAX (``jax.vmap``; Bradbury et al., 2018) and
``torch.func.vmap``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..arraylike import BatchHooks, static
from ..rules.broadcast import reshape
from ..rules.shape import transpose
from ..tracing import Trace, Traced, getval, shape_of

__all__ = ["BatchTrace", "BatchTracer", "RULES", "LOOPED", "call_nondifferentiable",
           "lift", "moveaxis", "example_ndim", "loop"]

RULES: dict[Any, Callable[..., Any]] = {}
LOOPED: set[str] = set()  # names of the primitives that fell back to the per-example loop


class BatchTrace(Trace):
    """One ``vmap`` level: ``size`` examples, batched values carry them along axis 0."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def apply(self, prim: Any, args: tuple, kwargs: dict) -> Any:
        vals: list = []
        bat: list = []  # True, False, or per item for a tuple argument holding batched items
        for a in args:
            if type(a) is BatchTracer and a._trace is self:
                vals.append(a._value)
                bat.append(True)
            elif type(a) is tuple and any(type(e) is BatchTracer and e._trace is self
                                          for e in a):
                own = tuple(type(e) is BatchTracer and e._trace is self for e in a)
                vals.append(tuple(e._value if m else e for e, m in zip(a, own)))
                bat.append(own)
            else:
                vals.append(a)
                bat.append(False)
        rule = RULES.get(prim)
        if rule is None:
            out = loop(prim, vals, bat, self.size, **kwargs)
        else:
            out = rule(prim, vals, bat, self.size, **kwargs)
        return BatchTracer(out, self)


class BatchTracer(Traced):
    """A value batched by ``vmap``: ``_value`` holds all examples along axis 0; everything else
    (``shape``, ``ndim``, ``dtype``, comparisons) describes one example."""

    __slots__ = ()
    _batched = True

    def __init__(self, value: Any, trace: BatchTrace) -> None:
        self._value = value
        self._trace = trace

    @property
    def shape(self) -> tuple[int, ...]:
        return shape_of(self._value)[1:]

    @property
    def dtype(self) -> np.dtype:
        v = self._value
        while isinstance(v, Traced):
            if v._batched:
                return v.dtype
            v = v._value
        return np.result_type(v)

    def without_derivatives(self) -> BatchTracer:
        """The same batch with the derivative levels below it removed."""
        v = self._value
        if not isinstance(v, Traced):
            return self
        return BatchTracer(getval(v), self._trace)

    def __bool__(self) -> bool:
        flags = {bool(v) for v in _examples(getval(self))}
        if len(flags) == 1:
            return flags.pop()  # the same branch for every example: Python control flow works
        raise TypeError(
            "vmap: the truth value of a batched value differs between examples, so Python "
            "control flow (if/while on it) cannot follow one branch; use np.where(cond, a, b)")

    def __int__(self) -> int:
        values = {int(v) for v in _examples(getval(self))}
        if len(values) == 1:
            return values.pop()  # the same integer for every example
        raise TypeError("vmap: int() of a batched value that differs between examples; keep "
                        "it an array (np.where, indexing) instead of a Python int")

    __index__ = __int__

    def __repr__(self) -> str:
        return f"BatchTracer({self._value!r}, size={self._trace.size}, level={self._trace.level})"


def _examples(x: BatchTracer) -> list[Any]:
    v = x._value
    return [v[b] for b in range(x._trace.size)]


def _comparison(ufunc: Any) -> Callable[[Any, Any], Any]:
    def method(self: Any, o: Any) -> Any:
        return call_nondifferentiable(ufunc, static((self, o)), {})

    return method


for _name, _ufunc in (("lt", np.less), ("le", np.less_equal), ("gt", np.greater),
                      ("ge", np.greater_equal), ("eq", np.equal), ("ne", np.not_equal)):
    setattr(BatchTracer, f"__{_name}__", _comparison(_ufunc))
for _name, _ufunc in (("and", np.bitwise_and), ("or", np.bitwise_or), ("xor", np.bitwise_xor)):
    setattr(BatchTracer, f"__{_name}__", _comparison(_ufunc))
    setattr(BatchTracer, f"__r{_name}__", lambda self, o, u=_ufunc: call_nondifferentiable(
        u, static((o, self)), {}))
BatchTracer.__invert__ = lambda self: call_nondifferentiable(  # type: ignore[attr-defined]
    np.invert, (getval(self),), {})
BatchTracer.__hash__ = object.__hash__  # type: ignore[method-assign]


# ---- helpers for the rules -----------------------------------------------------------------
def example_ndim(v: Any, batched: bool) -> int:
    """The number of axes of one example of ``v`` (the batch axis not counted)."""
    return len(shape_of(v)) - 1 if batched else len(shape_of(v))


def lift(v: Any, nd: int) -> Any:
    """Insert unit axes after the batch axis so one example has ``nd`` axes (broadcasting
    against unbatched operands then lines up on the example's axes)."""
    shape = shape_of(v)
    k = len(shape) - 1
    if k >= nd:
        return v
    return reshape(v, shape[:1] + (1,) * (nd - k) + shape[1:])


def moveaxis(v: Any, src: int, dst: int) -> Any:
    """``np.moveaxis(v, src, dst)`` for plain or traced ``v`` (a transpose)."""
    nd = len(shape_of(v))
    src, dst = src % nd, dst % nd
    if src == dst:
        return v
    order = [i for i in range(nd) if i != src]
    order.insert(dst, src)
    return transpose(v, tuple(order))


def _take(v: Any, b: int, batched: Any) -> Any:
    """Example ``b`` of an argument (of the batched items, for a tuple)."""
    if batched is True:
        return v[b]
    if batched:
        return tuple(e[b] if m else e for e, m in zip(v, batched))
    return v


def _stack(outs: list[Any]) -> Any:
    if any(isinstance(o, Traced) for o in outs):
        return np.stack(outs)  # the traced stack (through __array_function__)
    return np.stack([np.asarray(o) for o in outs])


def loop(prim: Any, vals: list, bat: list, size: int, **kwargs: Any) -> Any:
    """The fallback: ``prim`` once per example, results stacked along a new axis 0."""
    LOOPED.add(getattr(prim, "name", getattr(prim, "__name__", repr(prim))))
    outs = [prim(*[_take(v, b, m) for v, m in zip(vals, bat)], **kwargs) for b in range(size)]
    return _stack(outs)


# ---- functions without a derivative --------------------------------------------------------
# Their result depends on the shape or dtype only: computed on one example, not batched.
SHAPE_ONLY = frozenset({np.shape, np.ndim, np.size, np.result_type, np.ones_like,
                        np.zeros_like, np.empty_like, np.iscomplexobj, np.isrealobj,
                        np.min_scalar_type, np.can_cast})


def _batch_of(args: tuple, kwargs: dict) -> BatchTrace:
    """The innermost batch trace among the (plain, possibly batched) arguments."""
    found: list[BatchTrace] = []

    def visit(x: Any) -> None:
        if isinstance(x, BatchTracer):
            found.append(x._trace)
        elif isinstance(x, (list, tuple)):
            for v in x:
                visit(v)
        elif isinstance(x, dict):
            for v in x.values():
                visit(v)

    visit(args)
    visit(kwargs)
    return max(found, key=lambda t: t.level)


def _replace(x: Any, trace: BatchTrace, pick: Callable[[Any], Any]) -> Any:
    if isinstance(x, BatchTracer) and x._trace is trace:
        return pick(x._value)
    if isinstance(x, (list, tuple)) and not hasattr(x, "_fields"):
        return type(x)(_replace(v, trace, pick) for v in x)
    if isinstance(x, dict):
        return {k: _replace(v, trace, pick) for k, v in x.items()}
    return x


def call_nondifferentiable(fn: Any, args: tuple, kwargs: dict) -> Any:
    """Run a function without a derivative on arguments holding batched values.

    Ufuncs run once on the batched values (elementwise, examples lined up by :func:`lift`);
    shape and dtype queries run on the first example; anything else once per example.
    """
    trace = _batch_of(args, kwargs)
    if fn in SHAPE_ONLY:
        return fn(*_replace(args, trace, lambda v: v[0]),
                  **_replace(kwargs, trace, lambda v: v[0]))
    if isinstance(fn, np.ufunc) and not kwargs and all(
            not isinstance(a, (list, tuple, dict)) for a in args):
        bat = [isinstance(a, BatchTracer) and a._trace is trace for a in args]
        nd = max(example_ndim(a._value if m else a, m) for a, m in zip(args, bat))
        vals = [lift(a._value, nd) if m else a for a, m in zip(args, bat)]
        return BatchTracer(fn(*vals), trace)
    outs = [fn(*_replace(args, trace, lambda v, b=b: v[b]),
               **_replace(kwargs, trace, lambda v, b=b: v[b])) for b in range(trace.size)]
    if isinstance(outs[0], tuple) and all(len(o) == len(outs[0]) for o in outs):
        return tuple(BatchTracer(_stack(list(parts)), trace) for parts in zip(*outs))
    return BatchTracer(_stack(outs), trace)


BatchHooks.call = staticmethod(call_nondifferentiable)
