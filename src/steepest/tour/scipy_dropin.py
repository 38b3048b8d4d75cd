"""Tour section: a scipy script run unchanged with ``from steepest import minimize``."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.optimize as so
from scipy.optimize import (
    Bounds,
    LinearConstraint,
    NonlinearConstraint,
    rosen,
    rosen_der,
    rosen_hess,
    rosen_hess_prod,
)

from .. import plot
from .._minimize import minimize as steepest_minimize
from .core import SectionContext, matplotlib_available

TITLE = "From scipy to steepest"

_BOX = [(-1.5, 0.8), (-0.5, 2.0)]  # cuts off Rosenbrock's minimum (1, 1)
_X0 = np.array([-1.2, 1.0])
_HEADER = ("import numpy as np\n"
           "from scipy.optimize import (Bounds, LinearConstraint, NonlinearConstraint, rosen,\n"
           "                            rosen_der, rosen_hess)\n"
           "from scipy.optimize import minimize   # the only line that changes:\n"
           "from steepest import minimize         # <- this one\n\n")


def scipy_script(minimize: Callable[..., Any]) -> dict[str, Any]:
    """The scipy tutorial's calls, written against scipy; ``minimize`` is scipy's or ours."""
    x0 = np.array([1.3, 0.7, 0.8, 1.9, 1.2])
    out = {
        "BFGS": minimize(rosen, x0, method="BFGS", jac=rosen_der),
        "Newton-CG": minimize(rosen, x0, method="Newton-CG", jac=rosen_der, hess=rosen_hess),
        "trust-exact": minimize(rosen, x0, method="trust-exact", jac=rosen_der,
                                hess=rosen_hess),
        "L-BFGS-B": minimize(rosen, x0, method="L-BFGS-B", jac=rosen_der,
                             bounds=Bounds([0, -0.5, 0, 0, 0], [1.0, 2.0, 1, 1, 1])),
    }
    bounds = Bounds([0, -0.5], [1.0, 2.0])
    eq = {"type": "eq", "fun": lambda x: np.array([2 * x[0] + x[1] - 1]),
          "jac": lambda x: np.array([2.0, 1.0])}
    ineq = {"type": "ineq",
            "fun": lambda x: np.array([1 - x[0] - 2 * x[1], 1 - x[0] ** 2 - x[1],
                                       1 - x[0] ** 2 + x[1]]),
            "jac": lambda x: np.array([[-1.0, -2.0], [-2 * x[0], -1.0], [-2 * x[0], 1.0]])}
    out["SLSQP"] = minimize(rosen, np.array([0.5, 0]), method="SLSQP", jac=rosen_der,
                            constraints=[eq, ineq], bounds=bounds, options={"ftol": 1e-9})
    linear = LinearConstraint([[1, 2], [2, 1]], [-np.inf, 1], [1, 1])
    nonlinear = NonlinearConstraint(lambda x: [x[0] ** 2 + x[1], x[0] ** 2 - x[1]], -np.inf, 1,
                                    jac=lambda x: [[2 * x[0], 1], [2 * x[0], -1]])
    out["trust-constr"] = minimize(rosen, np.array([0.5, 0]), method="trust-constr",
                                   jac=rosen_der, hess=rosen_hess,
                                   constraints=[linear, nonlinear], bounds=bounds)
    return out


def _counts(res: Any) -> str:
    return " / ".join(str(int(res.get(k, 0))) for k in ("nfev", "njev", "nhev"))


def _side_by_side(ctx: SectionContext) -> dict[str, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy's own warnings (delta_grad == 0 ...)
        ref = scipy_script(so.minimize)
    ours = scipy_script(steepest_minimize)
    ctx.text("**One script, two libraries.** The function below is the scipy tutorial's "
             "Rosenbrock calls (BFGS, Newton-CG, trust-exact, L-BFGS-B with ``Bounds``, "
             "SLSQP with constraint dicts, trust-constr with ``LinearConstraint`` and "
             "``NonlinearConstraint``), written against scipy. It is run once with "
             "``scipy.optimize.minimize`` and once with ``steepest.minimize``, unchanged: "
             "the same method names, options, constraint forms and result fields.")
    ctx.code(_HEADER + inspect.getsource(scipy_script))
    rows, gaps = [], {}
    for name, r in ref.items():
        o = ours[name]
        gaps[name] = float(np.max(np.abs(o.x - r.x)))
        rows.append([name, _counts(r), _counts(o), np.round(r.x, 6).tolist(),
                     np.round(o.x, 6).tolist(), f"{gaps[name]:.1e}",
                     f"{bool(r.success)} / {bool(o.success)}"])
    ctx.text("Evaluations are ``nfev / njev / nhev`` as each result reports them. The "
             "answers agree to the solvers' tolerances; steepest's trust-exact, SLSQP and "
             "trust-constr are its own trust-region Newton and SQP, so their iterates are not "
             "scipy's (see ``steepest._scipy_methods`` for the mapping of each name).")
    ctx.table(["method", "scipy evals", "steepest evals", "scipy x", "steepest x",
               "max |Δx|", "success (scipy / steepest)"], rows)
    ctx.text(f"BFGS takes scipy's iterates themselves (max |Δx| {gaps['BFGS']:.1e}): the same "
             "first trial step min(1, 2.02 (f_k − f_{k−1}) / φ'(0)), MINPACK's exact Armijo "
             "test, s = αp, and the update formed as scipy forms it, A₁(HA₂) + ρssᵀ, so the "
             "rounding, the path and the evaluation count are scipy's.")
    ratio = np.exp(np.mean([np.log((ours[k].nfev + ours[k].get("njev", 0))
                                   / (ref[k].nfev + ref[k].get("njev", 0))) for k in ref]))
    ctx.summary(f"scipy tutorial script run unchanged: max |Δx| {max(gaps.values()):.1e}, "
                f"(nfev + njev) ratio {ratio:.2f} (geometric mean over {len(ref)} calls)")
    return gaps


def _outside_counter() -> tuple[Callable[[np.ndarray], float], list[int]]:
    """Rosenbrock that counts its evaluations outside ``_BOX``."""
    lo, hi = np.array(_BOX).T
    outside = [0]

    def f(x):
        outside[0] += int(np.any((x < lo) | (x > hi)))
        return rosen(x)

    return f, outside


def _bounded(ctx: SectionContext) -> None:
    f, ours_out = _outside_counter()
    ours = steepest_minimize(f, _X0, method="L-BFGS-B", jac=rosen_der, bounds=_BOX)
    g, ref_out = _outside_counter()
    ref_path = [_X0.copy()]
    ref = so.minimize(g, _X0, method="L-BFGS-B", jac=rosen_der, bounds=_BOX,
                      callback=lambda intermediate_result: ref_path.append(
                          intermediate_result.x.copy()))
    ctx.text("**L-BFGS-B inside its box.** Rosenbrock from (−1.2, 1) in the box "
             "[−1.5, 0.8] × [−0.5, 2], which cuts off the minimum (1, 1). steepest's "
             "L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995) moves along the projected-gradient path "
             "to the generalized Cauchy point, minimizes the limited-memory model over the "
             "free variables, and searches along the projected step, so it never evaluates "
             "f outside the box (counted below by a wrapper around f). The stopping test is "
             "the projected gradient ‖x − P(x − ∇f(x))‖∞, scipy's ``pgtol``.")
    ctx.table(["library", "x*", "f(x*)", "nit", "nfev", "evaluations outside the box"],
              [[name, np.round(r.x, 6).tolist(), f"{r.fun:.6g}", r.nit, r.nfev, out[0]]
               for name, r, out in (("scipy", ref, ref_out), ("steepest", ours, ours_out))])
    ctx.summary(f"L-BFGS-B in a box: {ours.nit} iterations and {ours.nfev} evaluations "
                f"(scipy {ref.nit}, {ref.nfev}), {ours_out[0]} outside the box")
    if matplotlib_available():
        _draw(ctx, ours, np.array(ref_path))


def _draw(ctx: SectionContext, ours: Any, ref_path: np.ndarray) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 5))
    plot.landscape(so.rosen, [(-2.0, 1.5), (-1.0, 2.5)], log=True, levels=25,
                   linewidths=0.6, ax=ax)
    (lo0, hi0), (lo1, hi1) = _BOX
    ax.add_patch(plt.Rectangle((lo0, lo1), hi0 - lo0, hi1 - lo1, fill=False, color="k",
                               lw=1.5, label="bounds"))
    ax.plot(ref_path[:, 0], ref_path[:, 1], "s", color="C1", ms=7, mfc="none",
            label=f"scipy L-BFGS-B ({len(ref_path) - 1} it.)")
    plot.path({f"steepest L-BFGS-B ({ours.nit} it.)": ours}, color="C3", ms=3, ax=ax)
    ax.plot(1.0, 1.0, "k*", ms=10, label="unconstrained min (1, 1)")
    ax.set_title("L-BFGS-B: the projected path stays in the box")
    ax.legend(loc="lower left", fontsize=7)
    ctx.figure(fig, "lbfgsb-box", "L-BFGS-B on Rosenbrock in a box: steepest's and scipy's "
                                  "iterates")


def _matrix_free(ctx: SectionContext, n: int = 2000) -> None:
    x0 = np.full(n, 0.5)
    rows = []
    for method in ("trust-ncg", "trust-krylov"):
        ref = so.minimize(rosen, x0, method=method, jac=rosen_der, hessp=rosen_hess_prod)
        ours = steepest_minimize(rosen, x0, method=method, jac=rosen_der,
                                 hessp=rosen_hess_prod, options={"certify": False})
        rows.append([method, f"{ref.nfev} / {ref.nhev}", f"{ours.nfev} / {ours.nhev}",
                     f"{float(np.max(np.abs(ours.x - ref.x))):.1e}",
                     f"{bool(ref.success)} / {bool(ours.success)}"])
    ctx.text(f"**Matrix-free trust regions.** Chained Rosenbrock at n = {n} with only "
             "``hessp=rosen_hess_prod``: trust-ncg solves each subproblem by Steihaug-Toint "
             "CG and trust-krylov by GLTR (the problem restricted to a growing Lanczos basis "
             "and solved exactly there, Gould, Lucidi, Roma & Toint 1999), on Hessian-vector "
             "products alone. An exact (dense) subproblem would need n products per "
             "iteration just to form the Hessian.")
    ctx.table(["method", "scipy nfev / nhev", "steepest nfev / nhev", "max |Δx|",
               "success (scipy / steepest)"], rows)
    ctx.summary(f"trust-ncg / trust-krylov at n = {n} on Hessian-vector products: "
                + ", ".join(f"{r[0]} {r[2]} vs scipy {r[1]} (nfev / nhev)" for r in rows))


def _evaluated_points(minimize: Callable[..., Any], x0: np.ndarray) -> tuple[list, Any]:
    """Every point at which L-BFGS-B evaluates chained Rosenbrock, and the result."""
    points: list[np.ndarray] = []

    def f(x):
        points.append(np.array(x, copy=True))
        return rosen(x)

    return points, minimize(f, x0, method="L-BFGS-B", jac=rosen_der)


def _lbfgsb_iterates(ctx: SectionContext, n: int = 100) -> None:
    x0 = np.tile([-1.2, 1.0], n // 2)
    ref_pts, ref = _evaluated_points(so.minimize, x0)
    pts, ours = _evaluated_points(steepest_minimize, x0)
    same = len(pts) == len(ref_pts)
    gap = max((float(np.max(np.abs(p - q))) for p, q in zip(pts, ref_pts, strict=False)),
              default=0.0)
    ctx.text(f"**L-BFGS-B without bounds takes scipy's iterates.** On chained Rosenbrock at "
             f"n = {n}, steepest's L-BFGS-B evaluates f at {len(pts)} points and scipy's at "
             f"{len(ref_pts)}; the largest difference between the k-th points is {gap:.1e} "
             f"({'the same points' if same and gap == 0 else 'they part'}). With every "
             "variable free the step is formed in the arithmetic of scipy's ``lbfgsb.c`` "
             "(its Cholesky factors of the middle matrix, inner products summed in index "
             "order), and the search, its first step and the pair update are ``lnsrlb``'s and "
             "``matupd``'s, so rounding never parts the two paths.")
    ctx.summary(f"L-BFGS-B without bounds, chained Rosenbrock n = {n}: nfev {ours.nfev} vs "
                f"scipy {ref.nfev}, max |Δx| over the evaluated points {gap:.1e}")


def run(ctx: SectionContext) -> None:
    """The scipy tutorial script through both libraries, L-BFGS-B's path in a box and its
    iterates without bounds, and the matrix-free trust-region subproblems at large n."""
    _side_by_side(ctx)
    _bounded(ctx)
    _lbfgsb_iterates(ctx)
    _matrix_free(ctx)
