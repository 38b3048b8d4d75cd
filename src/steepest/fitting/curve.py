"""``curve_fit``: fit ``ydata ≈ f(xdata, *p)`` and estimate the covariance of ``p`` (scipy's API).

The fit minimizes the weighted sum of squares ``‖L⁻¹(f(xdata, p) − ydata)‖²`` where ``L`` is
``diag(sigma)`` for a 1-D ``sigma`` (standard deviations) or the Cholesky factor of a 2-D
``sigma`` (a covariance matrix), by :func:`~steepest.fitting.least_squares` — ``"lm"`` without
bounds, ``"trf"`` with them.

The covariance of the estimate is the inverse Gauss–Newton Hessian at the solution, taken as a
pseudo-inverse through the SVD ``J = U S Vᵀ`` (singular values below ``ε · max(m, n) · s₁``
dropped) and, unless ``absolute_sigma``, scaled by the residual variance:

.. math:: \\mathrm{pcov} = V S^{-2} V^\\top \\cdot \\frac{\\|r\\|^2}{m - n}

When it cannot be estimated (``m ≤ n``, or NaN in the Jacobian) it is filled with ``inf``
and an :class:`scipy.optimize.OptimizeWarning` is issued, as scipy does.

Reference:
    Seber & Wild, *Nonlinear Regression* (1989), §2.1 (the asymptotic covariance
    ``σ² (JᵀJ)⁻¹``); Press et al., *Numerical Recipes* (3rd ed.), §15.5.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.linalg as sla
from scipy.optimize import OptimizeWarning

from .._options import check_option_names
from .._validate import check_callable
from .driver import least_squares

__all__ = ["curve_fit"]

#: The ``least_squares`` options ``curve_fit`` passes on (``maxfev`` is read as ``max_nfev``).
OPTIONS = ("ftol", "xtol", "gtol", "x_scale", "loss", "f_scale", "max_nfev", "maxfev")


def curve_fit(
    f: Callable[..., Any],
    xdata: Any,
    ydata: Any,
    p0: Any = None,
    sigma: Any = None,
    absolute_sigma: bool = False,
    check_finite: bool = True,
    bounds: Any = (-np.inf, np.inf),
    method: str | None = None,
    jac: Any = None,
    *,
    full_output: bool = False,
    **kwargs: Any,
) -> tuple:
    """Fit ``f(xdata, *params)`` to ``ydata`` by nonlinear least squares (scipy's API).

    Args:
        f: the model ``f(xdata, p1, p2, ...)``, returning an array like ``ydata``.
        xdata: the independent variable (passed to ``f`` as it is).
        ydata: the data, ``m`` values.
        p0: initial parameters; default ones (inside the bounds when given), their number
            read from ``f``'s signature.
        sigma: ``None``, the ``m`` standard deviations of ``ydata``, or its ``(m, m)``
            covariance.
        absolute_sigma: ``sigma`` is in absolute units (pcov is not rescaled by the residual
            variance).
        check_finite: raise if ``xdata`` or ``ydata`` hold NaN or inf.
        bounds: ``(lb, ub)`` on the parameters or a ``scipy.optimize.Bounds``.
        method: ``"lm"`` (default without bounds) or ``"trf"`` (default with bounds).
        jac: ``None`` (autodiff), ``"2-point"``/``"3-point"``/``"cs"``, or a callable
            ``jac(xdata, *params) -> (m, n)``.
        full_output: also return ``infodict`` (``nfev``, ``fvec``), ``mesg`` and ``ier``.
        **kwargs: options of :func:`least_squares` (``ftol``, ``xtol``, ``gtol``,
            ``x_scale``, ``loss``, ``f_scale``, ``max_nfev`` or scipy's ``maxfev``).

    Returns:
        ``(popt, pcov)``, or ``(popt, pcov, infodict, mesg, ier)`` with ``full_output``.

    Raises:
        RuntimeError: the fit did not converge within the evaluation budget.
        ValueError: empty or non-finite data, a ``sigma`` of the wrong shape or not positive
            definite, an unknown option.

    Example:
        >>> import numpy as np
        >>> x = np.linspace(0.0, 4.0, 50)
        >>> y = 2.5 * np.exp(-1.3 * x) + 0.5 + 0.01 * np.sin(7 * x)
        >>> popt, pcov = curve_fit(lambda x, a, b, c: a * np.exp(-b * x) + c, x, y)
        >>> np.round(popt, 2).tolist(), pcov.shape
        ([2.5, 1.31, 0.5], (3, 3))
    """
    check_callable(f, "f")
    options = check_option_names(kwargs, "curve_fit", OPTIONS)
    if "maxfev" in options:
        options.setdefault("max_nfev", options.pop("maxfev"))
    ydata, xdata = _check_data(ydata, xdata, check_finite)
    whiten = _whitener(sigma, ydata.size)
    p0, lb, ub = _start(f, p0, bounds)
    bounded = bool(np.any(np.isfinite(lb)) or np.any(np.isfinite(ub)))
    method = method if method is not None else ("trf" if bounded else "lm")

    def residuals(p: Any) -> Any:
        return whiten(np.reshape(f(xdata, *p) - ydata, (-1,)))

    jac_p = (lambda p: whiten(np.asarray(jac(xdata, *p)))) if callable(jac) else jac
    res = least_squares(residuals, p0, jac=jac_p, bounds=(lb, ub), method=method, **options)
    if not res.success:
        raise RuntimeError(f"curve_fit: optimal parameters not found ({res.message}); raise "
                           "maxfev, pass a better p0 or check the model")
    pcov = _covariance(res.jac, 2.0 * res.cost, absolute_sigma)
    if full_output:
        return res.x, pcov, {"nfev": res.nfev, "fvec": res.fun}, res.message, res.status
    return res.x, pcov


def _check_data(ydata: Any, xdata: Any, check_finite: bool) -> tuple[np.ndarray, Any]:
    ydata = np.asarray(ydata, dtype=float)
    if ydata.size == 0:
        raise ValueError("ydata is empty; pass at least as many data points as parameters")
    if isinstance(xdata, (list, tuple, np.ndarray)):
        xdata = np.asarray(xdata, dtype=float)
    if check_finite:
        for name, value in (("ydata", ydata), ("xdata", xdata)):
            if isinstance(value, np.ndarray) and not np.all(np.isfinite(value)):
                raise ValueError(f"{name} contains NaN or inf; drop those points or pass "
                                 "check_finite=False")
    return ydata, xdata


def _whitener(sigma: Any, m: int) -> Callable[[Any], Any]:
    """``r ↦ L⁻¹ r`` for the ``sigma`` given (identity for None)."""
    if sigma is None:
        return lambda r: r
    sigma = np.asarray(sigma, dtype=float)
    if sigma.size == 1 or sigma.shape == (m,):
        if np.any(sigma <= 0):
            raise ValueError("sigma must be positive (standard deviations of ydata)")
        weight = 1.0 / np.broadcast_to(sigma.ravel(), (m,))
        return lambda r: r * weight if np.ndim(r) == 1 else r * weight[:, None]
    if sigma.shape == (m, m):
        try:
            L = sla.cholesky(sigma, lower=True)
        except np.linalg.LinAlgError as exc:
            raise ValueError("sigma (a covariance matrix) must be positive definite; "
                             "pass a symmetric positive definite (m, m) array") from exc
        L_inv = sla.solve_triangular(L, np.eye(m), lower=True)
        return lambda r: L_inv @ r
    raise ValueError(f"sigma must have shape ({m},) (standard deviations) or ({m}, {m}) "
                     f"(a covariance), got {sigma.shape}")


def _start(f: Callable, p0: Any, bounds: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
        bounds = (bounds.lb, bounds.ub)
    if p0 is None:
        n = _count_parameters(f)
        lb, ub = (np.broadcast_to(np.asarray(b, dtype=float), (n,)).copy() for b in bounds)
        return _feasible_ones(lb, ub), lb, ub
    p0 = np.atleast_1d(np.asarray(p0, dtype=float))
    lb, ub = (np.broadcast_to(np.asarray(b, dtype=float), p0.shape).copy() for b in bounds)
    return p0, lb, ub


def _count_parameters(f: Callable) -> int:
    params = [p for p in inspect.signature(f).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if len(params) < 2:
        raise ValueError("cannot tell how many parameters f takes from its signature; pass "
                         "p0 (f must look like f(xdata, p1, p2, ...))")
    return len(params) - 1


def _feasible_ones(lb: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """Ones, moved into the box: the midpoint of a finite box, one inside a single bound."""
    p = np.ones_like(lb)
    both = np.isfinite(lb) & np.isfinite(ub)
    p[both] = 0.5 * (lb[both] + ub[both])
    low = np.isfinite(lb) & ~np.isfinite(ub)
    p[low] = lb[low] + 1.0
    high = ~np.isfinite(lb) & np.isfinite(ub)
    p[high] = ub[high] - 1.0
    return p


def _covariance(J: np.ndarray, sum_sq: float, absolute_sigma: bool) -> np.ndarray:
    """``V S⁻² Vᵀ``, scaled by ``‖r‖² / (m − n)`` unless ``absolute_sigma``; inf if unknown."""
    m, n = J.shape
    if not np.all(np.isfinite(J)):
        return _unknown(n)
    _, s, Vt = np.linalg.svd(J, full_matrices=False)
    keep = s > np.finfo(float).eps * max(m, n) * (s[0] if s.size else 0.0)
    Vt = Vt[keep]
    pcov = (Vt.T / s[keep] ** 2) @ Vt
    if absolute_sigma:
        return pcov
    if m <= n:
        return _unknown(n)
    return pcov * (sum_sq / (m - n))


def _unknown(n: int) -> np.ndarray:
    warnings.warn("curve_fit: the covariance of the parameters could not be estimated "
                  "(fewer data points than parameters, or a Jacobian that is not finite); "
                  "pcov is filled with inf", OptimizeWarning, stacklevel=3)
    return np.full((n, n), np.inf)
