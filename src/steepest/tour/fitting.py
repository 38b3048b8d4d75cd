"""Tour section: nonlinear least squares and curve fitting (``least_squares``, ``curve_fit``)."""

from __future__ import annotations

import numpy as np
import scipy.optimize as so

from ..fitting import curve_fit, least_squares
from ..problems.mgh import mgh_problem
from .core import SectionContext, matplotlib_available

TITLE = "Nonlinear least squares"

_TRUE = np.array([2.0, 0.8, 0.3])
_MGH = (1, 6, 8, 10, 12, 17, 19, 20)


def _model(t, p):
    return p[0] * np.exp(-p[1] * t) + p[2]


def _data():
    rng = np.random.default_rng(2)
    t = np.linspace(0.0, 5.0, 60)
    y = _model(t, _TRUE) + 0.03 * rng.standard_normal(t.size)
    outliers = rng.choice(t.size, 8, replace=False)
    y[outliers] += rng.uniform(0.8, 1.6, outliers.size)
    return t, y, outliers


def _robust(ctx: SectionContext) -> None:
    t, y, outliers = _data()
    fits = {loss: least_squares(lambda p: _model(t, p) - y, np.ones(3), loss=loss,
                                f_scale=0.1)
            for loss in ("linear", "soft_l1", "cauchy")}
    ctx.text("**A robust fit.** 60 points of y = a e^(−bt) + c with noise σ = 0.03 and 8 "
             "outliers pushed up by 0.8–1.6. ``least_squares`` minimizes "
             "½ Σ ρ(rᵢ²) with ρ_c(z) = c² ρ(z/c²), c = ``f_scale`` = 0.1; its Jacobian is "
             "autodiff's (forward mode: 60 residuals, 3 parameters). A robust loss damps "
             "the residuals far above c, so the outliers stop dragging the curve up "
             "(Triggs et al. 2000, §4.3: the loss is handled by rescaling residuals and "
             "Jacobian, so the trust-region method itself is unchanged).")
    rows = [[loss, np.round(r.x, 3).tolist(), float(np.max(np.abs(r.x - _TRUE))), r.nfev,
             r.njev, r.status] for loss, r in fits.items()]
    ctx.table(["loss", "(a, b, c)", "max error vs (2, 0.8, 0.3)", "nfev", "njev", "status"],
              rows)
    if matplotlib_available():
        _draw(ctx, t, y, outliers, fits)
    err = {loss: float(np.max(np.abs(r.x - _TRUE))) for loss, r in fits.items()}
    ctx.summary(f"robust fit with 8 outliers: parameter error {err['linear']:.2f} (linear) vs "
                f"{err['soft_l1']:.3f} (soft_l1)")


def _draw(ctx: SectionContext, t, y, outliers, fits) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    inliers = np.setdiff1d(np.arange(t.size), outliers)
    ax.plot(t[inliers], y[inliers], "k.", label="data")
    ax.plot(t[outliers], y[outliers], "rx", label="outliers")
    fine = np.linspace(t[0], t[-1], 300)
    ax.plot(fine, _model(fine, _TRUE), "k--", lw=1, label="truth")
    for (loss, r), color in zip(fits.items(), ("C0", "C2", "C1")):
        ax.plot(fine, _model(fine, r.x), color=color, label=f"loss={loss!r}")
    ax.set_xlabel("t")
    ax.set_ylabel("y")
    ax.legend(fontsize=8)
    ax.set_title("least_squares: plain vs robust losses")
    ctx.figure(fig, "robust-fit", "Least squares with outliers: linear loss vs soft_l1, cauchy")


def _curve(ctx: SectionContext) -> None:
    t, y, outliers = _data()
    keep = np.setdiff1d(np.arange(t.size), outliers)
    sigma = np.full(keep.size, 0.03)
    popt, pcov = curve_fit(lambda t, a, b, c: _model(t, (a, b, c)), t[keep], y[keep],
                           sigma=sigma, absolute_sigma=True)
    ref, ref_cov = so.curve_fit(lambda t, a, b, c: _model(t, (a, b, c)), t[keep], y[keep],
                                sigma=sigma, absolute_sigma=True)
    ctx.text("**curve_fit** on the inliers with σ = 0.03 (``absolute_sigma=True``): pcov is "
             "the pseudo-inverse of JᵀJ at the solution (through an SVD of the weighted "
             "Jacobian), so √diag(pcov) are the standard errors; scipy's ``curve_fit`` on "
             "the same call gives the same numbers.")
    err = np.sqrt(np.diag(pcov))
    ctx.table(["parameter", "true", "popt", "± std. error", "scipy popt",
               "pcov rel. diff vs scipy"],
              [[name, _TRUE[i], round(float(popt[i]), 5), round(float(err[i]), 5),
                round(float(ref[i]), 5),
                f"{abs(pcov[i, i] - ref_cov[i, i]) / ref_cov[i, i]:.1e}"]
               for i, name in enumerate("abc")])


def _mgh(ctx: SectionContext) -> None:
    rows = []
    for number in _MGH:
        p = mgh_problem(number)
        row = [p.name]
        for method in ("trf", "lm"):
            ours = least_squares(p.residuals, p.x0, method=method)
            ref = so.least_squares(p.residuals, p.x0, jac=p.jacobian, method=method)
            row += [f"{ours.nfev} / {ref.nfev}", f"{ours.cost:.6g}"]
        rows.append(row)
    ctx.text("**Moré–Garbow–Hillstrom problems as residual vectors**, from the standard "
             "starts, at scipy's default tolerances: residual evaluations of steepest "
             "(autodiff Jacobians) / scipy (analytic Jacobians), and the final cost. The "
             "full set of 35 is in ``benchmarks/least_squares.py``.")
    ctx.table(["problem", "trf nfev (steepest / scipy)", "trf cost",
               "lm nfev (steepest / scipy)", "lm cost"], rows)


def run(ctx: SectionContext) -> None:
    """Robust fitting, curve_fit with standard errors, and MGH problems against scipy."""
    _robust(ctx)
    _curve(ctx)
    _mgh(ctx)
