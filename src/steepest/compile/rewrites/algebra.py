"""Table entries for norms, variances, products and linear algebra.

``normalize``/``norm`` (max-scaled, steepest's own), ``hypot`` (a sum of squares under a square
root), ``sqrt_square`` and ``square_sqrt`` (PyTensor's ``local_sqrt_sqr``), the two variance
forms that cancel or overflow, ``log_prod``, ``inv_solve`` and ``matmul_inv`` (PyTensor's
``inv_to_solve``, both sides, stacks too) and ``log_det`` (through ``slogdet``).

Example:
    >>> sorted(r.name for r in ENTRIES)[:3]
    ['hypot', 'inv_solve', 'log_det']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ...autodiff.rules import linalg, ufunc
from ...autodiff.rules.broadcast import normalize_axis, reduced_count
from ...autodiff.tracing import getval
from ..pattern import Const, Op, Var, emit, match
from ..terms import Term
from . import ops
from .base import Rewrite, real, squares, value_of

__all__ = ["ENTRIES"]


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


def _per_slice(m: dict[str, Any]) -> bool:
    kw = m["s"].kwargs
    return bool(kw.get("keepdims")) or kw.get("axis") is None


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


def _unscaled(m: dict[str, Any]) -> bool:
    """x is not already divided by its max-abs scale (the rewritten form is not re-matched)."""
    x = m["x"]
    return not (isinstance(x, Term) and x.name == "divide" and isinstance(x.args[1], Term)
                and x.args[1].op is _scale)


def _per_slice_unscaled(m: dict[str, Any]) -> bool:
    return _per_slice(m) and _unscaled(m)


def _squares_of(p: Op) -> tuple[Op, ...]:
    return (Op("power", p, Const(2)), Op("square", p), Op("multiply", p, p))


def _axes(t: Term) -> tuple[Any, bool]:
    """A reduction term's (normalized axis, keepdims)."""
    x = value_of(t.args[0])
    return normalize_axis(t.kwargs.get("axis"), np.ndim(x)), bool(t.kwargs.get("keepdims"))


def _same_reduction(a: str, b: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: _axes(m[a]) == _axes(m[b]) and real("x")(m)


def _var(m: dict[str, Any], ddof: int = 0) -> Term:
    kw = m["s"].kwargs
    return emit(ops.stable_var, m["x"], axis=kw.get("axis"), ddof=ddof,
                keepdims=bool(kw.get("keepdims")))


def _centered_ok(m: dict[str, Any]) -> bool:
    """The inner mean broadcasts back (keepdims or a full reduction) over the summed axes."""
    axis_m, keep_m = _axes(m["m"])
    return (keep_m or axis_m is None) and axis_m == _axes(m["s"])[0] and real("x")(m)


def _ddof(m: dict[str, Any]) -> int | None:
    """0 or 1 when the divisor is the count n or n − 1, else ``None``."""
    d = m["n"]
    if isinstance(d, Term) or np.ndim(getval(d)) != 0:
        return None
    n = reduced_count(value_of(m["x"]), m["s"].kwargs.get("axis"))
    d = float(getval(d))
    return 0 if d == n else 1 if d == n - 1 and n > 1 else None


_MEAN_X = Op("mean", Var("x"), bind="m1")
_CENTERED = Op("subtract", Var("x"), Op("mean", Var("x"), bind="m"))


def _solvable(m: dict[str, Any]) -> bool:
    """Real A and b (matmul checked the shapes: A (..., n, n), b (n,) or (..., n, k))."""
    return np.ndim(value_of(m["A"])) >= 2 and real("A", "b")(m)


_SQUARE_OF_V = squares("v")


def _hypot_leaves(t: Any) -> list[tuple[bool, Any]] | None:
    """The summands of an ``add`` tree as (is a square, base or √constant), or ``None`` when a
    summand is neither a square nor a non-negative real constant."""
    if isinstance(t, Term) and t.name == "add":
        parts = [_hypot_leaves(a) for a in t.args]
        return None if any(p is None for p in parts) else [v for p in parts for v in p]
    if isinstance(t, Term):
        for p in _SQUARE_OF_V:
            m = match(p, t)
            if m is not None:
                return [(True, m["v"])]
        return None
    c = np.asarray(getval(t))
    if np.isrealobj(c) and c.dtype.kind in "fiu" and np.all(c >= 0) and np.all(np.isfinite(c)):
        return [(False, np.sqrt(c.astype(float)))]
    return None


def _hypot_ok(m: dict[str, Any]) -> bool:
    leaves = _hypot_leaves(m["a"])
    return (leaves is not None and any(sq for sq, _ in leaves)
            and all(np.isrealobj(value_of(v)) for _, v in leaves))


def _hypot(m: dict[str, Any]) -> Term:
    leaves = [v for _, v in _hypot_leaves(m["a"])]
    out = leaves[0]
    for v in leaves[1:]:
        out = emit(ufunc.hypot, out, v)
    return out


def _square_sqrt(m: dict[str, Any]) -> Term:
    return emit(ufunc.where_prim, emit(ops.nonnegative, m["x"], lo=0.0), m["x"], np.nan)


def _log_det(m: dict[str, Any]) -> Term:
    return emit(ufunc.add, emit(linalg.logabsdet, m["A"]), emit(ops.log_det_sign, m["A"]))


ENTRIES: tuple[Rewrite, ...] = (
    Rewrite("normalize", tuple(Op("divide", Var("x"), Op("sqrt", Op("sum", sq, bind="s"),
                                                          bind="r")) for sq in squares()),
            _normalize, "the sum keeps its axes (or reduces all of them)", _per_slice_unscaled,
            "x**2 overflows for |x| > 1.3e154 and underflows below 1.5e-154; scaled by max|x|"),
    Rewrite("norm", tuple(Op("sqrt", Op("sum", sq, bind="s"), bind="r") for sq in squares()),
            _norm, "always", _unscaled,
            "x**2 overflows for |x| > 1.3e154 and underflows below 1.5e-154; scaled by max|x|"),
    Rewrite("hypot", (Op("sqrt", Op("add", Var("p"), Var("q"), bind="a")),), _hypot,
            "real terms; every summand a square or a constant c ≥ 0 (as hypot(·, √c))",
            _hypot_ok,
            "x**2 + y**2 overflows for |x| > 1.3e154 and underflows below 1.5e-154; hypot scales"),
    Rewrite("sqrt_square", tuple(Op("sqrt", sq) for sq in squares()),
            lambda m: emit(ufunc.absolute, m["x"]), "real x", real("x"),
            "x**2 overflows for |x| > 1.3e154 (and its gradient is 0/0 at 0); sqrt(x²) = |x|"),
    Rewrite("square_sqrt", _squares_of(Op("sqrt", Var("x"))), _square_sqrt,
            "real x; nan below 0 as before", real("x"),
            "sqrt(x)**2 rounds twice and its derivative at 0 is 0·inf = nan; it is x for x ≥ 0"),
    Rewrite("variance_moments",
            tuple(Op("subtract", Op("mean", sq, bind="s"), sq_mean)
                  for sq in squares() for sq_mean in _squares_of(_MEAN_X)),
            _var, "real x, both means over the same axes", _same_reduction("s", "m1"),
            "mean(x²) - mean(x)² cancels when |mean| ≫ std (0 at 1e8 + [0, 1, 2])"),
    Rewrite("variance_centered",
            tuple(Op("mean", sq, bind="s") for sq in _squares_of(_CENTERED))
            + tuple(Op("divide", Op("sum", sq, bind="s"), Var("n"))
                    for sq in _squares_of(_CENTERED)),
            lambda m: _var(m, _ddof(m) if "n" in m else 0),
            "real x, the mean over the summed axes, divided by n or n - 1",
            lambda m: _centered_ok(m) and ("n" not in m or _ddof(m) is not None),
            "(x - mean)² overflows for |x - mean| > 1.3e154; scaled, corrected two-pass"),
    Rewrite("log_prod", (Op("log", Op("prod", Var("x"), bind="s")),),
            lambda m: emit(ops.log_prod, m["x"], **m["s"].kwargs), "real x", real("x"),
            "prod(x) overflows or underflows long before its log does; the exponent is "
            "carried apart"),
    Rewrite("inv_solve", (Op("matmul", Op("inv", Var("A")), Var("b")),),
            lambda m: emit(ops.solve_left, m["A"], m["b"]),
            "real A (a stack of square matrices) and b", _solvable,
            "inv(A) @ b is not backward stable (residual ~ cond(A)·eps); solve(A, b) is"),
    Rewrite("matmul_inv", (Op("matmul", Var("b"), Op("inv", Var("A"))),),
            lambda m: emit(ops.solve_right, m["b"], m["A"]),
            "real A (a stack of square matrices) and b", _solvable,
            "b @ inv(A) is not backward stable (residual ~ cond(A)·eps); solve(Aᵀ, bᵀ)ᵀ is"),
    Rewrite("log_det", (Op("log", Op("det", Var("A"))),), _log_det,
            "real A; det(A) > 0 (otherwise nan, or -inf at det 0, as before)", real("A"),
            "det(A) over- or underflows for large n (1e-200·I); log|det| from the LU pivots"),
)  # fmt: skip

