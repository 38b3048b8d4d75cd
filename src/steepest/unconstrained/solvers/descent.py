r"""First-order directions: gradient descent and nonlinear conjugate gradient.

Gradient descent (Goodfellow et al. §4.3, Liquet et al. Algorithm 4.1):
:math:`x_{t+1} = x_t - \alpha_t \nabla f(x_t)` with a fixed :math:`\alpha` (a learning rate) or
any line search.

Nonlinear CG (Liquet et al. §4.5; Nocedal & Wright §5.2):
:math:`p_{t+1} = -g_{t+1} + \beta_{t+1} p_t` with

* Fletcher-Reeves :math:`\beta^{FR} = \frac{g_{t+1}^\top g_{t+1}}{g_t^\top g_t}`,
* Polak-Ribière+ :math:`\beta^{PR+} = \max(0, \frac{g_{t+1}^\top y_t}{g_t^\top g_t})`,
  :math:`y_t = g_{t+1} - g_t`,
* Hestenes-Stiefel :math:`\beta^{HS} = \frac{g_{t+1}^\top y_t}{p_t^\top y_t}`,

restarting (:math:`\beta=0`) every ``restart_every`` iterations (default n) and when
consecutive gradients are far from orthogonal,
:math:`|g_{t+1}^\top g_t| \ge 0.2\, \|g_{t+1}\|^2` (Powell).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..solver import LineSearchSolver, LineSearchState

__all__ = ["GradientDescent", "NonlinearCG", "CGState", "CG_BETAS"]


class GradientDescent(LineSearchSolver):
    """Steepest descent :math:`p = -g`.

    Args:
        line_search: any line search (default ``"armijo"``; ``"exact"`` reproduces the
            zig-zag of Liquet et al. Figure 4.7).
        step_size: a fixed step (learning rate); implies ``line_search="fixed"``.
        **ls: options of the line search.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> res = minimize(lambda x: float(x @ x), np.array([3.0, -4.0]), method="gd",
        ...                jac=lambda x: 2 * x)
        >>> res.success, np.allclose(res.x, 0.0, atol=1e-5)
        (True, True)
    """

    name = "gd"
    default_line_search = "armijo"
    line_search_options: dict[str, Any] = {}
    termination_defaults = {"gtol": 1e-5, "maxiter": 10_000}
    initial_step_rule = "interpolate"

    def __init__(self, line_search: Any = None, step_size: float | None = None, **ls: Any):
        if step_size is not None:
            if line_search not in (None, "fixed"):
                raise ValueError("step_size fixes the step; drop line_search or step_size")
            line_search, ls = "fixed", {**ls, "step": step_size}
        super().__init__(line_search, **ls)

    def direction(self, obj, state, x, g) -> np.ndarray:
        return -g


def _beta_fr(g, g_old, y, p) -> float:
    return float(g @ g) / float(g_old @ g_old)


def _beta_pr(g, g_old, y, p) -> float:
    return float(g @ y) / float(g_old @ g_old)


def _beta_prplus(g, g_old, y, p) -> float:
    return max(0.0, _beta_pr(g, g_old, y, p))


def _beta_hs(g, g_old, y, p) -> float:
    py = float(p @ y)
    return float(g @ y) / py if py != 0 else 0.0


CG_BETAS: dict[str, Callable[..., float]] = {
    "FR": _beta_fr, "PR": _beta_pr, "PR+": _beta_prplus, "HS": _beta_hs,
}


@dataclass
class CGState(LineSearchState):
    """Nonlinear CG's memory: the last direction, gradient and gradient change.

    Attributes:
        p: the previous direction (``None`` right after a restart).
        g_old: the previous gradient. y: ``g_new - g_old``.
        since_restart: iterations since β was last reset to 0.

    Example:
        >>> st = NonlinearCG().init(None, None, 0.0, None)
        >>> st.p is None, st.since_restart
        (True, 0)
    """

    p: np.ndarray | None = None
    g_old: np.ndarray | None = None
    y: np.ndarray | None = None
    since_restart: int = 0


class NonlinearCG(LineSearchSolver):
    """Nonlinear conjugate gradient with a choice of :math:`\\beta` (``beta="PR+"`` default).

    Defaults: Moré-Thuente strong Wolfe search with c1=1e-4, c2=0.2 (c2 < 1/2 keeps
    Fletcher-Reeves directions descent ones; Nocedal & Wright Lemma 5.6).

    p_{k+1} = −∇f(x_{k+1}) + β_{k+1} p_k with β from :data:`CG_BETAS`: FR ‖g_{k+1}‖²/‖g_k‖², PR
    g_{k+1}ᵀy_k/‖g_k‖², PR+ max(PR, 0), HS g_{k+1}ᵀy_k/p_kᵀy_k.

    Args:
        line_search: a line-search name or object (default Moré-Thuente).
        beta: ``"FR"``, ``"PR"``, ``"PR+"`` or ``"HS"``.
        restart_every: restart with β = 0 every this many iterations (default n).
        **ls: options of the line search.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 (conjugate gradient, eqs.
        4.46-4.47); Nocedal & Wright, *Numerical Optimization*, 2nd ed., §5.2.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> from steepest.problems import rosenbrock
        >>> p = rosenbrock()
        >>> res = minimize(p.fun, p.x0, method=NonlinearCG(beta="PR+"), jac=p.grad)
        >>> res.success, np.round(res.x, 4).tolist()
        (True, [1.0, 1.0])
    """

    name = "cg"
    default_line_search = "more-thuente"
    line_search_options = {"c1": 1e-4, "c2": 0.2, "interval_tol": 1e-6}
    termination_defaults = {"gtol": 1e-5}
    initial_step_rule = "interpolate"

    def __init__(self, line_search: Any = None, beta: str = "PR+",
                 restart_every: int | None = None, **ls: Any) -> None:
        super().__init__(line_search, **ls)
        if beta not in CG_BETAS:
            raise ValueError(f"unknown beta {beta!r}; choose one of {sorted(CG_BETAS)}")
        if restart_every is not None and restart_every < 1:
            raise ValueError(f"restart_every must be a positive integer, got {restart_every}")
        self.beta_fn = CG_BETAS[beta]
        self.restart_every = restart_every

    def init(self, obj, x, f, g) -> CGState:
        return CGState()

    def direction(self, obj, state: CGState, x, g) -> np.ndarray:
        every = self.restart_every or x.size
        if state.p is None or state.since_restart >= every or \
                abs(float(g @ state.g_old)) >= 0.2 * float(g @ g):
            state.since_restart = 0
            return -g
        beta = self.beta_fn(g, state.g_old, state.y, state.p)
        return -g + beta * state.p

    def update(self, state: CGState, s, y, g_new, p) -> None:
        state.p, state.y, state.g_old = p, y, g_new - y
        state.since_restart += 1

    def reset(self, state: CGState) -> None:
        state.p, state.since_restart = None, 0
