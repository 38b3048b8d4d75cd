"""Tour section: stochastic and adaptive first-order methods (Liquet et al. §4.2, 4.3, 4.5).

Reproduces Figure 4.3 (GD vs SGD on the sum of quadratics of eq. 4.12, with the convex hull of
the individual minimisers), Figure 4.6 (momentum for three beta on the Rosenbrock function
eq. 4.9 with alpha = 0.001 / (1 - beta)) and compares every rule of
:mod:`steepest.optimizers` on Rosenbrock. Gradients are analytic here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.spatial import ConvexHull, Delaunay

from .. import optimizers as so
from .. import plot
from ..autodiff import grad
from ..problems import rosenbrock as rosenbrock_problem
from .core import SectionContext, matplotlib_available

TITLE = "Stochastic and adaptive methods"

ROSENBROCK_START = np.array([0.2, -0.2])  # theta_init of Liquet Figure 4.2


# Eq. 4.9: C(theta) = (1 - theta_1)^2 + 100 (theta_2 - theta_1^2)^2, minimum at (1, 1); the
# 2-D Rosenbrock of steepest.problems (plain NumPy, so ``steepest.grad(rosenbrock)`` works).
_ROSENBROCK = rosenbrock_problem()
rosenbrock = _ROSENBROCK.fun
rosenbrock_grad = _ROSENBROCK.grad


@dataclass(frozen=True)
class SumOfQuadratics:
    """Eq. 4.12: C_i(theta) = a_i (theta_1 - u_i1)^2 + (theta_2 - u_i2)^2, C = mean_i C_i."""

    a: np.ndarray  # (n,)
    u: np.ndarray  # (n, 2)

    def loss(self, x: np.ndarray) -> float:
        return np.mean(self.a * (x[0] - self.u[:, 0]) ** 2 + (x[1] - self.u[:, 1]) ** 2)

    def grad(self, x: np.ndarray) -> np.ndarray:
        return np.array([np.mean(2 * self.a * (x[0] - self.u[:, 0])),
                         np.mean(2 * (x[1] - self.u[:, 1]))])

    def grad_i(self, x: np.ndarray, i: int) -> np.ndarray:
        return np.array([2 * self.a[i] * (x[0] - self.u[i, 0]), 2 * (x[1] - self.u[i, 1])])

    @property
    def minimizer(self) -> np.ndarray:
        return np.array([self.a @ self.u[:, 0] / self.a.sum(), self.u[:, 1].mean()])


def sum_of_quadratics(n: int = 5, identical: bool = False, seed: int = 0) -> SumOfQuadratics:
    """An instance of eq. 4.12 with a_i in [0.5, 2]; u_i distinct or all equal (Fig. 4.3 b)."""
    rng = np.random.default_rng(seed)
    u = rng.uniform(-1.0, 1.0, (n, 2))
    if identical:
        u[:] = u[0]
    return SumOfQuadratics(rng.uniform(0.5, 2.0, n), u)


def trajectory(opt: so.Optimizer | so.GradFnOptimizer,
               grad: Callable[[np.ndarray, int], np.ndarray], x0: np.ndarray,
               steps: int) -> np.ndarray:
    """Iterates x_0 ... x_steps of ``opt``; ``grad(x, t)`` is the (stochastic) gradient."""
    x = np.array(x0, dtype=float)
    state = opt.init(x)
    xs = np.empty((steps + 1, x.size))
    xs[0] = x
    for t in range(steps):
        if isinstance(opt, so.GradFnOptimizer):
            u, state = opt.update(lambda y, t=t: grad(y, t), state, x)
            x = so.apply_updates(x, u)
        else:
            x, state = so.step(opt, grad(x, t), state, x)
        xs[t + 1] = x
    return xs


def _in_hull(points: np.ndarray, hull_pts: np.ndarray) -> np.ndarray:
    return Delaunay(hull_pts).find_simplex(points) >= 0


def gd_vs_sgd(identical: bool, steps: int = 400, lr: float = 0.05, seed: int = 1
              ) -> tuple[SumOfQuadratics, np.ndarray, np.ndarray]:
    """GD and single-sample SGD trajectories on eq. 4.12 from (-2.5, 2) (Figure 4.3)."""
    prob = sum_of_quadratics(identical=identical)
    picks = np.random.default_rng(seed).integers(0, len(prob.a), steps)
    x0 = np.array([-2.5, 2.0])
    gd = trajectory(so.sgd(lr), lambda x, t: prob.grad(x), x0, steps)
    sgd = trajectory(so.sgd(lr), lambda x, t: prob.grad_i(x, picks[t]), x0, steps)
    return prob, gd, sgd


def _figure_4_3(ctx: SectionContext) -> None:
    rows, panels = [], []
    for identical in (False, True):
        prob, gd, sgd = gd_vs_sgd(identical)
        err_gd, err_sgd = (float(np.linalg.norm(z[-1] - prob.minimizer)) for z in (gd, sgd))
        inside = "-" if identical else f"{100 * np.mean(_in_hull(sgd[200:], prob.u)):.0f} %"
        rows.append(["(b) identical u_i" if identical else "(a) distinct u_i",
                     f"{err_gd:.2e}", f"{err_sgd:.2e}", inside])
        panels.append((prob, gd, sgd))
    ctx.text("**SGD vs GD on the sum of quadratics (eq. 4.12, Figure 4.3).** Five terms "
             "C_i(θ) = a_i(θ₁ − u_i1)² + (θ₂ − u_i2)²; SGD uses one random C_i per step "
             "(`sgd(0.05)` fed ∇C_i), GD the full gradient. Outside the convex hull S of the "
             "u_i both head for S; inside it SGD keeps fluctuating, and with identical u_i "
             "(every C_i shares its minimiser) SGD converges like GD.")
    ctx.table(["case", "GD ‖θ − θ*‖ at 400", "SGD ‖θ − θ*‖ at 400",
               "SGD iterates 200–400 inside S"], rows)
    if matplotlib_available():
        ctx.figure(_plot_4_3(panels), "sgd-vs-gd", "GD and SGD on eq. 4.12: (a) distinct "
                   "minimisers u_i (green, hull S outlined), (b) identical ones")


def _plot_4_3(panels: list) -> object:
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4))
    for ax, (prob, gd, sgd), tag in zip(axes, panels, "ab"):
        plot.landscape(prob.loss, [(-3, 1.5), (-1.5, 2.5)], n=160, levels=20, cmap="Greys",
                       linewidths=0.6, labels=("θ₁", ""), ax=ax)
        if tag == "a":
            hull = ConvexHull(prob.u)
            loop = np.append(hull.vertices, hull.vertices[0])
            ax.plot(prob.u[loop, 0], prob.u[loop, 1], color="green")
        ax.plot(prob.u[:, 0], prob.u[:, 1], "o", color="green", ms=5)
        plot.path({"SGD": sgd}, style="-", color="tab:orange", lw=0.8, ax=ax)
        plot.path({"GD": gd}, style="-", color="tab:blue", lw=1.6, ax=ax)
        ax.set_title(f"({tag})")
        ax.legend(loc="upper right")
    axes[0].set_ylabel("θ₂")
    return fig


def _figure_4_6(ctx: SectionContext, steps: int = 3000) -> None:
    betas = (0.0, 0.8, 0.95)
    runs = {b: trajectory(so.momentum(0.001 / (1 - b), b), lambda x, t: rosenbrock_grad(x),
                          ROSENBROCK_START, steps) for b in betas}
    ctx.text(f"**Momentum on Rosenbrock (eq. 4.9, Figure 4.6).** α = 0.001/(1 − β), "
             f"{steps} iterations from θ = (0.2, −0.2); β = 0 is gradient descent. Larger β "
             "accelerates along the valley floor.")
    ctx.table(["β", "α", "C(θ) at end", "‖θ − (1, 1)‖"],
              [[b, 0.001 / (1 - b), rosenbrock(xs[-1]), float(np.linalg.norm(xs[-1] - 1))]
               for b, xs in runs.items()])
    if matplotlib_available():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 4.4))
        plot.landscape(rosenbrock, [(-0.3, 1.3), (-0.4, 1.3)], levels=np.logspace(-2, 2.5, 18),
                       cmap="Greys", linewidths=0.6, labels=("θ₁", "θ₂"), ax=ax)
        for (b, xs), style in zip(reversed(runs.items()), ("-", "-", "--")):
            line = plot.path({f"β = {b}": xs}, style=style, lw=1.6, ax=ax).get_lines()[-1]
            ax.plot(xs[-1, 0], xs[-1, 1], "o", color=line.get_color(), ms=6)  # where it ends
        ax.plot([1], [1], "k*", ms=10)
        ax.legend()
        ctx.figure(fig, "momentum-rosenbrock", "Momentum for three β on Rosenbrock, "
                   "α = 0.001/(1 − β) (Figure 4.6); dots mark the last iterate")


def comparison_optimizers() -> dict[str, so.Optimizer | so.GradFnOptimizer]:
    """The rules compared on Rosenbrock, with hand-picked (not tuned-per-run) step sizes."""
    return {
        "gd (sgd, full gradient)": so.sgd(1e-3),
        "momentum β=0.9": so.momentum(1e-2, 0.9),
        "nesterov β=0.9 (true)": so.nesterov(1e-2, 0.9),
        "look-ahead momentum": so.lookahead_momentum(1e-2, 0.9),
        "adagrad": so.adagrad(0.1),
        "rmsprop": so.rmsprop(1e-3, 0.99),
        "adadelta": so.adadelta(1.0, 0.99, 1e-4),
        "adam": so.adam(2e-2),
        "nadam": so.nadam(2e-2),
        "adamax": so.adamax(2e-2),
    }


def compare_on_rosenbrock(steps: int = 3000) -> dict[str, np.ndarray]:
    """Loss curve C(θ_t), t = 0..steps, of each rule of :func:`comparison_optimizers`."""
    return {name: np.array([rosenbrock(x) for x in trajectory(
        opt, lambda x, t: rosenbrock_grad(x), ROSENBROCK_START, steps)])
        for name, opt in comparison_optimizers().items()}


def _comparison(ctx: SectionContext, steps: int = 3000) -> dict[str, np.ndarray]:
    curves = compare_on_rosenbrock(steps)
    ctx.text(f"**Optimizer comparison on Rosenbrock.** {steps} iterations from (0.2, −0.2), "
             "one step size per rule picked by hand (not tuned per run); the first iteration "
             "at which C(θ) < 10⁻⁴, if any. Momentum, true Nesterov and look-ahead momentum "
             "nearly coincide (look-ahead momentum is Nesterov in shifted variables); Adam's "
             "late spikes are its known instability once v has decayed near a minimum; "
             "Adadelta, whose step is self-scaled, wanders in this deterministic valley.")
    rows = []
    for name, c in curves.items():
        hit = np.flatnonzero(c < 1e-4)
        rows.append([name, float(c[-1]), int(hit[0]) if hit.size else "not reached"])
    ctx.table(["rule", "C(θ) at end", "first t with C < 1e-4"], rows)
    if matplotlib_available():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 4.4))
        plot.convergence(curves, floor=1e-16, ylabel="C(θ)", lw=1.2, ax=ax)
        ax.legend(fontsize=7, ncol=2)
        ctx.figure(fig, "optimizer-comparison", "Loss versus iteration on Rosenbrock for "
                   "each rule of steepest.optimizers")
    return curves


def _check_gradients(ctx: SectionContext) -> None:
    rng = np.random.default_rng(0)
    pts = rng.uniform(-1.5, 1.5, (20, 2))
    err = max(float(np.max(np.abs(grad(rosenbrock)(x) - rosenbrock_grad(x)))) for x in pts)
    prob = sum_of_quadratics()
    err_q = max(float(np.max(np.abs(grad(prob.loss)(x) - prob.grad(x)))) for x in pts)
    ctx.text(f"The runs below use hand-written gradients (fast for 2-D toys); they agree with "
             f"`steepest.grad` at 20 random points to {max(err, err_q):.1e} (max abs).")


@dataclass(frozen=True)
class RareFeatureLogistic:
    """L2-regularised logistic regression on binary features of very different frequencies:
    the "coconut / chaulmoogra" motivation of per-coordinate step sizes (Liquet §4.3)."""

    X: np.ndarray
    y: np.ndarray
    lam: float = 1e-3

    def loss(self, w: np.ndarray) -> float:
        z = self.X @ w
        return float(np.mean(np.logaddexp(0.0, z) - self.y * z) + 0.5 * self.lam * w @ w)

    def grad(self, w: np.ndarray, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
        xb, yb = self.X[rows], self.y[rows]
        p = 0.5 * (1.0 + np.tanh(0.5 * (xb @ w)))  # sigmoid without overflow
        return xb.T @ (p - yb) / len(yb) + self.lam * w


def rare_feature_logistic(n: int = 2000, d: int = 20, seed: int = 0) -> RareFeatureLogistic:
    """Feature j is present with probability from 0.5 down to 0.005 (log-spaced)."""
    rng = np.random.default_rng(seed)
    freq = np.logspace(np.log10(0.5), np.log10(0.005), d)
    X = (rng.random((n, d)) < freq).astype(float)
    w_true = rng.normal(0.0, 2.0, d)
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-X @ w_true))).astype(float)
    return RareFeatureLogistic(X, y)


MINIBATCH_GRID = {
    "sgd": (so.sgd, (0.3, 1.0, 3.0)),
    "momentum β=0.9": (lambda lr: so.momentum(lr, 0.9), (0.3, 1.0, 3.0)),
    "adagrad": (so.adagrad, (0.1, 0.3, 1.0)),
    "rmsprop": (so.rmsprop, (0.003, 0.01, 0.03)),
    "adam": (so.adam, (0.01, 0.03, 0.1)),
    "nadam": (so.nadam, (0.01, 0.03, 0.1)),
}


def minibatch_comparison(steps: int = 1500, batch: int = 32, every: int = 10
                         ) -> tuple[dict[str, tuple[float, np.ndarray]], float]:
    """Best-of-grid loss-gap curves C(w_t) - C* (every ``every`` steps) for each rule, on the
    same seeded minibatches; C* from L-BFGS on the full loss."""
    prob = rare_feature_logistic()
    d = prob.X.shape[1]
    c_star = minimize(prob.loss, np.zeros(d), jac=prob.grad, method="L-BFGS-B",
                      options={"gtol": 1e-12, "maxiter": 10_000}).fun
    rows = np.random.default_rng(1).integers(0, len(prob.y), (steps, batch))
    best: dict[str, tuple[float, np.ndarray]] = {}
    for name, (make, rates) in MINIBATCH_GRID.items():
        for lr in rates:
            xs = trajectory(make(lr), lambda w, t: prob.grad(w, rows[t]), np.zeros(d), steps)
            gap = np.array([prob.loss(w) for w in xs[::every]]) - c_star
            if name not in best or gap[-1] < best[name][1][-1]:
                best[name] = (lr, gap)
    return best, float(c_star)


def _minibatch(ctx: SectionContext) -> None:
    best, c_star = minibatch_comparison()
    ctx.text("**Minibatch comparison with rare features.** Logistic regression (λ = 10⁻³) "
             "on 2000 samples of 20 binary features whose frequencies range from 50 % to "
             "0.5 % — the per-coordinate motivation of Adagrad/RMSprop/Adam in §4.3. Batches "
             "of 32, 1500 steps, identical seeded batches for every rule; each rule gets the "
             "best of three step sizes. Gap C(w) − C* with C* from L-BFGS on the full loss. "
             "The per-coordinate rules end closest; Adagrad, whose accumulated denominator "
             "keeps large steps for rarely seen features, does best here.")
    ctx.table(["rule", "best step size", "gap at end", "mean gap, last 500 steps"],
              [[k, lr, float(g[-1]), float(g[-50:].mean())] for k, (lr, g) in best.items()])
    if matplotlib_available():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 4.2))
        plot.convergence({f"{name} ({lr:g})": (np.arange(len(gap)) * 10.0, gap)
                          for name, (lr, gap) in best.items()}, floor=1e-12,
                         ylabel="C(w) − C*", lw=1.1, ax=ax)
        ax.legend(fontsize=8)
        ctx.figure(fig, "minibatch-comparison", "Minibatch logistic regression with rare "
                   "features: loss gap per rule (best of three step sizes)")


def run(ctx: SectionContext) -> None:
    ctx.text("Update rules are pure `(init, update)` pairs over pytrees "
             "(`steepest.optimizers`); `step(opt, grads, state, params)` applies one.")
    ctx.code("opt = st.optimizers.adam(1e-3)\nstate = opt.init(params)\n"
             "updates, state = opt.update(grads, state, params)\n"
             "params = st.optimizers.apply_updates(params, updates)")
    _check_gradients(ctx)
    _figure_4_3(ctx)
    _figure_4_6(ctx)
    curves = _comparison(ctx)
    _minibatch(ctx)
    best = min(curves, key=lambda k: curves[k][-1])
    ctx.summary(f"first-order rules on Rosenbrock: best final loss {curves[best][-1]:.1e} "
                f"({best}); GD {curves['gd (sgd, full gradient)'][-1]:.1e}")
