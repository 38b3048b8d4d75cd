"""Recording a call for ``jit``: every operation on the arguments becomes a term, every
conversion of a recorded value to a Python value becomes a guard.

:class:`JitTrace` is a trace level like the differentiation traces: a primitive applied to a
:class:`Recorded` value is handed to it, and it records one :class:`~.terms.Term` (the
primitive, its arguments, its value, the user's source line). A recorded value is *opaque*:
``getval`` and the NumPy-facing helpers of :mod:`steepest.autodiff` stop stripping tracing
at it, so value-dependent code of the library and of the user (``x > 0``, ``np.sign(x)``,
``np.where(mask, ...)``) is recorded too, as a term of the plain NumPy function, instead of a
number frozen at trace time. What cannot be recorded — ``bool(x)``, ``float(x)``,
``int(x)``, ``x.item()``, an index — returns the value and records a
:class:`Guard` with the source line; a replay re-checks the guards.

Example:
    >>> import numpy as np
    >>> def f(x):
    ...     return np.sin(x) if x > 0 else np.cos(x)
    >>> rec = record(f, (np.array(1.0),))
    >>> [t.name for t in rec.program_terms()], [g.kind for g in rec.guards]
    (['input', 'sin', 'greater'], ['bool'])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._dispatch import TRACED
from ..autodiff.arraylike import NonDifferentiable
from ..autodiff.errors import traced_error
from ..autodiff.primitives import Primitive
from ..autodiff.tracing import Trace, Traced, getval
from ..tree import tree_flatten, tree_unflatten
from .guards import CONVERT, Guard, JitError
from .rawops import PACKS, Item, ObjectArray, RawOp
from .terms import Term, _user_line, postorder

__all__ = ["JitTrace", "Recorded", "Recording", "record"]

# functions of shapes and dtypes only: the signature fixes them, they return plain values
_SHAPE_ONLY = frozenset({np.shape, np.ndim, np.size, np.result_type, np.iscomplexobj,
                         np.isrealobj, np.broadcast_shapes, np.min_scalar_type})
_ACTIVE: set = set()  # array functions being expanded on recorded values (re-entry: raw)


class JitTrace(Trace):
    """The recording level of ``jit`` (one per trace of one signature)."""

    __slots__ = ("guards", "inputs", "constants", "expand", "batch", "batch_read", "recorded")

    def __init__(self, expand: bool = True, batch: int | None = None) -> None:
        super().__init__()
        self.batch = batch  # the leading length under dynamic="batch"
        self.batch_read = False  # whether f read it (then the recording is per batch size)
        # expand: NumPy calls on recorded values go through steepest's differentiable
        # implementations (primitive terms, which the rewrites match); otherwise they are
        # recorded as the NumPy calls themselves, so a plain replay is what eager code runs
        self.expand = expand
        self.guards: list[Guard] = []
        self.inputs: list[Term] = []
        self.constants: list[tuple[np.ndarray, np.ndarray, str | None]] = []
        self.recorded = 0  # operations recorded (the graph passes report what they removed)

    def new_input(self, value: Any) -> Recorded:
        term = Term(None, value=value)
        self.inputs.append(term)
        return Recorded(value, self, term)

    def _arg(self, a: Any, line: str | None) -> tuple[Any, Any]:
        """(plain value, term argument) of one argument."""
        if type(a) is Recorded:
            if a._trace is self:
                return a._value, a._term
            raise _foreign(line)
        if isinstance(a, Traced):
            raise _foreign(line)
        if type(a) in (tuple, list) and any(isinstance(v, Traced) for v in a):
            pairs = [self._arg(v, line) for v in a]
            vals = type(a)(v for v, _ in pairs)
            return vals, Term(PACKS[type(a)], tuple(t for _, t in pairs), {}, vals, line)
        if type(a) is np.ndarray and a.dtype == object and any(
                isinstance(v, Traced) for v in a.flat):
            pairs = [self._arg(v, line) for v in a.flat]
            op = ObjectArray(a.shape)
            vals = op(*[v for v, _ in pairs])
            return vals, Term(op, tuple(t for _, t in pairs), {}, vals, line)
        if type(a) is np.ndarray and a.size:
            self.constants.append((a, a.copy(), line))
        return a, a

    def record(self, op: Any, fun: Callable[..., Any], args: tuple, kwargs: dict) -> Recorded:
        """Run ``fun`` on the plain values and record ``op`` applied to ``args``."""
        line = _user_line()
        pairs = [self._arg(a, line) for a in args]
        kw = {}
        for k, v in kwargs.items():
            if isinstance(v, Traced) or (type(v) in (tuple, list)
                                         and any(isinstance(e, Traced) for e in v)):
                v = self.guard(v, "index" if not isinstance(v, (tuple, list)) else "tolist",
                               line)
            kw[k] = v
        ans = fun(*[v for v, _ in pairs], **kw)
        self.recorded += 1
        out = Recorded(ans, self, Term(op, tuple(t for _, t in pairs), kw, ans, line))
        if isinstance(ans, tuple):  # (q, r), (sign, logdet), a namedtuple of results
            items = [Recorded(v, self, Term(Item(i), (out._term,), {}, v, line))
                     for i, v in enumerate(ans)]
            return type(ans)(*items) if hasattr(ans, "_fields") else tuple(items)
        return out

    def apply(self, prim: Any, args: tuple, kwargs: dict) -> Any:
        return self.record(prim, prim.fun, args, kwargs)

    def raw(self, fun: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        name = getattr(fun, "__name__", None) or repr(fun)
        return self.record(RawOp(fun, name), fun, args, kwargs)

    def guard(self, x: Any, kind: str, line: str | None = None) -> Any:
        """The Python value of ``x`` by ``kind``; records a guard when ``x`` is recorded."""
        if type(x) in (tuple, list):
            return type(x)(self.guard(v, "index", line) for v in x)
        if type(x) is not Recorded:
            return x
        if x._trace is not self:
            raise _foreign(line)
        value = CONVERT[kind](x._value)
        self.guards.append(Guard(x._term, kind, value, line or _user_line()))
        return value


def _foreign(line: str | None) -> JitError:
    return JitError(
        f"{line or 'f'}: the jitted function uses a value traced by another transform that is "
        "not one of its arguments (a closure over a grad/jvp variable, or a value kept from "
        "an earlier call). Fix: pass the value as an argument of the jitted function.")


def _top(values: Any) -> Any:
    """The trace of the innermost traced value in ``values`` (lists and tuples searched)."""
    top, level = None, 0
    for a in values:
        if type(a) in (tuple, list):
            t = _top(a)
            if t is not None and t.level > level:
                top, level = t, t.level
        elif isinstance(a, Traced) and a._trace.level > level:
            top, level = a._trace, a._trace.level
    return top


def _plainify(x: Any) -> Any:
    if type(x) is Recorded:
        return x._value
    if type(x) in (tuple, list):
        return type(x)(_plainify(v) for v in x)
    return x


class Recorded(Traced):
    """A value recorded by :class:`JitTrace`: carries its term. Opaque to ``getval``."""

    __slots__ = ("_term",)
    _opaque = True

    def __init__(self, value: Any, trace: JitTrace, term: Term) -> None:
        self._value = value
        self._trace = trace
        self._term = term

    # ---- protocols ---------------------------------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        out = kwargs.pop("out", None)
        if out is not None:
            return self._inplace(ufunc, method, inputs, kwargs, out)
        top = _top(inputs)
        if top is not self._trace:
            return NotImplemented  # a value of an inner transform: its trace goes first
        impl = TRACED.get(ufunc)
        kwargs.pop("out", None)
        if method == "__call__" and type(impl) is Primitive and not kwargs and \
                self._trace.expand:
            return impl(*inputs)
        fun = ufunc if method == "__call__" else getattr(ufunc, method)
        return self._trace.raw(fun, inputs, kwargs)

    def _inplace(self, ufunc: Any, method: str, inputs: tuple, kwargs: dict, out: Any) -> Any:
        """``ufunc(..., out=box)`` on a recorded box: the box now holds the new term (the old
        value stays with the terms that read it), as writing into an array would."""
        box = out[0] if type(out) is tuple and len(out) == 1 else out
        if type(box) is not Recorded or box._trace is not self._trace:
            raise traced_error("out=...", "in-place")
        new = self.__array_ufunc__(ufunc, method, *inputs, **kwargs)
        if type(new) is not Recorded:
            raise traced_error("out=...", "in-place")
        box._value, box._term = new._value, new._term
        return box

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if func in _SHAPE_ONLY:
            return func(*_plainify(args), **_plainify(kwargs))
        top = _top(list(args) + list(kwargs.values()))
        if top is not self._trace:
            return NotImplemented
        impl = TRACED.get(func)
        if not self._trace.expand:
            return self._trace.raw(func, args, kwargs)
        if type(impl) is Primitive:
            return impl(*args, **kwargs)
        if impl is None or type(impl) is NonDifferentiable or func in _ACTIVE \
                or not callable(impl) or type(impl).__name__ == "Unsupported":
            return self._trace.raw(func, args, kwargs)
        _ACTIVE.add(func)
        try:
            return impl(*args, **kwargs)
        finally:
            _ACTIVE.discard(func)

    # ---- properties fixed by the signature -----------------------------------------------
    def _lead(self) -> None:
        """Note a read of the leading length (``dynamic="batch"`` must not hide it)."""
        b = self._trace.batch
        if b is not None and np.ndim(self._value) and np.shape(self._value)[0] == b:
            self._trace.batch_read = True

    @property
    def shape(self) -> tuple[int, ...]:
        self._lead()
        return np.shape(self._value)

    @property
    def ndim(self) -> int:
        return np.ndim(self._value)

    @property
    def size(self) -> int:
        self._lead()
        return int(np.size(self._value))

    @property
    def dtype(self) -> np.dtype:
        return np.result_type(self._value)

    def __len__(self) -> int:
        self._lead()
        return len(self._value)

    # ---- recorded without a derivative ---------------------------------------------------
    def _raw(self, fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._trace.raw(fun, args, kwargs)

    def __lt__(self, o: Any) -> Any:
        return self._raw(np.less, self, o)

    def __le__(self, o: Any) -> Any:
        return self._raw(np.less_equal, self, o)

    def __gt__(self, o: Any) -> Any:
        return self._raw(np.greater, self, o)

    def __ge__(self, o: Any) -> Any:
        return self._raw(np.greater_equal, self, o)

    def __eq__(self, o: Any) -> Any:  # type: ignore[override]
        return self._raw(np.equal, self, o)

    def __ne__(self, o: Any) -> Any:  # type: ignore[override]
        return self._raw(np.not_equal, self, o)

    __hash__ = object.__hash__

    def __floordiv__(self, o: Any) -> Any:
        return self._raw(np.floor_divide, self, o)

    def __rfloordiv__(self, o: Any) -> Any:
        return self._raw(np.floor_divide, o, self)

    def __invert__(self) -> Any:
        return self._raw(np.invert, self)

    def __and__(self, o: Any) -> Any:
        return self._raw(np.bitwise_and, self, o)

    def __rand__(self, o: Any) -> Any:
        return self._raw(np.bitwise_and, o, self)

    def __or__(self, o: Any) -> Any:
        return self._raw(np.bitwise_or, self, o)

    def __ror__(self, o: Any) -> Any:
        return self._raw(np.bitwise_or, o, self)

    def __xor__(self, o: Any) -> Any:
        return self._raw(np.bitwise_xor, self, o)

    def argmax(self, axis: Any = None) -> Any:
        return self._raw(np.argmax, self, axis=axis)

    def argmin(self, axis: Any = None) -> Any:
        return self._raw(np.argmin, self, axis=axis)

    def argsort(self, axis: int = -1) -> Any:
        return self._raw(np.argsort, self, axis=axis)

    def all(self, axis: Any = None) -> Any:
        return self._raw(np.all, self, axis=axis)

    def any(self, axis: Any = None) -> Any:
        return self._raw(np.any, self, axis=axis)

    def nonzero(self) -> Any:
        return np.nonzero(self._trace.guard(self, "array"))

    # ---- conversions: guards -------------------------------------------------------------
    def __bool__(self) -> bool:
        return self._trace.guard(self, "bool")

    def __float__(self) -> float:
        return self._trace.guard(self, "float")

    def __int__(self) -> int:
        return self._trace.guard(self, "int")

    def __index__(self) -> int:
        return self._trace.guard(self, "index")

    def __complex__(self) -> complex:
        return self._trace.guard(self, "complex")

    def item(self, *args: Any) -> Any:
        if args:
            return self[args if len(args) > 1 else args[0]].item()
        return self._trace.guard(self, "item")

    def tolist(self) -> Any:
        return self._trace.guard(self, "tolist")

    def __repr__(self) -> str:
        return f"Recorded({self._value!r})"


@dataclass
class Recording:
    """One traced call: input terms, outputs (terms or constants), guards, applied rewrites."""

    inputs: list[Term]
    outputs: list[Any]
    treedef: Any
    guards: list[Guard]
    rewrites: list[Any] = field(default_factory=list)
    batch_read: bool = False
    recorded: int = 0
    passes: Any = None  # the compile.passes.PassReport, once the passes ran

    def program_terms(self) -> list[Term]:
        """Every term a replay runs, arguments first (outputs and guarded terms)."""
        return postorder(self.outputs + [g.term for g in self.guards])


def _captured_arrays(f: Any) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, array, copy) of the arrays ``f`` reads from its closure and globals."""
    code = getattr(f, "__code__", None)
    if code is None:
        return []
    found = []
    for name, cell in zip(code.co_freevars, getattr(f, "__closure__", None) or ()):
        try:
            v = cell.cell_contents
        except ValueError:
            continue
        if type(v) is np.ndarray:
            found.append((name, v, v.copy()))
    glob = getattr(f, "__globals__", {})
    for name in code.co_names:
        v = glob.get(name)
        if type(v) is np.ndarray:
            found.append((name, v, v.copy()))
    return found


def _mutation_error(what: str, line: str | None) -> JitError:
    return JitError(
        f"{line or 'f'}: the jitted function changed {what} (a global or closure array "
        "written in place). A replay does not run Python, so the write would happen only "
        "at the first call. Fix: pass the array as an argument and return its new value, "
        "or call the function without jit.")


def record(f: Callable[..., Any], leaves: tuple, build: Callable[[list], Any] | None = None,
           expand: bool = True, owner: Any = None, batch: int | None = None) -> Recording:
    """Run ``f`` once on recorded inputs.

    Args:
        f: the function.
        leaves: the plain values of the traced inputs, in order (with ``build`` ``None``,
            the positional arguments themselves).
        expand: record NumPy calls as steepest's primitives (for rewriting) rather than as
            the NumPy calls themselves.
        build: ``build(boxes)`` → the argument tuple of ``f`` from the recorded inputs.
        owner: the user's function whose closure and globals are checked for writes
            (``f`` when ``None``).
        batch: the leading length to watch for reads (``dynamic="batch"``).

    Returns:
        The :class:`Recording`.

    Raises:
        JitError: ``f`` wrote into an array it captured, or used a value of another trace.
    """
    trace = JitTrace(expand, batch)
    boxes = [trace.new_input(getval(v)) for v in leaves]
    args = tuple(boxes) if build is None else build(boxes)
    captured = _captured_arrays(f if owner is None else owner)
    with np.errstate(all="ignore"):  # the replay runs the (rewritten) graph and warns
        out = f(*args)
    code = getattr(owner or f, "__code__", None)
    where = f"{code.co_filename}:{code.co_firstlineno}" if code is not None else None
    for name, arr, copy in captured:
        if not np.array_equal(arr, copy, equal_nan=True):
            raise _mutation_error(f"the array {name!r} it captured", where)
    for arr, copy, line in trace.constants:
        if not (arr.shape == copy.shape and np.array_equal(arr, copy, equal_nan=True)):
            raise _mutation_error("an array it captured", line)
    out_leaves, out_def = tree_flatten(out)
    outputs = []
    for o in out_leaves:
        if type(o) is np.ndarray and o.dtype == object:
            v, t = trace._arg(o, None)
            o = Recorded(v, trace, t) if isinstance(t, Term) else o
        if type(o) is Recorded and o._trace is trace:
            outputs.append(o._term)
        elif isinstance(o, Traced):
            raise _foreign(None)
        else:
            outputs.append(o)
    return Recording(trace.inputs, outputs, out_def, trace.guards, batch_read=trace.batch_read,
                     recorded=trace.recorded)


def unflatten_outputs(rec: Recording, leaves: list) -> Any:
    """The output tree of ``rec`` from its output leaves."""
    return tree_unflatten(rec.treedef, leaves)
