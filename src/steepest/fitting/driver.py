"""``least_squares``: nonlinear least squares with scipy's signature, semantics and result.

.. math:: \\min_x\\ C(x) = \\tfrac12 \\sum_{i=1}^m ρ\\big(f_i(x)^2\\big)
          \\quad \\text{s.t.} \\quad lb \\le x \\le ub

Two methods, as in scipy: ``"trf"`` (trust-region reflective, bounds and robust losses;
:mod:`.trf`) and ``"lm"`` (Levenberg–Marquardt as in MINPACK, unbounded, ``m ≥ n``, linear
loss; :mod:`.lm`). The Jacobian comes from steepest's autodiff unless ``jac`` says otherwise
(:mod:`.jacobian`).

Differences from scipy: ``jac=None`` (the default) means autodiff, where scipy's default is
``"2-point"``; ``nfev`` never counts the evaluations made by finite differences (scipy's
``"lm"`` counts them); ``"dogbox"`` and the ``tr_solver="lsmr"`` option are not offered.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .._result import OptimizeResult
from .._validate import (
    check_callable,
    check_finite_array,
    check_positive_float,
    check_positive_int,
)
from . import lm, trf
from .jacobian import JAC_METHODS, make_jacobian
from .losses import make_loss
from .problem import MESSAGES, LsqProblem
from .reflective import active_bounds

__all__ = ["METHODS", "least_squares"]

#: The methods ``least_squares`` offers.
METHODS = ("trf", "lm")

_EPS = np.finfo(float).eps


def least_squares(
    fun: Callable[..., Any],
    x0: Any,
    jac: Any = None,
    bounds: Any = (-np.inf, np.inf),
    method: str = "trf",
    ftol: float = 1e-8,
    xtol: float = 1e-8,
    gtol: float = 1e-8,
    x_scale: Any = None,
    loss: Any = "linear",
    f_scale: float = 1.0,
    max_nfev: int | None = None,
    args: tuple = (),
    kwargs: Mapping[str, Any] | None = None,
) -> OptimizeResult:
    """Solve a nonlinear least-squares problem with bounds on the variables (scipy's API).

    Args:
        fun: residuals ``fun(x, *args, **kwargs) -> (m,)``.
        x0: starting point, shape ``(n,)`` (a scalar is read as shape ``(1,)``); inside the
            bounds.
        jac: ``None`` (autodiff: forward mode when ``m ≥ n``, else reverse; 2-point
            differences with a ``RuntimeWarning`` when autodiff cannot trace ``fun``),
            ``"2-point"``, ``"3-point"``, ``"cs"`` (finite differences), or a callable
            ``jac(x, *args, **kwargs) -> (m, n)``.
        bounds: ``(lb, ub)``, each a scalar or an array of length ``n`` (±inf for none), or a
            ``scipy.optimize.Bounds``.
        method: ``"trf"`` or ``"lm"``.
        ftol: stop when the cost falls by less than ``ftol · C``.
        xtol: stop when the step is below ``xtol · (xtol + ‖x‖)``.
        gtol: stop when the (bound-scaled) gradient is below ``gtol`` in the max norm.
        x_scale: characteristic scale of each variable, or ``"jac"``; ``None`` means 1 for
            ``"trf"`` and ``"jac"`` for ``"lm"`` (scipy ≥ 1.16).
        loss: ``"linear"``, ``"soft_l1"``, ``"huber"``, ``"cauchy"``, ``"arctan"`` or a
            callable ``z -> (3, m)`` array of ρ, ρ′, ρ″ (``"trf"`` only).
        f_scale: the residual scale ``c`` of the robust loss (``ρ_c(z) = c² ρ(z / c²)``).
        max_nfev: the budget of residual evaluations (default ``100 n``).
        args: extra positional arguments of ``fun`` and ``jac``.
        kwargs: extra keyword arguments of ``fun`` and ``jac``.

    Returns:
        An ``OptimizeResult`` with scipy's fields: ``x``, ``cost`` (``C(x)``), ``fun`` (the
        residuals), ``jac`` (the Jacobian, rescaled by the loss), ``grad`` (``∇C``),
        ``optimality`` (``‖v ∘ ∇C‖∞``), ``active_mask`` (−1/0/+1 per variable), ``nfev``,
        ``njev``, ``status`` (scipy's integer code), ``message``, ``success``.

    Raises:
        ValueError: for x0 outside the bounds, ``lb ≥ ub``, ``"lm"`` with bounds, a robust
            loss or fewer residuals than parameters, an unknown method or loss, residuals of
            the wrong shape or not finite at ``x0``.

    Reference:
        Branch, Coleman & Li, SIAM J. Sci. Comput. 21 (1999); Moré, LNM 630 (1978); Triggs
        et al., "Bundle adjustment — a modern synthesis" (2000), §4.3.

    Example:
        >>> import numpy as np
        >>> res = least_squares(lambda x: np.array([10 * (x[1] - x[0] ** 2), 1 - x[0]]),
        ...                     [-1.2, 1.0])
        >>> np.round(res.x, 6).tolist(), res.success, res.cost < 1e-20
        ([1.0, 1.0], True, True)
        >>> res = least_squares(lambda x: np.array([10 * (x[1] - x[0] ** 2), 1 - x[0]]),
        ...                     [2.0, 2.0], bounds=([-np.inf, 1.5], np.inf))
        >>> np.round(res.x, 4).tolist(), res.active_mask.tolist()
        ([1.2244, 1.5], [0, -1])
    """
    method = _check_method(method)
    kwargs = dict(kwargs or {})
    check_callable(fun, "fun")
    x0 = _check_x0(x0)
    n = x0.size
    lb, ub = _check_bounds(bounds, x0)
    robust = make_loss(loss, check_positive_float(f_scale, "f_scale"))
    tols = _check_tolerances(ftol, xtol, gtol)
    max_nfev = 100 * n if max_nfev is None else check_positive_int(max_nfev, "max_nfev")
    x_scale = _check_x_scale(x_scale, n, method)

    def residuals(x: np.ndarray) -> Any:
        return fun(x, *args, **kwargs)

    f0 = _check_residuals(residuals(x0.copy()), n)
    m = f0.size
    if method == "lm":
        _check_lm(lb, ub, robust.name, m, n)
    user_jac = _check_jac(jac)
    jac_x = (lambda x: user_jac(x, *args, **kwargs)) if callable(user_jac) else user_jac
    problem = LsqProblem(residuals, make_jacobian(jac_x, residuals, m, n, lb, ub), lb, ub,
                         *tols, max_nfev, x_scale, robust)
    problem.remember(x0, f0)
    out = (lm if method == "lm" else trf).solve(problem, x0)
    cost, f_hat, J_hat = problem.model(out.f, out.J)
    mask = active_bounds(out.x, lb, ub, tols[1]) if problem.bounded else np.zeros(n, int)
    return OptimizeResult(
        x=out.x, cost=cost, fun=out.f, jac=J_hat, grad=J_hat.T @ f_hat,
        optimality=out.optimality, active_mask=mask, nfev=problem.nfev, njev=problem.njev,
        status=out.status, message=MESSAGES[out.status], success=out.status > 0)


def _check_method(method: Any) -> str:
    if method in METHODS:
        return method
    hint = ""
    if isinstance(method, str):
        close = difflib.get_close_matches(method.lower(), METHODS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        if method.lower() == "dogbox":
            hint = " ('dogbox' is not offered: 'trf' handles bounds the same way)"
    raise ValueError(f"method must be one of {list(METHODS)}, got {method!r}{hint}")


def _check_x0(x0: Any) -> np.ndarray:
    if np.iscomplexobj(x0):
        raise TypeError("x0 must be real; pass the real and imaginary parts as separate "
                        "parameters")
    x0 = np.atleast_1d(check_finite_array(x0, "x0")).astype(float)
    if x0.ndim != 1:
        raise ValueError(f"x0 must be 1-D (one entry per parameter), got shape {x0.shape}; "
                         "pass x0.ravel() and reshape inside fun")
    return x0


def _check_bounds(bounds: Any, x0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        bounds = (bounds.lb, bounds.ub)
    if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
        raise ValueError("bounds must be a pair (lb, ub) of scalars or arrays of length n, "
                         "or a scipy.optimize.Bounds; e.g. bounds=(0, np.inf)")
    try:
        lb, ub = (np.broadcast_to(np.asarray(b, dtype=float), x0.shape).copy()
                  for b in bounds)
    except ValueError as exc:
        raise ValueError(f"bounds (lb, ub) must be scalars or arrays of length n = "
                         f"{x0.size}; pass one bound per parameter") from exc
    if np.any(np.isnan(lb)) or np.any(np.isnan(ub)):
        raise ValueError("bounds contain NaN; use -np.inf/np.inf for a free side")
    if np.any(lb >= ub):
        bad = np.flatnonzero(lb >= ub).tolist()
        raise ValueError(f"each lower bound must be strictly below its upper bound; lb >= ub "
                         f"at indices {bad}: widen those bounds (or drop the fixed "
                         "parameters from x)")
    if np.any(x0 < lb) or np.any(x0 > ub):
        bad = np.flatnonzero((x0 < lb) | (x0 > ub)).tolist()
        raise ValueError(f"x0 is outside the bounds at indices {bad}; pass a start with "
                         "lb <= x0 <= ub, e.g. np.clip(x0, lb, ub)")
    return lb, ub


def _check_tolerances(ftol: Any, xtol: Any, gtol: Any) -> tuple[float, float, float]:
    tols = []
    for name, value in (("ftol", ftol), ("xtol", xtol), ("gtol", gtol)):
        tol = 0.0 if value is None else float(value)
        if not tol >= 0 or not np.isfinite(tol):
            raise ValueError(f"{name} must be a finite number >= 0 (or None), got {value!r}")
        tols.append(tol)
    if max(tols) < _EPS:
        raise ValueError("at least one of ftol, xtol, gtol must be >= machine epsilon "
                         f"({_EPS:.3g}); pass e.g. ftol=1e-8")
    return tols[0], tols[1], tols[2]


def _check_x_scale(x_scale: Any, n: int, method: str) -> np.ndarray | str:
    if x_scale is None:
        return "jac" if method == "lm" else np.ones(n)
    if isinstance(x_scale, str):
        if x_scale != "jac":
            raise ValueError(f"x_scale must be 'jac' or positive numbers, got {x_scale!r}")
        return x_scale
    scale = np.asarray(x_scale, dtype=float)
    if not (np.all(np.isfinite(scale)) and np.all(scale > 0)):
        raise ValueError("x_scale must be 'jac' or finite numbers > 0; pass e.g. x_scale=1.0")
    try:
        return np.broadcast_to(scale, (n,)).copy()
    except ValueError as exc:
        raise ValueError(f"x_scale must be a scalar or have length n = {n}, got shape "
                         f"{scale.shape}") from exc


def _check_residuals(f0: Any, n: int) -> np.ndarray:
    f0 = np.atleast_1d(np.asarray(f0))
    if f0.ndim != 1:
        raise ValueError(f"fun must return a 1-D array of residuals, got shape {f0.shape} at "
                         "x0; return r.ravel() (least_squares minimizes ½ Σ r_i²)")
    if np.iscomplexobj(f0) or not np.issubdtype(f0.dtype, np.number):
        raise TypeError(f"fun must return real residuals, got dtype {f0.dtype}; return the "
                        "real and imaginary parts stacked")
    if not np.all(np.isfinite(f0)):
        raise ValueError("fun returned NaN or inf residuals at x0; start where every residual "
                         "is finite")
    return f0.astype(float)


def _check_lm(lb: np.ndarray, ub: np.ndarray, loss: str, m: int, n: int) -> None:
    if np.any(np.isfinite(lb)) or np.any(np.isfinite(ub)):
        raise ValueError("method 'lm' does not handle bounds; pass method='trf' (or drop "
                         "bounds)")
    if loss != "linear":
        raise ValueError(f"method 'lm' only minimizes the plain sum of squares, got "
                         f"loss={loss!r}; pass method='trf' for a robust loss")
    if m < n:
        raise ValueError(f"method 'lm' needs at least as many residuals as parameters, got "
                         f"m = {m} < n = {n}; pass method='trf'")


def _check_jac(jac: Any) -> Any:
    if jac is None or callable(jac) or (isinstance(jac, str) and jac in JAC_METHODS):
        return jac
    hint = ""
    if isinstance(jac, str):
        close = difflib.get_close_matches(jac, JAC_METHODS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"jac must be None (autodiff), a callable or one of "
                     f"{list(JAC_METHODS)}, got {jac!r}{hint}")
