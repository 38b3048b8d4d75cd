"""``jit(f)``: trace once per call signature, replay the recorded graph on later calls.

The cache key of a call (:func:`signature`) is the pytree structure of the arguments, the
shape and dtype of every array (and of every value traced by an enclosing transform), the
type of every Python float or complex, and the *value* of every other leaf — Python ints and
bools, strings, ``None``, arguments named in ``static_argnums``. A first call with a new key
records ``f`` (:mod:`.recording`), optionally rewrites the graph into stable forms
(:mod:`.rewrite`), merges common subexpressions, and compiles a replay (:mod:`.replay`).
Later calls run the replay: with plain arguments it calls NumPy directly; with arguments
traced by ``grad``/``jvp``/``hessian`` it calls the primitives, so the transform
differentiates the replay exactly as it would differentiate ``f``.

Guards: each conversion of a traced value to a Python value at trace time (``if x > 0``,
``float(x)``, ``while np.any(...)``) is re-checked by the replay; when one fails, ``f`` is
traced again for the new branch and both recordings are kept. After ``max_retraces``
recordings for one signature the wrapper warns once, naming the guard's source line, and
calls ``f`` eagerly from then on.

Side effects in ``f`` (printing, appending to a list) happen when it is traced, not on a
replay.
"""

from __future__ import annotations

import functools
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validate import check_callable
from ..autodiff.tracing import Traced, getval
from ..tree import tree_flatten, tree_unflatten
from .fusion import BACKENDS, backend
from .guards import JitError
from .passes import PassReport, run_passes
from .polymorphic import batch_polymorphic, batch_size
from .recording import Recording, record
from .replay import GuardFailed, Program, compile_program
from .rewrite import AppliedRewrite, rewrite_terms
from .terms import merge_common

__all__ = ["jit", "Jitted", "JitWarning", "signature"]

_INPUT_SCALARS = (float, complex, np.floating, np.complexfloating)
_STATIC_SCALARS = (bool, int, np.integer, np.bool_, str, bytes, type(None))


class JitWarning(UserWarning):
    """``jit`` gave up replaying one signature and calls the function eagerly."""


@dataclass
class _Variant:
    rec: Recording
    program: Program
    seconds: float
    batch: int | None = None  # the batch size it was recorded at (dynamic="batch")
    any_batch: bool = False  # valid at every batch size

    def fits(self, batch: int | None) -> bool:
        return self.any_batch or self.batch == batch


@dataclass
class _Entry:
    variants: list[_Variant] = field(default_factory=list)
    eager: bool = False
    last_failed: Any = None
    head: Any = None  # (plain replay, output unpacking) of variants[0], for the fast path

    def refresh(self) -> None:
        """Point the fast path at the most recently used variant (after any change)."""
        v = self.variants[0] if self.variants and not self.eager else None
        self.head = None if v is None else (v.program.plain, _unpacker(v))


def _unpacker(v: _Variant) -> Callable[[list], Any] | None:
    """``None`` for a single leaf (``out[0]``), else the function building the pytree."""
    td = v.rec.treedef
    if td.kind == "leaf":
        return None
    if td.kind == "tuple" and all(c.kind == "leaf" for c in td.children):
        return tuple
    return functools.partial(tree_unflatten, td)


def _shape_key(shape: tuple[int, ...], batch: int | None) -> tuple:
    return ("batch",) + shape[1:] if batch is not None and shape and shape[0] == batch \
        else shape


def _leaf_key(leaf: Any, path: str, batch: int | None = None) -> tuple[Any, bool]:
    """(key part, is a traced input) of one argument leaf (a leading axis of length
    ``batch`` left out)."""
    if isinstance(leaf, Traced):  # same key as its plain value: one recording serves both
        v = getval(leaf)
        if isinstance(v, Traced):  # recorded by an enclosing jit
            v = v._value
        if type(v) is np.ndarray:
            return ("a", _shape_key(v.shape, batch), v.dtype.str), True
        return ("f", type(v)), True
    t = type(leaf)
    if t is np.ndarray:
        if leaf.dtype == object:
            raise TypeError(f"jit: argument {path} is an object array; pass a numeric array "
                            "(np.asarray(..., dtype=float))")
        return ("a", _shape_key(leaf.shape, batch), leaf.dtype.str), True
    if isinstance(leaf, _STATIC_SCALARS):
        return ("s", t, leaf), False
    if isinstance(leaf, _INPUT_SCALARS):
        return ("f", t), True
    try:
        hash(leaf)
    except TypeError:
        raise TypeError(
            f"jit: argument {path} is a {t.__name__}, neither an array nor hashable, so it "
            "cannot be part of the cache key. Fix: pass arrays (np.asarray), or make it "
            "hashable (a tuple) and declare it with static_argnums") from None
    return ("s", t, leaf), False


def signature(args: tuple, kwargs: dict, static_argnums: Sequence[int] = (),
              batch: bool = False) -> tuple[tuple, list, list[bool], Any, tuple]:
    """The cache key of a call and its decomposition.

    Args:
        args: positional arguments.
        kwargs: keyword arguments.
        static_argnums: positions whose values (hashable) are part of the key.
        batch: leave the batch axis out of the key (``dynamic="batch"``): the leading axis
            of every array as long as the last array's.

    Returns:
        ``(key, leaves, is_input, treedef, statics)``.

    Example:
        >>> import numpy as np
        >>> k1 = signature((np.ones(3), 2), {})[0]
        >>> k2 = signature((np.zeros(3), 2), {})[0]
        >>> k3 = signature((np.ones(3), 3), {})[0]
        >>> k1 == k2, k1 == k3
        (True, False)
    """
    statics = []
    for i in static_argnums:
        if i >= len(args):
            raise TypeError(f"jit: static_argnums names argument {i}, but the call has "
                            f"{len(args)} positional arguments")
        v = args[i]
        try:
            hash(v)
        except TypeError:
            raise TypeError(f"jit: static argument {i} is a {type(v).__name__}, which is not "
                            "hashable; pass a tuple instead of a list, or a frozen "
                            "dataclass") from None
        statics.append(v)
    rest = tuple(a for i, a in enumerate(args) if i not in static_argnums)
    leaves, tdef = tree_flatten((rest, kwargs) if kwargs else rest)
    parts, is_input = [], []
    size = batch_size(leaves, [True] * len(leaves)) if batch else None
    for n, leaf in enumerate(leaves):
        k, inp = _leaf_key(leaf, f"leaf {n}", size)
        parts.append(k)
        is_input.append(inp)
    key = (tdef, tuple(parts), tuple((type(s), s) for s in statics))
    return key, leaves, is_input, tdef, tuple(statics)


class Jitted:
    """``f`` traced once per call signature and replayed (see :func:`jit`)."""

    def __init__(self, f: Callable[..., Any], static_argnums: Sequence[int] = (),
                 rewrite: bool = False, max_retraces: int = 8, dynamic: str | None = None,
                 fuse: bool | str = False) -> None:
        self.f = f
        self.fuse = fuse
        self.dynamic = dynamic
        self.static_argnums = tuple(sorted(static_argnums))
        self.rewrite = rewrite
        self.max_retraces = max_retraces
        self._cache: dict[tuple, _Entry] = {}
        self._fast: dict[tuple, _Entry] = {}
        self._simple = not self.static_argnums and dynamic is None  # fast-path eligible
        self.traces = 0
        functools.update_wrapper(self, f)

    def _call_args(self, leaves: list, tdef: Any, statics: tuple, kwargs: bool
                   ) -> tuple[tuple, dict]:
        tree = tree_unflatten(tdef, leaves)
        rest, kw = tree if kwargs else (tree, {})
        it = iter(rest)
        n = len(rest) + len(statics)
        pos = {i: s for i, s in zip(self.static_argnums, statics)}
        return tuple(pos[i] if i in pos else next(it) for i in range(n)), kw

    def _record(self, leaves: list, is_input: list[bool], tdef: Any, statics: tuple,
                kwargs: bool) -> _Variant:
        start = time.perf_counter()
        inputs = [getval(v) for v, i in zip(leaves, is_input) if i]

        def build(boxes: list) -> tuple:
            it = iter(boxes)
            full = [next(it) if i else v for v, i in zip(leaves, is_input)]
            args, kw = self._call_args(full, tdef, statics, kwargs)
            return args + ((kw,) if kwargs else ())

        f = self.f
        fn = (lambda *a: f(*a[:-1], **a[-1])) if kwargs else f
        batch = batch_size(leaves, is_input) if self.dynamic else None
        rec = record(fn, tuple(inputs), build, expand=self.rewrite, owner=self.f, batch=batch)
        # checked before and after the passes: folding merges constants (2·(1/(3B)) is
        # 2/(3B)), which could hide the batch size from the check
        poly = batch_polymorphic(rec, batch, rec.batch_read)
        self._optimize(rec)
        self.traces += 1
        program = compile_program(rec, self.fuse, lower=self.dynamic is None)
        return _Variant(rec, program, time.perf_counter() - start, batch,
                        poly and batch_polymorphic(rec, batch, rec.batch_read))

    def _optimize(self, rec: Recording) -> None:
        n = len(rec.outputs)
        terms = rec.outputs + [g.term for g in rec.guards]
        if self.rewrite:
            terms, rec.rewrites = rewrite_terms(terms)
        else:
            terms = merge_common(terms)
        terms, rec.passes = run_passes(terms, rewrite=self.rewrite, recorded=rec.recorded)
        rec.outputs = terms[:n]
        for g, t in zip(rec.guards, terms[n:]):
            g.term = t

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        fast = None
        if not kwargs and self._simple:
            if len(args) == 1:  # the common call: one plain array, a cheap key
                a = args[0]
                if type(a) is np.ndarray:
                    fast = (a.shape, a.dtype)
            elif all(type(a) is np.ndarray for a in args):
                fast = tuple([(a.shape, a.dtype) for a in args])
            if fast is not None:
                entry = self._fast.get(fast)
                head = entry.head if entry is not None else None
                if head is not None:
                    try:
                        out = head[0](*args)
                    except GuardFailed:
                        pass
                    else:
                        return out[0] if head[1] is None else head[1](out)
        key, leaves, is_input, tdef, statics = signature(args, kwargs, self.static_argnums,
                                                         self.dynamic is not None)
        batch = batch_size(leaves, is_input) if self.dynamic else None
        entry = self._cache.get(key)
        if entry is None:
            entry = self._cache[key] = _Entry()
        if fast is not None:
            self._fast[fast] = entry
        if entry.eager:
            return self.f(*args, **kwargs)
        inputs = [v for v, i in zip(leaves, is_input) if i]
        traced = any(isinstance(v, Traced) for v in inputs)
        for k, var in enumerate(entry.variants):
            if batch is not None and not var.fits(batch):
                continue
            try:
                out = (var.program.traced if traced else var.program.plain)(*inputs)
            except GuardFailed as e:
                entry.last_failed = e.guard
                continue
            if k:
                entry.variants.insert(0, entry.variants.pop(k))
                entry.refresh()
            return tree_unflatten(var.rec.treedef, out)
        if sum(v.fits(batch) for v in entry.variants) >= self.max_retraces:
            return self._give_up(entry, args, kwargs)
        var = self._record(leaves, is_input, tdef, statics, bool(kwargs))
        entry.variants.insert(0, var)
        entry.refresh()
        try:
            out = (var.program.traced if traced else var.program.plain)(*inputs)
        except GuardFailed as e:  # a rewrite changed a value the trace branched on
            entry.last_failed = e.guard
            return self._give_up(entry, args, kwargs)
        return tree_unflatten(var.rec.treedef, out)

    def _give_up(self, entry: _Entry, args: tuple, kwargs: dict) -> Any:
        entry.eager = True
        g = entry.last_failed
        where = f"{g.line}: {g.kind}() of a traced value" if g is not None else "a guard"
        warnings.warn(
            f"jit({getattr(self.f, '__name__', 'f')}): {where} gave a different Python value "
            f"on {len(entry.variants)} traces of one signature; calling the function eagerly "
            "for this signature from now on. Fix: compute the branch with np.where(...) "
            "instead of if/while on a value, or pass the value as a static argument "
            "(static_argnums), or do not jit this function.", JitWarning, stacklevel=3)
        entry.variants.clear()
        entry.refresh()
        return self.f(*args, **kwargs)

    def recordings(self, *args: Any, **kwargs: Any) -> list[Recording]:
        """The recordings cached for the signature of ``args`` (most recently used first)."""
        key = signature(args, kwargs, self.static_argnums, self.dynamic is not None)[0]
        entry = self._cache.get(key)
        return [v.rec for v in entry.variants] if entry else []

    def rewrites(self, *args: Any, **kwargs: Any) -> list[AppliedRewrite]:
        """The rewrites applied for the signature of ``args`` (traced on demand).

        Args:
            *args: arguments as ``f`` would be called with.
            **kwargs: keyword arguments.

        Returns:
            One :class:`AppliedRewrite` per rewrite (rule, user's source line, reason).
        """
        recs = self.recordings(*args, **kwargs)
        if not recs:
            self(*args, **kwargs)
            recs = self.recordings(*args, **kwargs)
        return list(recs[0].rewrites) if recs else []

    def passes(self, *args: Any, **kwargs: Any) -> PassReport:
        """What the graph passes did for the signature of ``args`` (traced on demand).

        Args:
            *args: arguments as ``f`` would be called with.
            **kwargs: keyword arguments.

        Returns:
            The :class:`~steepest.compile.passes.PassReport` of the most recently used
            recording: operations recorded and replayed, and per pass the terms replaced and
            removed (``print`` it for a table).
        """
        recs = self.recordings(*args, **kwargs)
        if not recs:
            self(*args, **kwargs)
            recs = self.recordings(*args, **kwargs)
        return recs[0].passes if recs else PassReport()

    def kernels(self, *args: Any, **kwargs: Any) -> int:
        """Fused kernels in the most recent replay for the signature of ``args`` (0 unless
        ``fuse`` selected an installed backend and it found elementwise chains; traced on
        demand)."""
        key = signature(args, kwargs, self.static_argnums, self.dynamic is not None)[0]
        if not self._cache.get(key, _Entry()).variants:
            self(*args, **kwargs)
        entry = self._cache.get(key)
        return entry.variants[0].program.kernels if entry and entry.variants else 0

    def trace_seconds(self, *args: Any, **kwargs: Any) -> float:
        """Seconds the first trace + compile took for the signature of ``args``."""
        key = signature(args, kwargs, self.static_argnums, self.dynamic is not None)[0]
        entry = self._cache.get(key)
        return entry.variants[-1].seconds if entry and entry.variants else float("nan")


def jit(f: Callable[..., Any], static_argnums: int | Sequence[int] = (), rewrite: bool = True,
        fuse: bool | str = False, dynamic: str | None = None, max_retraces: int = 8) -> Jitted:
    r"""Trace ``f`` once per call signature and replay the recorded graph afterwards.

    The first call with a new signature (pytree structure; shapes and dtypes of arrays;
    values of ints, bools, strings and ``static_argnums`` arguments) runs ``f`` once on
    recorded values, rewrites unstable patterns (``rewrite=True``, as :func:`stabilize`),
    merges common subexpressions and compiles a straight-line replay. Later calls replay it
    without running ``f``'s Python code. Python control flow on values is allowed: every
    conversion to a Python value (``if x > 0``, ``float(x)``, ``while``) is a guard the
    replay re-checks; a failing guard re-traces (each branch is cached). ``jit`` composes
    with every transform in any order: ``jit(grad(f))`` records and replays the derivative
    graph; ``grad(jit(f))`` differentiates the replay.

    Args:
        f: a function of arrays (pytrees allowed) written with NumPy.
        static_argnums: positions of arguments that are not arrays (hashable settings)
            whose values select a recording.
        rewrite: rewrite textbook-unstable patterns before replaying (and before any
            enclosing transform differentiates the replay).
        fuse: fuse chains of elementwise operations on large arrays into kernels
            (:mod:`.fusion`): fewer passes over memory, the same values within a few ulp.
            ``"numba"`` (``pip install steepest[fast-numba]``) compiles each kernel to one
            loop, functions included (fastest per call; ~0.1 s to compile a kernel, ~1 s
            for the first in a process); ``"numexpr"`` (``pip install steepest[fast]``)
            compiles in microseconds but makes one pass per operation, using numexpr's
            thread setting (``numexpr.set_num_threads``, ``NUMEXPR_NUM_THREADS``; its
            default is one thread per core); ``True`` takes numba when installed, else
            numexpr. Without the selected backend it warns (:class:`JitWarning`) and
            replays unfused. Only the plain replay is fused: under an enclosing ``grad``
            the replay calls the primitives.
        dynamic: ``"batch"``: leave the leading axis of the array arguments out of the
            signature, so a recording made at one batch size is replayed at another when it
            provably does not depend on it (:mod:`.polymorphic`; otherwise each batch size
            is recorded once). ``None``: every shape is its own signature.
        max_retraces: recordings per signature before warning and running eagerly.

    Returns:
        A :class:`Jitted` callable with ``f``'s signature.

    Raises:
        TypeError: ``f`` is not callable, or ``max_retraces`` is not a positive int.
        ValueError: ``dynamic`` is not ``None`` or ``"batch"``, or ``fuse`` is not a bool,
            ``"numba"`` or ``"numexpr"``.

    Reference:
        The guard-and-retrace model of ``torch.compile`` (TorchDynamo, Ansel et al., ASPLOS
        2024); the stabilizing rewrites of Theano (Goodfellow et al., *Deep Learning*, §4.1).

    Example:
        >>> import numpy as np
        >>> import steepest as st
        >>> rosen = lambda x: 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        >>> g = st.jit(st.grad(rosen))
        >>> g(np.array([1.0, 1.0])).tolist(), g(np.array([0.0, 0.0])).tolist()
        ([-0.0, 0.0], [-2.0, 0.0])
        >>> g.traces  # the second call replayed the recording
        1
    """
    check_callable(f, "f")
    if isinstance(static_argnums, (int, np.integer)):
        static_argnums = (int(static_argnums),)
    if not isinstance(max_retraces, int) or isinstance(max_retraces, bool) or max_retraces < 1:
        raise TypeError(f"max_retraces must be a positive int, got {max_retraces!r}")
    if dynamic not in (None, "batch"):
        raise ValueError(f"dynamic must be None or 'batch', got {dynamic!r}")
    kind = backend(fuse if isinstance(fuse, str) else bool(fuse))
    if fuse and kind is None:
        wanted = fuse if isinstance(fuse, str) else " or ".join(BACKENDS)
        warnings.warn(f"jit(fuse={fuse!r}): the fusion backend {wanted} is not installed, so "
                      "the replay runs unfused (same values and derivatives); install it with "
                      "`pip install steepest[fast-numba]` (numba) or `steepest[fast]` "
                      "(numexpr), or pass fuse=False to silence this",
                      JitWarning, stacklevel=2)
    return Jitted(f, tuple(static_argnums), rewrite=bool(rewrite), max_retraces=max_retraces,
                  dynamic=dynamic, fuse=kind or False)


__all__ += ["JitError"]
