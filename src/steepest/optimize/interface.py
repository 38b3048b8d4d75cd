"""``minimize`` and ``maximize``: scipy's calling conventions over a registry of solvers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .certificate import certify_point
from .descent import GradientDescent, NonlinearCG
from .driver import iterative_solve
from .lbfgs import LBFGS
from .newton import Newton, NewtonCG
from .objective import Objective
from .quasi_newton import BFGS
from .result import OptimizeResult
from .termination import Termination
from .trust import TrustNewton

__all__ = ["minimize", "maximize", "METHODS", "register_method"]

METHODS: dict[str, type] = {
    "gd": GradientDescent,
    "cg": NonlinearCG,
    "bfgs": BFGS,
    "lbfgs": LBFGS,
    "newton": Newton,
    "newton-cg": NewtonCG,
    "trust-newton": TrustNewton,
}
_ALIASES = {"l-bfgs": "lbfgs", "l-bfgs-b": "lbfgs", "gradient-descent": "gd",
            "steepest-descent": "gd", "trust-exact": "trust-newton", "newtoncg": "newton-cg"}
_TERMINATION_KEYS = ("gtol", "ftol", "fatol", "xtol", "maxiter", "maxfev", "max_time", "stall",
                     "norm")
_DRIVER_KEYS = ("store_x", "certify", "certify_max_n", "disp")


def register_method(name: str, solver_cls: type) -> None:
    r"""Add a solver class to :data:`METHODS` (it must follow the solver protocol).

    A solver maps :math:`(x_k, f_k, g_k) \mapsto x_{k+1}` through ``init(obj, x, f, g)``,
    ``step(obj, state, x, f, g)`` and ``result_fields(state, obj)``; the shared driver
    (:func:`iterative_solve`) does termination, callbacks, traces and certificates.

    Args:
        name: the ``method=`` string (case-insensitive); an existing name is replaced.
        solver_cls: the class, instantiated with the method's options.

    Returns:
        None.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.1 "General Approach of
        Descent Direction Methods".

    Example:
        >>> import numpy as np
        >>> register_method("my-bfgs", METHODS["bfgs"])
        >>> res = minimize(lambda x: float(x @ x), np.array([1.0, 2.0]), method="my-bfgs",
        ...                jac=lambda x: 2 * x)
        >>> res.success, np.allclose(res.x, 0.0)
        (True, True)
        >>> _ = METHODS.pop("my-bfgs")
    """
    METHODS[name.lower()] = solver_cls


def minimize(
    fun: Callable[..., Any], x0: Any, method: str = "bfgs", *, args: tuple = (),
    jac: Any = None, hess: Callable[..., Any] | None = None,
    hessp: Callable[..., Any] | None = None, bounds: Any = None, constraints: Any = None,
    tol: float | None = None, options: dict[str, Any] | None = None,
    callback: Callable[..., Any] | None = None,
) -> OptimizeResult:
    r"""Minimise ``fun(x, *args)`` from ``x0`` (scipy.optimize.minimize's conventions).

    Every method is a solver object from :data:`METHODS` run by one driver loop: ``"gd"``,
    ``"cg"``, ``"bfgs"``, ``"lbfgs"``, ``"newton"``, ``"newton-cg"``, ``"trust-newton"``.
    Line-search methods take the step :math:`x_{t+1} = x_t + \alpha_t p_t` along their
    direction :math:`p_t` with :math:`\alpha_t` from their line search.

    Args:
        fun: objective ``fun(x, *args) -> float``; with ``jac=True`` it returns ``(f, g)``.
        x0: starting point: array or pytree (nested dict/list/tuple of arrays); ``fun`` receives
            the same structure. Must be finite.
        method: a name in :data:`METHODS` (case-insensitive), or a solver object such as
            ``LBFGS(m=5, line_search="wolfe")`` (its constructor takes the method options).
        args: extra arguments for ``fun``/``jac``/``hess``/``hessp``.
        jac: gradient callable, ``True``, ``None`` (autodiff, :func:`steepest.grad`) or
            ``"2-point"``/``"3-point"`` (finite differences; small n only).
        hess, hessp: Hessian / Hessian-vector-product callables (Newton-type methods; else
            autodiff or differences of gradients).
        bounds, constraints: delegate to :func:`steepest.constrained.minimize_constrained`.
        tol: shorthand for ``options["gtol"]``.
        options: termination criteria ``gtol`` (gradient norm, ``norm`` default max-norm),
            ``ftol`` (relative improvement), ``fatol`` (absolute improvement), ``xtol`` (step
            norm), ``maxiter``, ``maxfev`` (alias ``maxfun``), ``max_time`` (seconds);
            ``line_search`` (name or object) and its options (``c1``, ``c2``, ``shrink``,
            ``step`` ...); method options (``m`` for lbfgs, ``beta`` for cg, ``step_size``
            for gd, ``modification`` for newton ...); ``store_x`` (keep iterates in the trace,
            default for n <= 100), ``certify`` (default True), ``disp``.
        callback: ``callback(intermediate_result)`` or ``callback(xk)`` after each iteration;
            raise ``StopIteration`` to stop.

    Returns:
        :class:`~steepest.optimize.result.OptimizeResult` with ``x, fun, jac, nit, nfev,
        njev, nhev, status, success, message, trace, certificate`` (+ ``hess_inv`` for BFGS).

    Raises:
        ValueError: unknown method or option, non-finite ``x0``.

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
    if bounds is not None or constraints is not None:
        return _delegate_constrained(fun, x0, method, args, jac, hess, hessp, bounds,
                                     constraints, tol, options, callback)
    return _run(fun, x0, method, args, jac, hess, hessp, tol, options, callback, sign=1.0)


def maximize(
    fun: Callable[..., Any], x0: Any, method: str = "bfgs", *, args: tuple = (),
    jac: Any = None, hess: Callable[..., Any] | None = None,
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
        An :class:`~steepest.optimize.result.OptimizeResult` whose ``fun``, ``jac`` and
        ``trace.f`` refer to ``fun``; ``certificate.kind`` is ``"maximum"`` at a strict local
        maximum.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.3 (maximisation by minimising ``-f``) and
        §4.4 (eqs. 4.19-4.20).

    Example:
        >>> import numpy as np
        >>> res = maximize(lambda x: 1 - (x[0] - 2) ** 2, np.array([0.0]),
        ...                jac=lambda x: -2 * (x - 2))
        >>> round(res.fun, 8), round(float(res.x[0]), 6), res.certificate.kind
        (1.0, 2.0, 'maximum')
    """
    if bounds is not None or constraints is not None:
        return _delegate_constrained(fun, x0, method, args, jac, hess, hessp, bounds,
                                     constraints, tol, options, callback, maximize=True)
    res = _run(fun, x0, method, args, jac, hess, hessp, tol, options, callback, sign=-1.0)
    res.trace.f = [-v for v in res.trace.f]
    return res


def _run(fun, x0, method, args, jac, hess, hessp, tol, options, callback, sign):
    opts = dict(options or {})
    if "maxfun" in opts:
        opts["maxfev"] = opts.pop("maxfun")
    term_opts = {k: opts.pop(k) for k in _TERMINATION_KEYS if k in opts}
    driver_opts = {k: opts.pop(k) for k in _DRIVER_KEYS if k in opts}
    obj = Objective(fun, x0, args=args, jac=jac, hess=hess, hessp=hessp, sign=sign)
    solver = _solver_from(method, opts)
    term = _termination(solver, term_opts, tol, obj.n)
    store_x = bool(driver_opts.get("store_x", obj.n <= 100))
    max_n = int(driver_opts.get("certify_max_n", 2000)) if driver_opts.get("certify", True) \
        else 0

    def certify(x, g, f):
        return certify_point(obj, x, g, f, max_n=max_n)

    res = iterative_solve(solver, obj, term, callback, store_x=store_x, certify=certify)
    if driver_opts.get("disp", False):
        print(f"{res.message}\n  f = {res.fun:.10g}, nit = {res.nit}, nfev = {res.nfev}")
    return res


def _solver_from(method: Any, opts: dict[str, Any]) -> Any:
    """A solver object from a registered name (+ options) or a ready solver instance."""
    if not isinstance(method, str) and hasattr(method, "step") and hasattr(method, "init"):
        if opts:
            raise ValueError(f"options {sorted(opts)} cannot be applied to a solver instance; "
                             "pass them to its constructor")
        return method
    return _make_solver(_lookup(method), method, opts)


def _lookup(method: str) -> type:
    if not isinstance(method, str):
        raise TypeError("method must be a name in steepest.optimize.METHODS or a solver object "
                        f"with init/step, got {type(method).__name__}")
    key = _ALIASES.get(method.lower(), method.lower())
    if key not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {sorted(METHODS)}")
    return METHODS[key]


def _make_solver(solver_cls: type, method: str, opts: dict[str, Any]) -> Any:
    try:
        return solver_cls(**opts)
    except TypeError as e:
        raise ValueError(f"method {method!r} does not take option(s) {sorted(opts)}: {e}. "
                         f"Termination options are {list(_TERMINATION_KEYS)}; "
                         f"driver options are {list(_DRIVER_KEYS)}.") from e


def _termination(solver: Any, term_opts: dict[str, Any], tol: float | None, n: int):
    merged = dict(solver.termination_defaults)
    merged.setdefault("maxiter", 200 * n if n < 100 else 20_000)
    if tol is not None:
        merged["gtol"] = tol
    merged.update(term_opts)
    return Termination(**merged)


def _delegate_constrained(fun, x0, method, args, jac, hess, hessp, bounds, constraints, tol,
                          options, callback, maximize=False):
    try:
        from ..constrained import maximize_constrained, minimize_constrained
    except ImportError as e:
        raise NotImplementedError(
            "bounds/constraints need steepest.constrained.minimize_constrained, which is not "
            "available in this installation; drop bounds/constraints or update steepest."
        ) from e
    kwargs = dict(method=method, args=args, jac=jac, hess=hess, bounds=bounds,
                  constraints=constraints, tol=tol, options=options, callback=callback)
    if hessp is not None:
        kwargs["hessp"] = hessp
    solve = maximize_constrained if maximize else minimize_constrained
    return solve(fun, x0, **kwargs)
