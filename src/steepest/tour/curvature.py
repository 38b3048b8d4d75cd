"""Tour section: curvature and critical points (Goodfellow §4.3–4.3.1, Liquet §4.1 and §4.6).

Every derivative in this section comes from :mod:`steepest.autodiff`: the functions are plain
NumPy and no gradient or Hessian is written by hand.
"""

from __future__ import annotations

import time

import numpy as np

from .. import plot
from ..analysis import (
    ConvexityStatus,
    classify_critical_point,
    convexity_check,
    curvature_spectrum,
    find_critical_points,
    hessian_condition_number,
    lipschitz_estimate,
    optimal_step,
    predicted_decrease,
)
from ..problems.textbook import (
    notebook_polynomial,
    oscillation_cost,
    overshoot_cost,
    peaks,
    saddle,
)
from ..unconstrained import newton_iterates_1d
from .core import SectionContext, matplotlib_available

TITLE = "Curvature and critical points"

def _curved(c: float):
    def f(x):
        return x[0] + c * (x[0] ** 2 / 2.0 + x[0] ** 4 / 24.0)  # slope 1, curvature c at 0
    return f


CURVATURES = [("negative curvature", -1.0), ("no curvature", 0.0), ("positive curvature", 1.0)]


def _decrease(ctx: SectionContext) -> None:
    ctx.text(
        "**Is a gradient step as good as the gradient says?** A step ε along −g changes f by "
        "−ε gᵀg to first order; the second-order term ½ε² gᵀHg corrects it (eq. 4.9). With "
        "negative curvature f drops *more* than predicted, with none exactly as predicted, "
        "with positive curvature *less* — and a large step goes uphill. "
        "`predicted_decrease` puts eq. 4.9 next to the actual value:")
    eps = np.array([0.5, 1.0, 2.0, 3.0])
    rows = []
    for name, c in CURVATURES:
        p = predicted_decrease(_curved(c), [0.0], eps)
        for e, lin, pred, act, up in zip(eps, p.first_order, p.predicted, p.actual,
                                         p.goes_uphill):
            rows.append([name, f"{e:g}", f"{lin:.4f}", f"{pred:.4f}", f"{act:.4f}",
                         "uphill" if up else "downhill"])
    ctx.table(["f = x + c(x²/2 + x⁴/24) at 0", "ε", "f − εgᵀg", "eq. 4.9", "f(x − εg)", "step"],
              rows)
    if not matplotlib_available():
        return
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), sharey=True)
    for k, (ax, (name, c)) in enumerate(zip(axes, CURVATURES)):
        plot.taylor(_curved(c), [0.0], t=np.linspace(0.0, 3.0, 121), legend=k == 0, ax=ax,
                    labels=["actual f(x − εg)", "first order f − εgᵀg", "eq. 4.9"])
        ax.set(title=name, xlabel="step ε", ylabel="f" if k == 0 else "")
    fig.tight_layout()
    ctx.figure(fig, "decrease", "Figure 4.4 of Goodfellow et al. reproduced: predicted vs "
               "actual value after a gradient step, for negative, zero and positive curvature.")


def _polynomial(ctx: SectionContext) -> None:
    cps = find_critical_points(notebook_polynomial, [(-2.5, 2.5)])
    ctx.text("**Critical points of the notebook's degree-10 polynomial** on [−2.5, 2.5], found by "
             "`find_critical_points` (multi-start Newton on f′ = 0, each point classified by "
             "the sign of f″):")
    ctx.table(["x", "f(x)", "f″(x)", "|f′(x)|", "kind"],
              [[f"{p.x[0]:.6f}", f"{p.value:.4f}", f"{p.eigenvalues[0]:.4g}",
                f"{p.grad_norm:.1e}", p.kind.value] for p in cps.points])
    ctx.summary(f"notebook polynomial: {len(cps.minima)} minima, {len(cps.maxima)} maxima in "
                "[-2.5, 2.5]")
    if not matplotlib_available():
        return
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6))
    plot.landscape(notebook_polynomial, [(-2.5, 2.5)], n=400, vectorized=True,
                   critical_points=cps, labels=("x", "f(x)"), ax=ax)
    ax.set_title("np.poly1d([2, -4, -28, ..., 240, 72])")
    ctx.figure(fig, "polynomial", "Local minima and maxima of the notebook polynomial, located "
               "and classified with automatic derivatives.")


def _peaks(ctx: SectionContext) -> None:
    t0 = time.perf_counter()
    cps = find_critical_points(peaks, [(-3, 3), (-3, 3)])
    dt = time.perf_counter() - t0
    ctx.text(f"**The peaks function** (Liquet et al. figure 4.1 b): {cps.n_starts} Newton starts "
             f"on ∇f = 0 ({dt:.2f} s), {cps.n_converged} converged inside the box, "
             f"{len(cps.points)} distinct critical points after deduplication:")
    ctx.table(["x", "y", "f", "eigenvalues of H", "‖∇f‖", "kind"],
              [[f"{p.x[0]:.4f}", f"{p.x[1]:.4f}", f"{p.value:.4f}",
                ", ".join(f"{v:.3g}" for v in p.eigenvalues), f"{p.grad_norm:.1e}",
                p.kind.value] for p in cps.points])
    ctx.summary(f"peaks: {len(cps.minima)} minima, {len(cps.maxima)} maxima, "
                f"{len(cps.saddles)} saddles")
    if not matplotlib_available():
        return
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 5))
    plot.landscape(peaks, [(-3, 3), (-3, 3)], n=241, levels=30, filled=True, colorbar=True,
                   vectorized=True, critical_points=cps, labels=("x", "y"), ax=ax)
    ax.set_title("peaks: critical points by kind")
    ctx.figure(fig, "peaks", "Critical points of the peaks function, marked by the "
               "second-derivative test: minima, maxima and saddle points.")


def _second_derivative_test(ctx: SectionContext) -> None:
    cases = [
        ("x² − y²", saddle, [0.0, 0.0]),
        ("x² + y⁴", lambda x: x[0] ** 2 + x[1] ** 4, [0.0, 0.0]),
        ("−x² − y⁴", lambda x: -x[0] ** 2 - x[1] ** 4, [0.0, 0.0]),
        ("x² − y⁴", lambda x: x[0] ** 2 - x[1] ** 4, [0.0, 0.0]),
        ("x² + 10⁻⁶ y²", lambda x: x[0] ** 2 + 1e-6 * x[1] ** 2, [0.0, 0.0]),
        ("x² + 10⁻⁶ y², tol=1e-9", lambda x: x[0] ** 2 + 1e-6 * x[1] ** 2, [0.0, 0.0]),
        ("x² − y²", saddle, [0.5, 0.0]),
    ]
    rows = []
    for name, f, x in cases:
        r = classify_critical_point(f, x, tol=1e-9 if "tol" in name else 1e-6)
        rows.append([name, str(tuple(x)), ", ".join(f"{v:g}" for v in r.eigenvalues),
                     f"{r.eig_tol:.2g}", r.kind.value])
    ctx.text("**The second-derivative test** (`classify_critical_point`). The saddle x² − y² of "
             "figure 4.5 has eigenvalues of both signs. When the nonzero eigenvalues share a "
             "sign and one is zero the test is *inconclusive*: x² + y⁴ is a minimum and x² − y⁴ "
             "is not, with the same Hessian. \"Zero\" means |λ| ≤ tol·‖H‖ (tol = 1e-6 by "
             "default), so a relative eigenvalue of 10⁻⁶ reads as zero unless tol is lowered:")
    ctx.table(["f", "point", "eigenvalues", "zero threshold", "kind"], rows)
    _saddle_figure(ctx)


def _saddle_figure(ctx: SectionContext) -> None:
    if not matplotlib_available():
        return
    import matplotlib.pyplot as plt

    spec = curvature_spectrum(saddle, [0.0, 0.0])
    fig = plt.figure(figsize=(10, 4))
    ax3 = plot.surface(saddle, [(-1, 1), (-1, 1)], n=121, vectorized=True, cmap="Blues_r",
                       critical_points=classify_critical_point(saddle, np.zeros(2)),
                       ax=fig.add_subplot(1, 2, 1, projection="3d"))
    ax3.set_title("x² − y²")
    ax = plot.landscape(saddle, [(-1, 1), (-1, 1)], n=121, levels=15, cmap="coolwarm",
                        vectorized=True, labels=("x", "y"), ax=fig.add_subplot(1, 2, 2))
    ax.clabel(ax.collections[0], fontsize=6)
    for lam, v in zip(spec.eigenvalues, spec.eigenvectors.T):
        ax.annotate("", xy=0.7 * v, xytext=(0, 0),
                    arrowprops=dict(arrowstyle="->", color="red" if lam < 0 else "blue", lw=2))
        ax.text(*(0.75 * v + 0.05), f"λ = {lam:g}", fontsize=8)
    ax.plot(0, 0, "X", color="black", ms=10)
    ax.set(aspect="equal", title="eigenvectors of H at the saddle")
    ctx.figure(fig, "saddle", "The saddle of Goodfellow figure 4.5: f curves up along the "
               "eigenvector with λ = 2 and down along the one with λ = −2.")


def _quadratic(kappa: float, n: int = 2):
    lam = np.geomspace(1.0, kappa, n)

    def f(x):
        return 0.5 * np.sum(lam * x**2)
    return f, lam


def _steps(ctx: SectionContext) -> None:
    f, lam = _quadratic(1000.0)
    pts = [("along v_max", [0.0, 1.0]), ("along v_min", [1.0, 0.0]), ("(1, 1)", [1.0, 1.0]),
           ("(1, 0.01)", [1.0, 0.01]), ("(1, 0.001)", [1.0, 0.001])]
    rows = []
    for name, x in pts:
        r = optimal_step(f, x)
        x_new = np.asarray(x) - r.eps * lam * np.asarray(x)  # gradient of f is lam * x
        rows.append([name, f"{r.eps:.6g}", f"{r.lower_bound:.6g}", f"{r.eps * lam[-1]:.4g}",
                     f"{f(np.asarray(x)):.4g} → {f(x_new):.4g}"])
    ctx.text("**The optimal step ε\\* = gᵀg / gᵀHg (eq. 4.10)** on f = ½(x² + 1000 y²). The "
             "worst case is a gradient along the top eigenvector, where ε\\* = 1/λmax; every "
             "other gradient allows a longer step:")
    ctx.table(["x", "ε*", "1/λmax", "ε*·λmax", "f before → after the ε* step"], rows)
    c = hessian_condition_number(f, [1.0, 1.0])
    ctx.text(
        f"**What κ(H) means for gradient descent.** Here κ = {c.condition_number:.0f}. A fixed "
        f"step must stay below 2/λmax = {c.max_stable_step:.3g} or the iterates diverge along "
        "the steepest direction; the best fixed step 2/(λmin + λmax) = "
        f"{c.best_fixed_step:.4g} still only shrinks the error by (κ − 1)/(κ + 1) = "
        f"{c.contraction:.4f} per step. So a step small enough for the most curved direction "
        "crawls along the flattest one (Goodfellow figure 4.6), and the number of iterations "
        "grows like κ:")
    rows = []
    for kappa in (10.0, 100.0, 1000.0):
        fk, lk = _quadratic(kappa)
        ck = hessian_condition_number(fk, [1.0, 1.0])
        x, it = np.array([1.0, 1.0]), 0
        while np.linalg.norm(x) > 1e-6 and it < 100_000:
            x = x - ck.best_fixed_step * lk * x
            it += 1
        rows.append([f"{kappa:g}", f"{ck.best_fixed_step:.4g}", f"{ck.contraction:.4f}", it,
                     f"{0.5 * kappa * np.log(1e6):.0f}"])
    ctx.table(["κ(H)", "best fixed step", "contraction/step", "GD iterations to ‖x‖ < 1e-6",
               "≈ κ/2 · ln(1e6)"], rows)


def _lanczos(ctx: SectionContext) -> None:
    rng = np.random.default_rng(0)
    n = 300
    M = rng.standard_normal((n, n)) / np.sqrt(n)
    A = M @ M.T + 0.1 * np.eye(n)

    def f(x):
        return 0.5 * x @ A @ x + 0.1 * np.sum(np.cos(x))

    x = rng.standard_normal(n)
    t0 = time.perf_counter()
    dense = curvature_spectrum(f, x, method="dense")
    t1 = time.perf_counter()
    lz = curvature_spectrum(f, x, method="lanczos", tol=1e-12)
    t2 = time.perf_counter()
    ctx.text(f"**Spectrum without the Hessian.** For large n `curvature_spectrum` runs Lanczos on "
             f"Hessian-vector products (autodiff `hvp`), never forming H. On a {n}-dimensional "
             "function:")
    ctx.table(["method", "λmin", "λmax", "HVPs", "seconds"],
              [["dense eigh of autodiff hessian", f"{dense.lambda_min:.12g}",
                f"{dense.lambda_max:.12g}", "—", f"{t1 - t0:.2f}"],
               ["Lanczos on autodiff hvp", f"{lz.lambda_min:.12g}", f"{lz.lambda_max:.12g}",
                lz.n_hvp, f"{t2 - t1:.2f}"]])
    err = max(abs(lz.lambda_min - dense.lambda_min), abs(lz.lambda_max - dense.lambda_max))
    if matplotlib_available():
        ax = plot.spectrum(dense, s=8, label=f"dense: all {n}")
        plot.spectrum(lz, marker="x", s=80, colors=("black", "black"), ax=ax,
                      label=f"Lanczos: {lz.eigenvalues.size} extremes ({lz.n_hvp} HVPs)")
        ax.set_title(f"Hessian spectrum of a {n}-dimensional function")
        ctx.figure(ax.figure, "spectrum", "The Hessian's eigenvalues by the dense method and the "
                   "extremes Lanczos finds from Hessian-vector products alone.")
    ctx.summary(f"Lanczos vs dense eigh (n={n}): extreme eigenvalues agree to {err:.1e} with "
                f"{lz.n_hvp} HVPs")


def _logistic_losses():
    rng = np.random.default_rng(0)
    X = np.hstack([np.ones((40, 1)), rng.standard_normal((40, 2))])
    y = (rng.random(40) < 0.5).astype(float)

    def cross_entropy(t):
        z = X @ t
        return np.mean(np.logaddexp(0.0, z) - y * z)

    def squared(t):
        r = y - 1.0 / (1.0 + np.exp(-(X @ t)))
        return np.mean(r * r)

    return X, cross_entropy, squared


def _convexity(ctx: SectionContext) -> None:
    X, ce, sq = _logistic_losses()
    box = [(-6.0, 6.0)] * 3
    rows, verdicts = [], []
    for name, f in (("logistic regression, cross-entropy", ce),
                    ("logistic regression, squared loss", sq)):
        r = convexity_check(f, box, n_samples=150, n_hessians=16)
        verdicts.append(r.status)
        ex = r.counterexample
        detail = (f"θ={np.round(ex.theta, 2).tolist()}, φ={np.round(ex.phi, 2).tolist()}, "
                  f"λ={ex.lam:.2f}: gap {ex.gap:.3g}" if ex is not None else "—")
        rows.append([name, r.status.value, f"{r.min_hessian_eigenvalue:.3g}", detail])
    ctx.text("**Convexity (Liquet §4.1, eq. 4.3).** `convexity_check` samples the definition and "
             "the Hessian's PSD-ness; it can refute convexity with a counterexample that anyone "
             "can re-evaluate, never prove it. Logistic regression is convex with cross-entropy "
             "and loses convexity with the squared loss:")
    ctx.table(["loss on [−6, 6]³", "verdict", "min sampled λ(H)", "counterexample to eq. 4.3"],
              rows)
    refuted = verdicts[1] is ConvexityStatus.NOT_CONVEX
    est = lipschitz_estimate(ce, box, n_samples=120, n_local=24)
    bound = float(np.linalg.eigvalsh(X.T @ X)[-1]) / (4 * X.shape[0])
    ctx.text(f"**Lipschitz constant of ∇f** for the cross-entropy loss: sampled estimate "
             f"{est.constant:.4g} ≤ the classical bound λmax(XᵀX)/(4n) = {bound:.4g}. "
             f"As the result says, the estimate is {est.note}.")
    ctx.summary(f"convexity: squared-loss logistic regression refuted = {refuted}; "
                f"Lipschitz(∇f) estimate {est.constant:.3g} <= bound {bound:.3g}")


def _newton_1d(ctx: SectionContext) -> None:
    over = newton_iterates_1d(overshoot_cost, 1.5, 6)
    osc = newton_iterates_1d(oscillation_cost, 1.0, 6)
    ctx.text("**Newton's method in one dimension** (Liquet §4.6). On C(θ) = (θ − 3)²(θ + 3) "
             "from θ = 1.5 the first step overshoots to 5.25 (C jumps from 10.125 to 41.77) "
             "before converging fast; on C(θ) = −θ⁴/4 + 5θ²/2 from θ = 1 it cycles forever:")
    ctx.table(["t", "overshoot θ", "C(θ)", "oscillation θ", "C(θ)"],
              [[t, f"{a:.4f}", f"{ca:.4f}", f"{b:.4f}", f"{cb:.4f}"]
               for t, (a, ca, b, cb) in enumerate(zip(over.thetas, over.values, osc.thetas,
                                                      osc.values))])
    ctx.summary("Newton 1-D: " + ", ".join(f"{t:.4f}" for t in over.thetas[:5]) + " ...")


def run(ctx: SectionContext) -> None:
    """Goodfellow §4.3.1 and Liquet §4.1/§4.6 with steepest.analysis and autodiff derivatives."""
    ctx.text("The gradient says which way is downhill; the Hessian says how far that stays "
             "true. This section uses `steepest.analysis` with derivatives from "
             "`steepest.autodiff` — the example functions are plain NumPy.")
    _decrease(ctx)
    _second_derivative_test(ctx)
    _polynomial(ctx)
    _peaks(ctx)
    _steps(ctx)
    _lanczos(ctx)
    _convexity(ctx)
    _newton_1d(ctx)
