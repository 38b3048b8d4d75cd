"""The one "get or make an Axes" helper of :mod:`steepest.plot`, and its matplotlib import.

Every plotting function takes ``ax=None``: it draws into the given Axes, or into a new figure
when none is given, and returns the Axes. Nothing here calls ``show()``; figures are drawn by
whatever backend is active (``Agg`` off a display).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

try:
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
except ImportError as exc:  # the optional extra, not one of steepest's modules
    raise ImportError("steepest.plot draws with matplotlib, which is not installed; "
                      "pip install 'steepest[plot]' (or pip install matplotlib)") from exc

__all__ = ["Axes", "axes_or_new", "finite_floor", "named_items", "plt"]


def axes_or_new(ax: Any, figsize: tuple[float, float] = (6.0, 4.5)) -> Axes:
    """``ax`` itself when it is an Axes, a new figure's Axes when it is None.

    Args:
        ax: a :class:`matplotlib.axes.Axes` or ``None``.
        figsize: size in inches of the new figure.

    Returns:
        The Axes to draw into.

    Raises:
        TypeError: ``ax`` is something else.

    Example:
        >>> ax = axes_or_new(None)
        >>> axes_or_new(ax) is ax
        True
        >>> plt.close(ax.figure)
    """
    if ax is None:
        return plt.figure(figsize=figsize).add_subplot()
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}; pass "
                        "ax=None for a new figure or an Axes from plt.subplots()")
    return ax


def named_items(items: Any, name: str, is_single: Callable[[Any], bool],
                label: Callable[[Any], str]) -> list[tuple[str, Any]]:
    """``(label, item)`` pairs from one item, a sequence of items or a ``{label: item}`` dict.

    Args:
        items: what the user passed.
        name: the argument's name, for the error message.
        is_single: whether an object is one item (rather than a collection of them).
        label: the label of an item given without one.

    Returns:
        The pairs, in the order given.

    Raises:
        ValueError: ``items`` is empty.

    Example:
        >>> named_items({"a": 1, "b": 2}, "runs", lambda v: isinstance(v, int), str)
        [('a', 1), ('b', 2)]
        >>> named_items(3, "runs", lambda v: isinstance(v, int), lambda v: f"run {v}")
        [('run 3', 3)]
    """
    if is_single(items):
        pairs = [(label(items), items)]
    elif isinstance(items, Mapping):
        pairs = [(str(k), v) for k, v in items.items()]
    elif isinstance(items, Sequence) and not isinstance(items, str | bytes):
        pairs = [(label(v), v) for v in items]
    else:
        raise TypeError(f"{name} must be one item, a list of them or a {{label: item}} dict, "
                        f"got {type(items).__name__}")
    if not pairs:
        raise ValueError(f"{name} is empty; pass at least one")
    return pairs


def finite_floor(values: Any, floor: float = 1e-300) -> np.ndarray:
    """``values`` as floats with everything below ``floor`` raised to it (for log axes).

    Example:
        >>> finite_floor([1.0, 0.0, -1.0], 1e-9).tolist()
        [1.0, 1e-09, 1e-09]
    """
    return np.maximum(np.asarray(values, dtype=float), floor)
