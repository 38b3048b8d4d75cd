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
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import linalg

from ..linesearch.fixed import FixedStep
from ..result import Status
from ..solver import LineSearchSolver, LineSearchState, Step

__all__ = ["Newton", "NewtonCG", "NewtonCGState", "MODIFICATIONS", "truncated_cg",
           "scipy_truncated_cg"]

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


def scipy_truncated_cg(
    hvp: Callable[[np.ndarray], np.ndarray], g: np.ndarray, maxiter: int,
    eta: float | None = None,
) -> np.ndarray:
    r"""The Newton-CG direction as scipy's ``_minimize_newtoncg`` computes it.

    CG on :math:`Hp=-g` from :math:`p=0`, in the 1-norm: it stops once
    :math:`\|Hp+g\|_1 \le \eta\|g\|_1` with :math:`\eta = \min(\tfrac12, \sqrt{\|g\|_1})`
    (a superlinear forcing term), at a direction :math:`d` of curvature
    :math:`0 \le d^\top Hd \le 3\varepsilon` (the current iterate) or of negative curvature
    (the current iterate; on the very first CG step the steepest-descent direction scaled by
    the curvature met, :math:`-\frac{g^\top g}{|g^\top Hg|}\,g`), or after ``maxiter`` steps.

    Args:
        hvp: ``v -> H v``, the Hessian-vector product at the current point.
        g: the gradient.
        maxiter: CG iteration budget (scipy: 20 n).
        eta: the forcing term (``None``: scipy's :math:`\min(\tfrac12, \sqrt{\|g\|_1})`).

    Returns:
        The direction :math:`p`.

    Reference:
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., §7.1, Algorithm 7.1 (the forcing
        term of Theorem 7.2); scipy's ``scipy/optimize/_optimize.py``, ``_minimize_newtoncg``.

    Example:
        >>> import numpy as np
        >>> H = np.diag([2.0, 4.0])
        >>> scipy_truncated_cg(lambda v: H @ v, np.array([2.0, 4.0]), 10, eta=1e-12).tolist()
        [-1.0, -1.0]
        >>> scipy_truncated_cg(lambda v: H @ v, np.array([2.0, 4.0]), 10)  # one CG step
        array([-0.55555556, -1.11111111])
        >>> Hn = np.diag([-1.0, 1.0])  # negative curvature along -g at once: scaled -g
        >>> scipy_truncated_cg(lambda v: Hn @ v, np.array([2.0, 0.0]), 10).tolist()
        [-2.0, -0.0]
    """
    gnorm1 = float(np.sum(np.abs(g)))
    termcond = (min(0.5, np.sqrt(gnorm1)) if eta is None else eta) * gnorm1
    z = np.zeros_like(g)
    r = g.copy()
    d = -r
    rr = float(r @ r)
    tiny = 3.0 * np.finfo(float).eps
    for i in range(maxiter):
        if float(np.sum(np.abs(r))) <= termcond:
            break
        Hd = hvp(d)
        curv = float(d @ Hd)
        if 0.0 <= curv <= tiny:
            break
        if curv < 0.0:
            return z if i > 0 else (rr / -curv) * -g
        a = rr / curv
        z += a * d
        r += a * Hd
        rr_new = float(r @ r)
        d = -r + (rr_new / rr) * d
        rr = rr_new
    return z


@dataclass
class NewtonCGState(LineSearchState):
    """Newton-CG's memory: whether the step being taken is the final (polished) one.

    Attributes:
        final: the direction was solved to :data:`_POLISH_ETA` because the truncated one met
            the mean-step test; the run ends after this step (with a quasi-Newton ``hess``:
            if it contracted the gradient).
        negligible: that final step rounds away (the run ends before it).
        gmax: the gradient's max-norm before the step.

    Example:
        >>> NewtonCGState().final
        False
    """

    final: bool = False
    negligible: bool = False
    gmax: float = np.inf


_NEGLIGIBLE = 4 * float(np.finfo(float).eps)  # a Newton step this small rounds away
_CONTRACTION = 0.5  # a quasi-Newton final step must at least halve |g|: else go on
_QN_GTOL = 1e-5  # with a quasi-Newton hess the final step must also reach this |g|max
_POLISH_ETA = 1e-10  # forcing term of the final Newton step's CG solve
_SMALL = "Optimization terminated successfully: mean absolute Newton step <= xtol."


class NewtonCG(LineSearchSolver):
    r"""Hessian-free (truncated) Newton: CG with Hessian-vector products + a line search.

    scipy's ``Newton-CG`` step for step: the direction from :func:`scipy_truncated_cg`, a
    Moré-Thuente (MINPACK ``dcsrch``) strong Wolfe search (c1=1e-4, c2=0.9) whose first trial
    is 1 at the first iteration and then :math:`\min(1, 2.02\,(f_k - f_{k-1})/\varphi'(0))`
    (scipy's ``line_search_wolfe1``). Hessian-vector products come from ``hessp``, else
    ``hess``, else autodiff, else central differences of gradients.

    x_{k+1} = x_k + α_k p_k, p_k ≈ −∇²f(x_k)⁻¹∇f(x_k) from truncated CG.

    Stopping differs from scipy's in one place. scipy stops after a step whose mean absolute
    component is at most ``xtol``; a truncated-CG step can be small while x is still far from
    x* (2-D Rosenbrock: scipy ends 3.5e-5 from x*). Here, when the truncated direction meets
    that test, the Newton system is solved again to relative residual 1e-10 (Hessian-vector
    products only), that step is taken (first trial 1) and the run ends after it: the result
    is an accurate Newton step beyond the point where scipy stops, at the cost of scipy's
    final step, so the run never takes more evaluations than scipy's. With a quasi-Newton
    ``hess`` such as ``BFGS()`` the model can be poor, so there the run ends only if the final
    step at least halved :math:`\|g\|_\infty` and reached :math:`\|g\|_\infty \le 10^{-5}`,
    and goes on otherwise. ``gtol`` (off by default, as
    scipy has no gradient test here) also stops when given; ``minimize(..., tol=t)`` sets
    both ``gtol`` and ``avextol`` to ``t`` (scipy's ``tol`` sets ``xtol``).

    Args:
        line_search: a line-search name or object (default scipy's Moré-Thuente).
        cg_maxiter: CG iterations per Newton step (default 20 n, as scipy).
        avextol: scipy's ``xtol``, the mean-absolute-step tolerance (default 1e-5, scipy's;
            ``None``: not tested).
        **ls: options of the line search.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.6 (eq. 4.56 solved
        approximately by conjugate gradient); Nocedal & Wright, *Numerical Optimization*, 2nd ed.,
        §7.1, Algorithm 7.1; scipy's ``_minimize_newtoncg``.

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
    default_line_search = "more-thuente"
    line_search_options = {"c1": 1e-4, "c2": 0.9, "interval_tol": 1e-14, "armijo_slack": False,
                           "max_evals": 100}
    termination_defaults = {"gtol": None}
    tol_sets = ("avextol",)  # minimize(tol=...) sets it too, as scipy's tol sets xtol

    def __init__(self, line_search: Any = None, cg_maxiter: int | None = None,
                 avextol: float | None = 1e-5, **ls: Any):
        super().__init__(line_search, **ls)
        if cg_maxiter is not None and cg_maxiter < 1:
            raise ValueError(f"cg_maxiter must be a positive integer, got {cg_maxiter}")
        if avextol is not None and not (np.isfinite(avextol) and avextol >= 0):
            raise ValueError(f"avextol (scipy's xtol) must be a non-negative number or None, "
                             f"got {avextol!r}")
        self.cg_maxiter = cg_maxiter
        self.avextol = avextol

    def init(self, obj, x, f, g) -> NewtonCGState:
        return NewtonCGState()

    def initial_step(self, state, f, p, dphi0) -> float:
        """1 at the first iteration and for the final step, then scipy's capped guess."""
        if state.first or state.final:
            return 1.0
        guess = 1.01 * 2.0 * (f - state.f_prev) / dphi0
        return float(min(1.0, guess)) if np.isfinite(guess) and guess > 0 else 1.0

    def direction(self, obj, state, x, g) -> np.ndarray:
        maxiter = self.cg_maxiter or 20 * x.size
        hvp = lambda v: obj.hessp(x, v)  # noqa: E731
        p = scipy_truncated_cg(hvp, g, maxiter)
        if self.avextol is not None and float(np.mean(np.abs(p))) <= self.avextol:
            state.final = True
            p = truncated_cg(hvp, g, _POLISH_ETA, maxiter)  # curvature test relative
            state.negligible = bool(np.all(np.abs(p) <= _NEGLIGIBLE * (1.0 + np.abs(x))))
        return p

    def step(self, obj, state: NewtonCGState, x, f, g) -> Step:
        """One Newton-CG iteration; after the final (polished) step the run ends."""
        if not np.any(g):
            return Step(x, f, g, 0.0, 0.0, 0, Status.SUCCESS,
                        "Optimization terminated successfully: the gradient is zero.")
        gmax = float(np.max(np.abs(g)))
        exact = getattr(obj, "hess_strategy", None) is None
        if state.final and (exact or (gmax <= _CONTRACTION * state.gmax and gmax <= _QN_GTOL)):
            return Step(x, f, g, 0.0, 0.0, 0, Status.SUCCESS, _SMALL)
        state.final, state.gmax = False, gmax  # a quasi-Newton final step that failed: go on
        p = self.direction(obj, state, x, g)
        if state.final and state.negligible:  # x + p rounds to x: nothing left to gain
            return Step(x, f, g, 0.0, 0.0, 0, Status.SUCCESS, _SMALL)
        st = self._step_along(obj, state, x, f, g, p)
        if st.status is not None:
            state.final = False
        return st
