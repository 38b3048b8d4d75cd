"""The solver protocol and the line-search solver base (a direction x a line search).

A solver (:class:`Solver`) is an immutable object holding its hyperparameters; a run's mutable
data lives in a typed state dataclass it creates in ``init``. The driver
(:mod:`steepest.unconstrained.driver`) evaluates ``f`` and ``g`` at ``x0``, calls ``init`` once
and ``step`` per iteration with the current ``(x, f, g)``; ``step`` returns a :class:`Step`.

:class:`LineSearchSolver` implements ``step`` once for every "direction x line search" method:
subclasses provide ``direction`` (and optionally ``update``, ``reset``, ``initial_step``).
If the direction is not a descent direction, or the line search fails, the solver restarts
from steepest descent once before giving up; a failed search that still found a decrease is
taken (it keeps the best point).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

import numpy as np

from .linesearch.base import LineFunction, LineSearchResult
from .linesearch.fixed import FixedStep
from .linesearch.registry import make_line_search
from .result import Status

__all__ = ["Solver", "Step", "LineSearchState", "LineSearchSolver"]

State = TypeVar("State")


@dataclass
class Step:
    """One iteration's outcome.

    Attributes:
        x, f, g: the new point, its value and gradient (the old point when ``status`` is set).
        step_size: accepted ``alpha`` (trust radius for trust-region solvers).
        step_norm: ``||x_new - x||_2``.
        evaluations: objective evaluations spent in this step.
        status: ``None`` if the step was taken, else why the run cannot continue.
        message: details when ``status`` is set.
    """

    x: np.ndarray
    f: float
    g: np.ndarray
    step_size: float
    step_norm: float
    evaluations: int
    status: Status | None = None
    message: str = ""


@runtime_checkable
class Solver(Protocol[State]):
    r"""What the driver needs from an unconstrained solver.

    A solver maps :math:`(x_k, f_k, g_k) \mapsto (x_{k+1}, f_{k+1}, g_{k+1})`; the driver
    evaluates :math:`f, \nabla f` at :math:`x_0` and hands each step the current values.

    Attributes:
        name: the ``method=`` name reported in the result.
        termination_defaults: :class:`~steepest.unconstrained.termination.Termination` options
            this method uses unless the user overrides them.

    Example:
        >>> from steepest.unconstrained import BFGS, TrustNewton
        >>> isinstance(BFGS(), Solver), isinstance(TrustNewton(), Solver)
        (True, True)
    """

    name: str
    termination_defaults: dict[str, Any]

    def init(self, obj: Any, x: np.ndarray, f: float, g: np.ndarray) -> State:
        """The run's state at ``x0`` (``f``, ``g`` already evaluated by the driver)."""
        ...

    def step(self, obj: Any, state: State, x: np.ndarray, f: float, g: np.ndarray) -> Step:
        """One iteration from ``x`` with value ``f`` and gradient ``g``."""
        ...

    def result_fields(self, state: State, obj: Any) -> dict[str, Any]:
        """Method-specific result entries (e.g. ``hess_inv``)."""
        ...


@dataclass
class LineSearchState:
    r"""What every line-search solver keeps between iterations (subclassed per solver).

    Attributes:
        f_prev, alpha_prev, dphi_prev: the previous iteration's ``f``, step and
            :math:`\varphi'(0)` (for the initial-step guess).
        first: no step taken yet (or just restarted): the first trial is scaled to ``|p|``.

    Example:
        >>> LineSearchState().first
        True
    """

    f_prev: float = np.nan
    alpha_prev: float = np.nan
    dphi_prev: float = np.nan
    first: bool = True


class LineSearchSolver:
    r"""Base of the "direction x line search" solvers.

    Class attributes a subclass sets: ``name``, ``default_line_search`` (name),
    ``line_search_options`` (defaults for it), ``termination_defaults`` (dict),
    ``initial_step_rule`` (``"unit"`` for Newton-like directions, ``"interpolate"`` for
    gradient-like ones, ``"capped"`` for scipy's BFGS rule: the interpolated guess, at most
    1), ``stop_on_failed_search`` (end at a failed search, as scipy's BFGS, instead of taking
    its best point or restarting along :math:`-g`). Each step evaluates nothing before the
    search: ``f`` and ``g`` at ``x`` come from the driver (or the previous step) and reach the
    search as :math:`\varphi(0)` and :math:`\varphi'(0) = g^\top p` in a
    :class:`~steepest.unconstrained.linesearch.base.LineFunction`.

    Args:
        line_search: a name in :data:`~steepest.unconstrained.linesearch.LINE_SEARCHES` or a
            :class:`~steepest.unconstrained.linesearch.base.LineSearch` object.
        **ls_options: options of the named search.
    """

    name = "base"
    default_line_search: ClassVar[str] = "strong_wolfe"
    line_search_options: ClassVar[dict[str, Any]] = {}
    termination_defaults: dict[str, Any] = {"gtol": 1e-5}
    initial_step_rule: ClassVar[str] = "unit"
    require_descent = True
    stop_on_failed_search: ClassVar[bool] = False

    def __init__(self, line_search: Any = None, **ls_options: Any) -> None:
        spec = self.default_line_search if line_search is None else line_search
        opts = dict(self.line_search_options) if spec == self.default_line_search else {}
        opts.update(ls_options)
        self.line_search = make_line_search(spec, **opts)

    # ---- hooks ------------------------------------------------------------------------------
    def init(self, obj: Any, x: np.ndarray, f: float, g: np.ndarray) -> LineSearchState:
        """A fresh :class:`LineSearchState` (subclasses return their own state class)."""
        return LineSearchState()

    def direction(
        self, obj: Any, state: LineSearchState, x: np.ndarray, g: np.ndarray
    ) -> np.ndarray:
        """The search direction :math:`p` at ``x`` (a descent direction when possible)."""
        raise NotImplementedError

    def update(
        self, state: LineSearchState, s: np.ndarray, y: np.ndarray, g_new: np.ndarray, p: np.ndarray
    ) -> None:
        """Learn from the step ``s`` (along direction ``p``) and gradient change ``y``."""

    def secant_step(self, x: np.ndarray, x_new: np.ndarray, alpha: float,
                    p: np.ndarray) -> np.ndarray:
        """The step ``s`` handed to :meth:`update` (default ``x_new - x``)."""
        return x_new - x

    def reset(self, state: LineSearchState) -> None:
        """Forget accumulated curvature information (default: nothing to forget)."""

    def result_fields(self, state: LineSearchState, obj: Any) -> dict[str, Any]:
        """Extra result entries (e.g. ``hess_inv``)."""
        return {}

    # ---- the shared iteration -------------------------------------------------------------
    def initial_step(self, state: LineSearchState, f: float, p: np.ndarray, dphi0: float) -> float:
        """The first trial step: ``min(1, 1/|p|)`` at the start, then 1 for Newton-like
        directions, else twice the last decrease over the slope (N&W eq. 3.60)."""
        if self.initial_step_rule == "capped":
            return self._capped_initial_step(state, f, p, dphi0)
        if state.first:
            return float(min(1.0, 1.0 / max(float(np.linalg.norm(p)), 1e-300)))
        if self.initial_step_rule == "unit":
            return 1.0
        guess = 1.01 * 2.0 * (f - state.f_prev) / dphi0
        if np.isfinite(guess) and guess > 0:
            return float(guess)
        return float(state.alpha_prev * state.dphi_prev / dphi0)

    def step(
        self, obj: Any, state: LineSearchState, x: np.ndarray, f: float, g: np.ndarray
    ) -> Step:
        """Direction, search along it (restarting from -g once), then learn from the step."""
        p = self.direction(obj, state, x, g)
        dphi0 = float(g @ p)  # the bits of np.dot, without its dispatch
        steepest = False
        if self.require_descent and not (np.isfinite(dphi0) and dphi0 < 0):
            p, dphi0, steepest = self._restart(state, g)
        line, res = self._search(obj, state, x, f, g, p, dphi0)
        if self.stop_on_failed_search and not res.success:
            return self._failed(x, f, g, line, res)
        if not _usable(res, f) and not steepest:
            p, dphi0, steepest = self._restart(state, g)
            line2, res2 = self._search(obj, state, x, f, g, p, dphi0)
            line2.evaluations += line.evaluations
            line, res = line2, res2
        if not _usable(res, f):
            return self._failed(x, f, g, line, res)
        x_new, f_new, g_new = line.point(res.step)
        evals = line.evaluations
        if not (math.isfinite(f_new) and np.isfinite(g_new).all()):
            return Step(x, f, g, 0.0, 0.0, evals, Status.NON_FINITE,
                        "the gradient is not finite at the accepted step")
        state.f_prev, state.alpha_prev, state.dphi_prev = f, res.step, dphi0
        self.update(state, self.secant_step(x, x_new, res.step, p), g_new - g, g_new, p)
        state.first = False
        # the 2-norm of p as np.linalg.norm computes it (the square root of p . p)
        return Step(x_new, f_new, g_new, res.step, abs(res.step) * math.sqrt(float(p @ p)),
                    evals)

    @staticmethod
    def _capped_initial_step(state: LineSearchState, f: float, p: np.ndarray,
                             dphi0: float) -> float:
        r"""scipy's BFGS first trial (``line_search_wolfe1``): :math:`\min(1, 2.02\,(f_k -
        f_{k-1}) / \varphi'(0))`, with :math:`f_{-1} = f_0 + \|p\|/2` at the start."""
        f_prev = f + 0.5 * float(np.linalg.norm(p)) if state.first else state.f_prev
        drop = f - f_prev  # rounded as scipy rounds it: the first guess is not exactly 1/|p|
        guess = 1.01 * 2.0 * drop / dphi0
        return float(min(1.0, guess)) if np.isfinite(guess) and guess > 0 else 1.0

    @property
    def monotone(self) -> bool:
        """Whether f decreases at every step (not with a fixed step size)."""
        return not isinstance(self.line_search, FixedStep)

    def _restart(self, state: LineSearchState, g: np.ndarray) -> tuple[np.ndarray, float, bool]:
        self.reset(state)
        state.first = True
        p = -g
        return p, -float(np.dot(g, g)), True

    def _search(
        self, obj: Any, state: LineSearchState, x: np.ndarray, f: float, g: np.ndarray,
        p: np.ndarray, dphi0: float,
    ) -> tuple[LineFunction, LineSearchResult]:
        """Hand ``f`` and ``g . p`` (already known) to the search as phi(0) and phi'(0)."""
        line = LineFunction(obj, x, p, f, g, dphi0)
        return line, self.line_search.search(line, self.initial_step(state, f, p, dphi0))

    @staticmethod
    def _failed(x, f, g, line: LineFunction, res: LineSearchResult) -> Step:
        status = Status.NON_FINITE if res.status.name == "NON_FINITE" else \
            Status.LINE_SEARCH_FAILED
        return Step(x, f, g, 0.0, 0.0, line.evaluations, status,
                    f"line search failed ({res.message}); returning the best point found")


def _usable(res: LineSearchResult, f: float) -> bool:
    """A successful search, or a failed one whose best point still decreased f."""
    if res.success:
        return math.isfinite(res.phi)
    return bool(res.step > 0 and math.isfinite(res.phi) and res.phi < f)
