"""Scalar lowering: a tiny float64 recording replayed on Python floats, bit for bit.

On a 2-D Rosenbrock gradient every NumPy call of a replay works on a 0-d value or an array
of two, and the ~0.4 µs NumPy spends dispatching each call is all of the time. This module
compiles such a recording a second way: every element of every value is a Python float (or
bool), each elementwise operation one Python statement per element, and the outputs are
built once at the end (``np.array([...])``).

The results are NumPy's, to the last bit, because only operations that are correctly rounded
in both are lowered to Python arithmetic — ``+ − × ÷`` (IEEE 754 basic operations), negation
and ``abs`` (sign-bit operations), ``x ** 2`` as ``x * x`` (what NumPy's ``square`` computes)
and ``sqrt`` (correctly rounded by IEEE 754, ``math.sqrt`` and NumPy both use the hardware
instruction) — comparisons are exact in both. Any other ufunc (``exp``, ``log``, ``sin``,
...) is called as NumPy's own ufunc, on 0-d values only, so it runs the very loop eager code
runs. Indexing, ``reshape``, ``concatenate``, ``untake`` (the backward of indexing) and
``np.array([...])`` of scalars only move elements: they are applied at compile time to an
object array of element names, which gives NumPy's own layout semantics.

Lowered only when every value of the recording is float64 (or bool) with at most
:data:`MAX_ELEMENTS` elements, every constant is a float64 or an integer exactly
representable as one, and every operation is in the tables below; otherwise
:func:`lower_scalars` returns ``None`` and the NumPy replay is used. float32 and complex
values are never lowered (their rounding is not a Python float's).

Where Python and NumPy differ is the exceptional cases: Python raises on ``x / 0`` and on
``sqrt`` of a negative number, NumPy returns ``inf``/``nan`` with a warning. The lowered
replay therefore falls back to the NumPy replay (same values, NumPy's warnings) when Python
raises, or when any output is not finite (so ``nan`` payloads and NumPy's overflow and
invalid warnings are NumPy's). An intermediate overflow whose output is still finite is the
one case where the NumPy replay would warn and the lowered one does not.

Reference: IEEE Std 754-2019, §5.4 (the correctly rounded operations) and §5.5 (negate,
abs); NumPy's ``square`` loop is ``in * in`` (``numpy/_core/src/umath/loops_arithm_fp``).

Example:
    >>> import numpy as np
    >>> from steepest.compile.recording import record
    >>> from steepest.compile.replay import compile_program
    >>> rec = record(lambda x: 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2,
    ...              (np.array([-1.2, 1.0]),))
    >>> prog = compile_program(rec)
    >>> prog.lowered, bool(prog.plain(np.array([0.5, 2.0]))[0] == 100 * (2.0 - 0.25) ** 2 + 0.25)
    (True, True)
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autodiff.rules.shape import _concat, _is_scatter_safe, scatter_add, untake
from ..autodiff.rules.ufunc import _fast_power
from ..autodiff.tracing import getval
from .rawops import ObjectArray
from .recording import Recording
from .terms import Term

__all__ = ["MAX_ELEMENTS", "lower_scalars"]

MAX_ELEMENTS = 16  # elements of the largest value a lowered recording may hold
_MAX_STATEMENTS = 2000  # bound on the generated code (compile time)
_EXACT_INT = 2 ** 53

_ARITHMETIC = {np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/"}
_COMPARE = {np.greater: ">", np.less: "<", np.greater_equal: ">=", np.less_equal: "<=",
            np.equal: "==", np.not_equal: "!="}
_UNARY = {np.negative: "-{}", np.absolute: "abs({})", np.square: "{0} * {0}",
          np.sqrt: "sqrt({})"}
# element moves: applied at compile time to an object array of element names
_MOVES = {operator.getitem, np.reshape, np.transpose, np.squeeze, np.expand_dims,
          np.broadcast_to, np.ravel, _concat}
_FILLS = {np.ones_like: "1.0", np.zeros_like: "0.0"}


class _NotLowerable(Exception):
    """The recording holds something the scalar lowering does not handle."""


def _cells(a: np.ndarray) -> np.ndarray:
    """An object array (any shape, 0-d included) of the element names ``a`` holds."""
    if isinstance(a, np.ndarray):
        return a
    out = np.empty((), dtype=object)
    out[()] = a
    return out


class _Lowering:
    """The generated source of one recording's scalar replay."""

    def __init__(self, rec: Recording, terms: list[Term]) -> None:
        self.rec, self.terms = rec, terms
        self.cells: dict[int, np.ndarray] = {}
        self.lines: list[tuple[str, str | None, list[str]]] = []  # (code, defines, uses)
        self.consts: dict[str, Any] = {}
        self.count = 0

    # -- values and constants ------------------------------------------------------------

    @staticmethod
    def _kind(value: Any) -> str:
        """``"f"`` (float64) or ``"b"`` (bool) for a value the lowering holds, else raise."""
        v = getval(value)
        if type(v) is np.ndarray:
            if v.size == 0 or v.size > MAX_ELEMENTS:
                raise _NotLowerable
            dt = v.dtype
        elif type(v) in (np.float64, np.bool_):
            dt = v.dtype
        elif type(v) is float:  # a Python float input
            return "f"
        else:
            raise _NotLowerable
        if dt == np.float64:
            return "f"
        if dt == np.bool_:
            return "b"
        raise _NotLowerable

    def _literal(self, c: Any) -> str:
        """Source of a constant scalar as a Python float."""
        if type(c) is int or isinstance(c, np.integer) and not isinstance(c, np.bool_):
            if abs(int(c)) > _EXACT_INT:
                raise _NotLowerable
            c = float(c)
        elif type(c) not in (float, np.float64):
            raise _NotLowerable
        c = float(c)
        if math.isfinite(c):
            return repr(c)
        name = f"k{len(self.consts)}"
        self.consts[name] = c
        return name

    def _operand(self, a: Any) -> np.ndarray:
        """The element cells of an argument (a term or a constant)."""
        if isinstance(a, Term):
            return self.cells[id(a)]
        if type(a) is np.ndarray:
            if a.dtype != np.float64 or a.size > MAX_ELEMENTS:
                raise _NotLowerable
            out = np.empty(a.shape, dtype=object)
            for i, v in np.ndenumerate(a):
                out[i] = self._literal(v)
            return out
        return _cells(self._literal(a))

    def _emit(self, expr: str, uses: list[str]) -> str:
        name = f"t{self.count}"
        self.count += 1
        if self.count > _MAX_STATEMENTS:
            raise _NotLowerable
        self.lines.append((f"        {name} = {expr}", name, uses))
        return name

    def _elementwise(self, fmt: Callable[..., str], args: tuple,
                     fold: Callable[..., str | None] | None = None) -> np.ndarray:
        parts = np.broadcast_arrays(*[self._operand(a) for a in args])
        out = np.empty(parts[0].shape, dtype=object)
        for i in np.ndindex(out.shape):
            cells = [p[i] for p in parts]
            out[i] = (fold and fold(*cells)) or self._emit(fmt(*cells), cells)
        return out

    # -- one term ------------------------------------------------------------------------

    def _float_args(self, args: tuple) -> None:
        for a in args:
            if isinstance(a, Term) and self._kind(a.value) != "f":
                raise _NotLowerable

    def _lower(self, t: Term) -> np.ndarray:
        op, args, kwargs = t.op, t.args, t.kwargs
        fun = getattr(op, "fun_plain", None) or getattr(op, "fun", op)
        if op is untake:
            g, idx, shape = args
            if isinstance(idx, Term) or isinstance(shape, Term) or not _is_scatter_safe(idx):
                raise _NotLowerable
            self._float_args((g,))
            out, cells = np.full(shape, "0.0", dtype=object), self._operand(g)
            if isinstance(out[idx], np.ndarray):
                out[idx] = cells
            elif cells.shape == ():  # one element: the name, not a 0-d array holding it
                out[idx] = cells[()]
            else:
                raise _NotLowerable
            return out
        if op is scatter_add:
            return self._scatter_add(*args)
        if kwargs and fun is not _concat:
            raise _NotLowerable
        if fun in _MOVES:
            moved = [self._operand(a) if isinstance(a, Term) or i == 0 or fun is _concat
                     else a for i, a in enumerate(args)]
            if any(isinstance(a, Term) for a in args[1:]) and fun is not _concat:
                raise _NotLowerable
            if fun is operator.getitem and _has_array(args[1]):
                raise _NotLowerable
            return _cells(fun(*moved, **kwargs))
        if isinstance(op, ObjectArray):
            self._float_args(args)
            items = [self._operand(a) for a in args]
            if any(c.shape != () for c in items):
                raise _NotLowerable
            out = np.empty(len(items), dtype=object)
            out[:] = [c[()] for c in items]
            return out.reshape(op.shape)
        if fun in _FILLS and len(args) == 1:
            return np.full(np.shape(getval(t.value)), _FILLS[fun], dtype=object)
        if fun is _fast_power and len(args) == 2 and not isinstance(args[1], Term) \
                and type(args[1]) in (int, float) and args[1] in (2, 0.5):
            fun, args = (np.square if args[1] == 2 else np.sqrt), args[:1]
        self._float_args(args)
        if fun in _ARITHMETIC and len(args) == 2:
            sym = _ARITHMETIC[fun]
            return self._elementwise(lambda a, b: f"{a} {sym} {b}", args,
                                     lambda a, b: _fold(sym, a, b))
        if fun in _COMPARE and len(args) == 2:
            sym = _COMPARE[fun]
            return self._elementwise(lambda a, b: f"{a} {sym} {b}", args)
        if fun in _UNARY and len(args) == 1:
            neg = (lambda a: repr(-float(a)) if _is_literal(a) else None) \
                if fun is np.negative else None
            return self._elementwise(_UNARY[fun].format, args, neg)
        return self._ufunc(t, fun, args)

    def _scatter_add(self, acc: Any, g: Any, idx: Any) -> np.ndarray:
        """``acc`` with ``g`` added at ``idx``: the other cells keep ``acc``'s names (no
        ``+ 0.0``, as eager ``acc[idx] += g`` leaves them alone)."""
        if isinstance(idx, Term) or not _is_scatter_safe(idx):
            raise _NotLowerable
        self._float_args((acc, g))
        out = self._operand(acc).copy()
        sub, cells = _cells(out[idx]), self._operand(g)
        if np.broadcast_shapes(cells.shape, sub.shape) != sub.shape:
            raise _NotLowerable
        cells = np.broadcast_to(cells, sub.shape)
        new = np.empty(sub.shape, dtype=object)
        for i in np.ndindex(sub.shape):
            a, b = sub[i], cells[i]
            new[i] = _fold("+", a, b) or self._emit(f"{a} + {b}", [a, b])
        out[idx] = new if new.shape else new[()]
        return out

    def _ufunc(self, t: Term, fun: Any, args: tuple) -> np.ndarray:
        """Any other ufunc: NumPy's own, called on 0-d values (the loop eager code runs)."""
        if not isinstance(fun, np.ufunc) or fun.nout != 1 or len(args) != fun.nin or any(
                np.ndim(getval(a.value if isinstance(a, Term) else a)) for a in args):
            raise _NotLowerable
        name = f"u{len(self.consts)}"
        self.consts[name] = fun
        conv = "float" if self._kind(t.value) == "f" else "bool"
        return self._elementwise(
            lambda *a: f"{conv}({name}({', '.join(a)}))", args)

    # -- the function --------------------------------------------------------------------

    def _materialize(self, t: Term) -> str:
        """Source building the value ``t`` holds in eager code (type, dtype and shape)."""
        cells = self.cells[id(t)]
        v = getval(t.value)
        if type(v) is float:
            return f"float({cells[()]})"
        if type(v) is not np.ndarray:
            return f"{'f64' if v.dtype == np.float64 else 'b_'}({cells[()]})"
        if v.ndim == 0:
            return f"array({cells[()]})"
        flat = "[" + ", ".join(cells.ravel().tolist()) + "]"
        return f"array({flat})" if v.ndim == 1 else f"array({flat}).reshape({v.shape})"

    def _guards(self, t: Term, given: str | None = None) -> None:
        """Guard checks on ``t``: a 0-d value is passed as the Python scalar (every guard
        conversion gives the same Python value on it as on the NumPy scalar)."""
        for j, g in enumerate(self.rec.guards):
            if g.term is t:
                cells = self.cells[id(t)]
                value = given or (cells[()] if cells.shape == () else self._materialize(t))
                self.consts[f"g{j}"] = g
                self.lines.append((f"        if not g{j}.holds({value}): fail(g{j})", None,
                                   cells.ravel().tolist()))

    def source(self) -> str:
        params = [f"a{k}" for k in range(len(self.rec.inputs))]
        for p, t in zip(params, self.rec.inputs):
            v = getval(t.value)
            if self._kind(v) != "f":
                raise _NotLowerable
            names = np.empty(np.shape(v), dtype=object)
            for i in np.ndindex(names.shape):
                names[i] = f"e{p[1:]}_{'_'.join(map(str, i))}"
            self.cells[id(t)] = names
            target = _pattern(names) if names.ndim else names[()]
            self.lines.append((f"        {target} = {p}.tolist()" if type(v) is np.ndarray
                               else f"        {target} = float({p})", None, []))
            self._guards(t, p)
        for t in self.terms:
            self._kind(t.value)
            cells = self._lower(t)
            if cells.shape != np.shape(getval(t.value)):
                raise _NotLowerable
            self.cells[id(t)] = cells
            self._guards(t)
        outs, finite, used = [], [], set()
        inputs = {id(t): p for p, t in zip(params, self.rec.inputs)}
        for o in self.rec.outputs:
            if not isinstance(o, Term):
                name = f"k{len(self.consts)}"
                self.consts[name] = o
                outs.append(name)
            elif id(o) in inputs:
                outs.append(inputs[id(o)])
            else:
                outs.append(self._materialize(o))
                used.update(self.cells[id(o)].ravel().tolist())
                if self._kind(o.value) == "f":
                    finite += self.cells[id(o)].ravel().tolist()
        call = ", ".join(params)
        head = [f"def replay({call}):", "    try:"]
        tail = [f"    except ERRORS:\n        return fallback({call})"]
        if finite:
            tail.append(f"    if not isfinite({' + '.join(finite)}):\n"
                        f"        return fallback({call})")
        tail.append(f"    return [{', '.join(outs)}]")
        return "\n".join(head + _live(self.lines, used) + tail)


def _is_literal(cell: str) -> bool:
    """Whether an element cell is a float literal (names start with a letter)."""
    return not cell[0].isalpha()


def _fold(sym: str, a: str, b: str) -> str | None:
    """``a sym b`` when it needs no code: both literals (Python's IEEE arithmetic at compile
    time is the same operation), or an exact identity (``x * 1``, ``x / 1``, ``x − 0``;
    not ``x + 0``, which turns −0 into +0)."""
    if _is_literal(a) and _is_literal(b):
        try:
            v = {"+": operator.add, "-": operator.sub, "*": operator.mul,
                 "/": operator.truediv}[sym](float(a), float(b))
        except ZeroDivisionError:
            return None
        return repr(v) if math.isfinite(v) else None
    if sym == "*" and a == "1.0":
        return b
    if sym in "*/" and b == "1.0" or sym == "-" and b == "0.0":
        return a
    return None


def _live(lines: list[tuple[str, str | None, list[str]]], used: set[str]) -> list[str]:
    """The code of the lines the outputs and guards need (assignments are pure)."""
    keep = []
    for code, defines, uses in reversed(lines):
        if defines is None or defines in used:
            keep.append(code)
            used.update(uses)
    return keep[::-1]


def _pattern(names: np.ndarray) -> str:
    """An unpacking target matching ``ndarray.tolist()`` of an array shaped like ``names``."""
    if names.ndim == 1:
        return "(" + ", ".join(names.tolist()) + ",)"
    return "(" + ", ".join(_pattern(n) for n in names) + ",)"


def _has_array(idx: Any) -> bool:
    """Whether an index holds an array or a list (fancy indexing: left to NumPy)."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    return any(isinstance(p, (np.ndarray, list)) for p in parts)


def lower_scalars(rec: Recording, terms: list[Term], fallback: Callable[..., list],
                  fail: Callable[[Any], None]) -> Callable[..., list] | None:
    """The scalar replay of ``rec`` (plain inputs), or ``None`` when it cannot be lowered.

    Args:
        rec: the recording (after rewriting).
        terms: its terms in evaluation order, inputs left out.
        fallback: the NumPy replay, called when Python arithmetic raises (``x / 0``) or an
            output is not finite, so that exceptional values and warnings are NumPy's.
        fail: called with a guard that does not hold (raises the replay's ``GuardFailed``).

    Returns:
        ``replay(*inputs)`` → output leaves, bit-identical to ``fallback``'s, or ``None``.
    """
    low = _Lowering(rec, terms)
    try:
        src = low.source()
    except _NotLowerable:
        return None
    namespace = dict(low.consts, fallback=fallback, fail=fail, isfinite=math.isfinite,
                     sqrt=math.sqrt, array=np.array, f64=np.float64, b_=np.bool_,
                     ERRORS=(ZeroDivisionError, ValueError, OverflowError))
    exec(compile(src, "<steepest.jit scalar replay>", "exec"), namespace)  # noqa: S102
    fun = namespace["replay"]
    fun.source = src
    return fun


