"""``functions``: several functions of one variable on one axis, failing ranges shaded.

A formula that overflows to inf, turns into nan or collapses away from the true value (a
naive ``log(1 + exp(x))`` against :func:`steepest.softplus`) is drawn where it is finite; the
x-ranges where it is not, or where it leaves a ``reference`` curve, are shaded and labelled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ._axes import Axes, axes_or_new, named_items

__all__ = ["functions", "runs"]

#: colour of the shading of non-finite values and of values off the reference.
SHADES = {"not finite": "tab:red", "off reference": "tab:orange"}


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """The ``(first, last)`` indices of each run of consecutive ``True`` in ``mask``.

    Example:
        >>> runs(np.array([True, True, False, False, True]))
        [(0, 1), (4, 4)]
    """
    edges = np.diff(np.concatenate([[0], np.asarray(mask, dtype=int), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(),
                    (np.flatnonzero(edges == -1) - 1).tolist()))


def _values(fn: Any, x: np.ndarray, label: str, vectorized: bool) -> np.ndarray:
    if callable(fn):
        y = fn(x) if vectorized else [fn(float(t)) for t in x]
    else:
        y = fn
    y = np.asarray(y, dtype=float).ravel()
    if y.shape != x.shape:
        raise ValueError(f"function {label!r} gives {y.size} values for {x.size} points of x; "
                         "pass an array of len(x) or a callable returning one value per x "
                         "(vectorized=False to call it once per point)")
    return y


def _shade(ax: Axes, x: np.ndarray, mask: np.ndarray, label: str, what: str) -> None:
    for k, (i, j) in enumerate(runs(mask)):
        ax.axvspan(x[i], x[j], color=SHADES[what], alpha=0.15,
                   label=f"{label} {what}" if k == 0 else "_nolegend_")


def functions(fs: Any, x: Any, *, log: bool = False, reference: Any = None,
              shade_nonfinite: bool = True, rtol: float = 1e-3, vectorized: bool = True,
              styles: Mapping[str, Mapping[str, Any]] | None = None,
              ax: Axes | None = None) -> Axes:
    """Curves y = fᵢ(x) on one axis, with the ranges where an fᵢ fails shaded.

    Each curve is drawn where it is finite (and positive, on a log axis). With
    ``shade_nonfinite`` the x-ranges where fᵢ(x) is ±inf or nan are shaded red; with a
    ``reference`` r, those where fᵢ is finite but |fᵢ(x) − r(x)| > rtol·|r(x)| are shaded
    orange (a naive formula that underflows to 0 while the true value is large). Each run of
    consecutive failing grid points is one span, from its first to its last x.

    Args:
        fs: a callable or array, a list of them, or a ``{label: callable or array}`` dict.
        x: the non-decreasing 1-D grid of abscissae (repeated values for several samples
            per x, drawn as markers with ``styles={label: {"ls": "none", "marker": "."}}``).
        log: logarithmic y axis.
        reference: the label of the true curve among ``fs``, or a callable/array of it (then
            drawn too, labelled "reference"); ``None`` for no comparison.
        shade_nonfinite: shade where a function is inf or nan.
        rtol: relative distance from the reference beyond which a range is shaded.
        vectorized: call each callable once on the array ``x``; ``False``: once per point.
        styles: ``{label: keyword arguments of ax.plot}`` (e.g. ``{"naive": {"ls": "--"}}``).
        ax: the Axes to draw into; a new figure when ``None``.

    Returns:
        The Axes.

    Example:
        >>> import numpy as np
        >>> x = np.linspace(-800.0, 800.0, 5)
        >>> with np.errstate(over="ignore"):
        ...     ax = functions({"naive": lambda t: np.log1p(np.exp(t))}, x, log=True)
        >>> ax.get_yscale(), [p.get_label() for p in ax.patches]
        ('log', ['naive not finite'])
    """
    xs = np.asarray(x, dtype=float)
    if xs.ndim != 1 or xs.size < 2 or not np.all(np.diff(xs) >= 0):
        raise ValueError("x must be a non-decreasing 1-D array of at least 2 points, e.g. "
                         "np.linspace(-10, 10, 201)")
    pairs = named_items(fs, "fs", lambda v: callable(v) or isinstance(v, np.ndarray),
                        lambda v: getattr(v, "__name__", "f"))
    curves = {label: _values(fn, xs, label, vectorized) for label, fn in pairs}
    ref_label = _reference_label(reference, curves, xs, vectorized)
    ax = axes_or_new(ax)
    styles = styles or {}
    for label, y in curves.items():
        shown = np.isfinite(y) & ((y > 0) if log else True)
        style = {"lw": 3, "alpha": 0.5} if label == ref_label else {"lw": 1.2}
        ax.plot(xs[shown], y[shown], label=label, **{**style, **styles.get(label, {})})
    for label, y in curves.items():
        if label == ref_label:
            continue
        if shade_nonfinite:
            _shade(ax, xs, ~np.isfinite(y), label, "not finite")
        if ref_label is not None:
            r = curves[ref_label]
            with np.errstate(invalid="ignore"):
                off = np.isfinite(y) & (np.abs(y - r) > rtol * np.abs(r))
            _shade(ax, xs, off, label, "off reference")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("x")
    ax.legend(fontsize=8)
    return ax


def _reference_label(reference: Any, curves: dict[str, np.ndarray], x: np.ndarray,
                     vectorized: bool) -> str | None:
    if reference is None:
        return None
    if isinstance(reference, str):
        if reference not in curves:
            raise ValueError(f"reference {reference!r} is not one of the labels of fs "
                             f"{sorted(curves)}; pass one of them, or a callable or array")
        return reference
    if not (callable(reference) or np.ndim(reference) == 1):
        raise TypeError("reference must be a label of fs, a callable or an array of len(x)")
    curves["reference"] = _values(reference, x, "reference", vectorized)
    return "reference"
