"""``line``: the section φ(α) = f(x + αp) with the Armijo and Wolfe conditions (Liquet Fig. 4.8b).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._validate import check_callable, check_finite_array, check_unit_interval
from ..autodiff import grad as autodiff_grad
from ..unconstrained import line_search
from ._axes import Axes, axes_or_new

__all__ = ["line", "wolfe_intervals"]


def wolfe_intervals(alphas: np.ndarray, ok: np.ndarray) -> list[tuple[float, float]]:
    """The runs of consecutive ``alphas`` where ``ok`` holds, as ``(first, last)`` pairs.

    Example:
        >>> wolfe_intervals(np.arange(6.0), np.array([0, 1, 1, 0, 1, 1], bool))
        [(1.0, 2.0), (4.0, 5.0)]
    """
    edges = np.diff(np.concatenate([[0], ok.astype(int), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    return [(float(alphas[a]), float(alphas[b])) for a, b in zip(starts, ends)]


def line(f: Callable[..., Any], x: Any, direction: Any, alphas: Any = None, *,
         c1: float = 1e-4, c2: float = 0.9, accepted: float | None = None,
         grad: Callable[..., Any] | None = None, ax: Axes | None = None) -> Axes:
    r"""φ(α) = f(x + αp) with the sufficient-decrease line and the Wolfe-acceptable steps.

    Draws φ, its tangent φ(0) + αφ'(0), the Armijo line φ(0) + c₁αφ'(0) (a step is
    acceptable below it) and shades the steps meeting both Wolfe conditions,
    :math:`\varphi(\alpha) \le \varphi(0) + c_1\alpha\varphi'(0)` and
    :math:`\varphi'(\alpha) \ge c_2\varphi'(0)`; the accepted step is marked.

    Args:
        f: the objective (plain NumPy code, differentiated by :mod:`steepest.autodiff` unless
            ``grad`` is given).
        x: the base point.
        direction: the search direction p, a descent direction (∇f(x)ᵀp < 0).
        alphas: the steps drawn (default: 0 … 2·the accepted step, at least 0 … 1).
        c1, c2: the Wolfe constants, 0 < c₁ < c₂ < 1.
        accepted: the step to mark (default: the one :func:`steepest.line_search` with
            ``method="wolfe"`` and these constants accepts).
        grad: ∇f, when ``f`` cannot be traced.
        ax: the Axes to draw into; a new figure when ``None``.

    Returns:
        The Axes.

    Raises:
        ValueError: p is not a descent direction, or c₁, c₂ are out of order.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5, eqs. 4.48–4.49 and
        Figure 4.8 (b); Nocedal & Wright, *Numerical Optimization*, 2nd ed., Figure 3.5.

    Example:
        >>> import numpy as np
        >>> f = lambda z: (z[0] - 1.0) ** 2 + 10 * z[1] ** 2
        >>> ax = line(f, np.array([0.0, 0.3]), np.array([1.0, -0.5]), c1=0.1, c2=0.5)
        >>> [ln.get_label() for ln in ax.get_lines()][:3]
        ['φ(α) = f(x + αp)', "tangent φ(0) + αφ'(0)", "Armijo φ(0) + c₁αφ'(0)"]
    """
    check_callable(f, "f")
    x = check_finite_array(x, "x").astype(float).ravel()
    p = check_finite_array(direction, "direction").astype(float).ravel()
    if p.shape != x.shape:
        raise ValueError(f"direction must have the shape of x, {x.shape}; got {p.shape}")
    c1 = check_unit_interval(c1, "c1")
    c2 = check_unit_interval(c2, "c2")
    if not c1 < c2:
        raise ValueError(f"the Wolfe constants need c1 < c2, got c1={c1}, c2={c2}; "
                         "e.g. c1=1e-4, c2=0.9")
    gfun = autodiff_grad(f) if grad is None else check_callable(grad, "grad")
    dphi = lambda a: float(np.dot(np.ravel(gfun(x + a * p)), p))  # noqa: E731
    phi0, dphi0 = float(f(x)), dphi(0.0)
    if not dphi0 < 0:
        raise ValueError(f"direction is not a descent direction: φ'(0) = ∇f(x)ᵀp = {dphi0:.3g}"
                         " >= 0; pass p with ∇f(x)ᵀp < 0, e.g. p = -∇f(x)")
    if accepted is None:
        accepted = line_search(f, x, p, grad=gfun, method="wolfe", c1=c1, c2=c2).step
    a = (np.linspace(0.0, max(2.0 * accepted, 1.0), 201) if alphas is None
         else check_finite_array(alphas, "alphas").astype(float).ravel())
    phi = np.array([float(f(x + t * p)) for t in a])
    slopes = np.array([dphi(t) for t in a])
    ax = axes_or_new(ax)
    ax.plot(a, phi, lw=2, label="φ(α) = f(x + αp)")
    ax.plot(a, phi0 + a * dphi0, ":", color="gray", label="tangent φ(0) + αφ'(0)")
    ax.plot(a, phi0 + c1 * a * dphi0, "--", color="C1", label="Armijo φ(0) + c₁αφ'(0)")
    ok = (phi <= phi0 + c1 * a * dphi0) & (slopes >= c2 * dphi0)
    for k, (lo, hi) in enumerate(wolfe_intervals(a, ok)):
        ax.axvspan(lo, hi, color="C2", alpha=0.15, label="Wolfe steps" if k == 0 else None)
    ax.plot([accepted], [float(f(x + accepted * p))], "k*", ms=12,
            label=f"accepted α = {accepted:.3g}")
    pad = 0.1 * (phi.max() - phi.min() or 1.0)
    ax.set(xlabel="step α", ylabel="φ(α)", ylim=(phi.min() - pad, phi.max() + pad))
    ax.legend(fontsize=8)
    return ax
