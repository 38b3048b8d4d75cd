"""The geometry of trust-region reflective steps in a box ``lb ≤ x ≤ ub``.

Coleman & Li (1996) write the first-order conditions of ``min C(x)`` over a box as
``D(x)² g = 0`` with the scaling ``vᵢ = uᵢ − xᵢ`` where ``gᵢ < 0`` and ``uᵢ`` is finite,
``vᵢ = xᵢ − lᵢ`` where ``gᵢ > 0`` and ``lᵢ`` is finite, else ``vᵢ = 1``: a variable pushed
against a bound has a small ``vᵢ``, so ``‖v ∘ g‖∞`` (the optimality measure) vanishes at a
point where the gradient only presses into active bounds. Steps are taken in the variables
``x̂ = x / √v`` and kept strictly feasible; when the trust-region step crosses a bound,
Branch, Coleman & Li (1999) compare three candidates by the quadratic model — the step cut at
the bound (times θ ≈ 1), its reflection off that bound, and the scaled steepest-descent step —
and take the best.

Reference:
    T. F. Coleman, Y. Li, "An interior trust region approach for nonlinear minimization
    subject to bounds", SIAM J. Optim. 6 (1996) 418–445. M. A. Branch, T. F. Coleman, Y. Li,
    "A subspace, interior, and conjugate gradient method for large-scale bound-constrained
    minimization problems", SIAM J. Sci. Comput. 21 (1999) 1–23.
"""

from __future__ import annotations

import numpy as np

from .subproblem import quadratic_value

__all__ = ["active_bounds", "cl_scaling", "select_step", "step_to_bound", "strictly_feasible"]

Array = np.ndarray


def cl_scaling(x: Array, g: Array, lb: Array, ub: Array) -> tuple[Array, Array]:
    """Coleman–Li scaling ``v`` and its derivative sign ``dv = ∂v/∂x`` (±1 or 0).

    Args:
        x: a point inside the box.
        g: the gradient there.
        lb: lower bounds.
        ub: upper bounds.

    Returns:
        ``(v, dv)``.

    Example:
        >>> v, dv = cl_scaling(np.array([0.5]), np.array([1.0]), np.zeros(1), np.ones(1))
        >>> v.tolist(), dv.tolist()
        ([0.5], [1.0])
    """
    v, dv = np.ones_like(x), np.zeros_like(x)
    to_upper = (g < 0) & np.isfinite(ub)
    to_lower = (g > 0) & np.isfinite(lb)
    v[to_upper], dv[to_upper] = ub[to_upper] - x[to_upper], -1.0
    v[to_lower], dv[to_lower] = x[to_lower] - lb[to_lower], 1.0
    return v, dv


def step_to_bound(x: Array, s: Array, lb: Array, ub: Array) -> tuple[float, Array]:
    """The largest ``t`` with ``x + t s`` in the box, and which bounds stop it (−1, 0, +1).

    Example:
        >>> t, hits = step_to_bound(np.zeros(2), np.array([2.0, 1.0]), -np.ones(2), np.ones(2))
        >>> t, hits.tolist()
        (0.5, [1, 0])
    """
    moving = s != 0
    t = np.full_like(x, np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        t[moving] = np.maximum((lb - x)[moving] / s[moving], (ub - x)[moving] / s[moving])
    t_min = float(np.min(t)) if t.size else np.inf
    hits = np.where(t == t_min, np.sign(s), 0.0).astype(int)
    return t_min, hits


def _to_sphere(p: Array, r: Array, delta: float) -> float:
    """The positive ``t`` with ``‖p + t r‖ = Δ`` (``p`` inside the ball)."""
    a, b, c = r @ r, p @ r, p @ p - delta ** 2
    if a == 0:
        return np.inf
    return float((-b + np.sqrt(max(b * b - a * c, 0.0))) / a)


def _min_on_interval(a: float, b: float, c: float, lo: float, hi: float) -> tuple[float, float]:
    """Minimum of ``a t² + b t + c`` over ``[lo, hi]``: ``(t, value)``."""
    ts = [lo, hi]
    if a > 0 and lo < -b / (2 * a) < hi:
        ts.append(-b / (2 * a))
    values = [a * t * t + b * t + c for t in ts]
    k = int(np.argmin(values))
    return ts[k], values[k]


def _line_model(J: Array, g: Array, s: Array, diag: Array, s0: Array | None = None):
    """Coefficients of ``t ↦ model(s0 + t s)`` as ``(a, b, c)``."""
    Js = J @ s
    a = 0.5 * (Js @ Js + s @ (diag * s))
    b = g @ s
    c = 0.0
    if s0 is not None:
        Js0 = J @ s0
        b += Js0 @ Js + s0 @ (diag * s)
        c = 0.5 * (Js0 @ Js0 + s0 @ (diag * s0)) + g @ s0
    return float(a), float(b), float(c)


def select_step(x: Array, J_h: Array, diag_h: Array, g_h: Array, p_h: Array, d: Array,
                delta: float, lb: Array, ub: Array, theta: float) -> tuple[Array, Array, float]:
    """The best of the cut, reflected and steepest-descent steps (Branch, Coleman & Li 1999).

    All quantities are in the scaled variables ``x̂ = x / d``; ``p_h`` is the trust-region
    solution there, ``J_h``, ``g_h`` and ``diag_h`` the model ``½‖J_h p‖² + g_hᵀp +
    ½ pᵀ diag(diag_h) p``.

    Args:
        x: the current point, strictly inside the box.
        J_h: the scaled Jacobian.
        diag_h: the Coleman–Li curvature term.
        g_h: the scaled gradient.
        p_h: the trust-region step.
        d: the scaling, ``step = d * step_h``.
        delta: the radius.
        lb: lower bounds.
        ub: upper bounds.
        theta: the fraction of the way to a bound a step may go (< 1, close to 1).

    Returns:
        ``(step, step_h, predicted reduction)``.

    Example:
        >>> z, one = np.zeros(1), np.ones(1)
        >>> step, _, red = select_step(0.5 * one, np.eye(1), z, -one, 2 * one, one, 2.0,
        ...                            z, one, 0.99)
        >>> round(float(step[0]), 6), round(red, 6)
        (0.495, 0.372487)
    """
    p = d * p_h
    if np.all((x + p >= lb) & (x + p <= ub)):
        return p, p_h, -quadratic_value(J_h, g_h, p_h, diag_h)
    stride, hits = step_to_bound(x, p, lb, ub)
    r_h = p_h.copy()
    r_h[hits != 0] *= -1.0
    p_h, p = stride * p_h, stride * p
    candidates = [(theta * p, theta * p_h)]
    reflected = _reflected(x + p, p_h, r_h, d, J_h, g_h, diag_h, delta, lb, ub, theta, stride)
    if reflected is not None:
        candidates.append(reflected)
    candidates.append(_descent(x, J_h, g_h, diag_h, d, delta, lb, ub, theta))
    values = [quadratic_value(J_h, g_h, s_h, diag_h) for _, s_h in candidates]
    k = int(np.argmin(values))
    return candidates[k][0], candidates[k][1], -values[k]


def _reflected(x_bound, p_h, r_h, d, J_h, g_h, diag_h, delta, lb, ub, theta, stride):
    """The best point along the reflection ``p_h + t r_h``, or None when there is no room."""
    to_bound, _ = step_to_bound(x_bound, d * r_h, lb, ub)
    to_sphere = _to_sphere(p_h, r_h, delta)
    reach = min(to_bound, to_sphere)
    if not reach > 0:
        return None
    lo = (1.0 - theta) * stride / reach
    hi = theta * to_bound if to_bound <= to_sphere else to_sphere
    if lo > hi:
        return None
    a, b, _ = _line_model(J_h, g_h, r_h, diag_h, s0=p_h)
    t, _ = _min_on_interval(a, b, 0.0, lo, hi)
    s_h = p_h + t * r_h
    return d * s_h, s_h


def _descent(x, J_h, g_h, diag_h, d, delta, lb, ub, theta):
    """The best point along the scaled anti-gradient within the radius and the box."""
    a_h = -g_h
    to_sphere = delta / float(np.linalg.norm(a_h))
    to_bound, _ = step_to_bound(x, d * a_h, lb, ub)
    hi = theta * to_bound if to_bound < to_sphere else to_sphere
    a, b, _ = _line_model(J_h, g_h, a_h, diag_h)
    t, _ = _min_on_interval(a, b, 0.0, 0.0, hi)
    return d * (t * a_h), t * a_h


def strictly_feasible(x: Array, lb: Array, ub: Array, rstep: float = 0.0) -> Array:
    """``x`` moved strictly inside the box: by one ulp (``rstep = 0``) or by
    ``rstep · max(1, |bound|)`` off a bound it touches or crosses (the midpoint when the box
    is narrower).

    Example:
        >>> strictly_feasible(np.array([0.0, 1.0]), np.zeros(2), np.ones(2), 1e-10).tolist()
        [1e-10, 0.9999999999]
    """
    x = x.copy()
    if rstep == 0:
        low, high = x <= lb, x >= ub
        x[low] = np.nextafter(lb[low], ub[low])
        x[high] = np.nextafter(ub[high], lb[high])
    else:
        low, high = x <= lb, x >= ub
        x[low] = lb[low] + rstep * np.maximum(1.0, np.abs(lb[low]))
        x[high] = ub[high] - rstep * np.maximum(1.0, np.abs(ub[high]))
    tight = (x < lb) | (x > ub)
    x[tight] = 0.5 * (lb[tight] + ub[tight])
    return x


def active_bounds(x: Array, lb: Array, ub: Array, rtol: float) -> Array:
    """scipy's ``active_mask``: −1 at an active lower bound, +1 at an upper one, else 0.

    A bound is active when ``x`` is within ``rtol · max(1, |bound|)`` of it (and nearer to it
    than to the other bound).

    Example:
        >>> active_bounds(np.array([0.0, 0.5, 1.0]), np.zeros(3), np.ones(3), 1e-8).tolist()
        [-1, 0, 1]
    """
    to_lb, to_ub = x - lb, ub - x
    lower = np.isfinite(lb) & (to_lb <= np.minimum(to_ub, rtol * np.maximum(1.0, np.abs(lb))))
    upper = np.isfinite(ub) & (to_ub <= np.minimum(to_lb, rtol * np.maximum(1.0, np.abs(ub))))
    mask = np.zeros(x.size, dtype=int)
    mask[lower], mask[upper] = -1, 1
    return mask
