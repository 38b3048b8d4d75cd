"""Table entries of the log/exp family: logsumexp, softplus, log1p, expm1, log1mexp, ...

The catalogue follows PyTensor's (``local_log1p``, ``local_expm1``, ``local_logsoftmax``,
``logsigm_to_softplus``, ``local_log_sum_exp``, ``local_log_add_exp``,
``logmexpm1_to_log1mexp``, ``logdiffexp_to_log1mexpdiff``, ``local_exp_log_nan_switch``,
``local_log_erfc``, ``local_1msigmoid``, ``local_exp_over_1_plus_exp``,
``local_reciprocal_1_plus_exp``, ``local_sigm_times_exp``, ``local_odds_sigmoid`` ...), written
here as data; ``softmax`` and the σ·(1 − σ) entry are steepest's own.

Example:
    >>> [r.name for r in ENTRIES][:3]
    ['log_softmax', 'log1m_sigmoid', 'log_sigmoid']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...autodiff.rules import shape, ufunc
from ...autodiff.rules import special as stable
from ..pattern import Const, Op, Var, emit
from ..terms import Term
from . import ops
from .base import ONE, Rewrite, always, keeps_shape, real

__all__ = ["ENTRIES"]

_EXP_X = Op("exp", Var("x"))
_SIG_X = Op(("sigmoid", "expit"), Var("x"), bind="sig")


def _per_slice(m: dict[str, Any]) -> bool:
    """The reduced sum broadcasts back along the reduced axes only."""
    kw = m["s"].kwargs
    return bool(kw.get("keepdims")) or kw.get("axis") is None


def _exp_leaves(t: Any) -> list[Any] | None:
    """The arguments of the ``exp`` terms an ``add`` tree sums, or ``None`` if a leaf is not one."""
    if isinstance(t, Term) and t.name == "add":
        parts = [_exp_leaves(a) for a in t.args]
        return None if any(p is None for p in parts) else [v for p in parts for v in p]
    if isinstance(t, Term) and t.name == "exp":
        return [t.args[0]]
    return None


def _three_or_more_exps(m: dict[str, Any]) -> bool:
    leaves = _exp_leaves(m["a"])
    return leaves is not None and len(leaves) >= 3 and real("a")(m)


def _logaddexp_n(m: dict[str, Any]) -> Term:
    return emit(stable.logsumexp_prim, emit(ops.stacked, *_exp_leaves(m["a"])), axis=0)


def _logdiffexp(m: dict[str, Any]) -> Term:
    return emit(ufunc.add, m["a"], emit(stable.log1mexp, emit(ufunc.subtract, m["b"], m["a"])))


# exp∘log pairs: (outer, inner) → (shift added to x, lower end of the domain)
_EXP_LOG = {("exp", "log"): (0.0, 0.0), ("expm1", "log1p"): (0.0, -1.0),
            ("exp", "log1p"): (1.0, -1.0), ("expm1", "log"): (-1.0, 0.0)}


def _exp_log(m: dict[str, Any]) -> Term:
    shift, lo = _EXP_LOG[(m["o"].name, m["i"].name)]
    x = m["x"] if shift == 0.0 else emit(ufunc.add, m["x"], shift)
    return emit(ufunc.where_prim, emit(ops.nonnegative, m["x"], lo=lo), x, np.nan)


# outer(inner(x)) with a stable inverse pair: (outer, inner) → (replacement, domain mask)
_OF_LOG = {
    ("softplus", "log"): (lambda x: emit(ufunc.log1p, x), lambda x: emit(ops.nonnegative, x)),
    ("log1mexp", "log"): (lambda x: emit(ufunc.log1p, emit(ufunc.negative, x)),
                          lambda x: emit(ops.nonnegative, x)),
    ("log1mexp", "log1mexp"): (lambda x: x, lambda x: emit(ops.nonpositive, x)),
    ("exp", "log1mexp"): (lambda x: emit(ufunc.negative, emit(ufunc.expm1, x)),
                          lambda x: emit(ops.nonpositive, x)),
    ("expm1", "log1mexp"): (lambda x: emit(ufunc.negative, emit(ufunc.exp, x)),
                            lambda x: emit(ops.nonpositive, x)),
}


def _of_log(m: dict[str, Any]) -> Term:
    """where(domain, value(x), nan), with x replaced by 0 outside the domain inside ``value``
    (no spurious floating-point warning there, and a zero gradient instead of 0·inf)."""
    value, domain = _OF_LOG[(m["o"].name, m["i"].name)]
    inside = domain(m["x"])
    safe = emit(ufunc.where_prim, inside, m["x"], 0.0)
    return emit(ufunc.where_prim, inside, value(safe), np.nan)


def _sigmoid_of_exp(m: dict[str, Any]) -> Term:
    """exp(x)/(1 + exp(x)) → σ(x); c/(1 + exp(x)) → c·σ(−x); 1/(1 + exp(x)) → σ(−x)."""
    if m["r"].name == "divide" and "c" not in m:
        return emit(stable.sigmoid, m["x"])
    low = emit(stable.sigmoid, emit(ufunc.negative, m["x"]))
    return low if "c" not in m else emit(ufunc.multiply, m["c"], low)


_1P_EXP = Op("add", ONE, _EXP_X, bind="a")
_1M_SIG = Op("subtract", ONE, _SIG_X, bind="d")


def _odds(m: dict[str, Any]) -> Term:
    """σ(x)/(1 − σ(x)) → exp(x); (1 − σ(x))/σ(x) → exp(−x)."""
    up = m["r"].args[0].name != "subtract"  # σ(x) on top (sigmoid and expit may both occur)
    return emit(ufunc.exp, m["x"] if up else emit(ufunc.negative, m["x"]))


def _sigmoid_derivative(m: dict[str, Any]) -> Term:
    return emit(ufunc.multiply, m["sig"], emit(stable.sigmoid, emit(ufunc.negative, m["x"])))


ENTRIES: tuple[Rewrite, ...] = (
    Rewrite("log_softmax", (Op("log", Op("softmax", Var("x"), bind="s")),),
            lambda m: emit(stable.log_softmax, m["x"], **m["s"].kwargs),
            "always", always,
            "softmax underflows to 0 for scores far below the maximum; log(0) = -inf"),
    Rewrite("log1m_sigmoid", (Op("log", Op("subtract", ONE, _SIG_X, bind="d")),
                              Op("log1p", Op("negative", _SIG_X), bind="d")),
            lambda m: emit(stable.log_sigmoid, emit(ufunc.negative, m["x"])),
            "1 broadcasts to the shape of x", keeps_shape("d", "x"),
            "1 - sigmoid(x) rounds to 0 for x > 37; log(1 - σ(x)) = log σ(-x)"),
    Rewrite("log_sigmoid", (Op("log", _SIG_X),),
            lambda m: emit(stable.log_sigmoid, m["x"]), "always", always,
            "sigmoid(x) underflows to 0 for x < -745; log σ(x) = -softplus(-x)"),
    Rewrite("softplus", (Op("log", Op("add", ONE, _EXP_X, bind="a")),
                         Op("log1p", _EXP_X, bind="a")),
            lambda m: emit(stable.softplus, m["x"]),
            "1 broadcasts to the shape of x", keeps_shape("a", "x"),
            "exp(x) overflows for x > 709 and 1 + exp(x) rounds to 1 for x < -37"),
    Rewrite("logaddexp", (Op("log", Op("add", Op("exp", Var("a")), Op("exp", Var("b")))),),
            lambda m: emit(ufunc.logaddexp, m["a"], m["b"]), "real a, b", real("a", "b"),
            "exp(a) + exp(b) overflows for a or b > 709 and underflows below -745"),
    Rewrite("logsumexp", (Op("log", Op("sum", _EXP_X, bind="s")),),
            lambda m: emit(stable.logsumexp_prim, m["x"], **m["s"].kwargs), "real x",
            real("x"), "sum(exp(x)) overflows for an x > 709; the max is shifted out first"),
    Rewrite("log1mexp", (Op("log", Op("subtract", ONE, _EXP_X, bind="d")),
                         Op("log1p", Op("negative", _EXP_X), bind="d")),
            lambda m: emit(stable.log1mexp, m["x"]),
            "1 broadcasts to the shape of x", keeps_shape("d", "x"),
            "1 - exp(x) cancels for x near 0 (log(0) at x = -1e-20) and rounds to 1 for x < -37"),
    Rewrite("log_exp", (Op("log", _EXP_X),), lambda m: m["x"], "real x", real("x"),
            "exp(x) overflows for x > 709 and underflows for x < -745; log(exp(x)) = x"),
    Rewrite("log1p", (Op("log", Op("add", ONE, Var("x"), bind="a")),),
            lambda m: emit(ufunc.log1p, m["x"]),
            "1 broadcasts to the shape of x", keeps_shape("a", "x"),
            "1 + x rounds to 1 for |x| < 1.1e-16, losing x entirely"),
    Rewrite("expm1", (Op("subtract", _EXP_X, ONE, bind="d"),
                      Op("add", _EXP_X, Const(-1), bind="d")),
            lambda m: emit(ufunc.expm1, m["x"]),
            "1 broadcasts to the shape of x", keeps_shape("d", "x"),
            "exp(x) - 1 cancels for |x| < 1e-8, losing every digit at 1e-17"),
    Rewrite("softmax", (Op("divide", _EXP_X, Op("sum", _EXP_X, bind="s")),),
            lambda m: emit(stable.softmax, m["x"], axis=m["s"].kwargs.get("axis")),
            "the sum keeps its axes (or reduces all of them)", _per_slice,
            "exp(x) overflows for x > 709 (inf / inf = nan); the max is shifted out first"),
    Rewrite("logaddexp_n", (Op("log", Op("add", Var("p"), Var("q"), bind="a")),),
            _logaddexp_n, "real arguments, every summand an exp", _three_or_more_exps,
            "exp(a) + exp(b) + exp(c) ... overflows above 709; a logsumexp of the stacked terms"),
    Rewrite("logdiffexp", (Op("log", Op("subtract", Op("exp", Var("a")), Op("exp", Var("b")))),),
            _logdiffexp, "real a, b", real("a", "b"),
            "exp(a) - exp(b) overflows above 709 and cancels for b near a; a + log1mexp(b - a)"),
    Rewrite("logmexpm1", (Op("log", Op("negative", Op("expm1", Var("x")))),),
            lambda m: emit(stable.log1mexp, m["x"]), "real x", real("x"),
            "-expm1(x) rounds to 1 for x < -37, so its log is 0, not -exp(x)"),
    Rewrite("log1p_expm1", (Op("log1p", Op("expm1", Var("x"))),), lambda m: m["x"], "real x",
            real("x"), "expm1(x) overflows for x > 709; log1p(expm1(x)) = x"),
    Rewrite("exp_log", tuple(Op(o, Op(i, Var("x"), bind="i"), bind="o") for o, i in _EXP_LOG),
            _exp_log, "real x; nan below the domain (x < 0, or x < -1 for log1p) as before",
            real("x"), "exp(log(x)) rounds twice and its derivative at x = 0 is 0·inf = nan"),
    Rewrite("log_erfc", (Op("log", Op("erfc", Var("x"))),),
            lambda m: emit(ops.log_erfc, m["x"]), "real x", real("x"),
            "erfc(x) underflows to 0 for x > 26.5; log erfc = log erfcx(x) - x²"),
    Rewrite("sigmoid_derivative", (Op("multiply", _SIG_X, Op("subtract", ONE, _SIG_X, bind="d")),),
            _sigmoid_derivative, "1 broadcasts to the shape of x", keeps_shape("d", "x"),
            "1 - sigmoid(x) rounds to 0 for x > 37; σ(x)(1 - σ(x)) = σ(x)σ(-x)"),
    Rewrite("log1m", (Op("log", Op("subtract", ONE, Var("x"), bind="d")),),
            lambda m: emit(ufunc.log1p, emit(ufunc.negative, m["x"])),
            "1 broadcasts to the shape of x", keeps_shape("d", "x"),
            "1 - x rounds to 1 for |x| < 1.1e-16, losing x entirely; log1p(-x)"),
    Rewrite("log_softmax_indexed",
            (Op("log", Op("getitem", Op("softmax", Var("x"), bind="s"), Var("i"))),),
            lambda m: emit(shape.getitem, emit(stable.log_softmax, m["x"], **m["s"].kwargs),
                           m["i"]),
            "always", always,
            "softmax(x)[i] underflows to 0 for a score far below the maximum (cross-entropy)"),
    Rewrite("odds_sigmoid", (Op("divide", _SIG_X, _1M_SIG, bind="r"),
                             Op("divide", _1M_SIG, _SIG_X, bind="r")), _odds,
            "1 broadcasts to the shape of x", keeps_shape("d", "x"),
            "1 - sigmoid(x) rounds to 0 for x > 37 (σ/(1 - σ) = inf); the odds are exp(x)"),
    Rewrite("sigmoid_of_exp", (Op("divide", _EXP_X, _1P_EXP, bind="r"),
                               Op("divide", Var("c"), _1P_EXP, bind="r"),
                               Op("reciprocal", _1P_EXP, bind="r")),
            _sigmoid_of_exp, "1 broadcasts to the shape of x", keeps_shape("a", "x"),
            "exp(x) overflows for x > 709 (inf / inf = nan, and 0·inf in the gradient); σ"),
    Rewrite("exp_times_sigmoid",
            (Op("multiply", _EXP_X, Op(("sigmoid", "expit"), Op("negative", Var("x")))),
             Op("multiply", Op("exp", Op("negative", Var("x"), bind="n")), _SIG_X)),
            lambda m: emit(stable.sigmoid, m.get("n", m["x"])), "always", always,
            "exp(x)·σ(-x) is inf·0 = nan for x > 745; it is σ(x) (and exp(-x)·σ(x) is σ(-x))"),
    Rewrite("inverse_pairs", tuple(Op(o, Op(i, Var("x"), bind="i"), bind="o") for o, i in _OF_LOG),
            _of_log, "real x; nan outside the domain (x < 0 under log, x > 0 under log1mexp)",
            real("x"), "softplus(log x) and log1mexp(log x) lose |log x|/2 ulp through exp(log x);"
            " log1p(±x)"),
    Rewrite("one_minus_sigmoid", (_1M_SIG,),
            lambda m: emit(stable.sigmoid, emit(ufunc.negative, m["x"])),
            "1 broadcasts to the shape of x", keeps_shape("d", "x"),
            "1 - sigmoid(x) rounds to 0 for x > 37; it is σ(-x)"),
)  # fmt: skip
