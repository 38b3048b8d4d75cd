"""The registry of unconstrained solvers and the driver call that runs one of them."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import fields
from typing import Any

from .._options import check_option_names, did_you_mean
from .._progress import iteration_reporters
from ..objective import Objective
from .certificate import certify_point
from .driver import iterative_solve
from .linesearch import LINE_SEARCHES
from .result import OptimizeResult
from .solver import Solver
from .solvers.descent import GradientDescent, NonlinearCG
from .solvers.lbfgs import LBFGS
from .solvers.newton import Newton, NewtonCG
from .solvers.quasi_newton import BFGS
from .solvers.trust import TrustNewton
from .solvers.trust_sqp import ByrdOmojokun
from .termination import Termination

__all__ = ["minimize_unconstrained", "METHODS", "register_method", "method_option_names"]

METHODS: dict[str, type[Solver]] = {
    "gd": GradientDescent,
    "cg": NonlinearCG,
    "bfgs": BFGS,
    "lbfgs": LBFGS,
    "newton": Newton,
    "newton-cg": NewtonCG,
    "trust-newton": TrustNewton,
    "byrd-omojokun": ByrdOmojokun,
}
_ALIASES = {"l-bfgs": "lbfgs", "l-bfgs-b": "lbfgs", "gradient-descent": "gd",
            "steepest-descent": "gd", "trust-exact": "trust-newton", "newtoncg": "newton-cg"}
_TERMINATION_KEYS = ("gtol", "ftol", "fatol", "xtol", "maxiter", "maxfev", "max_time", "stall",
                     "norm")
_DRIVER_KEYS = ("store_x", "certify", "certify_max_n", "disp", "progress", "fd_rel_step",
                "fd_abs_step")


def register_method(name: str, solver_cls: type[Solver]) -> None:
    r"""Add a solver class to :data:`METHODS` (it must follow the :class:`Solver` protocol).

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
        >>> res = minimize_unconstrained(lambda x: float(x @ x), np.array([1.0, 2.0]),
        ...                              method="my-bfgs", jac=lambda x: 2 * x)
        >>> res.success, np.allclose(res.x, 0.0)
        (True, True)
        >>> _ = METHODS.pop("my-bfgs")
    """
    METHODS[name.lower()] = solver_cls


def minimize_unconstrained(
    fun: Callable[..., Any], x0: Any, method: Any = "bfgs", args: tuple = (), jac: Any = None,
    hess: Callable[..., Any] | None = None, hessp: Callable[..., Any] | None = None,
    tol: float | None = None, options: dict[str, Any] | None = None,
    callback: Callable[..., Any] | None = None, sign: float = 1.0,
) -> OptimizeResult:
    r"""Run one unconstrained solver from :data:`METHODS` under the shared driver loop.

    This is what :func:`steepest.minimize` calls when there are no bounds or constraints; it
    minimises :math:`\mathrm{sign}\cdot f`, so ``sign=-1`` maximises ``fun`` (the result's
    ``fun``/``jac`` are reported for ``fun`` itself).

    Args:
        fun, x0, method, args, jac, hess, hessp, tol, options, callback: as in
            :func:`steepest.minimize`.
        sign: ``1.0`` to minimise ``fun``, ``-1.0`` to maximise it.

    Returns:
        An :class:`~steepest.unconstrained.result.OptimizeResult`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.1.

    Example:
        >>> import numpy as np
        >>> res = minimize_unconstrained(lambda x: float(x @ x), np.array([1.0, -2.0]),
        ...                              jac=lambda x: 2 * x)
        >>> res.success, np.allclose(res.x, 0.0)
        (True, True)
    """
    opts = _checked_options(method, options)
    if "maxfun" in opts:
        opts["maxfev"] = opts.pop("maxfun")
    term_opts = {k: opts.pop(k) for k in _TERMINATION_KEYS if k in opts}
    driver_opts = {k: opts.pop(k) for k in _DRIVER_KEYS if k in opts}
    obj = Objective(fun, x0, args=args, jac=jac, hess=hess, hessp=hessp, sign=sign)
    obj.fd_rel_step = driver_opts.get("fd_rel_step")
    obj.fd_abs_step = driver_opts.get("fd_abs_step")
    if tol is not None and isinstance(method, str):  # scipy: tol also sets Newton-CG's xtol
        for key in getattr(_lookup(method), "tol_sets", ()):
            opts.setdefault(key, tol)
    solver = _solver_from(method, opts)
    term = _termination(solver, term_opts, tol, obj.n)
    store_x = bool(driver_opts.get("store_x", obj.n <= 100))
    max_n = int(driver_opts.get("certify_max_n", 2000)) if driver_opts.get("certify", True) \
        else 0

    def certify(x, g, f):
        return certify_point(obj, x, g, f, max_n=max_n)

    reporters = iteration_reporters(driver_opts.get("disp", False), driver_opts.get("progress"),
                                    term.maxiter)
    res = iterative_solve(solver, obj, term, callback, store_x=store_x, certify=certify,
                          report=reporters.row if reporters else None)
    reporters.close(res)
    return res


def _solver_from(method: Any, opts: dict[str, Any]) -> Solver:
    """A solver object from a registered name (+ options) or a ready solver instance."""
    if not isinstance(method, str) and isinstance(method, Solver):
        if opts:
            raise ValueError(f"options {sorted(opts)} cannot be applied to a solver instance; "
                             "pass them to its constructor")
        return method
    return _make_solver(_lookup(method), method, opts)


def method_option_names(method: str, options: Mapping[str, Any] | None = None) -> list[str]:
    """Every option name a registered method takes: termination, driver, its constructor's
    and those of the line search it will use.

    Args:
        method: a name in :data:`METHODS` or an alias (case-insensitive).
        options: the options given so far (they choose the line search).

    Returns:
        The option names.

    Example:
        >>> "m" in method_option_names("lbfgs"), "c1" in method_option_names("bfgs")
        (True, True)
    """
    common = [*_TERMINATION_KEYS, "maxfun", *_DRIVER_KEYS]
    return [*common, *_solver_option_names(_lookup(method), dict(options or {}))]


def _checked_options(method: Any, options: Any) -> dict[str, Any]:
    """The options as a dict, every key known to the method, its line search or the driver."""
    if options is None:
        return {}
    common = (*_TERMINATION_KEYS, "maxfun", *_DRIVER_KEYS)
    if not isinstance(method, str) and isinstance(method, Solver):
        return check_option_names(options, f"a {type(method).__name__} solver object (its "
                                  "own options go to its constructor)", common)
    if not isinstance(options, Mapping):
        return check_option_names(options, "minimize", common)  # raises the TypeError
    return check_option_names(options, f"method {method!r}",
                              method_option_names(method, options))


def _solver_option_names(solver_cls: type[Solver], opts: Any) -> list[str]:
    """The constructor's named options, plus the options of the line search it will use."""
    spec = opts.get("line_search") or getattr(solver_cls, "default_line_search", None)
    if "step_size" in opts:
        spec = "fixed"
    return list(_option_names(solver_cls, spec.lower() if isinstance(spec, str) else None))


@functools.lru_cache(maxsize=64)
def _option_names(solver_cls: type[Solver], search_name: str | None) -> tuple[str, ...]:
    """:func:`_solver_option_names` for a line search given by name (or by object: ``None``);
    kept per class, since ``inspect.signature`` costs more than a small solve's iteration."""
    params = inspect.signature(solver_cls.__init__).parameters.values()
    names = tuple(p.name for p in params if p.name != "self"
                  and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL))
    if not any(p.kind is p.VAR_KEYWORD for p in params):
        return names
    search = LINE_SEARCHES.get(search_name) if search_name is not None else None
    if search is None:  # an object, or a name make_line_search rejects with its own list
        return names
    return (*names, *(f.name for f in fields(search)))


def _lookup(method: str) -> type[Solver]:
    if not isinstance(method, str):
        raise TypeError("method must be a name in steepest.unconstrained.METHODS or a solver "
                        "object following the Solver protocol (init/step/result_fields), "
                        f"got {type(method).__name__}")
    key = _ALIASES.get(method.lower(), method.lower())
    if key not in METHODS:
        raise ValueError(f"unknown method {method!r}{did_you_mean(key, [*METHODS, *_ALIASES])}; "
                         f"choose one of {sorted(METHODS)}")
    return METHODS[key]


def _make_solver(solver_cls: type[Solver], method: str, opts: dict[str, Any]) -> Solver:
    try:
        return solver_cls(**opts)
    except TypeError as e:
        raise ValueError(f"method {method!r} does not take option(s) {sorted(opts)}: {e}. "
                         f"Termination options are {list(_TERMINATION_KEYS)}; "
                         f"driver options are {list(_DRIVER_KEYS)}.") from e


def _termination(solver: Solver, term_opts: dict[str, Any], tol: float | None, n: int):
    merged = dict(solver.termination_defaults)
    merged.setdefault("maxiter", 200 * n if n < 100 else 20_000)
    if tol is not None:
        merged["gtol"] = tol
    merged.update(term_opts)
    return Termination(**merged)
