"""Tour section: overflow and underflow (Goodfellow §4.1), naive formulas against stable ones.

The naive formulas run under :func:`steepest.numerics.numerics_guard`, so their floating-point
exceptions are recorded and shown in the report instead of RuntimeWarnings on the terminal.
"""

from __future__ import annotations

import numpy as np

from .. import plot
from ..numerics import (
    log_sigmoid,
    log_softmax,
    machine_epsilon,
    numerics_guard,
    softmax,
    softplus,
    ulp,
    ulp_distance,
)
from .core import SectionContext, figures_unavailable

TITLE = "Overflow and underflow"

SEED_VECTORS = ([-12345.0, -67890.0, -99999999.0], [12345.0, 67890.0, 99999999.0])


def _naive_softmax(x: np.ndarray) -> np.ndarray:
    return np.exp(x) / np.sum(np.exp(x))


def _naive_softplus(x: np.ndarray) -> np.ndarray:
    return np.log(1.0 + np.exp(x))


def _naive_log_sigmoid(x: np.ndarray) -> np.ndarray:
    return np.log(1.0 / (1.0 + np.exp(-x)))


def _fmt(v: np.ndarray) -> str:
    return "[" + ", ".join(f"{float(t):.4g}" for t in v) + "]"


def _softmax_table(ctx: SectionContext) -> None:
    rows = []
    with numerics_guard(ignore=()) as guard:
        for v in SEED_VECTORS:
            for dtype in (np.float32, np.float64):
                x = np.array(v, dtype=dtype)
                rows.append([_fmt(x), np.dtype(dtype).name, _fmt(_naive_softmax(x)),
                             _fmt(softmax(x))])
    ctx.text(
        "**Softmax** (eq. 4.1). `exp` underflows to 0 for the first vector (0/0 = nan) and "
        "overflows to inf for the second (inf/inf = nan). `steepest.softmax` subtracts the "
        "maximum first, so the largest exponent is 0 and the denominator is at least 1."
    )
    ctx.table(["x", "dtype", "naive exp(x)/sum(exp(x))", "steepest.softmax(x)"], rows)
    ctx.text("What `numerics_guard(ignore=())` recorded while the naive formula ran "
             "(the stable calls raised nothing):")
    ctx.code(guard.report())
    ctx.summary(f"naive softmax: {guard.counts['overflow']} overflow, "
                f"{guard.counts['underflow']} underflow, {guard.counts['invalid']} invalid; "
                "steepest.softmax: finite, sums to 1")


def _log_softmax_table(ctx: SectionContext) -> None:
    x = np.array([1000.0, 0.0, -1000.0])
    with numerics_guard() as guard:
        naive = np.log(softmax(x))
    stable = log_softmax(x)
    ctx.text(
        "**log(softmax(x)) vs log_softmax(x).** Even a stable softmax underflows to 0 for "
        "very unlikely classes, and `log(0) = -inf`; `log_softmax` computes "
        "`(x - max x) - log(sum(exp(x - max x)))` directly."
    )
    ctx.table(["x", "np.log(softmax(x))", "log_softmax(x)"],
              [[_fmt(x), _fmt(naive), _fmt(stable)]])
    ctx.code(guard.report())


def _rounding(ctx: SectionContext) -> None:
    s = 0.1 + 0.2
    ctx.text(
        "**Rounding.** 0.1, 0.2 and 0.3 are not representable in binary; each is rounded to "
        "the nearest float, and so is their sum."
    )
    rows = [
        ["0.1 + 0.2", repr(s)],
        ["0.1 + 0.2 == 0.3", repr(s == 0.3)],
        ["ulp(0.3)", f"{float(ulp(0.3)):.3g}"],
        ["ulp_distance(0.1 + 0.2, 0.3)", f"{float(ulp_distance(s, 0.3)):.0f}"],
        ["|(0.1 + 0.2) - 0.3|", f"{abs(s - 0.3):.3g}"],
        ["machine_epsilon(float64)", f"{machine_epsilon(np.float64):.3g}"],
        ["machine_epsilon(float32)", f"{machine_epsilon(np.float32):.3g}"],
        ["np.float32(0.1) + np.float32(0.2) == np.float32(0.3)",
         repr(bool(np.float32(0.1) + np.float32(0.2) == np.float32(0.3)))],
    ]
    ctx.table(["expression", "value"], rows)
    ctx.summary(f"0.1 + 0.2 = {s!r}: {float(ulp_distance(s, 0.3)):.0f} ulp from 0.3")


def _figure(ctx: SectionContext) -> None:
    if figures_unavailable(ctx):
        return
    import matplotlib.pyplot as plt

    x = np.linspace(-800.0, 800.0, 1601)
    with numerics_guard(ignore=()) as guard:
        curves = {
            "softplus": (_naive_softplus(x), softplus(x), "log(1 + exp(x))"),
            "-log_sigmoid": (-_naive_log_sigmoid(x), -log_sigmoid(x), "-log(sigmoid(x))"),
        }
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, (name, (naive, stable, label)) in zip(axes, curves.items()):
        plot.functions({f"steepest {name}": stable, f"naive {label}": naive}, x, log=True,
                       reference=f"steepest {name}", styles={f"naive {label}": {"ls": "--",
                                                                                "color": "k"}},
                       ax=ax)
        ax.set_title(name)
        ax.legend(fontsize=8, loc="lower right" if name == "softplus" else "lower left")
    fig.tight_layout()
    ctx.figure(fig, "softplus", "Naive vs stable softplus and -log sigmoid in float64: the "
               "naive forms overflow to inf (red) or collapse away from the true curve, to 0 "
               "(orange); the stable ones follow the true curve over the whole range.")
    ctx.text("Floating-point exceptions raised by the naive curves:")
    ctx.code(guard.report())


def run(ctx: SectionContext) -> None:
    """Reproduce Goodfellow §4.1 with steepest's stable functions."""
    ctx.text(
        "Underflow rounds tiny numbers to 0 and overflow turns large ones into inf; further "
        "arithmetic then produces nan (Goodfellow et al., §4.1). Every function in "
        "`steepest.numerics` is written so that neither happens where the true answer is "
        "finite, and is accurate to within 2 ulp (measured against mpmath)."
    )
    _softmax_table(ctx)
    _log_softmax_table(ctx)
    _rounding(ctx)
    _figure(ctx)
