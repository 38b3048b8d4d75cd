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

import numpy as np

from .._validate import check_nonnegative_float, check_positive_float

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
    """Base class of the schedules: ``schedule(count) -> float``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (Figure 4.2, learning-rate
        schedules); Goodfellow et al., *Deep Learning*, §8.3.1.

    Example:
        >>> from steepest.optimizers import exponential_decay, adam
        >>> s = exponential_decay(0.1, 0.5)
        >>> isinstance(s, Schedule), s(2)
        (True, 0.025)
        >>> opt = adam(learning_rate=s)  # any optimizer accepts a schedule
    """

    def __call__(self, count: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError


def _count(count: int) -> int:
    if type(count) is not int and (isinstance(count, bool) or not isinstance(count, np.integer)):
        raise TypeError(f"schedule count must be an integer number of steps, got "
                        f"{type(count).__name__} {count!r}; call schedule(step) with an int >= 0")
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
    """``alpha_t = value`` for every t.

    Args:
        value: the learning rate, >= 0.

    Returns:
        A :class:`Schedule`: a callable ``count -> float`` (``count`` = updates done).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (Figure 4.2, learning-rate
        schedules).

    Example:
        >>> s = constant_schedule(0.1)
        >>> s(0), s(1000)
        (0.1, 0.1)
    """
    return _Constant(check_nonnegative_float(value, "value"))


@dataclass(frozen=True)
class _Step(Schedule):
    init_value: float
    every: int
    factor: float

    def __call__(self, count: int) -> float:
        return self.init_value * self.factor ** (_count(count) // self.every)


def step_schedule(init_value: float, every: int, factor: float = 0.1) -> Schedule:
    """Step decay: ``alpha_t = init_value * factor ** floor(t / every)``.

    Args:
        init_value: the rate at t = 0, >= 0.
        every: steps between drops, > 0.
        factor: multiplier at each drop (usually below 1).

    Returns:
        A :class:`Schedule`: a callable ``count -> float`` (``count`` = updates done).

    Reference:
        Goodfellow et al., *Deep Learning*, §8.3.1 (decaying the learning rate); Liquet et al.,
        *Mathematical Engineering of Deep Learning*, §4.2 (Figure 4.2, learning-rate schedules).

    Example:
        >>> s = step_schedule(1.0, every=10, factor=0.1)
        >>> [round(float(s(t)), 6) for t in (0, 9, 10, 25)]
        [1.0, 1.0, 0.1, 0.01]
    """
    return _Step(check_nonnegative_float(init_value, "init_value"), _steps("every", every),
                 check_nonnegative_float(factor, "factor"))


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

    Args:
        init_value: the rate at t = 0, >= 0.
        decay_rate: factor per ``transition_steps``.
        transition_steps: steps over which the rate is multiplied by ``decay_rate``.
        staircase: use ``floor(t / transition_steps)`` (piecewise constant).

    Returns:
        A :class:`Schedule`: a callable ``count -> float`` (``count`` = updates done).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (Figure 4.2, learning-rate
        schedules); Goodfellow et al., *Deep Learning*, §8.3.1 (decaying the learning rate).

    Example:
        >>> s = exponential_decay(1.0, 0.5, transition_steps=10)
        >>> [float(s(t)) for t in (0, 10, 20)]
        [1.0, 0.5, 0.25]
    """
    return _Exponential(check_nonnegative_float(init_value, "init_value"),
                        check_positive_float(decay_rate, "decay_rate", fix="pass e.g. 0.99"),
                        _steps("transition_steps", transition_steps), bool(staircase))


@dataclass(frozen=True)
class _Ramp(Schedule):
    """A schedule of ``frac = min(t, T) / T``, the part of its ``T = steps`` steps done."""

    init_value: float
    steps: int

    def __call__(self, count: int) -> float:
        return self._at(min(_count(count), self.steps) / self.steps)

    def _at(self, frac: float) -> float:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class _Cosine(_Ramp):
    alpha: float

    def _at(self, frac: float) -> float:
        cos = 0.5 * (1.0 + math.cos(math.pi * frac))
        return self.init_value * ((1.0 - self.alpha) * cos + self.alpha)


def cosine_decay_schedule(init_value: float, decay_steps: int, alpha: float = 0.0) -> Schedule:
    """``alpha_t = init * ((1 - a) * (1 + cos(pi * min(t, T) / T)) / 2 + a)``, T = decay_steps.

    ``alpha`` (a) is the final value as a fraction of ``init_value``.

    Args:
        init_value: the rate at t = 0, >= 0.
        decay_steps: T > 0, the step where the final value is reached.
        alpha: final value as a fraction of ``init_value``, in [0, 1].

    Returns:
        A :class:`Schedule`: a callable ``count -> float`` (``count`` = updates done).

    Reference:
        I. Loshchilov & F. Hutter, "SGDR: stochastic gradient descent with warm restarts", ICLR 2017
        (eq. 5).

    Example:
        >>> s = cosine_decay_schedule(1.0, decay_steps=100)
        >>> [round(float(s(t)), 6) for t in (0, 50, 100, 200)]
        [1.0, 0.5, 0.0, 0.0]
    """
    return _Cosine(check_nonnegative_float(init_value, "init_value"),
                   _steps("decay_steps", decay_steps), check_nonnegative_float(alpha, "alpha"))


@dataclass(frozen=True)
class _Linear(_Ramp):
    end_value: float

    def _at(self, frac: float) -> float:
        return self.init_value + frac * (self.end_value - self.init_value)


def linear_schedule(init_value: float, end_value: float, transition_steps: int) -> Schedule:
    """Linear interpolation from ``init_value`` to ``end_value`` over ``transition_steps``, then
    constant. ``linear_schedule(0.0, peak, n)`` is a linear warmup.

    Args:
        init_value: the rate at t = 0.
        end_value: the rate from ``transition_steps`` on.
        transition_steps: length of the ramp, > 0.

    Returns:
        A :class:`Schedule`: a callable ``count -> float`` (``count`` = updates done).

    Reference:
        Goodfellow et al., *Deep Learning*, §8.3.1 (decaying the learning rate) (eq. 8.14, linear
        decay until iteration τ).

    Example:
        >>> s = linear_schedule(0.0, 1.0, transition_steps=4)
        >>> [float(s(t)) for t in range(6)]
        [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    """
    return _Linear(init_value=check_nonnegative_float(init_value, "init_value"),
                   end_value=check_nonnegative_float(end_value, "end_value"),
                   steps=_steps("transition_steps", transition_steps))


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

    Returns:
        A :class:`Schedule`: a callable ``count -> float`` (``count`` = updates done).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (Figure 4.2, learning-rate
        schedules); the piecewise schedules of optax (``join_schedules``).

    Example:
        >>> from steepest.optimizers import constant_schedule, linear_schedule
        >>> s = join_schedules([constant_schedule(1.0), linear_schedule(1.0, 0.0, 10)], [5])
        >>> [float(s(t)) for t in (0, 4, 5, 10, 15)]
        [1.0, 1.0, 1.0, 0.5, 0.0]
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
    decay to ``end_value`` reached at step ``decay_steps`` (counted from the start).

    Args:
        peak_value: the rate at the end of the warmup.
        warmup_steps: length of the linear warmup, >= 0.
        decay_steps: total length (warmup included) after which ``end_value`` holds.
        init_value: the rate at t = 0.
        end_value: the final rate.

    Returns:
        A :class:`Schedule`: a callable ``count -> float`` (``count`` = updates done).

    Reference:
        P. Goyal et al., "Accurate, large minibatch SGD: training ImageNet in 1 hour", 2017
        (warmup); Loshchilov & Hutter, ICLR 2017 (cosine decay).

    Example:
        >>> s = warmup_cosine_decay(1.0, warmup_steps=10, decay_steps=110)
        >>> [round(float(s(t)), 6) for t in (0, 5, 10, 60, 110)]
        [0.0, 0.5, 1.0, 0.5, 0.0]
    """
    warmup_steps = _steps("warmup_steps", warmup_steps)
    if _steps("decay_steps", decay_steps) <= warmup_steps:
        raise ValueError(
            f"decay_steps ({decay_steps}) must exceed warmup_steps ({warmup_steps}): it is the "
            "step at which the decay ends, counted from the start"
        )
    peak = check_nonnegative_float(peak_value, "peak_value")
    alpha = check_nonnegative_float(end_value, "end_value") / peak if peak > 0 else 0.0
    return join_schedules(
        [linear_schedule(init_value, peak, warmup_steps),
         cosine_decay_schedule(peak, decay_steps - warmup_steps, alpha)],
        [warmup_steps],
    )
