"""Tour section: constrained optimization and least squares (Goodfellow §4.4–4.5)."""

from __future__ import annotations

import numpy as np

from .. import plot
from ..constrained import (
    Box,
    Eq,
    Ineq,
    L2Ball,
    maximize_constrained,
    minimize_constrained,
    projected_gradient,
)
from ..fitting import lstsq
from .core import SectionContext, matplotlib_available

TITLE = "Constraints"

# an elongated quadratic whose unconstrained minimum (0.3, 2) lies outside both sets
_Q = np.array([[3.0, 1.2], [1.2, 1.0]])
_C = np.array([0.3, 2.0])


def _f(x):
    d = x - _C
    return 0.5 * d @ _Q @ d


def _df(x):
    return _Q @ (x - _C)


_STEPS = [("bb", "Barzilai–Borwein trial step"), ("armijo", "previous step, doubled")]


def _projected_runs():
    sets = [("box [-1, 1]²", Box(-1.0, 1.0)), ("L2 ball, r = 1", L2Ball(1.0))]
    return [(name, P, {rule: projected_gradient(_f, np.array([-1.0, -1.0]), P, jac=_df,
                                                tol=1e-10, options={"step": rule})
                       for rule, _ in _STEPS})
            for name, P in sets]


def _draw_projected(ctx: SectionContext, runs) -> None:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for ax, (name, _, res) in zip(axes, runs):
        plot.landscape(_f, [(-2.0, 3.0), (-2.0, 3.0)], levels=20, linewidths=0.7, ax=ax)
        if name.startswith("box"):
            ax.add_patch(plt.Rectangle((-1, -1), 2, 2, fill=False, color="k"))
        else:
            ax.add_patch(plt.Circle((0, 0), 1.0, fill=False, color="k"))
        for (rule, label), color in zip(_STEPS, ("C3", "C0")):
            plot.path({f"{label} ({res[rule].nit} steps)": res[rule]}, color=color, ms=3,
                      zorder=3 if rule == "bb" else 2, ax=ax)
        ax.plot(*_C, "k*", label="unconstrained min")
        ax.set_title(name)
        ax.set_aspect("equal")
        ax.legend(loc="lower right", fontsize=7)
    ctx.figure(fig, "projected-gradient", "Projected gradient on a box and on a ball")


def _projected(ctx: SectionContext) -> None:
    runs = _projected_runs()
    ctx.text("**Projected gradient** (§4.4: take a gradient step, project back into S). The "
             "step is chosen by Armijo backtracking along the projection arc "
             "t ↦ P(x − t∇f(x)), starting either from the Barzilai–Borwein step sᵀs/sᵀy "
             "(default) or from the previous step; the stopping test is the gradient mapping "
             "‖x − P(x − ∇f)‖. Each result carries multipliers and a KKT report.")
    ctx.table(["set", "first trial step", "x*", "f(x*)", "iterations", "f evals",
               "gradient mapping", "KKT"],
              [[n, label, np.round(r[rule].x, 6).tolist(), r[rule].fun, r[rule].nit,
                r[rule].nfev, f"{r[rule].gradient_mapping:.1e}",
                "pass" if r[rule].kkt.passed else "FAIL"]
               for n, _, r in runs for rule, label in _STEPS])
    if matplotlib_available():
        _draw_projected(ctx, runs)
    ctx.summary(f"projected gradient (BB trial step): box in {runs[0][2]['bb'].nit} steps, "
                f"ball in {runs[1][2]['bb'].nit} steps (gradient mapping < 1e-10)")


def _circle_eq():
    return Eq(lambda x: 0.5 * x @ x - 16.0, jac=lambda x: x,
              hess=lambda x, v: v[0] * np.eye(2), name="½x²+½y²−16=0")


def _lagrange_picture(ctx: SectionContext):
    res = maximize_constrained(lambda x: x[0] + x[1], np.array([1.0, 2.0]),
                               jac=lambda x: np.ones(2), hess=lambda x: np.zeros((2, 2)),
                               constraints=[_circle_eq()])
    ctx.text("**Lagrange multipliers** (notes' example): maximize x + y on x² + y² = 32. With "
             "L = x + y + λ(½x² + ½y² − 16) (eq. 4.20 signs for a maximization) the optimum is "
             f"x = {np.round(res.x, 12).tolist()}, f = {res.fun:.12g}, λ = {res.lam[0]:.12g}: "
             "∇f = −λ∇g, the two gradients are parallel.")
    if matplotlib_available():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5, 5))
        plot.landscape(lambda v: v[0] + v[1], [(-7, 7), (-7, 7)], levels=15, cmap="coolwarm",
                       linewidths=0.7, vectorized=True, ax=ax)
        th = np.linspace(0, 2 * np.pi, 300)
        ax.plot(np.sqrt(32) * np.cos(th), np.sqrt(32) * np.sin(th), "k", label="x²+y²=32")
        x = res.x
        ax.quiver(*x, *res.jac, color="C0", angles="xy", scale_units="xy", scale=0.5,
                  label="∇f")
        ax.quiver(*x, *(x / np.linalg.norm(x)), color="C3", angles="xy", scale_units="xy",
                  scale=0.5, label="∇g (normalized)")
        ax.plot(*x, "k*", ms=12)
        ax.set_aspect("equal")
        ax.legend(loc="lower left", fontsize=8)
        ax.set_title("max x + y on the circle: ∇f ∥ ∇g at (4, 4)")
        ctx.figure(fig, "lagrange", "∇f and ∇g are parallel at the constrained optimum")
    return res


def _kkt_reports(ctx: SectionContext, circle) -> None:
    xy = maximize_constrained(
        lambda x: x[0] * x[1] + x[1] * x[2], np.zeros(3),
        jac=lambda x: np.array([x[1], x[0] + x[2], x[1]]),
        hess=lambda x: np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]),
        constraints=[Eq.linear([[1, 2, 0]], [6], name="x+2y=6"),
                     Eq.linear([[1, 0, -3]], [0], name="x−3z=0")])
    ctx.text("**KKT certificates** of two Lagrange-multiplier examples worked in notes on "
             "Goodfellow et al. §4.4. Every constrained result carries "
             "its multipliers and a report of the four KKT conditions (stationarity, primal and "
             "dual feasibility, complementary slackness).")
    for title, res in (("max x + y s.t. x² + y² = 32", circle),
                       ("max xy + yz s.t. x + 2y = 6, x − 3z = 0", xy)):
        ctx.text(f"*{title}*: x = {np.round(res.x, 12).tolist()}, f = {res.fun:.12g}, "
                 f"λ = {np.round(res.lam, 12).tolist()} ({res.nit} SQP iterations)")
        ctx.code(str(res.kkt))
    ctx.text("The notebook writes the second problem as F = xy + yz − λ(x + 2y − 6) − μ(x − 3z) "
             "and finds λ = 2, μ = −1/2; with our L = f + Σλg the same numbers appear with the "
             "opposite sign, (−2, 1/2).")
    ctx.summary(f"KKT: circle λ = {circle.lam[0]:.6g}, xy+yz λ = {np.round(xy.lam, 9).tolist()}, "
                f"both reports {'pass' if circle.kkt.passed and xy.kkt.passed else 'FAIL'}")


def _norm_ls(ctx: SectionContext) -> None:
    rng = np.random.default_rng(0)
    A, b = rng.standard_normal((50, 20)), rng.standard_normal(50)
    r = 0.3 * np.linalg.norm(np.linalg.pinv(A) @ b)
    newton = lstsq(A, b, max_norm=r)
    ascent = lstsq(A, b, max_norm=r, lambda_method="ascent")
    check = minimize_constrained(
        lambda x: 0.5 * np.sum((A @ x - b) ** 2), np.zeros(20),
        jac=lambda x: A.T @ (A @ x - b), hess=lambda x: A.T @ A,
        constraints=[Ineq(lambda x: x @ x - r**2, jac=lambda x: 2 * x,
                          hess=lambda x, v: 2 * v[0] * np.eye(20))])
    ctx.text("**Least squares with ‖x‖ ≤ r** (§4.5): x(λ) = (AᵀA + 2λI)⁻¹Aᵀb (eq. 4.26). "
             "Goodfellow et al. raise λ by gradient ascent on ∂L/∂λ = xᵀx − r² (eq. 4.27); "
             "Newton on the secular equation 1/‖x(λ)‖ = 1/r (Moré–Sorensen) needs a handful of "
             "factorizations. A 50×20 Gaussian problem, r = 0.3‖A⁺b‖:")
    ctx.table(["λ method", "iterations", "factorizations", "λ", "‖x‖ − r"],
              [["secular Newton", newton.nit, newton.nfact, f"{newton.lam:.15g}",
                f"{np.linalg.norm(newton.x) - r:.1e}"],
               ["gradient ascent (eq. 4.27)", ascent.nit, ascent.nfact, f"{ascent.lam:.15g}",
                f"{np.linalg.norm(ascent.x) - r:.1e}"],
               ["SQP on h = xᵀx − r² ≤ 0", check.nit, "-", f"{check.alpha[0]:.15g}",
                f"{np.linalg.norm(check.x) - r:.1e}"]])
    if matplotlib_available():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3.5))
        errors = {name: np.abs(np.array(res.lambda_trace) - newton.lam) / newton.lam
                  for res, name in ((newton, "secular Newton"), (ascent, "gradient ascent"))}
        plot.convergence({name: (np.arange(1.0, err.size + 1), err)
                          for name, err in errors.items()}, floor=1e-17, xlog=True,
                         ylabel="|λₖ − λ*| / λ*", ax=ax)
        ax.set_title("Finding λ for ‖x‖ ≤ r")
        ctx.figure(fig, "lambda", "λ iteration: secular Newton vs the gradient ascent of "
                   "Goodfellow et al. §4.5 (eq. 4.27)")
    ctx.summary(f"‖x‖ ≤ r least squares: Newton {newton.nfact} factorizations vs ascent "
                f"{ascent.nit} iterations (λ = {newton.lam:.6g})")


def run(ctx: SectionContext) -> None:
    _projected(ctx)
    circle = _lagrange_picture(ctx)
    _kkt_reports(ctx, circle)
    _norm_ls(ctx)
