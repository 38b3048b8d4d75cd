r"""Newton directions: full Hessian (with modifications) and Hessian-free Newton-CG.

Newton (Liquet et al. §4.6 eq. 4.56, Goodfellow et al. §4.3): solve
:math:`\nabla^2 f(x_t)\, p_t = -\nabla f(x_t)`. Pure Newton (``modification="none"``,
``line_search="fixed"``) jumps to the stationary point of the local quadratic -- a maximum or
saddle too, and it overshoots or oscillates far from one (Liquet et al. §4.6). The default
damps the step with a backtracking line search and *modifies* an indefinite Hessian so that
:math:`p_t` is a descent direction (Nocedal & Wright §3.4):

* ``"eigen"``: :math:`H = Q\Lambda Q^\top \to Q\,\max(|\Lambda|, \delta)\,Q^\top` (flip negative
  curvature, floor tiny curvature; Dauphin et al.'s "saddle-free" Newton);
* ``"shift"``: :math:`H + \tau I` with :math:`\tau = \max(0, \delta - \lambda_{\min})`;
* ``"levenberg"``: :math:`H + \tau I` with :math:`\tau` doubled until Cholesky succeeds
  (N&W Algorithm 3.3);
* ``"none"``: the pure Newton system (least squares if :math:`H` is singular).

Newton-CG (N&W Algorithm 7.1) never forms :math:`H`: conjugate gradient on
:math:`Hp = -g` with Hessian-vector products, stopped at relative residual
:math:`\eta_t = \min(0.5, \sqrt{\|g_t\|})` or at the first direction of non-positive curvature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import linalg

from ..linesearch.fixed import FixedStep
from ..solver import LineSearchSolver

__all__ = ["Newton", "NewtonCG", "MODIFICATIONS", "truncated_cg"]

_DELTA = 1e-8


def _mod_eigen(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    lam, Q = np.linalg.eigh(H)
    floor = _DELTA * max(1.0, float(np.max(np.abs(lam))))
    return -(Q @ ((Q.T @ g) / np.maximum(np.abs(lam), floor)))


def _mod_shift(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    lam_min = float(np.linalg.eigvalsh(H)[0])
    floor = _DELTA * max(1.0, float(np.max(np.abs(np.diag(H)))))
    tau = max(0.0, floor - lam_min)
    return -linalg.solve(H + tau * np.eye(H.shape[0]), g, assume_a="pos")


def _mod_levenberg(H: np.ndarray, g: np.ndarray, beta: float = 1e-3) -> np.ndarray:
    dmin = float(np.min(np.diag(H)))
    tau = 0.0 if dmin > 0 else beta - dmin
    eye = np.eye(H.shape[0])
    for _ in range(100):
        try:
            c = linalg.cho_factor(H + tau * eye)
            return -linalg.cho_solve(c, g)
        except linalg.LinAlgError:
            tau = max(2.0 * tau, beta)
    return -g


def _mod_none(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    try:
        return -linalg.solve(H, g)
    except (linalg.LinAlgError, ValueError):
        return -np.linalg.lstsq(H, g, rcond=None)[0]


MODIFICATIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "eigen": _mod_eigen, "shift": _mod_shift, "levenberg": _mod_levenberg, "none": _mod_none,
}


class Newton(LineSearchSolver):
    """Newton's method with a Hessian modification and a line search.

    x_{k+1} = x_k + α_k p_k with (∇²f(x_k) + E_k) p_k = −∇f(x_k), E_k the modification that makes
    the matrix positive definite.

    Args:
        modification: a key of :data:`MODIFICATIONS`. Default ``"levenberg"``: on badly
            scaled problems (Brown, Powell, Bard) the eigenvalue-based modifications stall where
            Levenberg's shift from the Cholesky test does not.
        line_search: default ``"armijo"`` starting from the full step 1 (damped Newton);
            ``"fixed"`` (step 1) with ``modification="none"`` is pure Newton.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.12); Liquet et al., *Mathematical
        Engineering of Deep Learning*, §4.6 (eqs. 4.54-4.56); Nocedal & Wright, *Numerical
        Optimization*, 2nd ed., §3.4 (Hessian modifications).

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> from steepest.problems import rosenbrock
        >>> p = rosenbrock()
        >>> res = minimize(p.fun, p.x0, method=Newton(modification="levenberg"), jac=p.grad,
        ...                hess=p.hess)
        >>> res.success, np.round(res.x, 4).tolist()
        (True, [1.0, 1.0])
    """

    name = "newton"
    default_line_search = "armijo"
    line_search_options = {"c1": 1e-4, "interpolate": True}
    # ftol at rounding level stops runs whose gradient cannot reach gtol in floating point
    # (badly scaled problems such as MGH 10, Meyer) instead of looping to maxiter
    termination_defaults = {"gtol": 1e-6, "ftol": 10 * float(np.finfo(float).eps)}

    def __init__(self, line_search: Any = None, modification: str = "levenberg", **ls: Any):
        super().__init__(line_search, **ls)
        if modification not in MODIFICATIONS:
            raise ValueError(f"unknown modification {modification!r}; choose one of "
                             f"{sorted(MODIFICATIONS)}")
        self.modification = modification
        self.solve = MODIFICATIONS[modification]
        self.require_descent = not isinstance(self.line_search, FixedStep)
        if not self.require_descent:  # pure Newton: f may cycle, so f-change tests mislead
            self.termination_defaults = {"gtol": self.termination_defaults["gtol"]}

    def initial_step(self, state, f, p, dphi0) -> float:
        return 1.0

    def direction(self, obj, state, x, g) -> np.ndarray:
        H = obj.hessian(x)
        if not np.all(np.isfinite(H)):
            return -g
        return self.solve(0.5 * (H + H.T), g)


def truncated_cg(
    hvp: Callable[[np.ndarray], np.ndarray], g: np.ndarray, eta: float, maxiter: int
) -> np.ndarray:
    r"""Approximate Newton step from CG on :math:`Hp=-g`, stopping at negative curvature.

    Args:
        hvp: ``v -> H v``, the Hessian-vector product at the current point.
        g: the gradient.
        eta: forcing term :math:`\eta`; CG stops once :math:`\|Hp+g\| \le \eta\|g\|`.
        maxiter: CG iteration budget.

    Returns:
        ``-g`` if the very first direction has non-positive curvature, the current
        iterate if a later one does, or the iterate once :math:`\|Hp+g\| \le \eta\|g\|`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6 (eq. 4.56 solved
        approximately by conjugate gradient); Nocedal & Wright, *Numerical Optimization*,
        2nd ed., §7.1, Algorithm 7.1 (line-search Newton-CG).

    Example:
        >>> import numpy as np
        >>> H = np.diag([2.0, 4.0])
        >>> truncated_cg(lambda v: H @ v, np.array([2.0, 4.0]), 1e-10, 10).tolist()
        [-1.0, -1.0]
    """
    z = np.zeros_like(g)
    r = g.copy()
    d = -r
    rr = float(r @ r)
    tol = eta * np.sqrt(rr)
    for j in range(maxiter):
        Hd = hvp(d)
        dHd = float(d @ Hd)
        if not dHd > np.finfo(float).eps * float(d @ d):
            return -g if j == 0 else z
        a = rr / dHd
        z += a * d
        r += a * Hd
        rr_new = float(r @ r)
        if np.sqrt(rr_new) <= tol:
            return z
        d = -r + (rr_new / rr) * d
        rr = rr_new
    return z


class NewtonCG(LineSearchSolver):
    """Hessian-free (truncated) Newton: CG with Hessian-vector products + a line search.

    Hessian-vector products come from ``hessp``, else ``hess``, else autodiff, else central
    differences of gradients. Default line search: Wolfe (c1=1e-4, c2=0.9), as scipy.

    x_{k+1} = x_k + α_k p_k, p_k ≈ −∇²f(x_k)⁻¹∇f(x_k) from truncated CG (:func:`truncated_cg`).

    Args:
        line_search: a line-search name or object (default Wolfe).
        cg_maxiter: CG iterations per Newton step (default: the dimension).
        **ls: options of the line search.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6 (eq. 4.56 solved
        approximately by conjugate gradient); Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
        §7.1, Algorithm 7.1.

    Example:
        >>> import numpy as np
        >>> from steepest import minimize
        >>> from steepest.problems import rosenbrock
        >>> p = rosenbrock()
        >>> res = minimize(p.fun, p.x0, method=NewtonCG(), jac=p.grad)
        >>> res.success, np.round(res.x, 4).tolist()
        (True, [1.0, 1.0])
    """

    name = "newton-cg"
    default_line_search = "strong_wolfe"
    line_search_options = {"c1": 1e-4, "c2": 0.9}
    termination_defaults = {"gtol": 1e-5}

    def __init__(self, line_search: Any = None, cg_maxiter: int | None = None, **ls: Any):
        super().__init__(line_search, **ls)
        if cg_maxiter is not None and cg_maxiter < 1:
            raise ValueError(f"cg_maxiter must be a positive integer, got {cg_maxiter}")
        self.cg_maxiter = cg_maxiter

    def initial_step(self, state, f, p, dphi0) -> float:
        return 1.0

    def direction(self, obj, state, x, g) -> np.ndarray:
        gnorm = float(np.linalg.norm(g))
        eta = min(0.5, np.sqrt(gnorm))
        maxiter = self.cg_maxiter or min(20 * x.size, 1000)
        return truncated_cg(lambda v: obj.hessp(x, v), g, eta, maxiter)
