r"""Trust-region Newton with the exact subproblem solution (Moré & Sorensen, 1983).

Each iteration minimises the local model within a ball,

.. math:: \min_{\|p\| \le \Delta} m(p) = f + g^\top p + \tfrac12 p^\top H p,

whose solution satisfies :math:`(H + \sigma I)p = -g`, :math:`H+\sigma I \succeq 0`,
:math:`\sigma(\Delta - \|p\|) = 0`. In the eigenbasis :math:`H = Q\Lambda Q^\top`,
:math:`\|p(\sigma)\|^2 = \sum_i (q_i^\top g)^2 / (\lambda_i + \sigma)^2`, and :math:`\sigma` is
found by Moré-Sorensen's safeguarded Newton iteration on the secular equation
:math:`1/\|p(\sigma)\| - 1/\Delta = 0`; the "hard case" (:math:`g \perp` the lowest
eigenvector) adds a multiple of that eigenvector. The step is accepted when the actual
reduction is at least ``eta`` times the predicted one; the radius grows (x2) after very good
steps on the boundary and shrinks (x1/4) after poor ones (Nocedal & Wright Algorithm 4.1).
Unlike line-search Newton, this never needs a Hessian modification: negative curvature is
followed to the boundary, so saddles and maxima repel it.

The subproblem is solved exactly (``subproblem="exact"``, a dense Hessian per iteration,
:mod:`.trust_exact`), by Powell's dogleg (``"dogleg"``, :mod:`.trust_dogleg`) or
matrix-free on Hessian-vector products: Steihaug-Toint CG
(``"cg"``, scipy's trust-ncg) or GLTR on a Lanczos basis (``"lanczos"``, scipy's
trust-krylov), see :mod:`.trust_krylov`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..result import Status
from ..solver import Step
from .trust_dogleg import dogleg_step
from .trust_exact import solve_trust_subproblem
from .trust_krylov import gltr, steihaug_cg

__all__ = ["TrustNewton", "TrustState", "solve_trust_subproblem"]


@dataclass
class TrustState:
    """Trust-region Newton's memory: the current radius :math:`\\Delta_k`.

    Example:
        >>> TrustNewton(initial_radius=0.5).init(None, None, 0.0, None).radius
        0.5
    """

    radius: float


class TrustNewton:
    """Trust-region Newton with the exact (Moré-Sorensen) subproblem.

    p_k = argmin_{‖p‖≤Δ_k} gᵀp + ½pᵀ∇²f p (:func:`solve_trust_subproblem`); accept when ρ_k =
    (f(x_k) − f(x_k + p_k))/(m(0) − m(p_k)) > η, and grow or shrink Δ by ρ_k.

    Args:
        initial_radius: starting trust radius (default 1). max_radius: cap (default 1e10;
            scipy's 1000 stops Brown's badly scaled problem from reaching x = 1e6).
        eta: acceptance threshold on actual/predicted reduction (default 0.15).
        max_rejections: consecutive rejected trial steps before giving up (default 60).
        subproblem: ``"exact"`` (Moré-Sorensen on the dense Hessian), ``"dogleg"``
            (Powell's dogleg, the exact step where the Hessian is indefinite), ``"cg"``
            (Steihaug-Toint CG) or ``"lanczos"`` (GLTR); the last two use only
            Hessian-vector products.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., ch. 4 (Algorithm 4.1; exact subproblem
        §4.3); Moré & Sorensen, SIAM J. Sci. Stat. Comput. 4 (1983).

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> from steepest.problems import rosenbrock
        >>> p = rosenbrock()
        >>> res = minimize(p.fun, p.x0, method=TrustNewton(initial_radius=1.0), jac=p.grad,
        ...                hess=p.hess)
        >>> res.success, np.round(res.x, 4).tolist()
        (True, [1.0, 1.0])
    """

    name = "trust-newton"
    termination_defaults = {"gtol": 1e-6}

    def __init__(self, initial_radius: float = 1.0, max_radius: float = 1e10,
                 eta: float = 0.15, max_rejections: int = 60,
                 subproblem: str = "exact") -> None:
        if not 0 < initial_radius <= max_radius:
            raise ValueError("need 0 < initial_radius <= max_radius, got "
                             f"{initial_radius}, {max_radius}")
        if not 0 <= eta < 0.25:
            raise ValueError(f"eta must lie in [0, 0.25), got {eta}")
        self.initial_radius, self.max_radius = float(initial_radius), float(max_radius)
        self.eta, self.max_rejections = float(eta), int(max_rejections)
        if subproblem not in _SUBPROBLEMS:
            raise ValueError(f"subproblem={subproblem!r} is not one of {sorted(_SUBPROBLEMS)}; "
                             "pass 'exact', 'dogleg', 'cg' (Steihaug) or 'lanczos' (GLTR)")
        self.subproblem = subproblem

    def init(self, obj, x, f, g) -> TrustState:
        return TrustState(self.initial_radius)

    def result_fields(self, state, obj) -> dict:
        return {}

    def step(self, obj, state: TrustState, x, f, g) -> Step:
        model = self._model(obj, x)
        if model is None:  # no model to trust: stop at this (finite) point
            return Step(x, f, g, 0.0, 0.0, 0, Status.NON_FINITE,
                        "the Hessian has NaN/inf entries at the current point; the best "
                        "finite point is returned — check hess (or the domain of fun there)")
        evals = 0
        for _ in range(self.max_rejections):
            p, Hp = self._subproblem(model, g, state.radius)
            pnorm = float(np.linalg.norm(p))
            predicted = -(float(g @ p) + 0.5 * float(p @ Hp))
            x_new = x + p
            f_new, g_new = self._trial(obj, x_new)
            evals += 1
            ok = np.isfinite(f_new) and (g_new is None or np.all(np.isfinite(g_new)))
            rho = (f - f_new) / predicted if ok and predicted > 0 else -np.inf
            if rho > self.eta and g_new is None:  # the gradient only at accepted points
                g_new = obj.grad(x_new)
                if not np.all(np.isfinite(g_new)):
                    rho = -np.inf
            self._update_radius(state, rho, pnorm)
            if rho > self.eta:
                return Step(x_new, f_new, g_new, state.radius, pnorm, evals)
            if state.radius < 1e-14 * max(1.0, float(np.linalg.norm(x))):
                break
        return Step(x, f, g, 0.0, 0.0, evals, Status.LINE_SEARCH_FAILED,
                    "trust region collapsed: no trial step reduced f (at this gradient norm "
                    "the decrease is below rounding; loosen gtol)")

    def _model(self, obj, x):
        """The dense symmetric Hessian (exact subproblem) or ``v -> H v``; ``None`` when the
        Hessian is not finite."""
        if self.subproblem not in _DENSE:
            return lambda v: obj.hessp(x, v)
        H = obj.hessian(x)
        H = 0.5 * (H + H.T)
        return H if np.all(np.isfinite(H)) else None

    def _subproblem(self, model, g, radius):
        """The step ``p`` and ``H p``."""
        if self.subproblem in _DENSE:
            p = _SUBPROBLEMS[self.subproblem](model, g, radius)
            return p, model @ p
        p, _ = _SUBPROBLEMS[self.subproblem](model, g, radius)
        return p, model(p)

    @staticmethod
    def _trial(obj, x_new):
        """``(f, g)`` at a trial point when the gradient comes with the value, else ``(f,
        None)``: a rejected trial then costs no gradient (as scipy's trust-region methods)."""
        if obj.gradient_is_bundled:
            return obj.fg(x_new)
        return obj.f(x_new), None

    def _update_radius(self, state: TrustState, rho: float, pnorm: float) -> None:
        if rho < 0.25:
            state.radius = 0.25 * (state.radius if np.isfinite(rho) else min(pnorm, state.radius))
        elif rho > 0.75 and pnorm >= 0.99 * state.radius:
            state.radius = min(2.0 * state.radius, self.max_radius)


_SUBPROBLEMS = {"exact": solve_trust_subproblem, "cg": steihaug_cg, "lanczos": gltr,
                "dogleg": dogleg_step}
_DENSE = ("exact", "dogleg")  # the subproblems that need the dense Hessian
