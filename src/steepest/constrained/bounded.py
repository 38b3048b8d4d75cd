r"""``minimize_bounded``: a box-constrained problem :math:`\min f(x)`, :math:`l \le x \le u`, by
L-BFGS-B (:mod:`.lbfgsb`) under the unconstrained driver loop.

``steepest.minimize(..., bounds=...)`` comes here for ``method="lbfgs"``/``"L-BFGS-B"`` (and no
other constraints). ``x0`` is projected onto the box first, as scipy does; the objective is
never evaluated outside the box. The result is an
:class:`~steepest.unconstrained.result.OptimizeResult` with scipy's L-BFGS-B fields (``x``,
``fun``, ``jac`` = the gradient, ``nit``, ``nfev``, ``njev``, integer ``status``, ``success``,
``message``, ``hess_inv`` as a linear operator) plus ``trace`` and a ``certificate`` whose
``gradient_norm`` is that of the projected gradient and whose ``kind`` comes from the Hessian
restricted to the variables strictly inside the box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._options import check_option_names
from .._progress import iteration_reporters
from ..objective import Objective
from ..unconstrained.certificate import classify_eigenvalues
from ..unconstrained.driver import iterative_solve
from ..unconstrained.result import Certificate, OptimizeResult
from ..unconstrained.termination import Termination
from .constraints import bounds_arrays
from .lbfgsb import LBFGSB

__all__ = ["minimize_bounded", "BOUNDED_OPTIONS"]

_SOLVER_KEYS = ("m", "maxls", "c1", "c2")
_TERMINATION_KEYS = ("gtol", "ftol", "fatol", "xtol", "maxiter", "maxfev", "max_time", "stall")
_DRIVER_KEYS = ("store_x", "certify", "certify_max_n", "disp", "progress", "fd_rel_step",
                "fd_abs_step")
BOUNDED_OPTIONS = (*_SOLVER_KEYS, *_TERMINATION_KEYS, *_DRIVER_KEYS, "maxfun")


def minimize_bounded(
    fun: Callable[..., Any], x0: Any, bounds: Any, *, args: tuple = (), jac: Any = None,
    tol: float | None = None, options: dict[str, Any] | None = None,
    callback: Callable[..., Any] | None = None, sign: float = 1.0,
) -> OptimizeResult:
    r"""Minimise ``fun`` over the box ``bounds`` by L-BFGS-B.

    KKT conditions of the box problem: :math:`\nabla_i f \ge 0` where :math:`x_i = l_i`,
    :math:`\le 0` where :math:`x_i = u_i`, :math:`= 0` strictly inside; equivalently
    :math:`x = P(x - \nabla f)`. The run stops when :math:`\|x - P(x - \nabla f)\|_\infty \le`
    ``gtol`` or the relative decrease is below ``ftol``.

    Args:
        fun, x0, args, jac, callback: as in :func:`steepest.minimize` (``x0`` may be a pytree).
        bounds: one ``(low, high)`` pair per variable (``None`` or ``±inf`` for no bound),
            ``(lower, upper)`` arrays, or :class:`scipy.optimize.Bounds`.
        tol: shorthand for ``options["gtol"]``.
        options: ``m`` (memory), ``maxls``, ``c1``, ``c2``; ``gtol`` (1e-5), ``ftol``
            (2.2e-9), ``fatol``, ``xtol``, ``maxiter`` (15000), ``maxfev``/``maxfun``
            (15000), ``max_time``, ``stall``; ``store_x``, ``certify``, ``certify_max_n``,
            ``disp``; ``fd_rel_step``/``fd_abs_step`` (steps of ``jac="2-point"``).
        sign: ``-1`` maximises ``fun``.

    Returns:
        An :class:`~steepest.unconstrained.result.OptimizeResult`.

    Reference:
        Byrd, Lu, Nocedal & Zhu, SIAM J. Sci. Comput. 16 (1995); Nocedal & Wright,
        *Numerical Optimization*, 2nd ed., §16.7 (bound constraints, projected gradient).

    Example:
        >>> import numpy as np
        >>> res = minimize_bounded(lambda x: ((x - 2.0) ** 2).sum(), [0.5, 0.5],
        ...                        [(0, 1), (None, None)], jac=lambda x: 2 * (x - 2.0))
        >>> res.success, np.round(res.x, 6).tolist(), res.certificate.kind
        (True, [1.0, 2.0], 'minimum')
    """
    opts = check_option_names(options, "L-BFGS-B (bounds)", BOUNDED_OPTIONS)
    if "maxfun" in opts:
        opts["maxfev"] = opts.pop("maxfun")
    probe = Objective(fun, x0, args=args, jac=jac, sign=sign)
    lo, hi = (np.array(a, dtype=float) for a in bounds_arrays(bounds, probe.n))
    start = probe.unravel(np.clip(probe.x0, lo, hi))
    obj = Objective(fun, start, args=args, jac=jac, sign=sign)
    obj.fd_bounds = (lo, hi)
    solver = LBFGSB(lo, hi, **{k: opts.pop(k) for k in _SOLVER_KEYS if k in opts})
    driver = {k: opts.pop(k) for k in _DRIVER_KEYS if k in opts}
    obj.fd_rel_step, obj.fd_abs_step = driver.get("fd_rel_step"), driver.get("fd_abs_step")
    term_opts = {**solver.termination_defaults, "maxiter": 15000, "maxfev": 15000}
    if tol is not None:
        term_opts["gtol"] = tol
    term_opts.update(opts)
    max_n = int(driver.get("certify_max_n", 2000)) if driver.get("certify", True) else 0

    def certify(x, g, f):
        return box_certificate(obj, x, g, lo, hi, max_n)

    term = Termination(**term_opts)
    reporters = iteration_reporters(driver.get("disp", False), driver.get("progress"),
                                    term.maxiter, labels=("|pg|", "step"))
    res = iterative_solve(solver, obj, term, callback,
                          store_x=bool(driver.get("store_x", obj.n <= 100)), certify=certify,
                          report=reporters.row if reporters else None)
    reporters.close(res)
    return res


def box_certificate(obj: Objective, x: np.ndarray, g: np.ndarray, lower: np.ndarray,
                    upper: np.ndarray, max_n: int = 2000) -> Certificate:
    r"""What is known about an end point of a box problem.

    ``gradient_norm`` is :math:`\|x - P(x - g)\|_2`; ``kind`` classifies the Hessian
    restricted to the free variables (strictly inside the box), when the bound multipliers
    have the right sign (:math:`g_i \ge 0` at a lower, :math:`\le 0` at an upper bound);
    ``"not_critical"`` otherwise. The Hessian comes from ``hess``, autodiff (when ``fun`` is
    traceable) or central differences of the gradient whose steps stay inside the box.

    Args:
        obj: the objective. x, g: the end point and its gradient (of the minimised function).
        lower, upper: the bounds. max_n: largest n for which a Hessian is computed.

    Returns:
        A :class:`~steepest.unconstrained.result.Certificate`.

    Example:
        >>> import numpy as np
        >>> obj = Objective(lambda x: x @ x, np.ones(2))
        >>> box_certificate(obj, np.array([1.0, 0.0]), np.array([2.0, 0.0]),
        ...                 np.array([1.0, -1.0]), np.array([2.0, 1.0])).kind
        'minimum'
    """
    pg = x - np.clip(x - g, lower, upper)
    pnorm = float(np.linalg.norm(pg))
    if x.size > max_n or not np.all(np.isfinite(x)):
        return Certificate(pnorm)
    free = (x > lower) & (x < upper)
    counts = (obj.nfev, obj.njev, obj.nhev)
    try:
        H, source = _free_hessian(obj, x, free, lower, upper)
    except Exception:  # noqa: BLE001 - a certificate never breaks a finished run
        H, source = None, ""
    spent = sum(a - b for a, b in zip((obj.nfev, obj.njev, obj.nhev), counts, strict=True))
    obj.nfev, obj.njev, obj.nhev = counts
    if H is None or not np.all(np.isfinite(H)):
        return Certificate(pnorm, evaluations=spent)
    Hf = obj.sign * H
    eig = np.linalg.eigvalsh(Hf) if free.any() else np.zeros(0)
    scale = max(float(np.max(np.abs(eig), initial=0.0)), float(np.max(np.abs(g), initial=0.0)))
    if pnorm > 1e-3 * max(scale, 1e-300) * max(float(np.linalg.norm(x)), 1.0):
        kind = "not_critical"
    elif not free.any():
        kind = "minimum" if obj.sign > 0 else "maximum"
    else:
        kind = classify_eigenvalues(eig)
    return Certificate(pnorm, kind, eig, source, spent)


def _free_hessian(obj: Objective, x: np.ndarray, free: np.ndarray, lower: np.ndarray,
                  upper: np.ndarray) -> tuple[np.ndarray | None, str]:
    """The Hessian over the free variables: from ``hess``, autodiff, or central differences
    of the gradient whose steps stay inside the box (else ``None``)."""
    idx = np.flatnonzero(free)
    if obj.hess_fn is not None or obj.traceable:
        source = "hess" if obj.hess_fn is not None else "autodiff"
        return obj.hessian(x, symmetric=True, source=source)[np.ix_(idx, idx)], source
    h = float(np.finfo(float).eps ** (1 / 3)) * max(1.0, float(np.max(np.abs(x))))
    if idx.size > 200 or np.any(x[idx] - h < lower[idx]) or np.any(x[idx] + h > upper[idx]):
        return None, ""
    cols = []
    for i in idx:
        e = np.zeros(x.size)
        e[i] = h
        cols.append((obj.grad(x + e) - obj.grad(x - e))[idx] / (2 * h))
    H = np.column_stack(cols) if cols else np.zeros((0, 0))
    return 0.5 * (H + H.T), "finite differences"
