"""``path``: the iterates of one or several runs, drawn over the objective's landscape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._axes import Axes, axes_or_new, named_items
from .landscapes import landscape

__all__ = ["path", "iterates"]


def _is_run(value: Any) -> bool:
    return isinstance(value, np.ndarray) or hasattr(value, "trace") or hasattr(value, "path")


def _label(run: Any) -> str:
    if isinstance(run, np.ndarray):
        return f"{len(run) - 1} steps"
    return f"{run.get('method', 'run')} ({run.get('nit', len(iterates(run)) - 1)} it.)"


def iterates(run: Any) -> np.ndarray:
    """The iterates x₀, x₁, ... of a run as an ``(iterations + 1, n)`` array.

    Args:
        run: a ``minimize`` result (its ``trace.x``, kept when ``options={"store_x": True}``,
            the default for n ≤ 100), a result with a ``path`` (projected gradient), or an
            array of iterates.

    Returns:
        The iterates, one row per point.

    Raises:
        ValueError: the result kept no iterates.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> res = minimize(lambda x: x @ x, np.array([1.0, 2.0]), method="gd")
        >>> iterates(res)[0].tolist(), iterates(res).shape[0] == res.nit + 1
        ([1.0, 2.0], True)
    """
    if isinstance(run, np.ndarray):
        xs = run
    elif hasattr(run, "trace"):
        xs = np.asarray(run.trace.x, dtype=float)
        if xs.size == 0:
            raise ValueError(f"this {run.get('method', '')} result kept no iterates "
                             "(trace.x is empty); rerun minimize with "
                             "options={'store_x': True} to draw its path")
    else:
        xs = np.asarray(run.path, dtype=float)
    return np.atleast_2d(np.asarray(xs, dtype=float))


def path(result_or_results: Any, f: Callable[..., Any] | None = None, bounds: Any = None, *,
         style: str = "o-", landscape_kw: dict[str, Any] | None = None, legend: bool | None = None,
         ax: Axes | None = None, **line_kw: Any) -> Axes:
    """The iterates of one or several runs in the plane, over ``f``'s contours when given.

    Each run is one line through x₀, x₁, ..., labelled with its method and iteration count
    (``"bfgs (34 it.)"``), or with the key it has in a ``{label: run}`` dict.

    Args:
        result_or_results: a ``minimize`` result, a list of them, or a ``{label: run}`` dict;
            a run may also be a projected-gradient result or an ``(k, 2)`` array of iterates.
        f: the objective, to draw its :func:`~steepest.plot.landscape` underneath.
        bounds: the box of that landscape (default: the iterates' box, widened by 10 %).
        style: the matplotlib line format of the paths.
        landscape_kw: further arguments of :func:`~steepest.plot.landscape` (``log``,
            ``levels``, ``cmap``, ...).
        legend: draw a legend (default: when there is more than one run).
        ax: the Axes to draw into; a new figure when ``None``.
        **line_kw: passed to ``ax.plot`` for every path (``ms``, ``color``, ``lw`` ...).

    Returns:
        The Axes.

    Raises:
        ValueError: a result kept no iterates (the message says to pass
            ``options={"store_x": True}``), or the iterates are not 2-D.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> f = lambda x: x[0] ** 2 + 5 * x[1] ** 2
        >>> res = minimize(f, np.array([2.0, 1.0]), method="bfgs")
        >>> ax = path(res, f)
        >>> ax.get_lines()[0].get_label() == f"bfgs ({res.nit} it.)"
        True
    """
    runs = [(label, iterates(run)) for label, run in
            named_items(result_or_results, "result_or_results", _is_run, _label)]
    for label, xs in runs:
        if xs.shape[1] != 2:
            raise ValueError(f"path draws iterates in the plane; run {label!r} has "
                             f"{xs.shape[1]} coordinates")
    ax = axes_or_new(ax)
    if f is not None:
        box = bounds if bounds is not None else _box(np.vstack([xs for _, xs in runs]))
        landscape(f, box, ax=ax, **(landscape_kw or {}))
    for label, xs in runs:
        ax.plot(xs[:, 0], xs[:, 1], style, label=label, **line_kw)
    if legend or (legend is None and len(runs) > 1):
        ax.legend()
    return ax


def _box(points: np.ndarray) -> list[tuple[float, float]]:
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = 0.1 * np.maximum(hi - lo, 1e-3 * np.maximum(np.abs(lo), 1.0))
    return list(zip(lo - pad, hi + pad))
