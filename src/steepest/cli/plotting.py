"""``--plot out.png``: the run's path on the landscape (2-D problems) and its convergence.

A stand-in for :mod:`steepest.plot` (``path`` and ``convergence``) until that package lands on
this branch: the figure is drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot, no
window), and matplotlib is imported only when ``--plot`` is given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .._validate import optional_module

__all__ = ["require_matplotlib", "draw_run"]


def require_matplotlib() -> None:
    """Fail early (before the run) when ``--plot`` is asked for without matplotlib."""
    optional_module("matplotlib", "plot", "--plot")


def draw_run(res: Any, fun: Callable[[np.ndarray], Any], out: Path) -> Path:
    """Save the figure of one ``minimize`` result: path on the contours (n = 2 with stored
    iterates) beside ``f − min f`` and ``‖g‖`` per iteration on a log axis.

    Args:
        res: a ``minimize`` result with a ``trace``.
        fun: the objective (for the contours).
        out: the PNG path (its folder must exist).

    Returns:
        ``out``.
    """
    figure_cls = optional_module("matplotlib.figure", "plot", "--plot").Figure
    xs = np.asarray(res.trace.x) if res.trace.x else None
    two_d = xs is not None and xs.ndim == 2 and xs.shape[1] == 2
    fig = figure_cls(figsize=(10 if two_d else 5.5, 4.2), layout="constrained")
    axes = fig.subplots(1, 2 if two_d else 1, squeeze=False)[0]
    if two_d:
        _path(axes[0], fun, xs, res)
    _convergence(axes[-1], res)
    fig.savefig(out, dpi=110)
    return out


def _path(ax: Any, fun: Callable[[np.ndarray], Any], xs: np.ndarray, res: Any) -> None:
    lo, hi = xs.min(axis=0), xs.max(axis=0)
    pad = np.maximum(0.25 * (hi - lo), 0.5)
    u = np.linspace(lo[0] - pad[0], hi[0] + pad[0], 80)
    v = np.linspace(lo[1] - pad[1], hi[1] + pad[1], 80)
    grid = np.array([[float(fun(np.array([a, b]))) for a in u] for b in v])
    shifted = grid - np.nanmin(grid) + 1e-12
    ax.contour(u, v, np.log10(shifted), levels=20, linewidths=0.7, cmap="viridis")
    ax.plot(xs[:, 0], xs[:, 1], "o-", ms=3, lw=1.2, color="tab:red",
            label=f"{res.get('method', '')} ({res.nit} iterations)")
    ax.plot(*xs[-1], "*", ms=12, color="k")
    ax.set(xlabel="$x_0$", ylabel="$x_1$", title="iterates on log10(f − min f)")
    ax.legend(loc="best", fontsize=8)


def _convergence(ax: Any, res: Any) -> None:
    f = np.asarray(res.trace.f, dtype=float)
    gap = f - np.min(f)
    k = np.arange(f.size)
    ax.semilogy(k, np.where(gap > 0, gap, np.nan), label="f − min f")
    ax.semilogy(k, np.asarray(res.trace.gnorm, dtype=float), label="‖g‖")
    ax.set(xlabel="iteration", title="convergence")
    ax.legend(loc="best", fontsize=8)
