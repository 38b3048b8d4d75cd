"""``--plot out.png``: the run's path on the landscape (2-D problems) and its convergence.

Drawn with :func:`steepest.plot.path` and :func:`steepest.plot.convergence` on a bare
:class:`matplotlib.figure.Figure` (no pyplot, no window); matplotlib is imported only when
``--plot`` is given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from .. import plot
from .._validate import optional_module

__all__ = ["require_matplotlib", "draw_run"]


def require_matplotlib() -> None:
    """Fail early (before the run) when ``--plot`` is asked for without matplotlib."""
    optional_module("matplotlib", "plot", "--plot")


def draw_run(res: Any, fun: Callable[[np.ndarray], Any], out: Path) -> Path:
    """Save the figure of one ``minimize`` result: path on the contours (n = 2 with stored
    iterates) beside ``f − min f`` per iteration on a log axis.

    Args:
        res: a ``minimize`` result with a ``trace``.
        fun: the objective (for the contours).
        out: the PNG path (its folder must exist).

    Returns:
        ``out``.
    """
    figure_cls = optional_module("matplotlib.figure", "plot", "--plot").Figure
    two_d = bool(res.trace.x) and np.asarray(res.trace.x).ndim == 2 \
        and np.asarray(res.trace.x).shape[1] == 2
    fig = figure_cls(figsize=(10 if two_d else 5.5, 4.2), layout="constrained")
    axes = fig.subplots(1, 2 if two_d else 1, squeeze=False)[0]
    if two_d:
        plot.path(res, fun, ax=axes[0])
    plot.convergence(res, y="f - f*", f_star=float(np.min(res.trace.f)), ax=axes[-1])
    fig.savefig(out, dpi=110)
    return out
