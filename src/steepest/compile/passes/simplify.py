"""Exact simplifications of (mostly derivative) graphs: each replacement computes the same
bits as the original on every input (any NaN counting as equal to any NaN).

The rules, each with the floating-point fact that makes it exact:

- ``reshape(x, s)``, ``broadcast_to(x, s)`` with ``s`` already ``x``'s shape, ``transpose``
  by the identity → ``x`` (no arithmetic).
- a one-element constant broadcast to the other operand's shape (the seed of ``sum``'s
  backward pass) in ``+ - * /`` → the element itself; ``op(broadcast_to(z, s), y)`` with
  ``y`` of the result's shape → ``op(z, y)``: these four operations are correctly rounded, so
  each element is the same whichever loop and broadcasting computes it.
- ``x * 1``, ``x / 1``, ``x + (−0.0)``, ``x − (+0.0)`` → ``x`` (IEEE 754 identities; note
  ``x + (+0.0)`` is *not* one: it turns −0 into +0); with integers ``x ± 0`` → ``x``.
- ``−(−a)`` → ``a``; ``−(c·a)`` → ``(−c)·a``; ``(−a)·b`` → ``a·(−b)`` when ``−b`` is free (a
  constant, a negation, a single-use constant multiple); ``x + (−y)`` → ``x − y``,
  ``x − (−y)`` → ``x + y``, ``x + (−a)·b`` → ``x − a·b``: round-to-nearest is symmetric,
  so ``round(−z) = −round(z)``, and IEEE defines ``x − y`` as ``x + (−y)``.
- ``c₁·(p·x)`` → ``(c₁p)·x`` for ``p = ±2ᵏ`` (k ≥ 0) and ``|c₁| ≥ 1``: ``p·x`` is exact (or
  overflows, and then so does the rewritten product), and ``c₁p`` is exact, so both sides are
  one rounding of the same real number.

Every rule keeps the result's shape and dtype (checked on the traced values) and works on
real floating and signed integer values only.

Example:
    >>> import numpy as np
    >>> from steepest.compile.terms import Term
    >>> from steepest.compile.rawops import RawOp
    >>> x = Term(None, value=np.arange(3.0))
    >>> neg = RawOp(np.negative, "negative")
    >>> twice = Term(neg, (Term(neg, (x,), {}, -x.value),), {}, x.value)
    >>> simplify_rule(twice, {}) is x
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..terms import Term
from .graph import dtype_of, op_for, plain_fun, scalar_const, uniform, value

__all__ = ["simplify_rule", "negated", "is_pow2_up"]

_BASIC = (np.add, np.subtract, np.multiply, np.true_divide)
_INT_EXACT = 2 ** 53


def _kind_ok(v: Any) -> bool:
    dt = dtype_of(v)
    return dt is not None and dt.kind in "fi"


def _layout(a: Any) -> tuple:
    v = value(a)
    dt = dtype_of(v)
    return (np.shape(v), dt, type(v)) if dt is not None else ((), None, None)


def _same_layout(t: Term, a: Any) -> bool:
    return isinstance(a, Term) and _layout(t)[1] is not None and _layout(a) == _layout(t)


def _sample(a: Any) -> Any:
    if isinstance(a, Term):
        return np.asarray(value(a)).reshape(-1)[:1]
    return a


def _dtype_kept(fun: Any, args: tuple, t: Term) -> bool:
    """Whether ``fun(*args)`` has ``t``'s dtype and shape (shapes from the traced values)."""
    try:
        if any(dtype_of(value(a)) is None for a in args):
            return False
        with np.errstate(all="ignore"):
            dt = dtype_of(fun(*[_sample(a) for a in args]))
        shape = np.broadcast_shapes(*[np.shape(value(a)) for a in args])
    except (TypeError, ValueError, OverflowError):
        return False
    return _layout(t)[1] is not None and dt == _layout(t)[1] and shape == _layout(t)[0]


def _new(t: Term, fun: Any, args: tuple) -> Term | None:
    """``fun(*args)`` as a new term with ``t``'s value, when it keeps ``t``'s layout."""
    if not _dtype_kept(fun, args, t):
        return None
    return Term(op_for(t, fun), args, {}, t.value, t.line)


def _is(a: Any, fun: Any) -> bool:
    return isinstance(a, Term) and plain_fun(a) is fun and not a.kwargs


def _neg_const(c: Any) -> Any:
    if type(c) is int and abs(c) > _INT_EXACT:
        return None
    if type(c) in (int, float) or isinstance(c, np.floating):  # NumPy ints could wrap
        return -c
    return None


def negated(x: Any, uses: dict[int, int]) -> Any:
    """A term or constant exactly ``−x`` that costs no extra work, or ``None``."""
    if not isinstance(x, Term):
        return _neg_const(x)
    if _is(x, np.negative):
        return x.args[0]
    if _is(x, np.multiply) and uses.get(id(x), 0) <= 1 and _kind_ok(value(x)):
        p, q = x.args
        for i, (c, other) in enumerate(((p, q), (q, p))):
            n = _neg_const(c) if not isinstance(c, Term) else (
                c.args[0] if _is(c, np.negative) else None)
            if n is not None:
                args = (n, other) if i == 0 else (other, n)
                return _new(x, np.multiply, args)
    return None


def is_pow2_up(c: Any) -> bool:
    """Whether ``c`` is ±2ᵏ with k ≥ 0 (so ``c·x`` is exact unless it overflows)."""
    if not scalar_const(c) or (type(c) is int and abs(c) > _INT_EXACT):
        return False
    f = float(c)
    m, e = np.frexp(f)
    return np.isfinite(f) and abs(m) == 0.5 and e >= 1  # noqa: PLR2004


def _noop_view(t: Term, fun: Any) -> Any:
    x = t.args[0] if t.args else None
    if not isinstance(x, Term):
        return None
    if fun in (np.reshape, np.broadcast_to) and len(t.args) == 2 and not t.kwargs \
            and _same_layout(t, x):
        return x
    if fun is np.transpose and _same_layout(t, x):
        axes = t.args[1] if len(t.args) > 1 else t.kwargs.get("axes")
        if axes is not None and tuple(axes) == tuple(range(np.ndim(value(x)))):
            return x
    return None


def _unbroadcast(t: Term, fun: Any) -> Any:
    """A one-element constant or a ``broadcast_to`` operand → what it broadcasts."""
    a, b = t.args
    for i, (c, y) in enumerate(((a, b), (b, a))):
        if not (isinstance(y, Term) and np.shape(value(y)) == _layout(t)[0]):
            continue
        if type(c) is np.ndarray and uniform(c) is not None:
            small = uniform(c)
        elif _is(c, np.broadcast_to) and isinstance(c.args[0], Term):
            small = c.args[0]
        else:
            continue
        new = _new(t, fun, (small, y) if i == 0 else (y, small))
        if new is not None:
            return new
    return None


def _identity(t: Term, fun: Any) -> Any:
    """``x·1``, ``x/1``, ``x + (−0.0)``, ``x − (+0.0)`` (and integer ``x ± 0``) → ``x``."""
    a, b = t.args
    pairs = [(a, b), (b, a)] if fun in (np.multiply, np.add) else [(a, b)]
    for y, c in pairs:
        u = uniform(c)
        if u is None or not _same_layout(t, y) or not _kind_ok(value(y)):
            continue
        if fun in (np.multiply, np.true_divide) and u == 1:
            return y
        ints = _layout(y)[1].kind == "i"
        if fun is np.add and u == 0 and (ints or np.signbit(u)):
            return y
        if fun is np.subtract and u == 0 and (ints or not np.signbit(u)):
            return y
    return None


def _signs(t: Term, fun: Any, uses: dict[int, int]) -> Any:
    """Negations absorbed into constants, pairs and subtractions."""
    if fun is np.negative and len(t.args) == 1:
        n = negated(t.args[0], uses)
        return n if isinstance(n, Term) and _same_layout(t, n) else None
    if len(t.args) != 2 or not _kind_ok(t.value):  # noqa: PLR2004
        return None
    a, b = t.args
    if fun is np.multiply:
        for i, (m, other) in enumerate(((a, b), (b, a))):
            if _is(m, np.negative):
                n = negated(other, uses)
                if n is not None:
                    return _new(t, np.multiply, (m.args[0], n) if i == 0 else (n, m.args[0]))
    if fun is np.add:
        for x, z in ((a, b), (b, a)):
            if _is(z, np.negative):
                return _new(t, np.subtract, (x, z.args[0]))
            if _is(z, np.multiply) and uses.get(id(z), 0) <= 1 and any(
                    _is(p, np.negative) for p in z.args):
                p, q = z.args
                inner = (p.args[0], q) if _is(p, np.negative) else (p, q.args[0])
                m = _new(z, np.multiply, inner)
                if m is not None:
                    return _new(t, np.subtract, (x, m))
    if fun is np.subtract and _is(b, np.negative):
        return _new(t, np.add, (a, b.args[0]))
    return None


def _scale_pow2(t: Term, fun: Any, uses: dict[int, int]) -> Any:
    """``c₁·(p·x)`` → ``(c₁p)·x`` for ``p = ±2ᵏ``, k ≥ 0, ``|c₁| ≥ 1``."""
    if fun is not np.multiply:
        return None
    a, b = t.args
    for c1, m in ((a, b), (b, a)):
        if not (scalar_const(c1) and _is(m, np.multiply) and uses.get(id(m), 0) <= 1):
            continue
        if type(c1) is int and abs(c1) > _INT_EXACT or not abs(float(c1)) >= 1:
            continue
        p, q = m.args
        for c2, x in ((p, q), (q, p)):
            dt = _layout(t)[1]
            if is_pow2_up(c2) and isinstance(x, Term) and dt is not None and dt.kind == "f" \
                    and _layout(x)[1] == _layout(m)[1] == dt:
                c = c1 * c2
                if np.isfinite(float(c)):
                    return _new(t, np.multiply, (c, x))
    return None


def simplify_rule(t: Term, uses: dict[int, int]) -> Any:
    """One exact simplification of ``t``, or ``None``."""
    fun = plain_fun(t)
    if fun is None:
        return None
    view = _noop_view(t, fun)
    if view is not None:
        return view
    if t.kwargs:
        return None
    if fun in _BASIC and len(t.args) == 2:  # noqa: PLR2004
        for rule in (_unbroadcast, _identity):
            r = rule(t, fun)
            if r is not None:
                return r
    r = _signs(t, fun, uses)
    if r is not None:
        return r
    return _scale_pow2(t, fun, uses)
