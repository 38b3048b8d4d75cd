"""SQP: Newton's method on the KKT conditions, with an active set for the inequalities.

At an iterate (x, λ, α) with B = ∇²ₓL(x, λ, α) (exact: user or autodiff Hessians; or a damped
BFGS approximation), one step solves the quadratic model of the Lagrangian under linearized
constraints

    min_p ½pᵀBp + ∇f(x)ᵀp   s.t.  g(x) + Jg(x)p = 0,   h(x) + Jh(x)p ≤ 0,

whose multipliers become the new (λ, α). With equalities only this is exactly Newton's method on
∇ₓL = 0, g = 0 (the KKT-Newton system [[B, Jgᵀ], [Jg, 0]]); inequalities are handled by the
primal–dual active set of :func:`steepest.constrained.qp.solve_iqp`, warm-started from the
previous active set. Steps are globalised by backtracking on the ℓ1 merit function
φ(x) = f(x) + μ(‖g(x)‖₁ + ‖h(x)⁺‖₁) with μ > ‖(λ, α)‖∞.

References:
    Nocedal & Wright, *Numerical Optimization* (2nd ed.), Alg. 18.3 (line-search SQP),
    §18.2 (KKT-Newton), Proc. 18.2 (damped BFGS); Goodfellow et al. §4.4.
"""

from __future__ import annotations

import numpy as np

from .._options import check_option_names
from .._result import Status
from .kkt import kkt_report
from .qp import solve_iqp
from .result import build_result

__all__ = ["sqp"]

_DEFAULTS = {"maxiter": 200, "hessian": "auto", "armijo": 1e-4, "min_step": 1e-12}
_OPTIONS = (*_DEFAULTS, "lam0", "alpha0", "xtol")
XTOL_MESSAGE = "`xtol` termination condition is satisfied."


def _viol(g, h) -> float:
    return float(np.sum(np.abs(g)) + np.sum(np.maximum(h, 0.0)))


class _Lagrangian:
    """∇ₓL and ∇²ₓL (exact or damped BFGS) at the current multipliers."""

    def __init__(self, obj, cs, mode, n):
        if mode == "auto":
            mode = "exact" if obj.hessian_source != "finite differences" else "bfgs"
        if mode not in ("exact", "bfgs"):
            raise ValueError(f"options['hessian'] must be 'auto', 'exact' or 'bfgs'; got {mode!r}.")
        self.obj, self.cs, self.mode, self.B = obj, cs, mode, np.eye(n)

    def grad(self, gf, Jg, Jh, lam, alpha):
        return gf + Jg.T @ lam + Jh.T @ alpha

    def hess(self, x, lam, alpha):
        if self.mode == "exact":
            return self.obj.hessian(x) + self.cs.hess_terms(x, lam, alpha)
        return self.B

    def update(self, s, y):
        """Powell-damped BFGS update, keeps B positive definite."""
        if self.mode != "bfgs" or not np.any(s):
            return
        Bs = self.B @ s
        sBs, sy = float(s @ Bs), float(s @ y)
        theta = 1.0 if sy >= 0.2 * sBs else 0.8 * sBs / (sBs - sy)
        r = theta * y + (1 - theta) * Bs
        self.B = self.B - np.outer(Bs, Bs) / sBs + np.outer(r, r) / float(s @ r)


def _initial_multipliers(gf, Jg, Jh, h):
    """Least-squares multipliers min ‖∇f + Jgᵀλ + J_Aᵀα‖ over equalities and the inequalities
    active at x0 (α clipped at 0); a better start for ∇²L than λ = 0."""
    act = h >= -1e-8
    J = np.vstack([Jg, Jh[act]])
    lam, alpha = np.zeros(Jg.shape[0]), np.zeros(Jh.shape[0])
    if J.shape[0] == 0 or not np.all(np.isfinite(J)):
        return lam, alpha
    y = np.linalg.lstsq(J.T, -gf, rcond=None)[0]
    lam = y[: Jg.shape[0]]
    alpha[act] = np.maximum(y[Jg.shape[0]:], 0.0)
    return lam, alpha


def _step(B, gf, Jg, g, Jh, h, working):
    """The QP step; if the active-set iteration fails on an indefinite B (the per-working-set
    inertia shifts make the QP nonconvex), retry with B made positive definite."""
    qp = solve_iqp(B, gf, Jg, g, Jh, h, working)
    if qp.converged:
        return qp
    low = float(np.linalg.eigvalsh(B)[0])
    scale = max(1.0, float(np.max(np.abs(B), initial=0.0)))
    return solve_iqp(B + (max(0.0, -low) + 1e-8 * scale) * np.eye(B.shape[0]), gf, Jg, g, Jh,
                     h, working)


def _evaluate(obj, cs, x):
    return obj.f(x), obj.grad(x), cs.g(x), cs.jac_g(x), cs.h(x), cs.jac_h(x)


def _line_search(obj, cs, x, p, f, gf, g, h, mu, opts):
    """Backtracking on φ = f + μ·violation; returns (t, f_new) or (0, f) when it fails."""
    phi0 = f + mu * _viol(g, h)
    D = float(gf @ p) - mu * _viol(g, h)
    t = 1.0
    while t >= opts["min_step"]:
        xt = x + t * p
        ft = obj.f(xt)
        if np.isfinite(ft):
            gt, ht = cs.g(xt), cs.h(xt)
            phit = ft + mu * _viol(gt, ht)
            if np.isfinite(phit) and (phit <= phi0 + opts["armijo"] * t * min(D, 0.0)):
                return t, ft
        t *= 0.5
    return 0.0, f


def sqp(obj, cs, x0, *, tol=1e-10, options=None, callback=None, on_row=None):
    """Minimize ``obj`` subject to ``cs`` by line-search SQP; returns a ConstrainedResult.

    Args:
        obj: :class:`~steepest.objective.Objective`. cs: ConstraintSet. x0: start.
        tol: KKT tolerance (every residual of the report must be ≤ tol).
        options: maxiter (200), hessian ("auto" | "exact" | "bfgs"), armijo (1e-4),
            min_step (1e-12), lam0 / alpha0 (initial multipliers; default least-squares
            estimates at x0), xtol (``None``: off; else stop once a QP step has 2-norm at
            most xtol and the KKT test does not pass at its end point, as trust-constr's
            ``xtol`` on its trust radius; the KKT report still decides ``status``).
        callback: called as callback(x) after every iteration.
        on_row: called with each trace row (``options["disp"]``/``["progress"]``).
    """
    opts = {**_DEFAULTS, **check_option_names(options, "method 'sqp'", _OPTIONS)}
    x = np.asarray(x0, dtype=float).copy()
    f, gf, g, Jg, h, Jh = _evaluate(obj, cs, x)
    lam, alpha = _initial_multipliers(gf, Jg, Jh, h)
    lam = np.asarray(opts.get("lam0", lam), float)
    alpha = np.asarray(opts.get("alpha0", alpha), float)
    lag = _Lagrangian(obj, cs, opts["hessian"], x.size)
    working = tuple(np.nonzero(h >= -1e-8)[0])
    mu, trace = 1.0, []
    status, msg = Status.MAX_ITER, f"stopped after {opts['maxiter']} iterations"
    nit, small, xtol = 0, False, opts.get("xtol")
    for nit in range(1, opts["maxiter"] + 1):
        if not (np.isfinite(f) and np.all(np.isfinite(gf))):
            status, msg = Status.NON_FINITE, "f or ∇f is not finite at the iterate"
            break
        report = kkt_report(gf, cs, x, lam, alpha, tol)
        if report.passed or small:  # the KKT test first, then the step test (as scipy)
            status = Status.SUCCESS
            msg = f"KKT conditions hold to {tol:g}" if report.passed else XTOL_MESSAGE
            nit -= 1
            break
        B = lag.hess(x, lam, alpha)
        qp = _step(B, gf, Jg, g, Jh, h, working)
        mu = max(mu, 1.1 * float(np.max(np.abs(np.concatenate([qp.y_eq, qp.y_in, [0.0]])))))
        t, f_new = _line_search(obj, cs, x, qp.p, f, gf, g, h, mu, opts)
        if t == 0.0:
            status, msg = Status.LINE_SEARCH_FAILED, "no decrease of the ℓ1 merit"
            break
        x_new = x + t * qp.p
        lam, alpha = lam + t * (qp.y_eq - lam), alpha + t * (qp.y_in - alpha)
        working = qp.working
        gl_old = lag.grad(gf, Jg, Jh, lam, alpha)
        f, gf, g, Jg, h, Jh = _evaluate(obj, cs, x_new)
        lag.update(x_new - x, lag.grad(gf, Jg, Jh, lam, alpha) - gl_old)
        trace.append({"nit": nit, "f": obj.sign * f, "kkt": report.max_residual, "step": t,
                      "mu": mu, "active": len(working)})
        if on_row is not None:
            on_row(trace[-1])
        small = xtol is not None and float(np.linalg.norm(qp.p)) <= xtol
        x = x_new
        if callback is not None:
            callback(x.copy())
    status = _infeasible_if(status, cs, x, tol)
    return build_result(obj, cs, x, lam, alpha, method="sqp", status=status, message=msg,
                        nit=nit, trace=trace, tol=tol)


def _infeasible_if(status, cs, x, tol):
    if status is Status.SUCCESS:
        return status
    if _viol(cs.g(x), cs.h(x)) > 1e3 * max(tol, 1e-8):
        return Status.INFEASIBLE if status is not Status.NON_FINITE \
            else status
    return status
