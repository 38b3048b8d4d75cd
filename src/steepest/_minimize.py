"""``minimize`` and ``maximize``: scipy's calling conventions, dispatching to the unconstrained
solvers or, with bounds or constraints, to :mod:`steepest.constrained`.

This module sits above both packages, so neither imports the other to delegate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ._jit_cache import compiled_objective
from ._scipy_methods import add_scipy_fields, scipy_name, translate
from ._validate import check_nonnegative_float
from .compile import jit
from .constrained import maximize_constrained, minimize_constrained
from .constrained.bounded import BOUNDED_OPTIONS, minimize_bounded
from .constrained.scipy_multipliers import add_scipy_multipliers
from .unconstrained import OptimizeResult, minimize_unconstrained
from .unconstrained.methods import method_option_names

__all__ = ["minimize", "maximize"]


def minimize(
    fun: Callable[..., Any], x0: Any, method: Any = None, *, args: tuple = (),
    jac: Any = None, hess: Callable[..., Any] | str | None = None,
    hessp: Callable[..., Any] | None = None, bounds: Any = None, constraints: Any = None,
    tol: float | None = None, options: dict[str, Any] | None = None,
    callback: Callable[..., Any] | None = None,
) -> OptimizeResult:
    r"""Minimise ``fun(x, *args)`` from ``x0`` (scipy.optimize.minimize's conventions).

    Every method is a solver object from :data:`METHODS` run by one driver loop: ``"gd"``,
    ``"cg"``, ``"bfgs"``, ``"lbfgs"``, ``"newton"``, ``"newton-cg"``, ``"trust-newton"``;
    scipy's names (``"BFGS"``, ``"L-BFGS-B"``, ``"CG"``, ``"Newton-CG"``, ``"trust-exact"``,
    ``"trust-ncg"``, ``"trust-krylov"``, ``"dogleg"``, ``"SLSQP"``, ``"trust-constr"``) and
    their options map onto them (:mod:`steepest._scipy_methods`). With ``bounds`` only,
    ``"lbfgs"``/``"L-BFGS-B"`` (the default then, as in scipy) run steepest's L-BFGS-B
    (:class:`steepest.constrained.LBFGSB`), which never evaluates ``fun`` outside the box.
    Line-search methods take the step :math:`x_{t+1} = x_t + \alpha_t p_t` along their
    direction :math:`p_t` with :math:`\alpha_t` from their line search.

    Args:
        fun: objective ``fun(x, *args) -> float``; with ``jac=True`` it returns ``(f, g)``.
        x0: starting point: array or pytree (nested dict/list/tuple of arrays); ``fun`` receives
            the same structure. Must be finite.
        method: a name in :data:`METHODS` or one of scipy's (case-insensitive), or a solver
            object such as ``LBFGS(m=5, line_search="wolfe")`` (its constructor takes the
            method options). Default: ``"bfgs"``; ``"l-bfgs-b"`` with bounds only; ``"sqp"``
            with constraints.
        args: extra arguments for ``fun``/``jac``/``hess``/``hessp``.
        jac: gradient callable, ``True``, ``None`` (autodiff, :func:`steepest.grad`) or
            ``"2-point"``/``"3-point"`` (finite differences; small n only).
        hess, hessp: Hessian / Hessian-vector-product callables (Newton-type methods; else
            autodiff or differences of gradients); ``hess="2-point"``/``"3-point"`` asks for
            forward/central differences of the gradient, as scipy.
        bounds, constraints: delegate to :func:`steepest.constrained.minimize_constrained`.
        tol: shorthand for ``options["gtol"]``.
        options: termination criteria ``gtol`` (gradient norm, ``norm`` default max-norm),
            ``ftol`` (relative improvement), ``fatol`` (absolute improvement), ``xtol`` (step
            norm), ``maxiter``, ``maxfev`` (alias ``maxfun``), ``max_time`` (seconds);
            ``line_search`` (name or object) and its options (``c1``, ``c2``, ``shrink``,
            ``step`` ...); ``jit`` (``True``: compile ``fun`` and its autodiff gradient
            and Hessian-vector products with :func:`steepest.jit`); method options (``m``
            for lbfgs, ``beta`` for cg, ``step_size`` for gd, ``modification`` for newton
            ...); ``store_x`` (keep iterates in the trace, default for n <= 100), ``certify``
            (default True); ``disp`` (``k``: scipy-style
            lines — iteration, f, ‖g‖, step, nfev, njev — every ``k`` iterations and the
            final message; ``True`` means every iteration) and ``progress`` (a live bar:
            tqdm's when installed, else a plain line; ``None``, the default, shows it only on a
            terminal). With constraints, SQP and the augmented Lagrangian take both too
            (their lines show the KKT residual); projected gradient does not yet.
        callback: ``callback(intermediate_result)`` or ``callback(xk)`` after each iteration;
            raise ``StopIteration`` to stop.

    Returns:
        :class:`~steepest.unconstrained.result.OptimizeResult` with ``x, fun, jac, nit, nfev,
        njev, nhev, status, success, message, trace, certificate`` (+ ``hess_inv`` for BFGS).

    Raises:
        ValueError: unknown method or option (the message lists the valid ones and suggests
            the closest), non-finite or empty ``x0``.
        TypeError: ``x0`` complex or not numbers; ``fun`` returning ``None``, text or a
            complex value; a ``hess``/``hessp``/``jac``/``callback`` of the wrong kind.

    Example:
        >>> import numpy as np
        >>> f = lambda x: (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
        >>> g = lambda x: np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2),
        ...                         200 * (x[1] - x[0] ** 2)])
        >>> res = minimize(f, np.array([-1.2, 1.0]), method="bfgs", jac=g)
        >>> res.success, np.allclose(res.x, 1.0, atol=1e-4), res.certificate.kind
        (True, True, 'minimum')

    References: Liquet et al., *Mathematical Engineering of Deep Learning*, §4.1 (termination),
    §4.5-4.6; Nocedal & Wright, *Numerical Optimization*, 2nd ed.
    """
    tol = _checked_tol(tol)
    return _dispatch(fun, x0, method, args, jac, hess, hessp, bounds, constraints, tol, options,
                     callback, sign=1.0)


def maximize(
    fun: Callable[..., Any], x0: Any, method: Any = None, *, args: tuple = (),
    jac: Any = None, hess: Callable[..., Any] | str | None = None,
    hessp: Callable[..., Any] | None = None, bounds: Any = None, constraints: Any = None,
    tol: float | None = None, options: dict[str, Any] | None = None,
    callback: Callable[..., Any] | None = None,
) -> OptimizeResult:
    r"""Maximise ``fun``: minimises ``-fun`` and reports ``fun``, ``jac`` and the trace's ``f``
    in terms of ``fun`` itself (``hess_inv`` approximates ``(-∇²f)^{-1}``).

    :math:`\max_x f(x) = -\min_x (-f(x))`. With ``bounds``/``constraints`` it delegates to
    :func:`steepest.constrained.maximize_constrained` (Goodfellow eqs. 4.19–4.20: multipliers
    of L = f + Σλg − Σαh with α ≥ 0).

    Args:
        fun, x0, method, args, jac, hess, hessp, bounds, constraints, tol, options, callback:
            as in :func:`minimize`; ``jac``/``hess``/``hessp`` are the derivatives of ``fun``
            itself (not of ``-fun``).

    Returns:
        An :class:`~steepest.unconstrained.result.OptimizeResult` whose ``fun``, ``jac`` and
        ``trace.f`` refer to ``fun``; ``certificate.kind`` is ``"maximum"`` at a strict local
        maximum.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3 (maximisation by minimising ``-f``) and
        §4.4 (eqs. 4.19-4.20).

    Example:
        >>> import numpy as np
        >>> res = maximize(lambda x: 1 - (x[0] - 2) ** 2, np.array([0.0]),
        ...                jac=lambda x: -2 * (x - 2))
        >>> round(float(res.fun), 8), round(float(res.x[0]), 6), res.certificate.kind
        (1.0, 2.0, 'maximum')
    """
    tol = _checked_tol(tol)
    res = _dispatch(fun, x0, method, args, jac, hess, hessp, bounds, constraints, tol, options,
                    callback, sign=-1.0)
    if "trace" in res and hasattr(res.trace, "f") and not isinstance(res.trace, dict):
        res.trace.f = [-v for v in res.trace.f]
    return res


_BOUNDED = ("lbfgs", "l-bfgs", "l-bfgs-b")


def _has(constraints: Any) -> bool:
    return constraints is not None and not (isinstance(constraints, list | tuple)
                                            and len(constraints) == 0)


def _dispatch(fun, x0, method, args, jac, hess, hessp, bounds, constraints, tol, options,
              callback, sign):
    """scipy names translated, then: bounds only -> L-BFGS-B for the L-BFGS names, other
    bounds/constraints -> :mod:`steepest.constrained`, else the unconstrained driver."""
    fun, jac, hessp, options = _use_jit(fun, jac, hess, hessp, options)
    has_cons = _has(constraints)
    if method is None:
        method = "sqp" if has_cons else ("l-bfgs-b" if bounds is not None else "bfgs")
    extras: dict[str, Any] = {}
    given = method
    spec = scipy_name(method)
    if spec is not None:
        bounded = spec.target == "l-bfgs-b"
        own = BOUNDED_OPTIONS if bounded else tuple(method_option_names(spec.target, options))
        method, options, extras = translate(method, options, has_cons or (
            bounds is not None and not bounded), own)
        if extras.get("return_all"):
            options = {**options, "store_x": True}
    bounded = isinstance(method, str) and method.lower() in _BOUNDED and not has_cons
    if bounded and (bounds is not None or method.lower() == "l-bfgs-b"):
        box = bounds if bounds is not None else (-np.inf, np.inf)
        res = minimize_bounded(fun, x0, box, args=args, jac=jac, tol=tol, options=options,
                               callback=callback, sign=sign)
    elif bounds is not None or has_cons:
        res = _delegate_constrained(fun, x0, method, args, jac, hess, hessp, bounds,
                                    constraints, tol, options, callback, maximize=sign < 0)
        if spec is not None:
            add_scipy_multipliers(given, res, constraints, bounds, args)
    else:
        res = minimize_unconstrained(fun, x0, method, args, jac, hess, hessp, tol, options,
                                     callback, sign=sign)
    if extras.get("return_all") and "trace" in res and hasattr(res.trace, "x"):
        res["allvecs"] = list(res.trace.x)
    return add_scipy_fields(given, res) if spec is not None and not has_cons else res


def _use_jit(fun, jac, hess, hessp, options):
    """``options["jit"]``: replay ``fun`` and its derivatives with :func:`steepest.jit`.

    With ``jac=None`` the value and gradient come from one compiled
    ``value_and_grad(fun)`` (``jac=True``), and without ``hess``/``hessp`` the Hessian-vector
    products from a compiled ``hvp`` (both kept for the next call with the same, unchanged
    ``fun``: :mod:`steepest._jit_cache`); a gradient the user gives is kept, ``fun`` is
    compiled.
    """
    if not options or "jit" not in options:
        return fun, jac, hessp, options
    options = dict(options)
    on = options.pop("jit")
    if not isinstance(on, (bool, np.bool_)):
        raise TypeError(f"options['jit'] must be True or False, got {on!r}")
    if not on:
        return fun, jac, hessp, options
    if jac is not None:
        return jit(fun), jac, hessp, options
    vg, product = compiled_objective(fun, products=hess is None and hessp is None)
    return vg, True, hessp if product is None else product, options


def _checked_tol(tol: Any) -> float | None:
    """``tol`` as a float ``>= 0`` (or None), named as the user wrote it."""
    if tol is None:
        return None
    return check_nonnegative_float(tol, "tol", fix="pass tol >= 0 (it sets options['gtol'])")


def _delegate_constrained(fun, x0, method, args, jac, hess, hessp, bounds, constraints, tol,
                          options, callback, maximize=False):
    kwargs = dict(method=method, args=args, jac=jac, hess=hess, bounds=bounds,
                  constraints=constraints, tol=tol, options=options, callback=callback)
    if hessp is not None:
        kwargs["hessp"] = hessp
    solve = maximize_constrained if maximize else minimize_constrained
    return solve(fun, x0, **kwargs)
