"""``landscape``: the contours of a 2-D objective (or the curve of a 1-D one) over a box.

Critical points from :func:`steepest.find_critical_points` or
:func:`steepest.classify_critical_point` are marked by kind (minimum, maximum, saddle,
inconclusive), the second-derivative test's verdict of Goodfellow et al. §4.3.1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._validate import check_bounds, check_callable, check_positive_int
from ..analysis import CriticalKind, CriticalPoint, CriticalPoints
from ._axes import Axes, axes_or_new

__all__ = ["landscape", "evaluate_grid", "critical_point_list", "MARKERS"]

#: marker and colour of each kind of critical point.
MARKERS: dict[CriticalKind, tuple[str, str]] = {
    CriticalKind.MINIMUM: ("o", "tab:blue"), CriticalKind.MAXIMUM: ("^", "tab:red"),
    CriticalKind.SADDLE: ("X", "black"), CriticalKind.INCONCLUSIVE: ("s", "tab:gray"),
    CriticalKind.NOT_CRITICAL: ("x", "tab:orange"),
}  # fmt: skip


def evaluate_grid(f: Callable[..., Any], box: np.ndarray, n: int, vectorized: bool = False
                  ) -> tuple[np.ndarray, ...]:
    """``f`` on an ``n``-point grid per axis of ``box`` (shape ``(1, 2)`` or ``(2, 2)``).

    Args:
        f: scalar function of a vector.
        box: checked bounds, one ``(low, high)`` row per coordinate.
        n: grid points per axis.
        vectorized: call ``f`` once on the stacked grid (shape ``(d, n, n)``, or ``(1, n)``
            in 1-D) instead of once per point; ``f`` must then return one value per point.

    Returns:
        ``(t, values)`` in 1-D, ``(X, Y, Z)`` in 2-D (meshgrid layout).

    Example:
        >>> X, Y, Z = evaluate_grid(lambda v: v[0] + 10 * v[1], np.array([[0, 1], [0, 1]]), 3)
        >>> Z.tolist()
        [[0.0, 0.5, 1.0], [5.0, 5.5, 6.0], [10.0, 10.5, 11.0]]
    """
    axes = [np.linspace(lo, hi, n) for lo, hi in box]
    grid = np.meshgrid(*axes) if len(axes) == 2 else axes
    stacked = np.stack(grid)
    if vectorized:
        values = np.asarray(f(stacked), dtype=float)
        if values.shape != stacked.shape[1:] and values.size == stacked[0].size:
            values = values.reshape(stacked.shape[1:])  # e.g. (1, n) from a 1-D polynomial
        if values.shape != stacked.shape[1:]:
            raise ValueError(f"with vectorized=True, f must return one value per grid point, "
                             f"shape {stacked.shape[1:]}; got {values.shape}; pass "
                             "vectorized=False to evaluate point by point")
    else:
        flat = stacked.reshape(len(axes), -1).T
        values = np.array([float(f(p)) for p in flat]).reshape(stacked.shape[1:])
    return (*grid, values)


def _log_values(z: np.ndarray, log: bool | float) -> np.ndarray:
    offset = 1e-3 if log is True else float(log)
    if not offset > 0:
        raise ValueError(f"log must be True or an offset > 0, got {log!r}")
    return np.log10(z - np.nanmin(z) + offset)


def critical_point_list(critical_points: Any) -> list[CriticalPoint]:
    """The critical points of ``critical_points`` as a list (see :func:`landscape`)."""
    if isinstance(critical_points, CriticalPoints):
        return list(critical_points.points)
    if isinstance(critical_points, CriticalPoint):
        return [critical_points]
    pts = list(critical_points)
    if not all(isinstance(p, CriticalPoint) for p in pts):
        raise TypeError("critical_points must be the result of find_critical_points, a "
                        "CriticalPoint from classify_critical_point, or a list of them")
    return pts


def _mark(ax: Axes, points: list[CriticalPoint], dim: int) -> None:
    for kind, (marker, colour) in MARKERS.items():
        pts = [p for p in points if p.kind is kind]
        if not pts:
            continue
        xy = np.array([p.x for p in pts], dtype=float)
        if xy.shape[1] != dim:
            raise ValueError(f"critical points have {xy.shape[1]} coordinates but the "
                             f"landscape is {dim}-D; pass points of the same function")
        y = xy[:, 1] if dim == 2 else np.array([p.value for p in pts])
        face = "white" if colour == "black" else colour
        ax.scatter(xy[:, 0], y, marker=marker, c=face, edgecolors="black", s=90, zorder=4,
                   label=f"{kind.value} ({len(pts)})")


def landscape(f: Callable[..., Any], bounds: Any, *, n: int = 200, levels: Any = 25,
              log: bool | float = False, filled: bool = False, critical_points: Any = None,
              vectorized: bool = False, cmap: str = "viridis", colorbar: bool = False,
              labels: tuple[str, str] | None = None, ax: Axes | None = None,
              **contour_kw: Any) -> Axes:
    """Contours (or filled contours) of a 2-D objective over a box; the curve of a 1-D one.

    In 2-D the level sets {x : f(x) = c} are drawn for ``levels`` values of c; with ``log``
    they are level sets of log₁₀(f − min f + δ), which spreads the levels of a function with
    a narrow valley (Rosenbrock) over the whole picture. ``critical_points`` are marked by
    kind: minima ``o``, maxima ``^``, saddles ``X``, inconclusive ``s``.

    Args:
        f: the objective, a scalar function of a vector of length 2 (or 1).
        bounds: the box ``[(x_low, x_high), (y_low, y_high)]`` (one pair for 1-D).
        n: grid points per axis.
        levels: number of contour levels, or the levels themselves (an increasing array, in
            the units drawn: log₁₀ units when ``log`` is set).
        log: ``False``; ``True`` for log₁₀(f − min f + 10⁻³); a float δ > 0 for that offset.
        filled: filled contours (``contourf``) instead of lines.
        critical_points: a :class:`~steepest.analysis.CriticalPoints`, a
            :class:`~steepest.analysis.CriticalPoint` or a list of them.
        vectorized: evaluate ``f`` once on the stacked grid (see :func:`evaluate_grid`).
        cmap: matplotlib colormap name.
        colorbar: add a colorbar (2-D only).
        labels: the axis labels of x[0] and x[1] (default none; in 1-D the second labels
            the value axis).
        ax: the Axes to draw into; a new figure when ``None``.
        **contour_kw: passed to ``contour``/``contourf`` (e.g. ``linewidths``).

    Returns:
        The Axes.

    Example:
        >>> import numpy as np
        >>> ax = landscape(lambda x: x[0] ** 2 + 5 * x[1] ** 2, [(-2, 2), (-1, 1)], n=30,
        ...                levels=8)
        >>> len(ax.collections[0].levels) > 0, [float(v) for v in ax.get_xlim()]
        (True, [-2.0, 2.0])
    """
    check_callable(f, "f")
    box = check_bounds(bounds)
    if box.shape[0] > 2:
        raise ValueError(f"landscape draws 1-D or 2-D objectives; bounds has {box.shape[0]} "
                         "pairs. Draw a 2-D slice: landscape(lambda v: f(embed(v)), 2 pairs)")
    n = check_positive_int(n, "n", minimum=2)
    ax = axes_or_new(ax)
    grid = evaluate_grid(f, box, n, vectorized)
    if box.shape[0] == 1:
        ax.plot(grid[0], grid[1], lw=1.5)
    else:
        z = _log_values(grid[2], log) if log is not False else grid[2]
        draw = ax.contourf if filled else ax.contour
        cs = draw(grid[0], grid[1], z, levels=levels, cmap=cmap, **contour_kw)
        if colorbar:
            ax.figure.colorbar(cs, ax=ax)
    if labels is not None:
        ax.set(xlabel=labels[0], ylabel=labels[1])
    ax.set_xlim(*map(float, box[0]))
    if box.shape[0] == 2:
        ax.set_ylim(*map(float, box[1]))
    if critical_points is not None:
        _mark(ax, critical_point_list(critical_points), box.shape[0])
        ax.legend(fontsize=8, loc="lower left" if box.shape[0] == 2 else "best")
    return ax
