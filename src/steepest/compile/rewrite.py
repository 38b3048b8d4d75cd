"""The one table of stabilizing rewrites, and the pass that applies it to a fixed point.

Each :class:`Rewrite` is one entry: a pattern over the traced primitives, the replacement, the
condition under which the replacement is exact (as a check and as a sentence) and a one-line
reason. :func:`rewrite_terms` walks the terms from the outputs down (so a larger pattern wins
over one of its parts), applies the first entry of :data:`REWRITES` that matches, and repeats
until nothing matches. The rewrites run on the forward graph *before* any derivative is built,
so the derivatives of the stable forms are what reverse and forward mode see.

The catalogue follows PyTensor's (``local_log1p``, ``local_expm1``, ``local_logsoftmax``,
``logsigm_to_softplus``, ``local_log_sum_exp``, ...), written here as data; the max-scaled
norm, ``logaddexp`` and ``softmax`` entries are steepest's own.

Example:
    >>> import numpy as np
    >>> from steepest.compile.terms import trace_terms
    >>> traced = trace_terms(lambda x: np.log(1 + np.exp(x)), (np.array(1000.0),))
    >>> outputs, applied = rewrite_terms(traced.outputs)
    >>> [a.name for a in applied], float(outputs[0].value)
    (['softplus'], 1000.0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..autodiff.rules import special as stable
from ..autodiff.rules import ufunc
from ..autodiff.tracing import getval
from .pattern import Const, Op, Var, emit, match
from .terms import Term, merge_common, postorder, substitute

__all__ = ["Rewrite", "AppliedRewrite", "REWRITES", "rewrite_terms"]


@dataclass(frozen=True)
class Rewrite:
    """One entry of the table.

    Attributes:
        name: short name, shown by ``stabilize(f).rewrites(...)``.
        patterns: alternative patterns (any one matching is enough).
        build: bindings → the replacement term (or an existing term).
        exact: the condition under which the replacement equals the original, in words.
        condition: bindings → whether that condition holds here.
        reason: why the original is unstable, in one line.
    """

    name: str
    patterns: tuple[Op, ...]
    build: Callable[[dict[str, Any]], Any]
    exact: str
    condition: Callable[[dict[str, Any]], bool]
    reason: str


@dataclass(frozen=True)
class AppliedRewrite:
    """A rewrite that fired: its name, the user's source line and the reason."""

    name: str
    line: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.line or '<unknown>'}: {self.name}: {self.reason}"


class _MaxAbsScale:
    """``max |x|`` over ``axis`` (1 where it is 0 or not finite), carrying no derivative.

    A norm is homogeneous in a constant scale m > 0: ‖x‖ = m‖x/m‖ for every fixed m, so
    taking m out of differentiation is exact for every derivative order.
    """

    name = "max_abs_scale"

    def __call__(self, x: Any, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        m = np.max(np.abs(np.asarray(getval(x))), axis=axis, keepdims=keepdims)
        return np.where((m > 0) & np.isfinite(m), m, 1.0)


_scale = _MaxAbsScale()
_ONE = Const(1)


def _shape(v: Any) -> tuple[int, ...]:
    return np.shape(v.value if isinstance(v, Term) else getval(v))


def _keeps_shape(root: str, x: str) -> Callable[[dict[str, Any]], bool]:
    """Condition: the constant broadcasts to nothing larger (result shape == shape of x)."""
    return lambda m: _shape(m[root]) == _shape(m[x])


def _real(name: str) -> Callable[[dict[str, Any]], bool]:
    def check(m: dict[str, Any]) -> bool:
        v = m[name].value if isinstance(m[name], Term) else getval(m[name])
        return np.isrealobj(v)
    return check


def _per_slice(m: dict[str, Any]) -> bool:
    """The reduced sum broadcasts back along the reduced axes only."""
    kw = m["s"].kwargs
    return bool(kw.get("keepdims")) or kw.get("axis") is None


def _squares(x: str = "x") -> tuple[Op, ...]:
    return (Op("power", Var(x), Const(2)), Op("square", Var(x)), Op("multiply", Var(x), Var(x)))


def _norm(m: dict[str, Any]) -> Term:
    kw = m["s"].kwargs
    scale = emit(_scale, m["x"], axis=kw.get("axis"), keepdims=bool(kw.get("keepdims")))
    y = emit(ufunc.divide, m["x"], emit(_scale, m["x"], axis=kw.get("axis"), keepdims=True))
    return emit(ufunc.multiply, scale, emit(m["r"].op, emit(m["s"].op, emit(ufunc.square, y),
                                                          **kw)))


def _normalize(m: dict[str, Any]) -> Term:
    kw = m["s"].kwargs
    y = emit(ufunc.divide, m["x"], emit(_scale, m["x"], axis=kw.get("axis"), keepdims=True))
    return emit(ufunc.divide, y, emit(m["r"].op, emit(m["s"].op, emit(ufunc.square, y), **kw)))


def _always(m: dict[str, Any]) -> bool:
    return True


def _unscaled(m: dict[str, Any]) -> bool:
    """x is not already divided by its max-abs scale (the rewritten form is not re-matched)."""
    x = m["x"]
    return not (isinstance(x, Term) and x.name == "divide" and isinstance(x.args[1], Term)
                and x.args[1].op is _scale)


def _per_slice_unscaled(m: dict[str, Any]) -> bool:
    return _per_slice(m) and _unscaled(m)


_EXP_X = Op("exp", Var("x"))
_SIG_X = Op(("sigmoid", "expit"), Var("x"))

#: The table, in priority order: an entry above wins where two match at the same term.
REWRITES: tuple[Rewrite, ...] = (
    Rewrite("log_softmax", (Op("log", Op("softmax", Var("x"), bind="s")),),
            lambda m: emit(stable.log_softmax, m["x"], **m["s"].kwargs),
            "always", _always,
            "softmax underflows to 0 for scores far below the maximum; log(0) = -inf"),
    Rewrite("log1m_sigmoid", (Op("log", Op("subtract", _ONE, _SIG_X, bind="d")),),
            lambda m: emit(stable.log_sigmoid, emit(ufunc.negative, m["x"])),
            "1 broadcasts to the shape of x", _keeps_shape("d", "x"),
            "1 - sigmoid(x) rounds to 0 for x > 37; log(1 - σ(x)) = log σ(-x)"),
    Rewrite("log_sigmoid", (Op("log", _SIG_X),),
            lambda m: emit(stable.log_sigmoid, m["x"]), "always", _always,
            "sigmoid(x) underflows to 0 for x < -745; log σ(x) = -softplus(-x)"),
    Rewrite("softplus", (Op("log", Op("add", _ONE, _EXP_X, bind="a")),
                         Op("log1p", _EXP_X, bind="a")),
            lambda m: emit(stable.softplus, m["x"]),
            "1 broadcasts to the shape of x", _keeps_shape("a", "x"),
            "exp(x) overflows for x > 709 and 1 + exp(x) rounds to 1 for x < -37"),
    Rewrite("logaddexp", (Op("log", Op("add", Op("exp", Var("a")), Op("exp", Var("b")))),),
            lambda m: emit(ufunc.logaddexp, m["a"], m["b"]), "real a, b", _real("a"),
            "exp(a) + exp(b) overflows for a or b > 709 and underflows below -745"),
    Rewrite("logsumexp", (Op("log", Op("sum", _EXP_X, bind="s")),),
            lambda m: emit(stable.logsumexp_prim, m["x"], **m["s"].kwargs), "real x",
            _real("x"), "sum(exp(x)) overflows for an x > 709; the max is shifted out first"),
    Rewrite("log1mexp", (Op("log", Op("subtract", _ONE, _EXP_X, bind="d")),
                         Op("log1p", Op("negative", _EXP_X), bind="d")),
            lambda m: emit(stable.log1mexp, m["x"]),
            "1 broadcasts to the shape of x", _keeps_shape("d", "x"),
            "1 - exp(x) cancels for x near 0 (log(0) at x = -1e-20) and rounds to 1 for x < -37"),
    Rewrite("log_exp", (Op("log", _EXP_X),), lambda m: m["x"], "real x", _real("x"),
            "exp(x) overflows for x > 709 and underflows for x < -745; log(exp(x)) = x"),
    Rewrite("log1p", (Op("log", Op("add", _ONE, Var("x"), bind="a")),),
            lambda m: emit(ufunc.log1p, m["x"]),
            "1 broadcasts to the shape of x", _keeps_shape("a", "x"),
            "1 + x rounds to 1 for |x| < 1.1e-16, losing x entirely"),
    Rewrite("expm1", (Op("subtract", _EXP_X, _ONE, bind="d"),),
            lambda m: emit(ufunc.expm1, m["x"]),
            "1 broadcasts to the shape of x", _keeps_shape("d", "x"),
            "exp(x) - 1 cancels for |x| < 1e-8, losing every digit at 1e-17"),
    Rewrite("softmax", (Op("divide", _EXP_X, Op("sum", _EXP_X, bind="s")),),
            lambda m: emit(stable.softmax, m["x"], axis=m["s"].kwargs.get("axis")),
            "the sum keeps its axes (or reduces all of them)", _per_slice,
            "exp(x) overflows for x > 709 (inf / inf = nan); the max is shifted out first"),
    Rewrite("normalize", tuple(Op("divide", Var("x"), Op("sqrt", Op("sum", sq, bind="s"),
                                                          bind="r")) for sq in _squares()),
            _normalize, "the sum keeps its axes (or reduces all of them)", _per_slice_unscaled,
            "x**2 overflows for |x| > 1.3e154 and underflows below 1.5e-154; scaled by max|x|"),
    Rewrite("norm", tuple(Op("sqrt", Op("sum", sq, bind="s"), bind="r") for sq in _squares()),
            _norm, "always", _unscaled,
            "x**2 overflows for |x| > 1.3e154 and underflows below 1.5e-154; scaled by max|x|"),
)  # fmt: skip


def _first_match(t: Term) -> tuple[Rewrite, Any] | None:
    for rule in REWRITES:
        for pattern in rule.patterns:
            m = match(pattern, t)
            if m is not None and rule.condition(m):
                return rule, rule.build(m)
    return None


def rewrite_terms(outputs: list[Any],
                  limit: int = 10_000) -> tuple[list[Any], list[AppliedRewrite]]:
    """Apply :data:`REWRITES` to a fixed point.

    Args:
        outputs: output terms (or constants) of a traced computation.
        limit: at most this many rewrites (each strictly shrinks the set of unstable
            patterns, so the limit only guards against a faulty table entry).

    Returns:
        The rewritten outputs and the rewrites applied, in order.
    """
    applied: list[AppliedRewrite] = []
    outputs = merge_common(outputs)
    while len(applied) < limit:
        for t in reversed(postorder(outputs)):
            hit = _first_match(t)
            if hit is not None:
                break
        else:
            break
        rule, new = hit
        if isinstance(new, Term) and new.line is None:
            new.line = t.line
        applied.append(AppliedRewrite(rule.name, t.line, rule.reason))
        outputs = merge_common(substitute(outputs, t, new))
    return outputs, applied
