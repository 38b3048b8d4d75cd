"""Projected gradient descent (Goodfellow et al. §4.4, first approach).

"Make gradient descent steps, then project the result back into S":

    x₊ = P_S(x − ε∇f(x))                      fixed step ε  (``step=ε``)
    x(t) = P_S(x − t∇f(x)),  t ← βt until      Armijo along the projection arc
        f(x(t)) ≤ f(x) + σ ∇f(x)ᵀ(x(t) − x)    (Bertsekas 1976)

with the first trial t = sᵀs/sᵀy (Barzilai–Borwein, s = xₖ − xₖ₋₁, y = ∇fₖ − ∇fₖ₋₁; the
default ``step="bb"``, a monotone variant of spectral projected gradient) or the previous
accepted t (``step="armijo"``),

and, for affine sets, Goodfellow et al.'s refinement "project the gradient into the tangent space
of the feasible region before the step" (Rosen 1960): d = −T∇f(x) with T the projector onto null(A),
x₊ = x + td with Armijo on f; iterates stay exactly on {Ax = b}.

The stopping test is the *gradient mapping* ‖x − P_S(x − ∇f(x))‖∞ ≤ tol, which vanishes exactly
at the stationary points of f on S (where −∇f lies in the normal cone).

Reparametrization, the other approach of Goodfellow et al. §4.4, needs no projection: to
minimize f over the unit circle minimize g(θ) = f(cos θ, sin θ) without constraints and return
(cos θ, sin θ); see ``examples/reparametrize_circle.py``.

References:
    Goodfellow, Bengio, Courville, *Deep Learning*, §4.4. Bertsekas, "On the Goldstein–Levitin–
    Polyak gradient projection method", IEEE TAC 21 (1976). Rosen, "The gradient projection
    method for nonlinear programming I", J. SIAM 8 (1960).
"""

from __future__ import annotations

import numpy as np

from .._options import check_option_names
from .._progress import iteration_reporters
from .._result import OptimizeResult, Status
from .._validate import check_choice, check_finite_array
from ..objective import Objective
from .certificate import certify
from .constraints import bounds_arrays
from .projections import Affine, Box, Hyperplane, Projection

__all__ = ["ProjectedGradientResult", "projected_gradient", "projected_gradient_result"]

_DEFAULTS = {"maxiter": 10_000, "step": "bb", "variant": "projection", "armijo": 1e-4,
             "shrink": 0.5, "t0": 1.0, "disp": False, "progress": None}


class ProjectedGradientResult(OptimizeResult):
    """Result of projected gradient descent: an :class:`~steepest._result.OptimizeResult`.

    Attributes:
        x, fun, jac: solution, f(x), ∇f(x). gradient_mapping: ‖x − P(x − ∇f(x))‖∞ (0 at a
        stationary point on S). violation: distance-like infeasibility of x (0 on S).
        nit, nfev, njev: counts. status (a :class:`~steepest._result.Status`), success
        (``status is Status.SUCCESS``), message. method: ``"projected-gradient"``.
        path: the iterates (for plotting).
        lam, alpha, kkt: least-squares multipliers of S's smooth description (ball:
        ‖x − c‖² − r² ≤ 0, simplex: Σx = s and −x ≤ 0, ...) and the KKT report at x; None
        for sets without one (ℓ1 ball). See :mod:`steepest.constrained.certificate`.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.4 (projected gradient); Bertsekas, *Nonlinear
        Programming*, §2.3.

    Example:
        >>> import numpy as np
        >>> from steepest.constrained import Box, projected_gradient
        >>> res = projected_gradient(lambda x: np.sum((x - 2.0) ** 2), np.zeros(2), Box(0, 1),
        ...                          jac=lambda x: 2 * (x - 2.0))
        >>> res.x.tolist(), res.success, res["status"] == 0
        ([1.0, 1.0], True, True)
    """


def _mapping(P, x, gx) -> float:
    return float(np.max(np.abs(x - P(x - gx)), initial=0.0))


def _sufficient(obj, x, fx, gx, xt, ft, sigma) -> bool:
    """Armijo f(xₜ) ≤ f(x) + σ∇f(x)ᵀ(xₜ − x); below f's rounding level the change of f is
    estimated by the trapezoid rule ½(∇f(x) + ∇f(xₜ))ᵀ(xₜ − x) (exact for quadratics)."""
    d = xt - x
    pred = float(gx @ d)
    if not np.isfinite(ft):
        return False
    if ft <= fx + sigma * pred:
        return True
    if abs(ft - fx) <= 100 * np.finfo(float).eps * max(1.0, abs(fx)):
        return 0.5 * float((gx + obj.grad(xt)) @ d) <= sigma * pred
    return False


def _backtrack(obj, path, x, fx, gx, t, opts):
    """Armijo backtracking along the trial points ``path(t)``, t ← shrink · t; returns
    (x₊, f₊, t) or None once t falls below 1e-16."""
    while t > 1e-16:
        xt = path(t)
        ft = obj.f(xt)
        if _sufficient(obj, x, fx, gx, xt, ft, opts["armijo"]):
            return xt, ft, t
        t *= opts["shrink"]
    return None


def _arc_step(obj, P, x, fx, gx, t, opts):
    """Armijo backtracking along t ↦ P(x − t∇f); returns (x₊, f₊, t) or None."""
    return _backtrack(obj, lambda s: P(x - s * gx), x, fx, gx, t, opts)


def _tangent_step(obj, P, x, fx, gx, t, opts):
    """Rosen: d = −T∇f (tangent space of the affine set), Armijo on f along x + td."""
    d = -P.tangent_project(x, gx)
    return _backtrack(obj, lambda s: x + s * d, x, fx, gx, t, opts)


def _fixed_step(obj, P, x, fx, gx, t, opts):
    xt = P(x - opts["step"] * gx)
    return xt, obj.f(xt), opts["step"]


def _next_trial(opts, t, t_used, f_old, f_new, s, y) -> float:
    """First trial step of the next search.

    "bb": the Barzilai–Borwein step sᵀs/sᵀy (spectral projected gradient, Birgin, Martínez &
    Raydan 2000), clipped to [1e-10, 1e10]. "armijo": grow ×2 only after a first-try success
    whose decrease is well above f's rounding level (otherwise rounding lets Armijo accept
    steps beyond 2/L and the iteration stalls).
    """
    if opts["step"] == "bb":
        sy = float(s @ y)
        return float(np.clip(float(s @ s) / sy, 1e-10, 1e10)) if sy > 0 else 1e10
    significant = f_old - f_new > 1e3 * np.finfo(float).eps * max(1.0, abs(f_old))
    return min(2 * t_used, 1e8) if (t_used == t and significant) else t_used


def _choose_step(opts, P):
    check_choice(opts["variant"], "variant", ("projection", "tangent"))
    if opts["variant"] == "tangent":
        if not isinstance(P, (Affine, Hyperplane)):
            raise ValueError("variant='tangent' needs an Affine or Hyperplane set.")
        return _tangent_step
    if opts["step"] in ("armijo", "bb"):
        return _arc_step
    if isinstance(opts["step"], (int, float)) and opts["step"] > 0:
        return _fixed_step
    raise ValueError(f"step must be 'armijo', 'bb' or a positive float; got {opts['step']!r}.")


def _start(x0, P: Projection) -> np.ndarray:
    """x0 as a finite 1-D float vector of the projection's dimension."""
    x0 = check_finite_array(x0, "x0", ndim=1)
    if P.dim is not None and P.dim != x0.size:
        raise ValueError(f"projection {type(P).__name__} has dimension {P.dim} but x0 has "
                         f"{x0.size} entries; pass an x0 of length {P.dim} or build the "
                         f"{type(P).__name__} for {x0.size} variables")
    return x0


def projected_gradient(fun, x0, projection: Projection, *, jac=None, args=(), tol=1e-8,
                       options=None, callback=None, _sign: float = 1.0):
    """Minimize f over a convex set S given by its projection.

    Args:
        fun: f(x, *args). x0: start (projected onto S first). projection: a Projection.
        jac: ∇f (default autodiff). tol: gradient-mapping tolerance.
        options: step ("bb" (default): Armijo along the arc from the Barzilai–Borwein trial
            step; "armijo": from the previous step, doubled after easy successes; or a fixed
            ε), variant ("projection" or "tangent" for
            Affine/Hyperplane), maxiter (10000), armijo (σ = 1e-4), shrink (β = 0.5), t0 (1),
            disp (print every k iterations: f, the gradient mapping ‖G‖, the step) and
            progress (a live bar), as in :func:`steepest.minimize`.
        callback: callback(x) after each iteration.

    Returns:
        ProjectedGradientResult (x, fun, gradient_mapping, path, status, ...).

    Reference:
        x⁽ᵏ⁺¹⁾ = P_S(x⁽ᵏ⁾ − ε∇f(x⁽ᵏ⁾)): Goodfellow et al., *Deep Learning*, §4.4 (projected
        gradient: project each gradient step back onto S); Barzilai & Borwein, IMA J. Numer. Anal. 8
        (1988); Bertsekas, *Nonlinear Programming*, §2.3.

    Example:
        >>> import numpy as np
        >>> from steepest.constrained import Box
        >>> res = projected_gradient(lambda x: np.sum((x - 2.0) ** 2), np.zeros(2), Box(0, 1),
        ...                          jac=lambda x: 2 * (x - 2.0))
        >>> res.x.tolist(), res.success
        ([1.0, 1.0], True)
    """
    if not isinstance(projection, Projection):
        raise TypeError("projection must be a steepest.constrained Projection (Box, L2Ball, ...).")
    opts = {**_DEFAULTS,
            **check_option_names(options, "method 'projected-gradient'", tuple(_DEFAULTS))}
    step_fn = _choose_step(opts, projection)
    x0 = _start(x0, projection)
    obj = Objective(fun, x0, args=args, jac=jac, sign=_sign, traceable=True)
    P = projection
    x = P(x0)
    fx, gx = obj.f(x), obj.grad(x)
    path, t = [x.copy()], float(opts["t0"])
    report = iteration_reporters(opts["disp"], opts["progress"], int(opts["maxiter"]),
                                 labels=("|G|", "step"))
    report.row(0, _sign * fx, _mapping(P, x, gx), 0.0, obj.nfev, obj.njev)
    status, msg, nit = Status.MAX_ITER, "iteration limit reached", 0
    for nit in range(1, int(opts["maxiter"]) + 1):
        if not (np.isfinite(fx) and np.all(np.isfinite(gx))):
            status, msg = Status.NON_FINITE, "f or ∇f not finite; returning last x"
            x = path[-2] if len(path) > 1 else x
            break
        if _mapping(P, x, gx) <= tol:
            status, msg, nit = Status.SUCCESS, f"gradient mapping ≤ {tol:g}", nit - 1
            break
        out = step_fn(obj, P, x, fx, gx, t, opts)
        if out is None:
            status, msg = Status.LINE_SEARCH_FAILED, "Armijo search failed"
            break
        x_old, g_old = x, gx
        x, f_new, t_used = out
        gx = obj.grad(x)
        t = _next_trial(opts, t, t_used, fx, f_new, x - x_old, gx - g_old)
        fx = f_new
        path.append(x.copy())
        report.row(nit, _sign * fx, _mapping(P, x, gx), float(np.linalg.norm(x - x_old)),
                   obj.nfev, obj.njev)
        if callback is not None:
            callback(x.copy())
    gx = obj.grad(x)
    cert = certify(P, x, gx, max(tol, 1e-9) * 100, maximize=_sign < 0) or (None, None, None)
    res = ProjectedGradientResult(
        x=x, fun=float(fun(x, *args)), jac=_sign * gx, gradient_mapping=_mapping(P, x, gx),
        violation=float(P.violation(x)), nit=nit, nfev=obj.nfev, njev=obj.njev, status=status,
        message=msg, method="projected-gradient", path=path, lam=cert[0], alpha=cert[1],
        kkt=cert[2])
    report.close(res)
    return res


def projected_gradient_result(fun, x0, constraints, *, sign=1.0, args=(), jac=None,
                              bounds=None, tol=None, options=None, callback=None):
    """Adapter used by ``minimize_constrained(..., constraints=Projection(...))``."""
    if constraints is not None and not isinstance(constraints, Projection) and constraints:
        raise TypeError("method='projected-gradient' needs constraints=Projection(...); "
                        "for Eq/Ineq constraints use method='sqp' or 'augmented-lagrangian'.")
    P = constraints if isinstance(constraints, Projection) else None
    if bounds is not None:
        if P is not None:
            raise ValueError("give either bounds or a Projection to projected gradient, not both "
                             "(combine sets with Product).")
        P = Box(*bounds_arrays(bounds, np.size(x0)))
    if P is None:
        raise TypeError("method='projected-gradient' needs constraints=Projection(...) or bounds.")
    return projected_gradient(fun, x0, P, jac=jac, args=args, tol=tol or 1e-8, options=options,
                              callback=callback, _sign=sign)
