"""``surface``: the graph z = f(x, y) of a 2-D objective as a 3-D surface.

The picture of Goodfellow et al. figure 4.5: a saddle curves up along one axis and down along
the other. Critical points are marked on the surface by kind, as in :func:`landscape`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._validate import check_bounds, check_callable, check_positive_int
from ._axes import Axes, plt
from .landscapes import MARKERS, critical_point_list, evaluate_grid

__all__ = ["surface"]


def _axes3d(ax: Any) -> Axes:
    if ax is None:
        return plt.figure(figsize=(6.0, 4.5)).add_subplot(projection="3d")
    if not (isinstance(ax, Axes) and ax.name == "3d"):
        raise TypeError("ax must be a 3-D Axes or None; pass ax=None, or "
                        "fig.add_subplot(projection='3d')")
    return ax


def _mark(ax: Axes, points: list, f: Callable[..., Any]) -> None:
    for kind, (marker, colour) in MARKERS.items():
        pts = [p for p in points if p.kind is kind]
        if not pts:
            continue
        xy = np.array([p.x for p in pts], dtype=float)
        if xy.ndim != 2 or xy.shape[1] != 2:
            raise ValueError("critical points must have 2 coordinates, like the surface; "
                             "pass points of the same function")
        z = [float(f(p)) for p in xy]
        ax.scatter(xy[:, 0], xy[:, 1], z, marker=marker, color=colour, edgecolors="white",
                   s=90, depthshade=False, zorder=4, label=f"{kind.value} ({len(pts)})")


def surface(f: Callable[..., Any], bounds: Any, *, n: int = 60, critical_points: Any = None,
            vectorized: bool = False, cmap: str = "viridis",
            labels: tuple[str, str] = ("x", "y"), ax: Axes | None = None,
            **surface_kw: Any) -> Axes:
    """The surface z = f(x, y) over a box, on a 3-D Axes, critical points marked by kind.

    Args:
        f: the objective, a scalar function of a vector of length 2.
        bounds: the box ``[(x_low, x_high), (y_low, y_high)]``.
        n: grid points per axis.
        critical_points: a :class:`~steepest.analysis.CriticalPoints`, a
            :class:`~steepest.analysis.CriticalPoint` or a list of them.
        vectorized: evaluate ``f`` once on the stacked grid of shape ``(2, n, n)``.
        cmap: matplotlib colormap name.
        labels: the axis labels of x[0] and x[1].
        ax: a 3-D Axes (``fig.add_subplot(projection="3d")``); a new figure when ``None``.
        **surface_kw: passed to ``plot_surface`` (e.g. ``linewidth``, ``alpha``).

    Returns:
        The 3-D Axes.

    Example:
        >>> ax = surface(lambda v: v[0] ** 2 - v[1] ** 2, [(-1, 1), (-1, 1)], n=5)
        >>> ax.name, ax.collections[0].get_array().size  # (n − 1)² faces, coloured by height
        ('3d', 16)
    """
    check_callable(f, "f")
    box = check_bounds(bounds)
    if box.shape[0] != 2:
        raise ValueError(f"surface draws 2-D objectives; bounds has {box.shape[0]} pairs. Use "
                         "landscape for 1-D, or a 2-D slice lambda v: f(embed(v))")
    n = check_positive_int(n, "n", minimum=2)
    ax = _axes3d(ax)
    X, Y, Z = evaluate_grid(f, box, n, vectorized)
    ax.plot_surface(X, Y, Z, cmap=cmap, **{"linewidth": 0.2, **surface_kw})
    ax.set(xlabel=labels[0], ylabel=labels[1])
    if critical_points is not None:
        ax.computed_zorder = False  # the markers in front of the surface, never hidden by it
        _mark(ax, critical_point_list(critical_points), f)
        ax.legend(fontsize=8)
    return ax
