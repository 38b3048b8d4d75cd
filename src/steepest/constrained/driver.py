"""``minimize_constrained`` / ``maximize_constrained``: one entry point for every method.

``steepest.minimize(..., constraints=..., bounds=...)`` delegates here.

Methods (a registry, not an if-chain):

* ``"sqp"`` (default) — KKT-Newton / SQP with an active set (:mod:`.sqp`).
* ``"augmented-lagrangian"`` — method of multipliers with an inner unconstrained solver
  (L-BFGS or Newton from :func:`steepest.unconstrained.minimize_unconstrained`)
  (:mod:`.augmented_lagrangian`).
* ``"projected-gradient"`` — when ``constraints`` is a :class:`Projection` (:mod:`.projected`).

Unconstrained method names passed on by ``minimize`` map to the closest constrained method
(:data:`ALIASES`): "newton"/"trust-newton"/"newton-cg" → SQP with exact Hessians, "bfgs" → SQP
with damped BFGS, "lbfgs"/"cg"/"gd" → augmented Lagrangian with an L-BFGS inner solver.

Maximization follows eqs. 4.19–4.20: we minimize −f and report the multipliers of
L = f + Σλg − Σαh with α ≥ 0 (see :mod:`steepest.constrained.kkt`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from .._options import did_you_mean
from .._progress import iteration_reporters
from ..objective import Objective
from .augmented_lagrangian import augmented_lagrangian
from .constraints import ConstraintSet, Eq, Ineq, expand_constraints
from .projected import projected_gradient_result
from .projections import Projection
from .pytree import PytreeProblem, is_pytree
from .result import ConstrainedResult
from .sqp import sqp

__all__ = ["minimize_constrained", "maximize_constrained", "METHODS", "ALIASES"]


def _run_sqp(obj, cs, x0, tol, options, callback, report=None):
    return sqp(obj, cs, x0, tol=tol, options=options, callback=callback, on_row=report)


def _run_al(obj, cs, x0, tol, options, callback, report=None):
    return augmented_lagrangian(obj, cs, x0, tol=tol, options=options, callback=callback,
                                on_row=report)


_CONSTRAINT_TYPES = (Eq, Ineq)

METHODS: dict[str, Callable] = {
    "sqp": _run_sqp,
    "augmented-lagrangian": _run_al,
    "al": _run_al,
}

#: the trace key each method's ``disp`` lines show beside f and the KKT residual
_SECOND_COLUMN = {"sqp": "step", "augmented-lagrangian": "violation", "al": "violation"}

# unconstrained method names (as passed on by ``steepest.minimize``) mapped to the
# constrained method that uses the same kind of curvature, with its default options
ALIASES: dict[str, tuple[str, dict]] = {
    "newton": ("sqp", {"hessian": "exact"}),
    "trust-newton": ("sqp", {"hessian": "exact"}),
    "newton-cg": ("sqp", {"hessian": "exact"}),
    "bfgs": ("sqp", {"hessian": "bfgs"}),
    "lbfgs": ("augmented-lagrangian", {"inner": "lbfgs"}),
    "cg": ("augmented-lagrangian", {"inner": "lbfgs"}),
    "gd": ("augmented-lagrangian", {"inner": "lbfgs"}),
}


def _resolve(method, options):
    if method is None:
        return "sqp", dict(options or {})
    if method in ALIASES:
        name, defaults = ALIASES[method]
        return name, {**defaults, **(options or {})}
    return method, options


def _value_and_grad(fun):
    """Split fun(x) -> (f, g) (``jac=True``) into f and ∇f sharing one evaluation per x."""
    cache: dict = {}

    def both(x, *args):
        key = (np.asarray(x, dtype=float).tobytes(), args)
        if cache.get("key") != key:
            f, g = fun(x, *args)
            cache.update(key=key, f=f, g=np.asarray(g, dtype=float))
        return cache["f"], cache["g"]

    return (lambda x, *a: both(x, *a)[0]), (lambda x, *a: both(x, *a)[1])


_DIFFERENCES = ("2-point", "3-point", "cs", False)  # handled by the Objective


def _derivatives(fun, jac, hess, hessp, n):
    if jac is True:
        fun, jac = _value_and_grad(fun)
    elif jac is not None and not callable(jac) and jac not in _DIFFERENCES:
        raise ValueError(f"jac={jac!r} is not supported for constrained problems: pass a "
                         "callable ∇f, True (fun returns (f, g)), None (autodiff) or one of "
                         f"{_DIFFERENCES} (finite differences).")
    if hess is None and hessp is not None:
        def hess(x, *a):
            return np.column_stack([_hessp_column(hessp, x, e, a) for e in np.eye(n)])
    return fun, jac, hess


def _hessp_column(hessp, x, e, args) -> np.ndarray:
    """``hessp(x, e, *args)`` as a float vector of ``x``'s length (a column of ∇²f)."""
    col = np.asarray(hessp(x, e, *args), dtype=float)
    if col.shape != e.shape:
        raise ValueError(f"hessp must return a vector of shape {e.shape} (like x and p), got "
                         f"shape {col.shape}; return ∇²f(x) @ p for p of x's length")
    return col


def _solve_pytree(fun, x0, sign, method, args, jac, hess, bounds, constraints, tol, options,
                  callback):
    """Solve over the flattened pytree (see :mod:`.pytree`)."""
    if isinstance(constraints, Projection) or jac is True:
        raise ValueError("with a pytree x0, give Eq/Ineq constraints and jac as a callable or "
                         "None; projections and jac=True need a flat vector x0.")
    pt = PytreeProblem(fun, x0, jac, hess)
    if isinstance(constraints, (dict, *_CONSTRAINT_TYPES)):
        constraints = [constraints]
    cons = [pt.constraint(k) for c in (constraints or []) for k in expand_constraints(c)]
    if _resolve(method, None)[0] == "sqp":  # no autodiff Hessian through the flattening
        options = {"hessian": "bfgs", **(options or {})}
    res = _solve(pt.fun, pt.flat0, sign, method, args, pt.jac, None, bounds, cons, tol,
                 options, callback)
    return pt.finish(res)


def _solve(fun, x0, sign, method, args, jac, hess, bounds, constraints, tol, options,
           callback, hessp=None) -> ConstrainedResult:
    if is_pytree(x0):
        return _solve_pytree(fun, x0, sign, method, args, jac, hess, bounds, constraints, tol,
                             options, callback)
    x0 = np.asarray(x0, dtype=float)
    if x0.ndim != 1:
        raise ValueError(f"x0 must be a 1-D vector; got shape {x0.shape} "
                         "(flatten pytrees with steepest.tree.ravel_pytree).")
    fun, jac, hess = _derivatives(fun, jac, hess, hessp, x0.size)
    if isinstance(constraints, Projection) or method == "projected-gradient":
        return projected_gradient_result(fun, x0, constraints, sign=sign, args=args, jac=jac,
                                         bounds=bounds, tol=tol, options=options,
                                         callback=callback)
    method, options = _resolve(method, options)
    if method not in METHODS:
        names = [*sorted(METHODS), "projected-gradient"]
        raise ValueError(f"unknown constrained method {method!r}"
                         f"{did_you_mean(method, [*names, *ALIASES])}; choose one of {names} "
                         f"(or an unconstrained name mapped by ALIASES: {sorted(ALIASES)}).")
    if tol is not None and not tol > 0:
        raise ValueError(f"tol must be positive; got {tol}.")
    cs = ConstraintSet.build(constraints, bounds=bounds, n=x0.size, args=args)
    obj = Objective(fun, x0, args=args, jac=jac, hess=hess, sign=sign, traceable=True)
    disp, progress = False, None
    if isinstance(options, Mapping):  # anything else is rejected by the method's check
        options = dict(options)
        disp, progress = options.pop("disp", False), options.pop("progress", None)
    second = _SECOND_COLUMN[method]
    reporters = iteration_reporters(disp, progress, None, labels=("kkt", second))

    def report(row):
        reporters.row(row["nit"], row["f"], row["kkt"], row[second], obj.nfev, obj.njev)

    res = METHODS[method](obj, cs, x0, tol or 1e-9, options, callback,
                          report if reporters else None)
    reporters.close(res)
    return res


def minimize_constrained(fun, x0, *, method: str = "sqp", args=(), jac=None, hess=None,
                         bounds=None, constraints=(), tol: float | None = None, options=None,
                         callback=None, hessp=None) -> ConstrainedResult:
    """Minimize f(x) subject to g(x) = 0, h(x) ≤ 0 and bounds, with a KKT certificate.

    The solution satisfies, with L = f + Σλg + Σαh (eq. 4.14): ∇ₓL = 0, g = 0, h ≤ 0, α ≥ 0,
    α ⊙ h = 0 — each residual is reported in ``result.kkt``.

    Args:
        fun: f(x, *args) → float. x0: starting point, a 1-D vector or a pytree (nested
            dict/list/tuple of arrays; see :mod:`steepest.constrained.pytree`).
        method: "sqp" (default), "augmented-lagrangian" or "projected-gradient"; unconstrained
            names ("bfgs", "newton", "lbfgs", ...) map through :data:`ALIASES`.
        args: extra arguments for fun/jac/hess and the constraint functions.
        jac: ∇f(x, *args), True (fun returns (f, ∇f)), or None (steepest.autodiff).
        hess: ∇²f(x, *args) (default: autodiff when available, else SQP uses damped BFGS).
        bounds: (lower, upper), a list of (lo, hi) pairs, or scipy Bounds.
        constraints: Eq/Ineq objects, scipy-style dicts, or a Projection.
        tol: KKT tolerance (default 1e-9). options: method options (see each method); with
            SQP and the augmented Lagrangian also ``disp`` (``k``: a line every ``k``
            iterations — f, the KKT residual, the step or the constraint violation, nfev,
            njev — and the final message) and ``progress`` (a live bar), as in
            :func:`steepest.minimize` (:mod:`steepest._progress`).
        callback: callback(x) after each iteration.
        hessp: Hessian-vector product hessp(x, v, *args), used (n products) when hess is None.

    Returns:
        ConstrainedResult with x, fun, lam, alpha, active_set, kkt, counts, status.

    Example:
        >>> import numpy as np
        >>> from steepest.constrained import Eq
        >>> res = minimize_constrained(
        ...     lambda x: x[0] + x[1], np.array([1.0, -2.0]), jac=lambda x: np.ones(2),
        ...     hess=lambda x: np.zeros((2, 2)),
        ...     constraints=[Eq(lambda x: 0.5 * x @ x - 16, jac=lambda x: x,
        ...                     hess=lambda x, v: v[0] * np.eye(2))])
        >>> np.round(res.x, 8).tolist(), round(float(res.lam[0]), 8), res.kkt.passed
        ([-4.0, -4.0], 0.25, True)
    """
    return _solve(fun, x0, 1.0, method, args, jac, hess, bounds, constraints, tol, options,
                  callback, hessp)


def maximize_constrained(fun, x0, *, method: str = "sqp", args=(), jac=None, hess=None,
                         bounds=None, constraints=(), tol: float | None = None, options=None,
                         callback=None, hessp=None) -> ConstrainedResult:
    """Maximize f(x) subject to constraints (eqs. 4.19–4.20).

    Solved as min −f; the reported multipliers are those of L = f + Σλg − Σαh with α ≥ 0, so
    that ∇f + Jgᵀλ − Jhᵀα = 0 at the optimum and ``fun`` is f (not −f).

    Args:
        fun, x0, method, args, jac, hess, bounds, constraints, tol, options, callback, hessp:
            as in :func:`minimize_constrained`; the derivatives are those of f itself.

    Returns:
        A :class:`ConstrainedResult` with ``fun`` = f(x) and the multipliers in the
        maximisation convention above.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (eqs. 4.19-4.20).

    Example:
        >>> import numpy as np
        >>> from steepest.constrained import Eq
        >>> res = maximize_constrained(
        ...     lambda x: x[0] + x[1], np.array([1.0, 2.0]), jac=lambda x: np.ones(2),
        ...     hess=lambda x: np.zeros((2, 2)),
        ...     constraints=[Eq(lambda x: 0.5 * x @ x - 16, jac=lambda x: x,
        ...                     hess=lambda x, v: v[0] * np.eye(2))])
        >>> np.round(res.x, 10).tolist(), round(res.fun, 10), round(float(res.lam[0]), 10)
        ([4.0, 4.0], 8.0, -0.25)
    """
    return _solve(fun, x0, -1.0, method, args, jac, hess, bounds, constraints, tol, options,
                  callback, hessp)
