"""Replaying a recording: the terms as one generated Python function, guards checked inline.

:func:`compile_program` turns the terms of a :class:`~.recording.Recording` into the source
of a straight-line Python function (one assignment per term, in evaluation order) and
compiles it. There are two versions: ``plain`` calls each primitive's NumPy implementation
directly (the arguments are plain arrays, nothing is differentiated), ``traced`` calls the
primitives themselves, so an enclosing ``grad``/``jvp``/``hessian`` records the replay as it
records eager code. A guard whose value differs raises :class:`GuardFailed` at the term that
produced it; variables that are no longer needed are deleted, so their buffers are freed as
soon as possible, and elementwise results are written into dead buffers (:mod:`.memory`).

Example:
    >>> import numpy as np
    >>> from steepest.compile.recording import record
    >>> rec = record(lambda x: np.sin(x) * 2.0, (np.array(1.0),))
    >>> prog = compile_program(rec)
    >>> float(prog.plain(np.array(0.5))[0]) == float(np.sin(0.5) * 2.0)
    True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..autodiff.rules.shape import _is_scatter_safe, untake
from ..autodiff.tracing import getval
from .fusion import backend, fuse_terms, latest
from .guards import Guard
from .memory import plan_buffers, plan_scatters
from .recording import Recording
from .scalars import lower_scalars
from .terms import Term, postorder

__all__ = ["GuardFailed", "Program", "compile_program"]


class GuardFailed(Exception):
    """A replay met a value that converts differently from the traced one."""

    def __init__(self, guard: Guard) -> None:
        super().__init__(guard.line)
        self.guard = guard


@dataclass
class Program:
    """A compiled recording.

    Attributes:
        plain: ``plain(*inputs)`` → output leaves, for plain (untraced) inputs.
        traced: ``traced(*inputs)`` → output leaves, for inputs traced by a transform.
        source: the generated source of the plain version (for reading).
        size: number of operations.
        kernels: number of fused kernels in the plain version (``fuse=True``).
        lowered: whether ``plain`` is the scalar lowering (:mod:`.scalars`).
    """

    plain: Callable[..., list]
    traced: Callable[..., list]
    source: str
    size: int
    kernels: int = 0
    lowered: bool = False


def _fail(guard: Guard) -> None:
    raise GuardFailed(guard)


# plain replay of a binary ufunc on arrays/NumPy scalars: the operator (same ufunc, same
# bits, without the ufunc-call overhead that dominates on small values)
_OPERATORS = {np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/"}
_FILL = {np.ones_like: np.ones, np.zeros_like: np.zeros}


def _untake_plain(t: Term) -> Callable[..., Any] | None:
    """``untake(g, idx, shape)`` specialised to its constant index and shape."""
    g, idx, shape = t.args
    if isinstance(idx, Term) or isinstance(shape, Term) or not _is_scatter_safe(idx):
        return None
    dtype = np.result_type(getval(g.value if isinstance(g, Term) else g), float)
    if type(idx) is slice and idx.step in (None, 1) and len(shape):
        start, stop, _ = idx.indices(shape[0])
        stop = max(start, stop)

        def untake_slice(g: Any, _i: Any, _s: Any) -> np.ndarray:
            # the zeros written only where g is not (x[1:], x[:-1]): one pass, not two
            out = np.empty(shape, dtype=dtype)
            out[idx] = g
            out[:start] = 0
            out[stop:] = 0
            return out

        return untake_slice

    def untake(g: Any, _i: Any, _s: Any) -> np.ndarray:
        out = np.zeros(shape, dtype=dtype)
        out[idx] = g
        return out

    return untake


def _plain_fun(t: Term) -> Any:
    """The function the plain replay calls for ``t``."""
    op = t.op
    if op is untake:
        fast = _untake_plain(t)
        if fast is not None:
            return fast
    fun = getattr(op, "fun_plain", None) or getattr(op, "fun", op)
    fill = _FILL.get(fun)
    if fill is not None and len(t.args) == 1 and not t.kwargs:  # shape-only: a fresh copy
        v = getval(t.value)
        if type(v) is np.ndarray:
            shape, dtype = v.shape, v.dtype
            return lambda x: fill(shape, dtype)
    return fun


def _source(rec: Recording, terms: list[Term], names: dict[int, str],
            consts: dict[str, Any], traced: bool, fuse: bool | str = False) -> str:
    """The generated function body."""
    keep = {id(o) for o in rec.outputs if isinstance(o, Term)}
    funs = [t.op if traced or t.op is None else _plain_fun(t) for t in terms]
    outputs, guard_terms = rec.outputs, [g.term for g in rec.guards]
    kind = backend(fuse) if not traced else None
    if kind is not None:
        terms, funs, new = fuse_terms(terms, funs, keep | {id(t) for t in guard_terms}, kind)
        names.update((id(t), f"k{i}") for i, t in enumerate(terms) if id(t) not in names)
        outputs = [latest(o, new) for o in outputs]
        guard_terms = [latest(t, new) for t in guard_terms]
        keep = {id(o) for o in outputs if isinstance(o, Term)}
    scatter = {} if traced else plan_scatters(terms, funs, keep, set())
    plan = {} if traced else {i: p for i, p in plan_buffers(terms, funs, keep).items()
                              if i not in scatter}
    skipped = {id(u) for _, _, _, u in scatter.values() if u is not None}
    position = {id(t): i for i, t in enumerate(terms)}
    last_use: dict[int, int] = {}
    for i, t in enumerate(terms):
        for a in t.args:
            if isinstance(a, Term):
                last_use[id(a)] = i
    for i, (_, g, _, u) in scatter.items():  # the skipped untake's g is read at i instead
        if u is not None and isinstance(g, Term) and last_use.get(id(g)) == position[id(u)]:
            last_use[id(g)] = i
    guards: dict[int, list[int]] = {}
    for j, t in enumerate(guard_terms):
        guards.setdefault(id(t), []).append(j)

    def arg(a: Any) -> str:
        if isinstance(a, Term):
            return names[id(a)]
        name = f"c{len(consts)}"
        consts[name] = a
        return name

    def reads(i: int, t: Term) -> list[Any]:
        if i in scatter:
            buf, g, _, _ = scatter[i]
            return [buf, g]
        return [a for a in t.args if id(t) not in skipped]

    params = ", ".join(names[id(t)] for t in rec.inputs)
    lines = [f"def replay({params}):"]
    for t in rec.inputs:
        for j in guards.get(id(t), ()):
            consts[f"g{j}"] = rec.guards[j]
            lines.append(f"    if not g{j}.holds({names[id(t)]}): fail(g{j})")
    for i, t in enumerate(terms):
        if id(t) in skipped:
            continue
        if i in plan:
            ufunc, args, buf = plan[i]
            consts[f"op{i}"] = ufunc
            call = ", ".join(arg(a) for a in args)
            lines.append(f"    {names[id(t)]} = op{i}({call}, out={names[id(buf)]})")
        elif i in scatter:
            buf, g, idx, _ = scatter[i]
            lines.append(f"    {names[id(buf)]}[{arg(idx)}] += {arg(g)}")
            lines.append(f"    {names[id(t)]} = {names[id(buf)]}")
        elif t.op is not None:
            op = f"op{i}"
            fun = consts[op] = funs[i]
            sym = _OPERATORS.get(fun) if len(t.args) == 2 and not t.kwargs else None
            if sym is not None and _array_operand(t.args):
                rhs = f"{arg(t.args[0])} {sym} {arg(t.args[1])}"
            else:
                rhs = f"{op}(" + ", ".join([arg(a) for a in t.args] + [
                    f"{k}={arg(v)}" for k, v in t.kwargs.items()]) + ")"
            lines.append(f"    {names[id(t)]} = {rhs}")
        if isinstance(getattr(funs[i], "expression", None), str):  # a fused kernel
            lines[-1] += f"  # fused: {funs[i].expression}"
        for j in guards.get(id(t), ()):
            consts[f"g{j}"] = rec.guards[j]
            lines.append(f"    if not g{j}.holds({names[id(t)]}): fail(g{j})")
        dead = [names[id(a)] for a in dict.fromkeys(a for a in reads(i, t) if isinstance(a, Term))
                if last_use.get(id(a)) == i and id(a) not in keep and id(a) not in skipped]
        if dead:
            lines.append(f"    del {', '.join(dead)}")
    outs = ", ".join(names[id(o)] if isinstance(o, Term) else arg(o) for o in outputs)
    lines.append(f"    return [{outs}]")
    return "\n".join(lines)


def _array_operand(args: tuple) -> bool:
    """Whether an operator on ``args`` is NumPy's: one of them is a term holding an array
    or a NumPy scalar (two Python numbers would use Python's arithmetic)."""
    return any(isinstance(a, Term) and isinstance(getval(a.value), (np.ndarray, np.generic))
               for a in args)


def _build(rec: Recording, terms: list[Term], traced: bool, fuse: bool | str = False
           ) -> tuple[Callable[..., list], str]:
    names = {id(t): f"v{i}" for i, t in enumerate(terms)}
    for k, t in enumerate(rec.inputs):
        names[id(t)] = f"a{k}"
    consts: dict[str, Any] = {"fail": _fail}
    src = _source(rec, terms, names, consts, traced, fuse)
    namespace = dict(consts)
    exec(compile(src, "<steepest.jit replay>", "exec"), namespace)  # noqa: S102
    return namespace["replay"], src


def compile_program(rec: Recording, fuse: bool | str = False, lower: bool = True) -> Program:
    """Compile ``rec`` into its plain and traced replay functions.

    Args:
        rec: the recording (after rewriting).
        fuse: fuse elementwise chains of the plain version into kernels (:mod:`.fusion`):
            ``True`` (the best installed backend), ``"numba"``, ``"numexpr"`` or ``False``.
        lower: replay a tiny float64 recording on Python floats (:mod:`.scalars`; the same
            bits) when it qualifies; it takes precedence over ``fuse`` (a kernel call costs
            more than a tiny graph).

    Returns:
        The :class:`Program`.
    """
    # guards first (a failing one stops early), then the outputs last to first: a gradient's
    # outputs are the parameters in order, and the backward pass reaches the last one first,
    # so this order frees each layer's cotangent as eager code does (MLP peak 8.1 -> 6.1 MiB)
    terms = postorder([g.term for g in rec.guards] + rec.outputs[::-1])
    inputs = {id(t) for t in rec.inputs}
    terms = [t for t in terms if id(t) not in inputs]
    traced, _ = _build(rec, terms, traced=True)
    if lower:
        numpy_plain = _Deferred(rec, terms)  # built only if the scalar replay needs it
        scalar = lower_scalars(rec, terms, numpy_plain, _fail)
        if scalar is not None:
            return Program(scalar, traced, scalar.source, len(terms), lowered=True)
    plain, src = _build(rec, terms, traced=False, fuse=fuse)
    return Program(plain, traced, src, len(terms), src.count("  # fused: "))


class _Deferred:
    """The NumPy plain replay, compiled on its first call (the fallback of a scalar one)."""

    def __init__(self, rec: Recording, terms: list[Term]) -> None:
        self.rec, self.terms, self.fun = rec, terms, None

    def __call__(self, *inputs: Any) -> list:
        if self.fun is None:
            self.fun, _ = _build(self.rec, self.terms, traced=False)
        return self.fun(*inputs)
