"""Hill climbing: local search over a discrete space, the discrete cousin of gradient descent.

Goodfellow et al. (§4.3): "the general concept of repeatedly making a small move (that is
approximately the best small move) toward better configurations can be generalized to
discrete spaces. Ascending an objective function of discrete parameters is called hill
climbing." The user supplies the moves as a ``neighbors`` function.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np

from .._result import OptimizeResult, Status

__all__ = ["HillClimbResult", "hill_climb"]


_MESSAGES = {
    Status.SUCCESS: "no neighbor improves the objective: local optimum reached",
    Status.MAX_ITER: "maximum number of moves reached",
    Status.MAX_FEV: "maximum number of objective evaluations reached",
}


class HillClimbResult(OptimizeResult):
    """Outcome of :func:`hill_climb`: an :class:`~steepest._result.OptimizeResult`.

    Attributes:
        x: Final state.
        fun: Objective at ``x``.
        success: ``True`` when ``x`` is a local optimum (no neighbor is strictly better).
        status: A :class:`~steepest._result.Status`: ``SUCCESS`` (a local optimum),
            ``MAX_ITER`` (move limit) or ``MAX_FEV`` (evaluation limit).
        message: Reason for stopping.
        nit: Number of moves made.
        nfev: Number of objective evaluations.
        path: States visited, starting with ``x0``.
        values: Objective along ``path``.

    Reference:
        Russell & Norvig, *Artificial Intelligence: A Modern Approach*, §4.3 (hill climbing);
        Goodfellow et al., *Deep Learning*, §4.3.

    Example:
        >>> flips = lambda s: [s[:i] + (1 - s[i],) + s[i + 1:] for i in range(len(s))]
        >>> r = hill_climb(sum, (0, 1, 0, 0), flips)
        >>> r.x, r.fun, r.status is Status.SUCCESS
        ((1, 1, 1, 1), 4.0, True)
    """


_STRATEGIES = ("best", "first")


def hill_climb(
    f: Callable[[Any], float],
    x0: Any,
    neighbors: Callable[[Any], Iterable[Any]],
    *,
    maximize: bool = True,
    strategy: str = "best",
    maxiter: int = 10_000,
    maxfev: int | None = None,
) -> HillClimbResult:
    """Local search on a discrete space: move to a better neighbor until none exists.

    With ``strategy="best"`` (steepest ascent) every neighbor is evaluated and the best one
    taken; with ``"first"`` the first strictly better neighbor is taken. A move is made only
    if it strictly improves ``f``, so the search cannot cycle; it stops at a local optimum:
    ``f(y) <= f(x)`` for every ``y`` in ``neighbors(x)`` (``>=`` when minimizing). Neighbors
    whose value is NaN are ignored. Values are cached, so a state is evaluated once.

    Args:
        f: Objective on states.
        x0: Initial state (any object; hashable states are cached).
        neighbors: ``neighbors(x)`` returns the states one move away from ``x``.
        maximize: Ascend (the book's hill climbing, default) or descend (``False``).
        strategy: ``"best"`` or ``"first"`` improvement.
        maxiter: Maximum number of moves.
        maxfev: Maximum number of evaluations of ``f`` (``None``: unlimited).

    Returns:
        A :class:`HillClimbResult` with the path of visited states.

    Example (maximize the number of ones in a bit string, one bit flip per move):
        >>> flips = lambda s: [s[:i] + (1 - s[i],) + s[i + 1:] for i in range(len(s))]
        >>> r = hill_climb(sum, (0, 1, 0, 0), flips)
        >>> r.x, r.fun, r.nit, r.status.name
        ((1, 1, 1, 1), 4.0, 3, 'SUCCESS')

    Reference: Goodfellow, Bengio & Courville, Deep Learning (2016), §4.3; Russell & Norvig,
    Artificial Intelligence: A Modern Approach (2003), §4.3.
    """
    if strategy not in _STRATEGIES:
        raise ValueError(f"strategy must be one of {_STRATEGIES}, got {strategy!r}")
    if maxiter < 0 or (maxfev is not None and maxfev < 1):
        raise ValueError("maxiter must be >= 0 and maxfev >= 1 (or None)")
    sign = 1.0 if maximize else -1.0
    evaluate = _Evaluator(f, sign, maxfev)
    x, fx = x0, evaluate(x0)
    if math.isnan(fx):
        raise ValueError("f(x0) is NaN: hill climbing needs a comparable starting value")
    path, values = [x], [fx]
    status = Status.MAX_ITER
    for _ in range(maxiter):
        move, complete = _best_move(x, fx, neighbors(x), evaluate, first=strategy == "first")
        if move is None:
            status = Status.SUCCESS if complete else Status.MAX_FEV
            break
        x, fx = move
        path.append(x)
        values.append(fx)
        if evaluate.exhausted:
            status = Status.MAX_FEV
            break
    return HillClimbResult(
        x=x, fun=sign * fx, success=status is Status.SUCCESS, status=status,
        message=_MESSAGES[status], nit=len(path) - 1, nfev=evaluate.count, path=path,
        values=sign * np.array(values),
    )  # fmt: skip


class _Evaluator:
    """``sign * f`` with a cache for hashable states and an evaluation budget."""

    def __init__(self, f: Callable[[Any], float], sign: float, maxfev: int | None) -> None:
        self.f, self.sign, self.maxfev = f, sign, maxfev
        self.cache: dict[Hashable, float] = {}
        self.count = 0

    @property
    def exhausted(self) -> bool:
        return self.maxfev is not None and self.count >= self.maxfev

    def __call__(self, x: Any) -> float:
        key = _key(x)
        if key is not None and key in self.cache:
            return self.cache[key]
        self.count += 1
        value = self.sign * float(self.f(x))
        if key is not None:
            self.cache[key] = value
        return value


def _key(x: Any) -> Hashable | None:
    if isinstance(x, np.ndarray):
        return (x.shape, x.tobytes())
    try:
        hash(x)
    except TypeError:
        return None
    return x


def _best_move(
    x: Any, fx: float, candidates: Iterable[Any], evaluate: _Evaluator, *, first: bool
) -> tuple[tuple[Any, float] | None, bool]:
    """The best (or first) strictly improving neighbor (``None`` if there is none), and
    whether every candidate was examined before the evaluation budget ran out."""
    best: tuple[Any, float] | None = None
    for y in candidates:
        if evaluate.exhausted and _key(y) not in evaluate.cache:
            return best, False
        fy = evaluate(y)
        if fy > fx and (best is None or fy > best[1]):
            best = (y, fy)
            if first:
                break
    return best, True
