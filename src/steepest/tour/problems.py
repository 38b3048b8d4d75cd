"""Tour section: test problems, univariate searches, linear CG and hill climbing.

Shows the Moré–Garbow–Hillstrom collection (Moré, Garbow & Hillstrom 1981), the 2-D classics,
the four univariate methods on Liquet et al.'s eq. (4.52), linear conjugate gradient
(Liquet §4.5) with and without a preconditioner, and hill climbing (Goodfellow §4.3).
"""

from __future__ import annotations

import numpy as np

from .. import plot
from .._minimize import minimize
from ..problems import beale, himmelblau, mgh_problems, peaks, rosenbrock
from ..unconstrained.discrete import hill_climb
from ..unconstrained.linear_cg import conjugate_gradient
from ..unconstrained.univariate import newton_1d, secant
from ..unconstrained.univariate_bracket import brent, golden_section
from .core import SectionContext, matplotlib_available

TITLE = "Test problems, univariate search and linear conjugate gradient"


def run(ctx: SectionContext) -> None:
    """Write the section."""
    _mgh_table(ctx)
    if matplotlib_available():
        _landscapes(ctx)
    _profile(ctx)
    _univariate(ctx)
    _linear_cg(ctx)
    _hill_climbing(ctx)


def _mgh_table(ctx: SectionContext) -> None:
    probs = mgh_problems()
    ctx.text(
        "**The Moré–Garbow–Hillstrom problems** (`steepest.problems.mgh_problems()`): 35 "
        "sums of squares with their standard starting points, analytic Jacobians, Hessians "
        "by automatic differentiation, and the minimum values the paper prints. The test "
        "suite re-derives every nonzero published minimum with a Levenberg–Marquardt run."
    )
    rows = [
        [p.number, p.title, p.n, p.m, f"{float(p.fun(p.x0)):.6g}", f"{p.f_star:.6g}",
         "yes" if p.x_star is not None else ""]
        for p in probs
    ]  # fmt: skip
    ctx.table(["#", "problem", "n", "m", "f(x0)", "f*", "x* stored"], rows)
    ctx.summary(f"{len(probs)} MGH problems; f(x0) >= f* on all: "
                f"{all(float(p.fun(p.x0)) >= p.f_star for p in probs)}")  # fmt: skip


def _landscapes(ctx: SectionContext) -> None:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 4, figsize=(16, 3.8))
    boxes = [(-2, 2, -1, 3), (-5, 5, -5, 5), (-4.5, 4.5, -4.5, 4.5), (-3, 3, -3, 3)]
    for ax, p, (a, b, c, d) in zip(axes, [rosenbrock(), himmelblau(), beale(), peaks()], boxes):
        # log=1.0: levels of log10(1 + f - min f), i.e. of log1p(f - min f)
        plot.landscape(p.fun, [(a, b), (c, d)], n=150, levels=25, linewidths=0.7,
                       log=False if p.name == "peaks" else 1.0, ax=ax)
        ax.plot(*p.x0, "ko", label="x0")
        ax.plot(*p.x_star, "r*", markersize=12, label="x*")
        ax.set_title(f"{p.title}: f* = {p.f_star:.4g}")
        ax.legend(loc="upper left", fontsize=7)
    ctx.figure(fig, "landscapes", "Rosenbrock, Himmelblau, Beale and peaks: start and minimum")


PROFILE_METHODS, PROFILE_TOL = ("bfgs", "lbfgs", "cg"), 1e-6


def mgh_costs() -> dict[str, dict[str, float]]:
    """Function evaluations of each method on each MGH problem, ``inf`` when not solved.

    Solved means the Moré–Wild test f(x) − f* ≤ τ (f(x0) − f*) with τ = 1e-6, within 500
    iterations, from the standard start, with the problem's analytic gradient.
    """
    table: dict[str, dict[str, float]] = {m: {} for m in PROFILE_METHODS}
    for p in mgh_problems():
        f0 = float(p.fun(p.x0))
        for m in PROFILE_METHODS:
            with np.errstate(all="ignore"):  # some starts overflow exp on trial steps
                r = minimize(p.fun, p.x0, method=m, jac=p.grad, options={"maxiter": 500})
            solved = np.isfinite(r.fun) and r.fun - p.f_star <= PROFILE_TOL * (f0 - p.f_star)
            table[m][p.title] = float(r.nfev) if solved else np.inf
    return table


def _profile(ctx: SectionContext) -> None:
    table = mgh_costs()
    solved = {m: int(np.isfinite(list(row.values())).sum()) for m, row in table.items()}
    ctx.text(
        "**A Dolan–Moré performance profile** of BFGS, L-BFGS and nonlinear CG on the 35 MGH "
        "problems: the cost is the number of function evaluations until "
        f"f − f* ≤ {PROFILE_TOL:g}·(f(x0) − f*) (Moré–Wild), within 500 iterations. "
        "ρ(τ) is the share of problems a method solves within a factor τ of the cheapest one; "
        "ρ(1) counts its wins, the right end what it solves at all. Solved: "
        + ", ".join(f"{m} {k}/35" for m, k in solved.items()) + ".")
    ctx.summary("MGH profile, problems solved: " + ", ".join(f"{m} {k}" for m, k in
                                                            solved.items()))
    if matplotlib_available():
        ax = plot.profile(table)
        ax.set_title("Performance profile on the MGH problems (function evaluations)")
        ctx.figure(ax.figure, "profile", "Dolan–Moré profile of BFGS, L-BFGS and CG on the "
                   "35 Moré–Garbow–Hillstrom problems")


def _c(t: float) -> float:
    return (t - 3.0) ** 2 * (t + 3.0)


def _univariate(ctx: SectionContext) -> None:
    d1, d2 = (lambda t: 3.0 * (t - 3.0) * (t + 1.0)), (lambda t: 6.0 * (t - 1.0))
    runs = {
        "newton_1d from 1.5": newton_1d(_c, 1.5, fprime=d1, fprime2=d2),
        "secant from 4, 3.9": secant(_c, 4.0, 3.9, fprime=d1),
        "golden_section on [1.5, 5]": golden_section(_c, (1.5, 5.0)),
        "brent on [1.5, 5]": brent(_c, (1.5, 5.0)),
    }
    ctx.text(
        "**Univariate minimization** of C(θ) = (θ − 3)²(θ + 3) (Liquet eq. 4.52, minimum at "
        "θ = 3). Newton overshoots to 5.25 first, then converges quadratically; the secant "
        "method needs only C′ and converges superlinearly; golden section and Brent need no "
        "derivatives and shrink an interval."
    )
    rows = [[name, r.nit, r.nfev, r.nder, f"{abs(r.x - 3.0):.1e}", r.kind, r.status.name.lower()]
            for name, r in runs.items()]  # fmt: skip
    ctx.table(["method", "iterations", "C evals", "derivative evals", "|θ − 3|", "kind",
               "status"], rows)  # fmt: skip
    first = runs["newton_1d from 1.5"].iterates[:5]
    ctx.text("Newton iterates: " + ", ".join(f"{t:.4f}" for t in first) + " (the book's "
             "1.5, 5.25, 3.5956, 3.0683, 3.0011).")  # fmt: skip
    ctx.summary("Newton on (θ−3)²(θ+3) from 1.5: " + ", ".join(f"{t:.4f}" for t in first))


def _cg_system(n: int, cond: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (q * np.geomspace(1.0, cond, n)) @ q.T
    return 0.5 * (A + A.T), rng.standard_normal(n)


def _diag_dominated(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    d = np.logspace(0, 6, n)
    rng.shuffle(d)
    E = rng.standard_normal((n, n))
    return np.diag(d) + 0.001 * (E + E.T) * np.sqrt(np.outer(d, d)), rng.standard_normal(n)


def _linear_cg(ctx: SectionContext) -> None:
    n = 200
    cases = {f"cond {c:g}": _cg_system(n, c, 1) for c in (1e1, 1e3, 1e5)}
    A, b = _diag_dominated(n, 0)
    results = {name: conjugate_gradient(A_, b_, tol=1e-10) for name, (A_, b_) in cases.items()}
    results["diag-dominated, cond ~1e6"] = conjugate_gradient(A, b, tol=1e-10)
    results["same, Jacobi preconditioner"] = conjugate_gradient(A, b, tol=1e-10, M="jacobi")
    ctx.text(
        f"**Linear conjugate gradient** on {n}×{n} SPD systems: exact line searches along "
        "A-conjugate directions (α and β of Liquet et al. §4.5). In exact arithmetic it ends "
        "within n steps; in floating point the iteration count grows with the condition "
        "number, and a Jacobi preconditioner (1/diag A) repairs a badly scaled diagonal."
    )
    rows = [
        [name, r.nit, f"{r.residual_norm / np.linalg.norm(b_):.1e}", r.status.name.lower()]
        for (name, r), b_ in zip(results.items(), [*(c[1] for c in cases.values()), b, b])
    ]
    ctx.table(["system", "iterations", "‖b − Ax‖/‖b‖", "status"], rows)
    jac = results["same, Jacobi preconditioner"].nit
    plain = results["diag-dominated, cond ~1e6"].nit
    ctx.summary(f"linear CG n={n}: Jacobi preconditioning {plain} -> {jac} iterations")
    if matplotlib_available():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6.5, 3.8))
        plot.convergence({name: r.residual_norms / r.residual_norms[0]
                          for name, r in results.items()}, ylabel="‖r_k‖ / ‖r_0‖", ax=ax)
        ax.axvline(n, color="grey", lw=0.8, ls=":")
        ax.legend(fontsize=7)
        ctx.figure(fig, "linear-cg", "Linear CG residuals; the dotted line marks n")


def _hill_climbing(ctx: SectionContext) -> None:
    rng = np.random.default_rng(3)
    land = rng.standard_normal((25, 25)).cumsum(0).cumsum(1)

    def neighbors(p: tuple[int, int]) -> list[tuple[int, int]]:
        i, j = p
        steps = ((1, 0), (-1, 0), (0, 1), (0, -1))
        return [(i + a, j + b) for a, b in steps if 0 <= i + a < 25 and 0 <= j + b < 25]

    rows = []
    for start in [(0, 0), (12, 12), (24, 0), (5, 20)]:
        r = hill_climb(lambda p: float(land[p]), start, neighbors)
        rows.append([start, r.x, f"{r.fun:.3f}", r.nit, r.nfev, r.status.name.lower()])
    ctx.text(
        "**Hill climbing** (Goodfellow §4.3): steepest ascent on a 25×25 grid, moving to the "
        f"best of the 4 neighbours while that improves. The grid maximum is {land.max():.3f}; "
        "different starts stop at different local maxima."
    )
    ctx.table(["start", "end", "value", "moves", "evaluations", "status"], rows)
