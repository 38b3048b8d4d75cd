"""Fusing elementwise chains of a plain replay into kernels (``jit(fuse=True)``).

An unfused replay runs one NumPy call per recorded term: each reads its operands from memory
and writes a full-size result, so a chain of ``k`` elementwise operations on arrays of ``n``
elements moves about ``2 k n`` numbers through memory. :func:`fuse_terms` partitions the
replay's terms into trees of elementwise operations that `numexpr
<https://github.com/pydata/numexpr>`_ evaluates in one pass over cache-sized blocks
(arithmetic, powers by constants, ``where``, comparisons, logical operations; with
:data:`FUSE_FUNCTIONS` also ``exp``/``log``/``log1p``/``expm1``/``sqrt``, the trigonometric
and hyperbolic functions and ``abs``, which numexpr computes more slowly than NumPy): a term
joins its consumer's kernel when that consumer is its only reader, has its shape, and is
elementwise too; a term read
elsewhere, an output, or a guarded term ends its kernel (a kernel output). A sum of
scattered cotangents (``add(untake(g, idx), ...)``, the backward of slices) is left to the
memory plan, which adds each ``g`` into one buffer in place. Operands are any
arrays — strided slices ``x[1:]`` and broadcast views included — and scalar constants are
written into the expression. Each kernel is compiled once (``numexpr.NumExpr``) when the
recording is compiled, and called with ``out=`` a dead buffer when the memory plan finds one.

Backends (:func:`backend`, ``jit(fuse=...)``): ``"numexpr"`` (:class:`~.kernels.Kernel`)
and ``"numba"`` (:class:`~.kernels_numba.NumbaKernel`: the same expression text compiled to
one loop per kernel; ``sqrt``, ``abs``, ``sin``, ``cos`` fused too, the other functions are
slower through libm than NumPy's SIMD loops, :data:`~.kernels_numba.FUSED_FUNCTIONS`).
``fuse=True`` takes numba when it is installed (one pass over memory per kernel, where
numexpr makes one per operation), else numexpr.

A full ``sum`` that ends a chain is *not* fused: numexpr's ``sum()`` accumulates block by
block, 1.5e-14 relative off on 10⁶ terms where NumPy's pairwise sum is exact to the last
bit there (measured on the chained Rosenbrock). Scalar seeds ``ones_like(loss)`` of a
gradient do not read the loss, so a loss computed only for its shape is dropped.

Threads: numexpr's own setting is used (``numexpr.set_num_threads(k)`` or the environment
variable ``NUMEXPR_NUM_THREADS``, else ``OMP_NUM_THREADS``; numexpr's default is one thread
per core, at most 16 unless ``NUMEXPR_MAX_THREADS`` says otherwise). steepest does not change
it.

numexpr is optional (``pip install steepest[fast]``) and imported on first use
(:func:`~.kernels.numexpr_module`); without it ``fuse_terms`` is never called. A kernel whose
result is scattered into a zero gradient buffer (the backward of a slice) or added into one
writes there directly (:mod:`.scatter_kernels`).

Example:
    >>> import numpy as np
    >>> from steepest.compile.recording import record
    >>> from steepest.compile.replay import compile_program
    >>> x = np.linspace(0.0, 1.0, 10_000)
    >>> rec = record(lambda x: np.exp(-x * x) * 2.0 + 1.0, (x,))
    >>> prog = compile_program(rec, fuse="numexpr")
    >>> prog.kernels == (2 if numexpr_module() else 0)  # -x * x | NumPy's exp | * 2 + 1
    True
    >>> bool(np.allclose(prog.plain(x)[0], np.exp(-x * x) * 2.0 + 1.0, rtol=1e-15))
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..autodiff.rules.shape import untake
from ..autodiff.rules.ufunc import _fast_power
from ..autodiff.tracing import getval
from . import kernels_numba
from .kernels import Kernel, numexpr_module
from .kernels_numba import NumbaKernel, numba_module
from .scatter_kernels import fuse_scatters
from .terms import Term

__all__ = ["Kernel", "fuse_terms", "latest", "numexpr_module", "MIN_SIZE", "FUSE_FUNCTIONS",
           "BACKENDS", "backend"]

MIN_SIZE = 4096  # elements of a kernel's output: below, numexpr's call overhead dominates
# numexpr (built without Intel's VML, as on PyPI) evaluates exp, log, tanh ... one element at
# a time through libm: 6-23x slower than NumPy's SIMD loops at 10^6 elements (measured:
# log 14x, log1p 23x, tanh 6.6x, one thread). So by default a kernel fuses arithmetic,
# comparisons and where, and a function call ends it; True fuses the functions as well.
FUSE_FUNCTIONS = False
MAX_OPS = 48  # operations per kernel (numexpr compiles longer programs, but slowly)
MAX_OPERANDS = 24  # array operands per kernel (numexpr's limit is NumPy's NPY_MAXARGS)


_INFIX = {np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/",
          np.greater: ">", np.greater_equal: ">=", np.less: "<", np.less_equal: "<=",
          np.equal: "==", np.not_equal: "!=", np.logical_and: "&", np.logical_or: "|"}
_CALL = {np.sqrt: "sqrt", np.exp: "exp", np.log: "log", np.log1p: "log1p", np.expm1: "expm1",
         np.log10: "log10", np.sin: "sin", np.cos: "cos", np.tan: "tan", np.arcsin: "arcsin",
         np.arccos: "arccos", np.arctan: "arctan", np.sinh: "sinh", np.cosh: "cosh",
         np.tanh: "tanh", np.arcsinh: "arcsinh", np.arccosh: "arccosh",
         np.arctanh: "arctanh", np.absolute: "abs", np.arctan2: "arctan2",
         np.where: "where"}
_DTYPES = {np.dtype(np.float64): np.float64, np.dtype(np.bool_): bool}
# fuse= names, in the order fuse=True prefers them (numba: one loop per kernel, measured
# fastest per call; numexpr: 1000x cheaper to compile), their kernels and their importers
BACKENDS = {"numba": (NumbaKernel, numba_module), "numexpr": (Kernel, numexpr_module)}


def backend(fuse: bool | str | None) -> str | None:
    """The kernel backend ``fuse`` selects: ``False``/``None`` → ``None``; ``True`` → the
    first installed of :data:`BACKENDS`; a name → that backend when installed.

    Args:
        fuse: ``jit``'s ``fuse`` argument.

    Returns:
        A key of :data:`BACKENDS`, or ``None`` (unfused: nothing selected or installed).

    Raises:
        ValueError: ``fuse`` is neither a bool nor a name in :data:`BACKENDS`.
    """
    if fuse is None or fuse is False:
        return None
    if fuse is True:
        return next((k for k, (_, load) in BACKENDS.items() if load() is not None), None)
    if isinstance(fuse, str) and fuse in BACKENDS:
        return fuse if BACKENDS[fuse][1]() is not None else None
    raise ValueError(f"fuse must be True, False or one of {sorted(BACKENDS)} (the kernel "
                     f"backend), got {fuse!r}")


def _form(fun: Any, args: tuple, functions: frozenset[str]
          ) -> Callable[[list[str]], str] | None:
    """How a call of ``fun`` on ``args`` reads in numexpr (given its operands' text)."""
    if fun is np.multiply and len(args) == 2 and all(
            _float(a) for a in args if isinstance(a, Term)):
        return _times  # x * 1.0 is x, bit for bit, for every float x
    if fun in _INFIX and len(args) == 2:
        sym = _INFIX[fun]
        return lambda a: f"({a[0]} {sym} {a[1]})"
    if fun is np.negative and len(args) == 1:
        return lambda a: f"(-{a[0]})"
    if fun is np.logical_not and len(args) == 1:
        return lambda a: f"(~{a[0]})"
    if fun is np.square and len(args) == 1:
        return lambda a: f"({a[0]} * {a[0]})"
    if fun is np.reciprocal and len(args) == 1:
        return lambda a: f"(1.0 / {a[0]})"
    if fun in (_fast_power, np.power) and len(args) == 2 and not isinstance(args[1], Term):
        return lambda a: f"({a[0]} ** {a[1]})"
    name = _CALL.get(fun)
    name = name if name in functions or fun is np.where else None
    if name is not None and len(args) == (3 if fun is np.where else
                                           2 if fun is np.arctan2 else 1):
        return lambda a: f"{name}({', '.join(a)})"
    return None


def _float(t: Term) -> bool:
    return getattr(getval(t.value), "dtype", None) == np.float64


def _times(a: list[str]) -> str:
    one = "(1.0)"
    return a[1] if a[0] == one else a[0] if a[1] == one else f"({a[0]} * {a[1]})"


def _literal(c: Any) -> str | None:
    """``c`` as a numexpr literal (a finite real scalar), else ``None``."""
    if type(c) is np.ndarray and c.ndim == 0 and c.dtype.kind in "bif":
        c = c[()]
    if isinstance(c, (bool, np.bool_)):
        return "True" if c else "False"
    if isinstance(c, (int, float, np.integer, np.floating)) and not isinstance(c, np.float16):
        v = float(c)
        if math.isfinite(v) and (not isinstance(c, (int, np.integer)) or abs(c) < 2 ** 53):
            return repr(v)
    return None


def _array(v: Any) -> np.ndarray | None:
    return v if type(v) is np.ndarray and v.ndim and v.dtype in _DTYPES else None


def _operand_ok(a: Any) -> bool:
    if isinstance(a, Term):
        return _array(getval(a.value)) is not None
    return _literal(a) is not None or _array(a) is not None


def _seed(t: Term) -> bool:
    """Whether ``t`` is ``ones_like``/``zeros_like`` of a scalar: its value is a constant."""
    fun = getattr(t.op, "fun_plain", None) or getattr(t.op, "fun", None)
    return (fun in (np.ones_like, np.zeros_like) and len(t.args) == 1 and not t.kwargs
            and np.ndim(getval(t.value)) == 0)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value.copy()


def _live(terms: list[Term], keep: set[int]) -> set[int]:
    """Ids of the terms that the kept terms read (transitively), the kept ones included."""
    live = set(keep)
    for t in reversed(terms):
        if id(t) in live:
            live.update(id(a) for a in t.args if isinstance(a, Term))
    return live


def fuse_terms(terms: list[Term], funs: list[Any], keep: set[int], kind: str = "numexpr"
               ) -> tuple[list[Term], list[Any], dict[int, Term]]:
    """Replace trees of elementwise terms by :class:`Kernel` terms.

    Args:
        terms: the replay's terms in evaluation order (inputs excluded).
        funs: the plain function of each term.
        keep: ids of terms that must stay computed (outputs, guarded terms).
        kind: the backend, a key of :data:`BACKENDS` (numba fuses the functions of
            :data:`~.kernels_numba.FUSED_FUNCTIONS`; numexpr all of them with
            :data:`FUSE_FUNCTIONS`, else none).

    Returns:
        ``(terms, funs, new)`` of the fused replay, in evaluation order; ``new`` maps the id
        of an original term to the term that now computes it (a kernel, or a copy reading
        kernels), for the outputs and guards.
    """
    fun_of = {id(t): f for t, f in zip(terms, funs)}
    seeds = {id(t): Term(t.op, (), {}, t.value, t.line) for t in terms if _seed(t)}
    for c in seeds.values():  # its constant value, a fresh copy per call
        fun_of[id(c)] = _constant(getval(c.value))
    terms, _, first = _relinked([seeds.get(id(t), t) for t in terms], dict(seeds), fun_of)
    uniform = _uniform(terms, seeds, fun_of)
    keep = {id(first[i]) if i in first else i for i in keep}
    kept = [t for t in terms if id(t) in keep]
    terms = [t for t in terms if id(t) in _live(terms, keep)]
    readers: dict[int, set[int]] = {}
    for t in terms:
        for a in t.args:
            if isinstance(a, Term):
                readers.setdefault(id(a), set()).add(id(t))
    functions = (kernels_numba.FUSED_FUNCTIONS if kind == "numba" else
                 frozenset(_CALL.values()) if FUSE_FUNCTIONS else frozenset())
    forms = {id(t): _form(fun_of[id(t)], t.args, functions) for t in terms}
    fusible = {id(t) for t in terms if forms[id(t)] is not None and not t.kwargs
               and _array(getval(t.value)) is not None
               and all(_operand_ok(a) for a in t.args)
               and not any(isinstance(a, Term) and a.op is untake for a in t.args)}
    out_terms: list[Term] = []
    kernels: dict[int, Term] = {}
    for t, tree in zip(terms, _grow(terms, fusible, readers, keep)):
        if tree is None:  # inlined into a reader's kernel
            continue
        kt = None
        if len(tree) >= 2 and getval(t.value).size >= MIN_SIZE:
            kt = _kernel_term(t, tree, forms, uniform, BACKENDS[kind][0])
        if kt is None:
            out_terms += tree  # not worth a kernel, or numexpr lacks one: the terms as they were
        else:
            kernels[id(t)] = kt
            fun_of[id(kt)] = kt.op
            out_terms.append(kt)
    out_terms, out_funs, second = _relinked(out_terms, kernels, fun_of)
    new = {**first, **second}
    kept = {id(latest(t, new)) for t in kept}
    out_terms, out_funs, scattered = fuse_scatters(out_terms, out_funs, kept, MIN_SIZE)
    fun_of.update((id(t), f) for t, f in zip(out_terms, out_funs))
    out_terms, out_funs, third = _relinked(out_terms, scattered, fun_of)
    return out_terms, out_funs, {**new, **third}


def latest(t: Any, new: dict[int, Term]) -> Any:
    """The term that now computes ``t`` (``t`` itself when nothing replaced it)."""
    while isinstance(t, Term) and id(t) in new:
        t = new[id(t)]
    return t


def _relinked(terms: list[Term], new: dict[int, Term], fun_of: dict[int, Any]
              ) -> tuple[list[Term], list[Any], dict[int, Term]]:
    """The terms reading the terms that replaced others (copies where an argument changed)."""
    out = []
    for t in terms:
        args = tuple(latest(a, new) for a in t.args)
        if any(x is not y for x, y in zip(args, t.args)):
            u = Term(t.op, args, t.kwargs, t.value, t.line)
            fun_of[id(u)] = fun_of[id(t)]
            new[id(t)] = u
            t = u
        out.append(t)
    return out, [fun_of[id(t)] for t in out], new


def _grow(terms: list[Term], fusible: set[int], readers: dict[int, set[int]],
          keep: set[int]) -> list[list[Term] | None]:
    """Per term: its tree (the terms its kernel computes, in evaluation order), or ``None``
    when it is inlined into its reader's tree.

    A fusible term is inlined into its single reader when that reader is fusible, has the
    same shape, and the tree stays within :data:`MAX_OPS` and :data:`MAX_OPERANDS`.
    """
    trees: dict[int, list[Term]] = {}
    operands: dict[int, set[int]] = {}
    for t in terms:
        tree: list[Term] = []
        ops: set[int] = set()
        for a in dict.fromkeys(a for a in t.args if isinstance(a, Term)):
            sub = trees.get(id(a))
            if (id(t) in fusible and sub is not None and id(a) in fusible
                    and id(a) not in keep and readers.get(id(a)) == {id(t)}
                    and np.shape(getval(a.value)) == np.shape(getval(t.value))
                    and len(tree) + len(sub) < MAX_OPS
                    and len(ops | operands[id(a)]) < MAX_OPERANDS):
                tree += sub
                ops |= operands[id(a)]
                trees[id(a)] = None
            else:
                ops.add(id(a))
        trees[id(t)] = [*tree, t]
        operands[id(t)] = ops
    return [trees[id(t)] for t in terms]


def _uniform(terms: list[Term], seeds: dict[int, Term], fun_of: dict[int, Any]
             ) -> dict[int, str]:
    """Literals of the terms whose every element is one known constant: the seeds (the
    ``1.0`` a gradient's backward pass starts from), their reshapes and broadcasts, and
    ufuncs of those and scalar constants (the traced value's element: the same bits)."""
    out = {id(c): f"({_literal(getval(c.value))})" for c in seeds.values()
           if _literal(getval(c.value)) is not None}
    for t in terms:
        if not (t.op is not None and t.args and isinstance(t.args[0], Term)):
            continue
        if t.name in ("reshape", "broadcast_to") and id(t.args[0]) in out:
            out[id(t)] = out[id(t.args[0])]
        elif (isinstance(fun_of[id(t)], np.ufunc) and not t.kwargs and all(
                id(a) in out if isinstance(a, Term) else _literal(a) is not None
                for a in t.args) and type(v := getval(t.value)) is np.ndarray and v.size
                and _literal(v.flat[0]) is not None):
            out[id(t)] = f"({_literal(v.flat[0])})"
    return out


def _kernel_term(root: Term, tree: list[Term], forms: dict[int, Any],
                 uniform: dict[int, str], kernel: type[Kernel]) -> Term | None:
    """The term calling one kernel that computes ``root`` from the tree's operands (a
    uniform operand written as its literal); ``None`` when numexpr cannot compute it with
    NumPy's result type."""
    inside = {id(u) for u in tree}
    args: list[Any] = []
    slot: dict[int, str] = {}
    text: dict[int, str] = {}

    def operand(a: Any) -> str:
        if isinstance(a, Term) and id(a) in inside:
            return text[id(a)]
        if isinstance(a, Term) and id(a) in uniform:
            return uniform[id(a)]
        lit = None if isinstance(a, Term) else _literal(a)
        if lit is not None:
            return f"({lit})"
        if id(a) not in slot:
            slot[id(a)] = f"v{len(args)}"
            args.append(a)
        return slot[id(a)]

    for u in tree:
        text[id(u)] = forms[id(u)]([operand(a) for a in u.args])
    values = [getval(a.value) if isinstance(a, Term) else a for a in args]
    try:
        compiled = kernel(text[id(root)], [_DTYPES[v.dtype] for v in values], len(tree))
        trial = compiled(*values)  # on the traced values: numexpr's result type must be NumPy's
    except (TypeError, ValueError, NotImplementedError, KeyError, ZeroDivisionError):
        return None  # an operation numexpr has no kernel for (say, bool * bool)
    want = getval(root.value)
    if trial.dtype != want.dtype or trial.shape != want.shape:
        return None
    return Term(compiled, tuple(args), {}, root.value, root.line)
