"""Tour section: poor conditioning (Goodfellow et al. §4.2), on the 2×2 system A = [[4.1, 2.8],
[9.7, 6.6]] of the notebook that works through that section."""

from __future__ import annotations

import warnings

import numpy as np
from scipy.linalg import hilbert

from .. import plot
from ..numerics import ConditioningWarning, condition_number, perturbation_report, solve
from ..numerics.floating import machine_epsilon
from ..numerics.guard import numerics_guard
from .core import SectionContext, figures_unavailable

TITLE = "Poor conditioning"

A = np.array([[4.1, 2.8], [9.7, 6.6]])
B = np.array([4.1, 9.7])
B_PERTURBED = np.array([4.11, 9.7])
KINDS = [("svd", "σmax/σmin (2-norm)"), ("eig", "max|λi/λj| (eq. 4.2)"), (1, "1-norm"),
         (np.inf, "inf-norm"), ("fro", "Frobenius")]


def _fmt(v: np.ndarray) -> str:
    return "(" + ", ".join(f"{float(t) + 0.0:.4g}" for t in v) + ")"


def _seed_system(ctx: SectionContext) -> None:
    r0, r1 = solve(A, B), solve(A, B_PERTURBED)
    ctx.text(
        "**The system A x = b** with `A = [[4.1, 2.8], [9.7, 6.6]]`. Changing b by 0.01 in one "
        "entry moves the solution across the plane. `steepest.solve` factorises A (LU with "
        "partial pivoting, never an inverse) and returns an error bound with the solution."
    )
    ctx.table(
        ["b", "x = solve(A, b).x", "cond₁ estimate", "error bound", "status"],
        [[_fmt(B), _fmt(r0.x), f"{r0.cond:.4g}", f"{r0.error_bound:.2g}", r0.status.value],
         [_fmt(B_PERTURBED), _fmt(r1.x), f"{r1.cond:.4g}", f"{r1.error_bound:.2g}",
          r1.status.value]],
    )
    ctx.text("The error bounds are tiny: both solutions are accurate for the data given. The "
             "jump is a property of A (the problem), not of rounding in the solver.")
    ctx.table(["kind", "meaning", "condition_number(A, kind)"],
              [[repr(k) if k is not np.inf else "np.inf", what, f"{condition_number(A, k):.6g}"]
               for k, what in KINDS])
    ctx.text("The eigenvalue ratio of eq. 4.2 is smaller than σmax/σmin because A is not "
             "normal; only the singular-value ratio bounds the amplification in the 2-norm.")
    rep = perturbation_report(A, B, B_PERTURBED - B)
    ctx.code(rep.describe())
    ctx.summary(f"A x = b: x {_fmt(r0.x)} -> {_fmt(r1.x)} for a 0.1% change of b "
                f"(amplification {rep.amplification:.0f}x, cond {rep.cond:.0f})")


def _shear(ctx: SectionContext) -> None:
    rows = []
    for a in (10.0, 1e3, 1e6):
        m = np.array([[1.0, a], [0.0, 1.0]])
        rows.append([f"[[1, {a:g}], [0, 1]]", f"{condition_number(m, 'eig'):.3g}",
                     f"{condition_number(m, 'svd'):.4g}", f"{a * a:.3g}"])
    ctx.text("**When eq. 4.2 misleads.** A shear has both eigenvalues equal to 1, yet "
             "σmax/σmin ≈ a²:")
    ctx.table(["A", "eig ratio", "σmax/σmin", "a²"], rows)


def _hilbert(ctx: SectionContext) -> None:
    rows, caught = [], []
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always", ConditioningWarning)
        for n in (4, 8, 10, 13):
            h = hilbert(n)
            r = solve(h, h @ np.ones(n))
            err = np.abs(r.x - 1.0).sum() / n
            rows.append([n, f"{r.cond:.3g}", f"{r.error_bound:.2g}", f"{err:.2g}",
                         r.status.value])
        caught = [str(w.message) for w in record if issubclass(w.category, ConditioningWarning)]
    ctx.text("**Hilbert matrices**, solved for x = (1, ..., 1). The bound `cond · backward "
             "error` tracks the error actually made (measured against the known x):")
    ctx.table(["n", "cond₁", "error bound", "actual relative error", "status"], rows)
    ctx.text(f"`solve` issued {len(caught)} ConditioningWarning(s) (captured for the report):")
    ctx.code("\n".join(caught) or "none")


def _with_cond(n: int, cond: float, rng: np.random.Generator) -> np.ndarray:
    u, _ = np.linalg.qr(rng.standard_normal((n, n)))
    v, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return (u * np.geomspace(1.0, 1.0 / cond, n)) @ v.T


def _amplification_data(rng: np.random.Generator) -> dict[str, np.ndarray]:
    conds = np.repeat(np.logspace(0, 15, 31), 3)
    solve_err, random_amp, worst_amp = [], [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConditioningWarning)
        for c in conds:
            a = _with_cond(8, c, rng)
            x_true = rng.standard_normal(8)
            x = solve(a, a @ x_true).x
            solve_err.append(np.linalg.norm(x - x_true) / np.linalg.norm(x_true))
            b = rng.standard_normal(8)
            random_amp.append(perturbation_report(a, b, 1e-8 * rng.standard_normal(8))
                              .amplification)
            u = np.linalg.svd(a)[0]
            worst_amp.append(perturbation_report(a, u[:, 0], 1e-8 * u[:, -1]).amplification)
    return {"cond": conds, "solve": np.array(solve_err), "random": np.array(random_amp),
            "worst": np.array(worst_amp)}


def _figure(ctx: SectionContext) -> None:
    if figures_unavailable(ctx):
        return
    import matplotlib.pyplot as plt

    with numerics_guard() as guard:
        d = _amplification_data(np.random.default_rng(0))
    eps = machine_epsilon(np.float64)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    dots = {"ls": "none", "marker": ".", "ms": 5}
    plot.functions({"worst-case db": d["worst"], "random db": d["random"],
                    "bound cond(A)": d["cond"]}, d["cond"], log=True,
                   styles={"worst-case db": {**dots, "marker": "o", "ms": 4}, "random db": dots,
                           "bound cond(A)": {"color": "k", "ls": "--", "lw": 1}}, ax=ax1)
    ax1.set(xscale="log", xlabel="cond(A)", ylabel="(‖dx‖/‖x‖) / (‖db‖/‖b‖)",
            title="Amplification of a change in b")
    plot.functions({"solve: relative error": d["solve"], "cond(A) · eps": d["cond"] * eps},
                   d["cond"], log=True, styles={"solve: relative error": dots,
                                                "cond(A) · eps": {"color": "k", "ls": "--",
                                                                  "lw": 1}}, ax=ax2)
    ax2.set(xscale="log", xlabel="cond(A)", ylabel="‖x̂ − x‖/‖x‖",
            title="Rounding error of the solve")
    fig.tight_layout()
    ctx.figure(fig, "amplification", "Random 8×8 matrices with prescribed condition number: "
               "a relative change of b is amplified by at most cond(A), attained in the worst "
               "direction (left); the rounding error of an LU solve grows like cond(A)·eps "
               "(right).")
    ratio = d["solve"] / (d["cond"] * eps)
    ctx.text(f"Measured: every amplification ≤ cond(A) "
             f"({bool(np.all(d['random'] <= d['cond'] * (1 + 1e-6)))}); solve error / "
             f"(cond·eps) stays below {ratio.max():.2g}. Floating-point exceptions: "
             f"{guard.report()}.")


def run(ctx: SectionContext) -> None:
    """Reproduce Goodfellow §4.2 with condition_number, solve and perturbation_report."""
    ctx.text(
        "A function is poorly conditioned when small relative changes of its input cause "
        "large relative changes of its output. For f(b) = A⁻¹b the amplification is bounded "
        "by the condition number of A (Goodfellow et al., §4.2)."
    )
    _seed_system(ctx)
    _shear(ctx)
    _hilbert(ctx)
    _figure(ctx)
