"""Tour section: deterministic optimization with ``steepest.minimize``.

Goodfellow et al. §4.3 (gradient descent vs Newton on x^2 + 5y^2) and Liquet et al. §4.5-4.6
(exact line search zig-zag, Newton's overshoot and oscillation, quasi-Newton paths).
"""

from __future__ import annotations

import numpy as np

from .. import plot
from .._minimize import minimize
from ..autodiff import grad
from ..problems.textbook import peaks
from ..unconstrained import line_search
from .core import SectionContext, matplotlib_available

TITLE = "Optimization"

_ROSEN_X0 = np.array([-1.2, 1.0])
_ROSEN_BOX = [(-1.5, 1.5), (-0.5, 1.5)]
_CONTOURS = {"levels": 25, "linewidths": 0.6}


def _rosen(x):
    return float((1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2)


def _rosen_grad(x):
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2),
                     200 * (x[1] - x[0] ** 2)])


def _rosen_hess(x):
    return np.array([[2 - 400 * (x[1] - 3 * x[0] ** 2), -400 * x[0]], [-400 * x[0], 200.0]])


def _quad(a: float, b: float):
    """f = a x^2 + b y^2 with its gradient and Hessian."""
    return (lambda z: float(a * z[0] ** 2 + b * z[1] ** 2),
            lambda z: np.array([2 * a * z[0], 2 * b * z[1]]),
            lambda z: np.diag([2 * a, 2 * b]))


def _path(res) -> np.ndarray:
    return res.trace.as_arrays()["x"]


def run(ctx: SectionContext) -> None:
    have_mpl = matplotlib_available()
    _gd_vs_newton(ctx, have_mpl)
    _zigzag(ctx, have_mpl)
    _wolfe(ctx, have_mpl)
    _newton_failures(ctx)
    _rosenbrock_paths(ctx, have_mpl)


def _gd_vs_newton(ctx: SectionContext, have_mpl: bool) -> None:
    f, g, h = _quad(1.0, 5.0)
    x0 = np.array([10.0, 1.0])
    gd = minimize(f, x0, method="gd", jac=g, options={"step_size": 0.25, "maxiter": 3})
    nt = minimize(f, x0, method="newton", jac=g, hess=h,
                  options={"modification": "none", "line_search": "fixed"})
    ctx.text(
        "**Gradient descent vs Newton on f = x² + 5y²** (Goodfellow et al. §4.3, as in the "
        "notebook on that section). From (10, 1), three gradient steps with its learning rate 0.25 "
        "halve x but *multiply y by −1.5*: 0.25 exceeds 2/λ_max = 0.2 along y, the stiff "
        "direction. Newton's step −H⁻¹∇f lands on the minimum at once, since the quadratic "
        "model is exact."
    )
    rows = [("GD (α = 0.25)", k, *np.round(x, 4), f(x)) for k, x in enumerate(_path(gd))]
    rows += [("Newton", k, *np.round(x, 4), f(x)) for k, x in enumerate(_path(nt))]
    ctx.table(["method", "iteration", "x", "y", "f"], rows)
    ctx.summary(f"x²+5y²: Newton reaches the minimum in {nt.nit} step; GD with α=0.25 "
                f"oscillates in y ({_path(gd)[-1][1]:+.3f} after 3 steps)")
    if have_mpl:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        for ax, res, name in zip(axes, (gd, nt), ("Gradient descent (α = 0.25)", "Newton")):
            plot.path(res, f, [(-12, 12), (-5, 5)], landscape_kw=_CONTOURS, color="C3", ax=ax)
            ax.set_title(name)
        ctx.figure(fig, "gd-vs-newton", "Gradient descent and Newton's method on x² + 5y².")


def _zigzag(ctx: SectionContext, have_mpl: bool) -> None:
    f, g, h = _quad(0.5, 5.0)
    quad = minimize(f, np.array([10.0, 1.0]), method="gd", jac=g, hess=h,
                    options={"line_search": "exact", "quadratic": True, "maxiter": 40})
    rosen = minimize(_rosen, _ROSEN_X0, method="gd", jac=_rosen_grad,
                     options={"line_search": "exact", "maxiter": 60})
    cos = [_max_cos(np.diff(_path(r), axis=0)) for r in (quad, rosen)]
    ctx.text(
        "**Zig-zag of exact line search** (Liquet et al. §4.5). With "
        "α* = argmin f(x − α∇f) the new gradient is orthogonal to the previous step, so "
        "successive steps meet at right angles. On ½x² + 5y² (condition number 10) the "
        "closed form α* = gᵀg / gᵀAg is used; on Rosenbrock the minimiser is bracketed and "
        "refined with Brent's method."
    )
    ctx.table(
        ["problem", "iterations", "f at end", "max |cos(s_k, s_k+1)|"],
        [("½x² + 5y²", quad.nit, quad.fun, cos[0]), ("Rosenbrock", rosen.nit, rosen.fun, cos[1])],
    )
    ctx.summary(f"exact line search: consecutive GD steps orthogonal (max |cos| = "
                f"{max(cos):.1e})")
    if have_mpl:
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(10, 4))
        plot.path(quad, f, [(-11, 11), (-3, 3)], landscape_kw=_CONTOURS, ms=3, color="C3",
                  ax=axes[0])
        axes[0].set_title("GD, exact line search: ½x² + 5y²")
        plot.path(rosen, _rosen, _ROSEN_BOX, landscape_kw={**_CONTOURS, "log": True}, ms=3,
                  color="C3", ax=axes[1])
        axes[1].set_title("GD, exact line search: Rosenbrock (60 steps)")
        ctx.figure(fig, "zigzag", "Exact line search makes consecutive steps orthogonal.")


def _wolfe(ctx: SectionContext, have_mpl: bool) -> None:
    x = np.array([-0.5, -2.5])
    g = grad(peaks)(x)
    p = -g / np.linalg.norm(g)
    runs = {method: line_search(peaks, x, p, grad=grad(peaks), method=method, c1=0.1,
                                alpha0=3.0, **({} if method == "armijo" else {"c2": 0.5}))
            for method in ("armijo", "wolfe", "strong_wolfe")}
    ctx.text(
        "**Inexact line search** (Liquet et al. §4.5, eqs. 4.48–4.49, Figure 4.8 b). Along "
        "the steepest-descent direction of the peaks function from (−0.5, −2.5), "
        "φ(α) = f(x + αp) must fall below the line φ(0) + c₁αφ′(0) (sufficient decrease) and "
        "its slope must have risen to c₂φ′(0) (curvature); c₁ = 0.1, c₂ = 0.5, first trial "
        "α = 3:")
    ctx.table(["search", "α", "φ(α)", "evaluations", "Armijo", "curvature"],
              [[m, f"{r.step:.4g}", f"{r.phi:.4f}", r.evaluations, r.armijo, r.curvature]
               for m, r in runs.items()])
    if have_mpl:
        ax = plot.line(peaks, x, p, np.linspace(0.0, 4.0, 400), c1=0.1, c2=0.5,
                       accepted=runs["wolfe"].step)
        ax.set_title("φ(α) on peaks from (−0.5, −2.5) along −∇f/‖∇f‖")
        ctx.figure(ax.figure, "wolfe", "The steps meeting both Wolfe conditions (shaded) and "
                   "the one the Wolfe search accepts (star).")


def _max_cos(steps: np.ndarray) -> float:
    norms = np.linalg.norm(steps, axis=1)
    keep = norms > 1e-12
    s = steps[keep] / norms[keep, None]
    return float(np.max(np.abs(np.sum(s[:-1] * s[1:], axis=1)))) if len(s) > 1 else 0.0


def _newton_failures(ctx: SectionContext) -> None:
    pure = {"modification": "none", "line_search": "fixed", "store_x": True}
    c = (lambda t: (t[0] - 3) ** 2 * (t[0] + 3),
         lambda t: np.array([3 * (t[0] - 3) * (t[0] + 1)]), lambda t: np.array([[6 * t[0] - 6]]))
    over = minimize(c[0], np.array([1.5]), method="newton", jac=c[1], hess=c[2], options=pure)
    o = (lambda t: -t[0] ** 4 / 4 + 5 * t[0] ** 2 / 2,
         lambda t: np.array([-t[0] ** 3 + 5 * t[0]]), lambda t: np.array([[5 - 3 * t[0] ** 2]]))
    osc = minimize(o[0], np.array([1.0]), method="newton", jac=o[1], hess=o[2],
                   options={**pure, "maxiter": 6})
    damped = minimize(o[0], np.array([1.0]), method="newton", jac=o[1], hess=o[2])
    damped_c = minimize(c[0], np.array([1.5]), method="newton", jac=c[1], hess=c[2])
    ctx.text(
        "**Newton's method overshoots and oscillates** (Liquet et al. §4.5, eq. 4.51). Pure "
        "Newton on C(θ) = (θ−3)²(θ+3) from θ = 1.5 first jumps past the minimum at 3 to "
        "5.25, then converges quadratically. On C(θ) = −θ⁴/4 + 5θ²/2 from θ = 1 it cycles "
        "between ±1 for ever; the damped (line search) Newton of `minimize(method=\"newton\")` "
        "reaches the minimum at 0."
    )
    seq_over = ", ".join(f"{v:.4f}" for v in _path(over)[:6, 0])
    seq_osc = ", ".join(f"{v:+.0f}" for v in _path(osc)[:, 0])
    ctx.table(["example", "pure Newton iterates", "damped Newton ends at"], [
        ("(θ−3)²(θ+3), θ₀ = 1.5", seq_over, f"{damped_c.x[0]:.6f} ({damped_c.certificate.kind})"),
        ("−θ⁴/4 + 5θ²/2, θ₀ = 1", seq_osc, f"{damped.x[0]:.2e} ({damped.certificate.kind})"),
    ])
    after = ", ".join(f"{v:.4f}" for v in _path(over)[1:5, 0])
    ctx.summary(f"Newton overshoot: 1.5 → {after}; oscillation ±1, damped Newton → "
                f"{damped.x[0]:.1e}")


def _rosenbrock_paths(ctx: SectionContext, have_mpl: bool) -> None:
    methods = ("gd", "cg", "bfgs", "lbfgs", "newton", "trust-newton")
    runs = {}
    for m in methods:
        opts = {"maxiter": 2000} if m == "gd" else {}
        runs[m] = minimize(_rosen, _ROSEN_X0, method=m, jac=_rosen_grad, hess=_rosen_hess,
                           options={**opts, "ftol": None, "gtol": 1e-8})
    ctx.text(
        "**Rosenbrock from (−1.2, 1)**: nonlinear CG (Polak–Ribière+), BFGS, L-BFGS "
        "(memory 10, Liquet et al.'s §4.6 scaling γ = sᵀy/yᵀy), damped Newton and trust-region "
        "Newton, "
        "with gradient descent as the baseline. Evaluations count value+gradient calls."
    )
    rows = [(m, r.nit, r.nfev, r.njev, r.nhev, f"{r.fun:.2e}", r.success) for m, r in runs.items()]
    ctx.table(["method", "iterations", "nfev", "njev", "nhev", "f at end", "converged"], rows)
    ctx.summary("Rosenbrock evaluations: " + ", ".join(f"{m} {r.nfev}" for m, r in runs.items()))
    if not have_mpl:
        return
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 5))
    plot.path([runs[m] for m in ("cg", "bfgs", "lbfgs", "newton")], _rosen, _ROSEN_BOX,
              landscape_kw={**_CONTOURS, "log": True}, ms=3, ax=ax)
    ax.plot(1, 1, "k*", ms=12)
    ctx.figure(fig, "rosenbrock-paths", "CG, BFGS, L-BFGS and Newton paths on Rosenbrock.")
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    plot.convergence(runs, f_star=0.0, ax=axes[0]).set_xlim(0, 120)
    plot.convergence(runs, y="grad_norm", ylabel="‖∇f‖∞", ax=axes[1]).set_xlim(0, 120)
    axes[1].get_legend().remove()
    ctx.figure(fig, "convergence", "Convergence on Rosenbrock: f − f* and gradient norm.")
