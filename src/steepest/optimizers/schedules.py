"""Learning-rate schedules: ``count -> learning rate`` as small immutable callables.

Any callable ``f(count: int) -> float`` is accepted where a rule takes ``learning_rate``; the
classes here add validation, a readable ``repr`` and composition (:func:`join_schedules`,
:func:`warmup_cosine_decay`). ``count`` is the number of updates done before this one
(0 at the first step).

Reference: Liquet et al. §4.2 (Figure 4.2 uses the exponential schedule alpha * 0.99^t);
Loshchilov & Hutter, *SGDR* (2017) for cosine decay; Goyal et al. (2017) for linear warmup.

Example:
    >>> from steepest.optimizers import warmup_cosine_decay
    >>> sched = warmup_cosine_decay(peak_value=1e-3, warmup_steps=10, decay_steps=100)
    >>> sched(0), sched(10), sched(100)
    (0.0, 0.001, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ._validate import check_nonnegative, check_positive

__all__ = [
    "Schedule",
    "constant_schedule",
    "cosine_decay_schedule",
    "exponential_decay",
    "join_schedules",
    "linear_schedule",
    "step_schedule",
    "warmup_cosine_decay",
]


class Schedule:
    """Base class of the schedules: ``schedule(count) -> float``."""

    def __call__(self, count: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError


def _count(count: int) -> int:
    c = int(count)
    if c < 0:
        raise ValueError(f"schedule count must be >= 0, got {count}")
    return c


def _steps(name: str, value: int) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer number of steps, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class _Constant(Schedule):
    value: float

    def __call__(self, count: int) -> float:
        return self.value


def constant_schedule(value: float) -> Schedule:
    """``alpha_t = value`` for every t."""
    return _Constant(check_nonnegative("value", value))


@dataclass(frozen=True)
class _Step(Schedule):
    init_value: float
    every: int
    factor: float

    def __call__(self, count: int) -> float:
        return self.init_value * self.factor ** (_count(count) // self.every)


def step_schedule(init_value: float, every: int, factor: float = 0.1) -> Schedule:
    """Step decay: ``alpha_t = init_value * factor ** floor(t / every)``."""
    return _Step(check_nonnegative("init_value", init_value), _steps("every", every),
                 check_nonnegative("factor", factor))


@dataclass(frozen=True)
class _Exponential(Schedule):
    init_value: float
    decay_rate: float
    transition_steps: int
    staircase: bool

    def __call__(self, count: int) -> float:
        e = _count(count) / self.transition_steps
        return self.init_value * self.decay_rate ** (math.floor(e) if self.staircase else e)


def exponential_decay(
    init_value: float, decay_rate: float, transition_steps: int = 1, staircase: bool = False
) -> Schedule:
    """``alpha_t = init_value * decay_rate ** (t / transition_steps)`` (floored if staircase).

    With ``decay_rate=0.99`` this is the schedule of Liquet et al. Figure 4.2 (b).
    """
    return _Exponential(check_nonnegative("init_value", init_value),
                        check_positive("decay_rate", decay_rate, "pass e.g. 0.99"),
                        _steps("transition_steps", transition_steps), bool(staircase))


@dataclass(frozen=True)
class _Cosine(Schedule):
    init_value: float
    decay_steps: int
    alpha: float

    def __call__(self, count: int) -> float:
        frac = min(_count(count), self.decay_steps) / self.decay_steps
        cos = 0.5 * (1.0 + math.cos(math.pi * frac))
        return self.init_value * ((1.0 - self.alpha) * cos + self.alpha)


def cosine_decay_schedule(init_value: float, decay_steps: int, alpha: float = 0.0) -> Schedule:
    """``alpha_t = init * ((1 - a) * (1 + cos(pi * min(t, T) / T)) / 2 + a)``, T = decay_steps.

    ``alpha`` (a) is the final value as a fraction of ``init_value``.
    """
    return _Cosine(check_nonnegative("init_value", init_value), _steps("decay_steps", decay_steps),
                   check_nonnegative("alpha", alpha))


@dataclass(frozen=True)
class _Linear(Schedule):
    init_value: float
    end_value: float
    transition_steps: int

    def __call__(self, count: int) -> float:
        frac = min(_count(count), self.transition_steps) / self.transition_steps
        return self.init_value + frac * (self.end_value - self.init_value)


def linear_schedule(init_value: float, end_value: float, transition_steps: int) -> Schedule:
    """Linear interpolation from ``init_value`` to ``end_value`` over ``transition_steps``, then
    constant. ``linear_schedule(0.0, peak, n)`` is a linear warmup."""
    return _Linear(check_nonnegative("init_value", init_value),
                   check_nonnegative("end_value", end_value),
                   _steps("transition_steps", transition_steps))


@dataclass(frozen=True)
class _Joined(Schedule):
    schedules: tuple[Callable[[int], float], ...]
    boundaries: tuple[int, ...]

    def __call__(self, count: int) -> float:
        c = _count(count)
        start = 0
        for sched, bound in zip(self.schedules, self.boundaries):
            if c < bound:
                return float(sched(c - start))
            start = bound
        return float(self.schedules[-1](c - start))


def join_schedules(
    schedules: Sequence[Callable[[int], float]], boundaries: Sequence[int]
) -> Schedule:
    """Run ``schedules[i]`` on ``[boundaries[i-1], boundaries[i])``, each restarted at 0.

    Args:
        schedules: k schedules (callables ``count -> float``).
        boundaries: k - 1 strictly increasing step counts where the next schedule starts.
    """
    schedules = tuple(schedules)
    boundaries = tuple(int(b) for b in boundaries)
    if len(schedules) != len(boundaries) + 1 or not schedules:
        raise ValueError(
            f"join_schedules needs len(boundaries) == len(schedules) - 1; got "
            f"{len(schedules)} schedules and {len(boundaries)} boundaries"
        )
    if any(b <= a for a, b in zip((0, *boundaries), boundaries)):
        raise ValueError(f"boundaries must be positive and strictly increasing, got {boundaries}")
    if not all(callable(s) for s in schedules):
        raise TypeError("every schedule must be callable: count -> learning rate")
    return _Joined(schedules, boundaries)


def warmup_cosine_decay(
    peak_value: float,
    warmup_steps: int,
    decay_steps: int,
    init_value: float = 0.0,
    end_value: float = 0.0,
) -> Schedule:
    """Linear warmup from ``init_value`` to ``peak_value`` in ``warmup_steps``, then cosine
    decay to ``end_value`` reached at step ``decay_steps`` (counted from the start)."""
    warmup_steps = _steps("warmup_steps", warmup_steps)
    if _steps("decay_steps", decay_steps) <= warmup_steps:
        raise ValueError(
            f"decay_steps ({decay_steps}) must exceed warmup_steps ({warmup_steps}): it is the "
            "step at which the decay ends, counted from the start"
        )
    peak = check_nonnegative("peak_value", peak_value)
    alpha = check_nonnegative("end_value", end_value) / peak if peak > 0 else 0.0
    return join_schedules(
        [linear_schedule(init_value, peak, warmup_steps),
         cosine_decay_schedule(peak, decay_steps - warmup_steps, alpha)],
        [warmup_steps],
    )
