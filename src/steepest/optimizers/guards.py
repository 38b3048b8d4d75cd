"""Guard against non-finite updates: skip the step instead of poisoning the parameters.

A NaN or inf in one gradient (an overflowing loss, a bad batch) would otherwise propagate into
the moments of every adaptive rule and never leave. :func:`apply_if_finite` wraps an
optimizer: a step whose updates are not all finite becomes a zero update and keeps the old
inner state; the state counts such steps so the training loop can report them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._trees import check_state, flat, rebuild
from .base import GradFnOptimizer, Optimizer

__all__ = ["ApplyIfFiniteState", "NonFiniteUpdateError", "apply_if_finite"]


class NonFiniteUpdateError(FloatingPointError):
    """Raised when more consecutive steps than allowed produced non-finite updates.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1 (overflow to inf/nan).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import apply_if_finite, sgd
        >>> opt = apply_if_finite(sgd(0.1), max_consecutive=2)
        >>> s = opt.init(np.zeros(1))
        >>> try:
        ...     for _ in range(3):
        ...         u, s = opt.update(np.array([np.nan]), s, np.zeros(1))
        ... except NonFiniteUpdateError:
        ...     print("gave up")
        gave up
    """


class ApplyIfFiniteState(NamedTuple):
    """State of :func:`apply_if_finite`.

    Attributes:
        inner: the wrapped optimizer's state.
        consecutive: skipped steps in a row (reset by a finite step).
        total: skipped steps in all.
        last_finite: whether the last step was applied.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1 (overflow to inf/nan); the same guard as optax's
        ``apply_if_finite``.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import apply_if_finite, sgd
        >>> apply_if_finite(sgd(0.1)).init(np.zeros(2))  # doctest: +NORMALIZE_WHITESPACE
        ApplyIfFiniteState(inner=(ScheduleState(count=0),), consecutive=0, total=0,
                           last_finite=True)
    """

    inner: Any
    consecutive: int
    total: int
    last_finite: bool
    made_by = "apply_if_finite"  # who inits this state (error messages)


def apply_if_finite(inner: Optimizer | GradFnOptimizer, max_consecutive: int = 10
                    ) -> Optimizer | GradFnOptimizer:
    """Skip steps whose updates contain NaN or inf.

    u = inner(g) when every entry of inner(g) is finite, else u = 0 (the parameters do not move and
    the inner state is kept).

    Args:
        inner: the optimizer to guard.
        max_consecutive: after this many skipped steps in a row raise
            :class:`NonFiniteUpdateError` (the problem is not a one-off batch any more).

    Returns:
        An :class:`~steepest.optimizers.Optimizer` whose update is ``inner``'s when every entry
        is finite, and zero otherwise (the inner state is then kept and the skip counted in
        :class:`ApplyIfFiniteState`).

    Reference:
        IEEE 754 non-finite values as in Goodfellow et al., *Deep Learning*, §4.1; the same guard as
        optax's ``apply_if_finite``.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import apply_if_finite, adam
        >>> opt = apply_if_finite(adam(0.1))
        >>> s = opt.init(np.zeros(2))
        >>> u, s = opt.update(np.array([np.nan, 1.0]), s, np.zeros(2))
        >>> u, s.total, s.last_finite
        (array([0., 0.]), 1, False)
    """
    if not (callable(getattr(inner, "init", None)) and callable(getattr(inner, "update", None))):
        raise TypeError(f"apply_if_finite wraps an optimizer, got {type(inner).__name__}; pass "
                        "one with init and update, e.g. apply_if_finite(adam(1e-3))")
    if int(max_consecutive) < 1:
        raise ValueError(f"max_consecutive must be >= 1, got {max_consecutive}; pass the "
                         "number of skipped steps in a row to tolerate, e.g. 10")

    def init(params: Any) -> ApplyIfFiniteState:
        return ApplyIfFiniteState(inner.init(params), 0, 0, True)

    def update(grads: Any, state: ApplyIfFiniteState, params: Any = None
               ) -> tuple[Any, ApplyIfFiniteState]:
        check_state(state, ApplyIfFiniteState, "apply_if_finite")
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):  # handled below
            updates, new_inner = inner.update(grads, state.inner, params)
        leaves, td = flat(updates)
        if all(np.all(np.isfinite(u)) for u in leaves):
            return updates, ApplyIfFiniteState(new_inner, 0, state.total, True)
        skipped = state.consecutive + 1
        if skipped > max_consecutive:
            raise NonFiniteUpdateError(
                f"{skipped} consecutive steps produced NaN/inf updates; check the loss for "
                "overflow (use stable primitives such as steepest.logsumexp), lower the "
                "learning rate, or clip gradients with clip_by_global_norm"
            )
        zeros = [np.zeros_like(u) for u in leaves]
        return rebuild(td, zeros), ApplyIfFiniteState(state.inner, skipped, state.total + 1, False)

    update.state_type = ApplyIfFiniteState
    if isinstance(inner, GradFnOptimizer):  # it stays one, so fit hands it grad_fn (#14.10)
        return GradFnOptimizer(init, update)
    return Optimizer(init, update)
