"""``taylor``: f along a line through x₀ against its first- and second-order Taylor models."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .._validate import check_callable, check_choice, check_finite_array
from ..analysis import taylor as taylor_model
from ._axes import Axes, axes_or_new

__all__ = ["taylor"]

_STYLES = {1: {"ls": "--"}, 2: {"ls": ":", "lw": 2}}


def taylor(f: Callable[..., Any], x0: Any, order: int | Sequence[int] = (1, 2), *,
           direction: Any = None, t: Any = None, labels: Sequence[str] | None = None,
           legend: bool = True, grad: Callable[..., Any] | None = None,
           hess: Callable[..., Any] | None = None, ax: Axes | None = None) -> Axes:
    """f(x₀ + t d) against the Taylor models f₀ + t gᵀd (order 1) and + ½t² dᵀHd (order 2).

    With the default direction d = −∇f(x₀) this is Goodfellow et al.'s Figure 4.4: the
    value after a gradient step of size t, the first-order prediction f − t gᵀg, and eq. 4.9,
    f − t gᵀg + ½t² gᵀHg, which bends up where the curvature along g is positive.

    Args:
        f: scalar function of a vector (plain NumPy code: the models' g and H come from
            :func:`steepest.taylor`, by automatic differentiation unless ``grad``/``hess``).
        x0: the expansion point.
        order: 1, 2 or both, ``(1, 2)``.
        direction: the line's direction d (default −∇f(x₀)).
        t: the values of t drawn (default 201 points in [0, 1] along −∇f, [−1, 1] otherwise).
        labels: legend labels, one for f and one per order.
        legend: draw the legend.
        grad, hess: derivative callables, when ``f`` cannot be traced.
        ax: the Axes to draw into; a new figure when ``None``.

    Returns:
        The Axes.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3, eqs. 4.8–4.9 and Figure 4.4.

    Example:
        >>> import numpy as np
        >>> ax = taylor(lambda x: np.sum(np.cos(x)), np.array([0.5, 1.0]))
        >>> [line.get_label() for line in ax.get_lines()][:3]
        ['f(x₀ + t d)', 'order-1 model', 'order-2 model']
    """
    check_callable(f, "f")
    orders = (order,) if isinstance(order, int) else tuple(order)
    for k in orders:
        check_choice(k, "order", (1, 2))
    model = taylor_model(f, x0, 2 if 2 in orders else 1, grad=grad, hess=hess)
    d = -model.g if direction is None else check_finite_array(direction, "direction")
    d = np.asarray(d, dtype=float).ravel()
    if d.shape != model.x0.shape:
        raise ValueError(f"direction must have the shape of x0, {model.x0.shape}; got {d.shape}")
    if t is None:
        t = np.linspace(0.0 if direction is None else -1.0, 1.0, 201)
    t = check_finite_array(t, "t").astype(float).ravel()
    names = list(labels) if labels is not None else [
        "f(x₀ + t d)", *(f"order-{k} model" for k in orders)]
    if len(names) != 1 + len(orders):
        raise ValueError(f"labels needs {1 + len(orders)} entries (f, then one per order); "
                         f"got {len(names)}")
    ax = axes_or_new(ax)
    ax.plot(t, [float(f(model.x0 + s * d)) for s in t], lw=2, label=names[0])
    curvature = float(d @ model.H @ d)
    for k, name in zip(orders, names[1:]):
        values = model.f0 + t * float(model.g @ d) + (0.5 * t**2 * curvature if k == 2 else 0)
        ax.plot(t, values, label=name, **_STYLES[k])
    ax.axhline(model.f0, color="gray", lw=0.8)
    ax.set(xlabel="t", ylabel="f")
    if legend:
        ax.legend(fontsize=7)
    return ax
