r"""The Byrd-Omojokun trust-region SQP iteration without constraints (scipy's trust-constr).

With no constraints the normal step of Byrd-Omojokun SQP is zero and the tangential step is the
trust-region model step, found by truncated CG from :math:`p = 0`: stop when the squared
residual :math:`\|r\|^2` falls below :math:`\max(\min(0.01\|g\|, 0.1\|g\|^2), 10^{-25})`, at
the boundary when a CG step leaves the ball, and on the boundary along :math:`+d` when the
curvature :math:`d^\top H d \le 0`. A trial :math:`x + p` is accepted when
:math:`\rho = (f(x) - f(x+p)) / (m(0) - m(p)) \ge 10^{-8}`; the radius follows
Byrd, Hribar & Nocedal (1999, eq. 3.55) --

.. math::
   \Delta \leftarrow \begin{cases}
   \max(7\|p\|, \Delta) & \rho \ge 0.9 \\
   \max(2\|p\|, \Delta) & 0.3 \le \rho < 0.9 \\
   \Delta & 10^{-8} \le \rho < 0.3 \\
   \operatorname{clip}\bigl(\tfrac{1 - 10^{-8}}{1 - \rho}\|p\|,\ 0.1\Delta,\ 0.5\Delta\bigr)
   & \rho < 10^{-8}
   \end{cases}

-- and the run stops (scipy's status 2) when :math:`\Delta` falls below ``radius_tol``. Only
Hessian-vector products are used, so ``hessp=`` suffices at any n.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..result import Status
from ..solver import Step
from .trust_krylov import _boundary_taus

__all__ = ["ByrdOmojokun", "tangential_cg"]

_ACCEPT = 1e-8  # Byrd, Hribar & Nocedal's eta
_TINY = 1e-25


def tangential_cg(hvp: Callable[[np.ndarray], np.ndarray], g: np.ndarray, radius: float,
                  maxiter: int | None = None) -> np.ndarray:
    r"""Truncated CG for :math:`\min_{\|p\| \le \Delta} g^\top p + \tfrac12 p^\top H p` with
    Byrd-Omojokun's stopping rules (the unconstrained case of projected CG).

    Args:
        hvp: ``v -> H v`` (H symmetric, possibly indefinite).
        g: model gradient.
        radius: trust radius :math:`\Delta > 0`.
        maxiter: CG iterations (default n).

    Returns:
        The step ``p``.

    Reference:
        Lalee, Nocedal & Plantenga, SIAM J. Optim. 8 (1998), Algorithm 2 (projected CG, with
        the identity as projector).

    Example:
        >>> import numpy as np
        >>> H = np.diag([2.0, 4.0])
        >>> np.round(tangential_cg(lambda v: H @ v, np.array([2.0, 4.0]), 10.0), 12).tolist()
        [-1.0, -1.0]
        >>> tangential_cg(lambda v: -v, np.array([1.0, 0.0]), 2.0).tolist()
        [-2.0, 0.0]
    """
    p, r = np.zeros_like(g), g.copy()
    rr = _norm2(r)
    tol = max(min(0.01 * np.sqrt(rr), 0.1 * rr), _TINY)
    d = -r
    for _ in range(g.size if maxiter is None else min(int(maxiter), g.size)):
        if rr < tol:
            break
        Hd = hvp(d)
        dHd = float(d @ Hd)
        if dHd <= 0.0:  # negative curvature: along +d to the boundary
            return p + _boundary_taus(p, d, radius)[1] * d
        alpha = rr / dHd
        p_next = p + alpha * d
        if float(np.linalg.norm(p_next)) >= radius:  # to the boundary along alpha d
            ad = alpha * d
            return p + _boundary_taus(p, ad, radius)[1] * ad
        r = r + alpha * Hd
        rr_next = _norm2(r)
        d = -r + (rr_next / rr) * d
        p, rr = p_next, rr_next
    return p


def _norm2(r: np.ndarray) -> float:
    """The squared 2-norm formed as scipy forms it (the norm, squared), for its iterates."""
    return float(np.linalg.norm(r)) ** 2


@dataclass
class ByrdOmojokunState:
    """The current trust radius :math:`\\Delta_k` and the trials spent (scipy's ``nit``).

    Example:
        >>> ByrdOmojokun(initial_radius=0.5).init(None, None, 0.0, None).radius
        0.5
    """

    radius: float
    trials: int = 0


class ByrdOmojokun:
    """Trust-region Newton with Byrd-Omojokun's tangential CG step and radius rules.

    Args:
        initial_radius: starting trust radius (default 1, scipy's ``initial_tr_radius``).
        radius_tol: the run ends successfully when the radius falls below it (default 1e-8,
            scipy's ``xtol``).
        max_trials: trial steps in all, accepted or not (scipy's ``maxiter``, which counts
            trials; default unlimited -- the driver's ``maxiter`` counts accepted steps).
        max_rejections: consecutive rejected trials before giving up (default 200).

    Reference:
        Byrd, Hribar & Nocedal, SIAM J. Optim. 9 (1999), §3 (eq. 3.55); Lalee, Nocedal &
        Plantenga (1998); Nocedal & Wright, *Numerical Optimization*, 2nd ed., §18.5.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> from steepest.problems import rosenbrock
        >>> p = rosenbrock()
        >>> res = minimize(p.fun, p.x0, method="byrd-omojokun", jac=p.grad, hess=p.hess,
        ...                options={"gtol": 1e-8})
        >>> res.success, np.round(res.x, 6).tolist()
        (True, [1.0, 1.0])
    """

    name = "byrd-omojokun"
    termination_defaults = {"gtol": 1e-8}

    def __init__(self, initial_radius: float = 1.0, radius_tol: float = 1e-8,
                 max_trials: int | None = None, max_rejections: int = 200) -> None:
        if not initial_radius > 0:
            raise ValueError(f"initial_radius must be > 0, got {initial_radius}")
        if not radius_tol >= 0:
            raise ValueError(f"radius_tol must be >= 0, got {radius_tol}")
        self.initial_radius, self.radius_tol = float(initial_radius), float(radius_tol)
        self.max_trials = None if max_trials is None else int(max_trials)
        self.max_rejections = int(max_rejections)

    def init(self, obj, x, f, g) -> ByrdOmojokunState:
        return ByrdOmojokunState(self.initial_radius)

    def result_fields(self, state: ByrdOmojokunState, obj) -> dict:
        return {"tr_radius": state.radius, "trials": state.trials}

    def step(self, obj, state: ByrdOmojokunState, x, f, g) -> Step:
        """Trials from ``x`` until one is accepted (one f evaluation each)."""
        hvp = lambda v: obj.hessp(x, v)  # noqa: E731
        evals = 0
        for _ in range(self.max_rejections):
            if state.radius < self.radius_tol:
                return Step(x, f, g, 0.0, 0.0, evals, Status.SUCCESS,
                            "`xtol` termination condition is satisfied: the trust radius "
                            f"{state.radius:.3g} < radius_tol")
            if self.max_trials is not None and state.trials >= self.max_trials:
                return Step(x, f, g, 0.0, 0.0, evals, Status.MAX_ITER,
                            f"{state.trials} trial steps (max_trials, scipy's maxiter) taken")
            p = tangential_cg(hvp, g, state.radius)
            pnorm = float(np.linalg.norm(p))
            # the model decrease as Byrd-Omojokun's merit function predicts it (the 1e-16 is
            # its floor on the constraint part, which keeps the prediction positive)
            predicted = -(0.5 * float(hvp(p) @ p) + float(g @ p)) + 1e-16
            f_new = obj.f(x + p)
            evals += 1
            state.trials += 1
            rho = (f - f_new) / predicted if np.isfinite(f_new) else -np.inf
            self._update_radius(state, rho, pnorm)
            if rho >= _ACCEPT:
                g_new = obj.grad(x + p)
                if np.all(np.isfinite(g_new)):
                    return Step(x + p, f_new, g_new, state.radius, pnorm, evals)
                state.radius *= 0.1
        return Step(x, f, g, 0.0, 0.0, evals, Status.LINE_SEARCH_FAILED,
                    f"{self.max_rejections} trial steps in a row were rejected; the best "
                    "point is returned (loosen gtol, or check the gradient)")

    @staticmethod
    def _update_radius(state: ByrdOmojokunState, rho: float, pnorm: float) -> None:
        if rho >= 0.9:
            state.radius = max(7.0 * pnorm, state.radius)
        elif rho >= 0.3:
            state.radius = max(2.0 * pnorm, state.radius)
        elif rho < _ACCEPT:
            shrunk = (1.0 - _ACCEPT) / (1.0 - rho) * pnorm if np.isfinite(rho) else 0.0
            state.radius = min(max(shrunk, 0.1 * state.radius), 0.5 * state.radius)
