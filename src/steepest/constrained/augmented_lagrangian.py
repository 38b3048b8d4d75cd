"""Augmented Lagrangian (method of multipliers) with an inner unconstrained solver.

For g(x) = 0 and h(x) ≤ 0 with penalty ρ > 0 (Nocedal & Wright §17.3–17.4; Bertsekas 1982):

    L_A(x; λ, α, ρ) = f + λᵀg + (ρ/2)‖g‖² + (1/2ρ) Σⱼ [max(0, αⱼ + ρhⱼ)² − αⱼ²]
    ∇L_A = ∇f + Jgᵀ(λ + ρg) + Jhᵀ max(0, α + ρh)

Each outer iteration minimizes L_A in x with
``steepest.unconstrained.minimize_unconstrained`` (method "lbfgs" or "newton"), then updates
the multipliers — the first-order ascent on the dual, eq. 4.15's max over (λ, α):

    λ ← λ + ρ g(x),   α ← max(0, α + ρ h(x)),

and multiplies ρ by 10 when the constraint violation did not fall by 4×. With
``options["polish"]`` (default True) the result is refined by a few KKT-Newton (SQP) steps
started from the AL point and multipliers, which gives the multipliers to full accuracy.
"""

from __future__ import annotations

import numpy as np

from .._options import check_option_names
from .._result import Status
from ..unconstrained import minimize_unconstrained
from .kkt import kkt_report
from .result import build_result
from .sqp import sqp

__all__ = ["augmented_lagrangian"]

_DEFAULTS = {"maxiter": 50, "inner": "lbfgs", "rho": 10.0, "rho_max": 1e10, "inner_maxiter": 500,
             "polish": True, "inner_tol": 1e-3}


def _inner_minimize(fun, jac, hess, x0, method, gtol, maxiter):
    """Minimise L_A(·, λ, ρ) with steepest's own L-BFGS or Newton."""
    # gradient-norm termination only: the relative-improvement test (ftol) would stop the inner
    # solve long before ‖∇L_A‖ ≤ gtol, and the multiplier update needs it
    res = minimize_unconstrained(fun, x0, method=method, jac=jac,
                                 hess=hess if method == "newton" else None,
                                 options={"gtol": gtol, "maxiter": maxiter, "ftol": 0.0,
                                          "fatol": 0.0, "certify": False})
    return np.asarray(res.x, dtype=float), "steepest"


class _AugmentedLagrangian:
    def __init__(self, obj, cs):
        self.obj, self.cs = obj, cs

    def value(self, x, lam, alpha, rho):
        g, h = self.cs.g(x), self.cs.h(x)
        shifted = np.maximum(0.0, alpha + rho * h)
        return (self.obj.f(x) + lam @ g + 0.5 * rho * g @ g
                + (shifted @ shifted - alpha @ alpha) / (2 * rho))

    def grad(self, x, lam, alpha, rho):
        g, h = self.cs.g(x), self.cs.h(x)
        return (self.obj.grad(x) + self.cs.jac_g(x).T @ (lam + rho * g)
                + self.cs.jac_h(x).T @ np.maximum(0.0, alpha + rho * h))

    def hess(self, x, lam, alpha, rho):
        g, h = self.cs.g(x), self.cs.h(x)
        Jg, Jh = self.cs.jac_g(x), self.cs.jac_h(x)
        shifted = np.maximum(0.0, alpha + rho * h)
        on = shifted > 0
        H = self.obj.hessian(x) + self.cs.hess_terms(x, lam + rho * g, shifted)
        return H + rho * (Jg.T @ Jg) + rho * (Jh[on].T @ Jh[on])


def _violation(g, h, alpha, rho) -> float:
    """‖(g, max(h, −α/ρ))‖∞: zero exactly at feasible, complementary points."""
    v = np.concatenate([np.abs(g), np.abs(np.maximum(h, -alpha / rho)), [0.0]])
    return float(np.max(v))


def augmented_lagrangian(obj, cs, x0, *, tol=1e-9, options=None, callback=None, on_row=None):
    """Minimize ``obj`` subject to ``cs`` by the augmented Lagrangian method.

    Args:
        obj: Objective. cs: ConstraintSet. x0: start. tol: KKT tolerance.
        options: maxiter (outer, 50), inner ("lbfgs" | "newton"), rho (10), rho_max (1e10),
            inner_maxiter (500), inner_tol (first inner gradient tolerance, 1e-3),
            polish (True: finish with KKT-Newton steps).
        callback: callback(x) after each outer iteration.
        on_row: called with each trace row (``options["disp"]``/``["progress"]``).
    """
    opts = {**_DEFAULTS,
            **check_option_names(options, "method 'augmented-lagrangian'", tuple(_DEFAULTS))}
    if opts["inner"] not in ("lbfgs", "newton"):
        raise ValueError(f"options['inner'] must be 'lbfgs' or 'newton'; got {opts['inner']!r}.")
    x = np.asarray(x0, dtype=float).copy()
    lam, alpha = np.zeros(cs.g(x).size), np.zeros(cs.h(x).size)
    rho, omega = float(opts["rho"]), float(opts["inner_tol"])
    AL = _AugmentedLagrangian(obj, cs)
    prev, trace, backend = np.inf, [], "steepest"
    status, msg, nit = Status.MAX_ITER, "outer iteration limit reached", 0
    for nit in range(1, opts["maxiter"] + 1):
        x, backend = _inner_minimize(
            lambda z, lam=lam, alpha=alpha, rho=rho: AL.value(z, lam, alpha, rho),
            lambda z, lam=lam, alpha=alpha, rho=rho: AL.grad(z, lam, alpha, rho),
            (lambda z, lam=lam, alpha=alpha, rho=rho: AL.hess(z, lam, alpha, rho))
            if opts["inner"] == "newton" else None, x, opts["inner"], omega,
            opts["inner_maxiter"])
        g, h = cs.g(x), cs.h(x)
        if not np.all(np.isfinite(x)):
            status, msg = Status.NON_FINITE, "inner solver returned a non-finite x"
            break
        viol = _violation(g, h, alpha, rho)
        lam, alpha = lam + rho * g, np.maximum(0.0, alpha + rho * h)
        report = kkt_report(obj.grad(x), cs, x, lam, alpha, tol)
        trace.append({"nit": nit, "f": obj.sign * obj.f(x), "kkt": report.max_residual,
                      "violation": viol, "rho": rho})
        if on_row is not None:
            on_row(trace[-1])
        if callback is not None:
            callback(x.copy())
        if report.passed:
            status, msg = Status.SUCCESS, f"KKT conditions hold to {tol:g}"
            break
        if report.max_residual <= 1e-5 and opts["polish"]:
            break
        if viol > 0.25 * prev:
            rho = min(10 * rho, opts["rho_max"])
        prev = viol
        omega = max(0.1 * omega, 0.1 * tol, 1e-12)
    msg += f" (inner: {opts['inner']} via {backend})"
    if opts["polish"] and status is not Status.SUCCESS:
        return _polish(obj, cs, x, lam, alpha, tol, nit, trace, msg)
    return build_result(obj, cs, x, lam, alpha, method="augmented-lagrangian", status=status,
                        message=msg, nit=nit, trace=trace, tol=tol)


def _polish(obj, cs, x, lam, alpha, tol, nit, trace, msg):
    res = sqp(obj, cs, x, tol=tol, options={"lam0": lam, "alpha0": alpha, "maxiter": 30})
    res.method = "augmented-lagrangian"
    res.nit += nit
    res.trace = trace + res.trace
    res.message = f"augmented Lagrangian ({nit} outer) + KKT-Newton polish: {res.message}; {msg}"
    return res
