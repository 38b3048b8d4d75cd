"""Trust-region reflective least squares (Branch, Coleman & Li 1999), with or without bounds.

Each iteration builds the Gauss–Newton model of the (robust) cost in the scaled variables
``x̂ = x / d``, ``d = √v · x_scale`` with ``v`` the Coleman–Li scaling (``v = 1`` for a free
variable), adds the curvature ``diag(g ∘ dv ∘ x_scale)`` that the scaling contributes, and
solves the trust-region subproblem exactly through an SVD (:mod:`.subproblem`):

.. math:: \\min_{\\hat p}\\ \\tfrac12 \\|\\hat J \\hat p + f\\|^2 + \\hat g^\\top \\hat p
          + \\tfrac12 \\hat p^\\top C \\hat p \\quad \\text{s.t.}\\ \\|\\hat p\\| \\le Δ.

A step that would cross a bound is replaced by the best of its cut, reflected and
steepest-descent alternatives (:func:`.reflective.select_step`), and every iterate is strictly
inside the box. The radius follows the ratio ρ of actual to predicted reduction: ``Δ ← ¼‖p̂‖``
when ρ < ¼, ``Δ ← 2Δ`` when ρ > ¾ and the step reached the boundary of the region.

Stopping (scipy's tests and codes): 1 when ``‖v ∘ g‖∞ < gtol``; 2 when the cost reduction
``dC < ftol · C`` with ρ > ¼; 3 when ``‖p‖ < xtol (xtol + ‖x‖)``; 4 when 2 and 3 both hold.

Reference:
    M. A. Branch, T. F. Coleman, Y. Li, SIAM J. Sci. Comput. 21 (1999) 1–23; T. F. Coleman,
    Y. Li, SIAM J. Optim. 6 (1996) 418–445; Moré (1978) for the subproblem.
"""

from __future__ import annotations

import numpy as np

from .problem import LsqOutcome, LsqProblem, column_norms
from .reflective import cl_scaling, select_step, strictly_feasible
from .subproblem import SVDModel, lm_parameter, norm

__all__ = ["radius_update", "solve", "stop_code"]

Array = np.ndarray


def radius_update(delta: float, actual: float, predicted: float, step_norm: float,
                  at_boundary: bool) -> tuple[float, float]:
    """The new radius and the ratio ρ = actual / predicted reduction.

    Example:
        >>> radius_update(1.0, 0.1, 1.0, 0.5, False)
        (0.125, 0.1)
    """
    if predicted > 0:
        ratio = actual / predicted
    else:
        ratio = 1.0 if predicted == actual == 0 else 0.0
    if ratio < 0.25:
        return 0.25 * step_norm, ratio
    if ratio > 0.75 and at_boundary:
        return 2.0 * delta, ratio
    return delta, ratio


def stop_code(reduction: float, cost: float, step_norm: float, x_norm: float, ratio: float,
              ftol: float, xtol: float) -> int | None:
    """scipy's code for the cost/step tests (2, 3 or 4), or None to go on.

    Example:
        >>> stop_code(1e-12, 1.0, 1.0, 1.0, 1.0, 1e-8, 1e-8)
        2
    """
    cost_test = reduction < ftol * cost and ratio > 0.25
    step_test = step_norm < xtol * (xtol + x_norm)
    if cost_test and step_test:
        return 4
    if cost_test:
        return 2
    return 3 if step_test else None


def _hat_model(p: LsqProblem, x: Array, f_hat: Array, J_hat: Array, g: Array,
               scale_inv: Array) -> tuple[Array, Array, Array, Array, SVDModel, float]:
    """``(d, J_h, g_h, diag_h, svd model, optimality)`` at ``x``."""
    v, dv = cl_scaling(x, g, p.lb, p.ub)
    optimality = float(np.max(np.abs(g * v))) if g.size else 0.0
    moving = dv != 0
    v[moving] *= scale_inv[moving]
    scale = 1.0 / scale_inv
    d = np.sqrt(v) * scale
    diag_h = g * dv * scale
    J_h = J_hat * d
    if p.bounded:
        aug_J = np.vstack([J_h, np.diag(np.sqrt(diag_h))])
        model = SVDModel.of(aug_J, np.concatenate([f_hat, np.zeros(x.size)]))
    else:
        model = SVDModel.of(J_h, f_hat)
    return d, J_h, d * g, diag_h, model, optimality


def _initial_radius(x: Array, g: Array, p: LsqProblem, scale_inv: Array) -> float:
    v, dv = cl_scaling(x, g, p.lb, p.ub)
    v[dv != 0] *= scale_inv[dv != 0]
    delta = norm(x * scale_inv / np.sqrt(v))
    return delta if delta > 0 else 1.0


def solve(p: LsqProblem, x0: Array) -> LsqOutcome:
    """Minimize ``½ Σ ρ(fᵢ(x)²)`` over the box of ``p`` from ``x0`` by trust-region reflection.

    Args:
        p: the problem (counts are kept in it).
        x0: the start, inside the box (moved strictly inside first).

    Returns:
        The outcome.

    Example:
        >>> from steepest.fitting.losses import make_loss
        >>> prob = LsqProblem(lambda x: np.array([10 * (x[1] - x[0] ** 2), 1 - x[0]]),
        ...     lambda x, f: np.array([[-20 * x[0], 10.0], [-1.0, 0.0]]),
        ...     np.full(2, -np.inf), np.full(2, np.inf), 1e-8, 1e-8, 1e-8, 200,
        ...     np.ones(2), make_loss("linear", 1.0))
        >>> out = solve(prob, np.array([-1.2, 1.0]))
        >>> np.round(out.x, 6).tolist(), out.status
        ([1.0, 1.0], 1)
    """
    x = strictly_feasible(x0, p.lb, p.ub, rstep=1e-10) if p.bounded else x0.copy()
    f = p.residuals(x)
    J = p.jacobian(x, f)
    cost, f_hat, J_hat = p.model(f, J)
    g = J_hat.T @ f_hat
    scale_inv = p.initial_scale(J_hat)
    jac_scale = isinstance(p.x_scale, str)
    delta = _initial_radius(x, g, p, scale_inv)
    alpha, status, nit, optimality = 0.0, None, 0, np.inf
    while True:
        d, J_h, g_h, diag_h, model, optimality = _hat_model(p, x, f_hat, J_hat, g, scale_inv)
        if optimality < p.gtol:
            status = 1
        if status is not None or p.nfev >= p.max_nfev:
            break
        theta = max(0.995, 1.0 - optimality)
        reduction = -1.0
        while reduction <= 0 and p.nfev < p.max_nfev:
            alpha, p_h = lm_parameter(model, delta, alpha)
            if p.bounded:
                step, step_h, predicted = select_step(x, J_h, diag_h, g_h, p_h, d, delta,
                                                      p.lb, p.ub, theta)
                x_new = strictly_feasible(x + step, p.lb, p.ub)
            else:
                step, step_h = d * p_h, p_h
                Jp = J_h @ p_h
                predicted = -(0.5 * float(Jp @ Jp) + float(g_h @ p_h))
                x_new = x + step
            f_new = p.residuals(x_new)
            step_h_norm = norm(step_h)
            if not np.all(np.isfinite(f_new)):
                delta = 0.25 * step_h_norm
                continue
            cost_new = p.loss.cost(f_new)
            reduction = cost - cost_new
            new_delta, ratio = radius_update(delta, reduction, predicted, step_h_norm,
                                             step_h_norm > 0.95 * delta)
            status = stop_code(reduction, cost, norm(step),
                               norm(x), ratio, p.ftol, p.xtol)
            if status is not None:
                break
            alpha = alpha * delta / new_delta if new_delta > 0 else alpha
            delta = new_delta
        if reduction > 0:
            x, f, cost = x_new, f_new, cost_new
            J = p.jacobian(x, f)
            _, f_hat, J_hat = p.model(f, J)
            g = J_hat.T @ f_hat
            if jac_scale:
                scale_inv = np.maximum(scale_inv, column_norms(J_hat))
        nit += 1
    return LsqOutcome(x, f, J, 0 if status is None else status, optimality, nit)
