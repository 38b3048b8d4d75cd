"""One driver loop for every iterative solver.

Limits, the callback, the trace, progress reports, termination and the result live here, so
that a solver only says how to take one step (``init`` / ``step``, see
:mod:`steepest.unconstrained.solver`). The loop:

1. evaluate ``f, g`` at ``x0`` (non-finite: stop with ``NON_FINITE``);
2. until a criterion of :class:`~steepest.unconstrained.termination.Termination` fires: check the
   limits, take a step, record it, call ``callback`` (``StopIteration`` ends the run);
3. build the :class:`~steepest.unconstrained.result.OptimizeResult`; on failure the best finite
   point seen is returned, so the answer is never worse than ``x0``.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .result import OptimizeResult, Status, Trace
from .solver import Solver
from .termination import Termination

__all__ = ["iterative_solve"]

DISCONNECTED = ("fun's output does not depend on its traced input x, so autodiff's gradient "
                "is 0 and says nothing (does fun read x through a cache, a copy made outside "
                "the call, or return a random number?); pass jac= (the gradient), jac=True or "
                "jac='2-point' (finite differences)")

NON_FINITE_REGION = ("line search stopped: f was NaN/inf at trial points along the search "
                     "direction; the best finite point is returned — check the domain of fun "
                     "or pass bounds")


def iterative_solve(
    solver: Solver, obj: Any, term: Termination, callback: Callable[..., Any] | None = None,
    store_x: bool = False, certify: Callable[..., Any] | None = None,
    report: Callable[..., Any] | None = None,
) -> OptimizeResult:
    """Run ``solver`` on the objective ``obj`` until ``term`` says stop.

    Args:
        solver: a :class:`~steepest.unconstrained.solver.Solver`: ``init(obj, x, f, g)``,
            ``step(obj, state, x, f, g) -> Step`` and ``result_fields(state, obj)``.
        obj: a :class:`~steepest.objective.Objective`.
        term: the termination criteria.
        callback: ``callback(intermediate_result)`` (an ``OptimizeResult`` with ``x``, ``fun``,
            ``jac``, ``nit``) or, for a parameter not named ``intermediate_result``,
            ``callback(xk)`` as in older scipy. Raising ``StopIteration`` stops the run.
        store_x: keep every iterate in ``trace.x``.
        certify: ``certify(x, g, f) -> Certificate`` for the end point (flat vectors).
        report: ``report(nit, f, gnorm, step_size, nfev, njev)`` after row 0 and every
            iteration (``f`` of the user's function): the progress reporters of
            :mod:`steepest._progress` (``disp``, ``progress``).

    Returns:
        An :class:`~steepest.unconstrained.result.OptimizeResult`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.1 "General Approach of
        Descent Direction Methods" (the loop :math:`\theta^{(t+1)} = \theta^{(t)} +
        \alpha^{(t)} \theta_d^{(t)}` until a stopping criterion holds).

    Example:
        >>> import numpy as np
        >>> from steepest.unconstrained import METHODS, Termination
        >>> from steepest.objective import Objective
        >>> obj = Objective(lambda x: float(x @ x), np.array([3.0, -4.0]), jac=lambda x: 2 * x)
        >>> res = iterative_solve(METHODS["gd"](), obj, Termination(gtol=1e-8, maxiter=100))
        >>> res.success, np.allclose(res.x, 0.0)
        (True, True)
    """
    t0 = time.perf_counter()
    trace = Trace()
    x = obj.x0
    f, g = obj.fg(x)
    if not (np.isfinite(f) and np.all(np.isfinite(g))):
        trace.record(f, np.nan, 0.0, 0.0, 0, 0.0, x if store_x else None)
        what = "value" if not np.isfinite(f) else "gradient"
        return _result(obj, solver, None, x, f, g, 0, trace, Status.NON_FINITE,
                       f"the objective's {what} is not finite at x0; start elsewhere")
    gnorm = _stationarity_norm(solver, term, x, g)
    trace.record(f, gnorm, 0.0, 0.0, 0, 0.0, x if store_x else None)
    if report is not None:
        report(0, obj.sign * f, gnorm, 0.0, obj.nfev, obj.njev)
    if getattr(obj, "disconnected", False):
        return _result(obj, solver, None, x, f, g, 0, trace, Status.STALLED, DISCONNECTED)
    state = solver.init(obj, x, f, g)
    call = _callback_adapter(callback, obj)
    if term.gtol is not None and gnorm <= term.gtol:
        end = _End(x, f, g, 0, Status.SUCCESS, Termination.message("gtol"))
    else:
        end = _iterate(solver, obj, term, state, x, f, g, trace=trace, call=call,
                       store_x=store_x, t0=t0, report=report)
    res = _result(obj, solver, state, end.x, end.f, end.g, end.nit, trace, end.status,
                  end.message)
    if certify is not None:
        res["certificate"] = certify(end.x, end.g, end.f)
    return res


@dataclass(frozen=True)
class _End:
    """Where the loop stopped: the point to return, the iteration count, the status and why."""

    x: np.ndarray
    f: float
    g: np.ndarray
    nit: int
    status: Status
    message: str


def _iterate(solver: Solver, obj: Any, term: Termination, state: Any, x: np.ndarray, f: float,
             g: np.ndarray, *, trace: Trace, call: Callable[..., bool] | None, store_x: bool,
             t0: float, report: Callable[..., Any] | None = None) -> _End:
    """Step from ``(x, f, g)`` until a limit, a failed step, the callback or a criterion stops;
    on a failure that left a worse point, the best finite point seen is returned."""
    best = (x, f, g)
    nit, status, message, stalled = 0, None, "", 0
    monotone = bool(getattr(solver, "monotone", True))
    since = _nonfinite(obj)  # non-finite values of f counted before the step (or the stall)
    while status is None:
        limit = term.limit(nit, obj.nfev, time.perf_counter() - t0)
        if limit is not None:
            status, message = limit, Termination.message(limit)
            break
        if not stalled:
            since = _nonfinite(obj)
        st = solver.step(obj, state, x, f, g)
        if st.status is not None:
            status, message = st.status, st.message
            break
        f_old, (x, f, g) = f, (st.x, st.f, st.g)
        nit += 1
        gnorm = _stationarity_norm(solver, term, x, g)
        trace.record(f, gnorm, st.step_size, st.step_norm, st.evaluations,
                     time.perf_counter() - t0, x if store_x else None)
        if report is not None:
            report(nit, obj.sign * f, gnorm, st.step_size, obj.nfev, obj.njev)
        if f < best[1]:
            best = (x, f, g)
        if call is not None and call(x, f, g, nit):
            status, message = Status.STOPPED_BY_CALLBACK, "`callback` raised `StopIteration`."
            break
        fired = term.converged(f_old, f, gnorm, st.step_norm)
        stalled = stalled + 1 if f >= f_old else 0
        if fired is not None:
            status, message = Status.SUCCESS, Termination.message(fired)
        elif monotone and term.stall is not None and stalled >= term.stall:
            status, message = Status.STALLED, Termination.message(Status.STALLED)
    failed = status in (Status.LINE_SEARCH_FAILED, Status.NON_FINITE, Status.STALLED)
    if failed and _nonfinite(obj) > since:  # the failure came from a non-finite region
        status = Status.LINE_SEARCH_FAILED if status is Status.LINE_SEARCH_FAILED \
            else Status.NON_FINITE
        message = NON_FINITE_REGION
    if failed and best[1] < f:
        x, f, g = best
    return _End(x, f, g, nit, status, message)


def _stationarity_norm(solver: Solver, term: Termination, x: np.ndarray, g: np.ndarray) -> float:
    """The norm the ``gtol`` test uses: of the gradient, or of what the solver names as its
    stationarity measure (a bound-constrained solver's projected gradient)."""
    measure = getattr(solver, "stationarity", None)
    return term.gradient_norm(g if measure is None else measure(x, g))


def _nonfinite(obj: Any) -> int:
    """How many values of f the objective has seen that were NaN or inf."""
    return int(getattr(obj, "nonfinite", 0))


def _result(obj, solver, state, x, f, g, nit, trace, status, message) -> OptimizeResult:
    res = OptimizeResult(
        x=obj.unravel(x), fun=np.float64(obj.sign * f), jac=obj.unravel(obj.sign * g), nit=nit,
        nfev=obj.nfev, njev=obj.njev, nhev=obj.nhev, status=status,
        success=status.success, message=message, trace=trace, method=solver.name,
    )
    if state is not None:
        res.update(solver.result_fields(state, obj))
    return res


def _callback_adapter(callback, obj) -> Callable[..., bool] | None:
    """A function ``(x, f, g, nit) -> stop?`` calling the user's callback the right way."""
    if callback is None:
        return None
    if not callable(callback):
        raise TypeError(f"callback must be callable, got {type(callback).__name__}")
    try:
        params = list(inspect.signature(callback).parameters)
    except (TypeError, ValueError):
        params = []
    new_style = params == ["intermediate_result"]

    def call(x: np.ndarray, f: float, g: np.ndarray, nit: int) -> bool:
        try:
            if new_style:
                callback(intermediate_result=OptimizeResult(
                    x=obj.unravel(x), fun=obj.sign * f, jac=obj.unravel(obj.sign * g), nit=nit))
            else:
                callback(obj.unravel(x))
        except StopIteration:
            return True
        return False

    return call
