"""Gradient transformations: the building blocks the named optimizers are chained from.

Each function returns an :class:`~steepest.optimizers.Optimizer` mapping incoming directions
``g`` (gradients, or the output of an earlier transformation) to outgoing ones. Signs: every
transformation here keeps the *ascent* orientation; :func:`scale_by_learning_rate` turns the
result into a descent step ``-alpha_t * u``. All states are NamedTuples of pytrees shaped like
the parameters, with the parameters' dtypes, each defined right above its transform. The
per-coordinate adaptive scalings (Adagrad, RMSprop, Adadelta, Adam, Adamax) live in
:mod:`.adaptive`. Momentum runs on the cache-blocked kernel of :mod:`._fused.kernels`; the
learning rate and the weight decay describe themselves to the fused backend, so that
:func:`~steepest.optimizers.chain` can fuse them with the step.

Reference: Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3 (momentum,
Adagrad, RMSprop, bias correction, eq. 4.14-4.24) and §4.5 (look-ahead momentum, Adadelta,
Adamax, eq. 4.36-4.42).

Example (RMSprop with momentum and L2, built from blocks):
    >>> import numpy as np
    >>> from steepest.optimizers import chain, step, add_decayed_weights, scale_by_rms, trace
    >>> from steepest.optimizers import scale_by_learning_rate
    >>> opt = chain(add_decayed_weights(1e-4), scale_by_rms(0.99), trace(0.9, form="sum"),
    ...             scale_by_learning_rate(1e-2))
    >>> x = np.array([1.0, -2.0]); s = opt.init(x)
    >>> for _ in range(300): x, s = step(opt, 2 * x, s, x)
    >>> bool(np.abs(x).max() < 0.05)
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .._validate import (
    check_decay,
    check_finite_float,
    check_learning_rate,
    check_nonnegative_float,
)
from ._fused.kernels import Coefficients
from ._fused.leaves import direction_update
from ._fused.specs import Decay, Direction, LearningRate
from ._trees import as_dtype, flat, lr_at, need_params, rebuild, zeros_like_params
from .base import EmptyState, Optimizer

__all__ = [
    "MOMENTUM_FORMS",
    "ScheduleState",
    "TraceState",
    "add_decayed_weights",
    "bias_correction",
    "scale",
    "scale_by_learning_rate",
    "trace",
]

MOMENTUM_FORMS = ("average", "sum")


def bias_correction(moment: Any, decay: float, count: int) -> Any:
    """``moment / (1 - decay**count)`` leaf by leaf (Liquet eq. 4.24).

    An exponential average started at 0 after ``count`` updates with a constant input u
    equals ``(1 - decay**count) u``; dividing removes that start-up bias.

    Args:
        moment: pytree of exponential averages.
        decay: their smoothing factor (β or γ).
        count: number of updates done, >= 1.

    Returns:
        The bias-corrected pytree, each leaf in its own dtype.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import bias_correction
        >>> m = 0.1 * np.array([2.0])  # one step of m <- 0.9 m + 0.1 g from m = 0, g = 2
        >>> bias_correction(m, 0.9, 1)
        array([2.])
    """
    c = 1.0 - float(decay) ** int(count)
    return rebuild(*_swap(flat(moment), lambda m: m / c))


def _swap(pair: tuple[list, Any], fn: Callable[[np.ndarray], Any]) -> tuple[Any, list]:
    leaves, td = pair
    return td, [as_dtype(fn(x), np.asarray(x)) for x in leaves]


def scale(factor: float) -> Optimizer:
    """``u <- factor * u``.

    u = c · g for a constant c.

    Args:
        factor: the constant multiplier (``-alpha`` for a descent step).

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (stateless).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (the learning rate α as a
        scale of the step).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale
        >>> t = scale(-0.5)
        >>> t.update(np.array([2.0, -4.0]), t.init(None))[0]
        array([-1.,  2.])
    """
    f = check_finite_float(factor, "factor", fix="pass a finite multiplier, e.g. -1e-3")

    def update(g: Any, state: EmptyState, params: Any = None) -> tuple[Any, EmptyState]:
        return rebuild(*_swap(flat(g), lambda x: f * x)), state

    return Optimizer(lambda params: EmptyState(), update)


class ScheduleState(NamedTuple):
    """State of :func:`scale_by_learning_rate`: the number of updates done.

    Attributes:
        count: number of updates done so far.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (learning-rate schedules).

    Example:
        >>> from steepest.optimizers import scale_by_learning_rate
        >>> scale_by_learning_rate(0.1).init(None)
        ScheduleState(count=0)
    """

    count: int
    made_by = "sgd"  # who inits this state (error messages)


def scale_by_learning_rate(learning_rate: float | Callable[[int], float]) -> Optimizer:
    """``u <- -alpha_t * u`` with ``alpha_t`` a constant or ``schedule(t)`` (t = updates done).

    Args:
        learning_rate: a float >= 0 or a schedule (callable ``count -> float``).

    Returns:
        An :class:`~steepest.optimizers.Optimizer` whose state counts the updates.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (θ ← θ − α ∇C, eq. 4.17
        with a learning-rate schedule); Goodfellow et al., *Deep Learning*, §4.3 (eq. 4.5).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_learning_rate
        >>> t = scale_by_learning_rate(0.1)
        >>> t.update(np.array([1.0, -2.0]), t.init(None))[0]
        array([-0.1,  0.2])
    """
    rate = check_learning_rate(learning_rate, "learning_rate")

    def update(g: Any, state: ScheduleState, params: Any = None) -> tuple[Any, ScheduleState]:
        a = -lr_at(rate, int(state.count))
        return rebuild(*_swap(flat(g), lambda x: a * x)), ScheduleState(int(state.count) + 1)

    update.fusable = LearningRate(rate)
    update.state_type = ScheduleState
    return Optimizer(lambda params: ScheduleState(0), update)


class TraceState(NamedTuple):
    """State of :func:`trace`: the momentum v.

    Attributes:
        velocity: v, a pytree like the parameters (starts at 0).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3 "Momentum" (eq. 4.16).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import trace
        >>> trace(0.9).init(np.zeros(2))
        TraceState(velocity=array([0., 0.]))
    """

    velocity: Any
    made_by = "momentum"  # who inits this state (error messages)


def trace(decay: float = 0.9, *, form: str = "average", lookahead: bool = False) -> Optimizer:
    r"""Momentum: an exponential trace ``v`` of the incoming directions.

    ``form="average"`` (Liquet eq. 4.16, exponential smoothing):
    :math:`v \leftarrow \beta v + (1-\beta) g`; ``form="sum"`` (the common form of torch.optim
    and optax, Liquet footnote 15): :math:`v \leftarrow \beta v + g`. Output ``v``, or with
    ``lookahead=True`` the look-ahead momentum of eq. 4.37: :math:`\beta v + (1-\beta) g`
    (average form) or :math:`\beta v + g` (sum form, = torch ``SGD(nesterov=True)``),
    using the *new* v. ``v`` starts at 0.

    Args:
        decay: beta in [0, 1).
        form: ``"average"`` or ``"sum"``.
        lookahead: output the look-ahead combination instead of ``v``.

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (a gradient transformation); chain it with
        :func:`scale_by_learning_rate` for a descent step.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3 "Momentum" (eqs. 4.16-4.17)
        and §4.5 (look-ahead momentum, eqs. 4.36-4.37).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import trace
        >>> t = trace(0.5)
        >>> s = t.init(np.zeros(1))
        >>> u1, s = t.update(np.array([1.0]), s)
        >>> u2, s = t.update(np.array([1.0]), s)
        >>> u1, u2  # v = 0.5 v + 0.5 g
        (array([0.5]), array([0.75]))
    """
    beta = check_decay(decay, "decay")
    if form not in MOMENTUM_FORMS:
        raise ValueError(f"form must be one of {MOMENTUM_FORMS}, got {form!r}")
    coef = Coefficients(scale=1.0, b1=beta, c1=1.0 - beta if form == "average" else 1.0,
                        lookahead=bool(lookahead))

    def init(params: Any) -> TraceState:
        return TraceState(zeros_like_params(params))

    return Optimizer(init, direction_update(Direction("momentum", ("velocity",),
                                                      lambda count: coef), TraceState))


def add_decayed_weights(weight_decay: float = 0.0,
                        mask: Callable[[Any], Any] | Any = None) -> Optimizer:
    r"""``u <- u + lambda * theta``.

    Placed *before* the scaling of an adaptive rule it is L2 regularisation (the gradient of
    :math:`\frac{\lambda}{2}\|\theta\|^2` is added, then rescaled, as torch ``Adam(weight_decay)``);
    placed *after* it and before :func:`scale_by_learning_rate` it is decoupled weight decay
    (Loshchilov & Hutter 2019, AdamW).

    Args:
        weight_decay: lambda >= 0.
        mask: optional pytree of bools (or a callable params -> that pytree) selecting the
            leaves to decay, e.g. to skip biases.

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (stateless; ``update`` needs ``params``).

    Reference:
        I. Loshchilov & F. Hutter, "Decoupled weight decay regularization", ICLR 2019; Goodfellow et
        al., *Deep Learning*, §7.1.1 (L2 parameter regularisation).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import add_decayed_weights
        >>> t = add_decayed_weights(0.1)
        >>> t.update(np.array([1.0, 1.0]), t.init(None), np.array([2.0, -2.0]))[0]
        array([1.2, 0.8])
    """
    lam = check_nonnegative_float(weight_decay, "weight_decay")

    def update(g: Any, state: EmptyState, params: Any = None) -> tuple[Any, EmptyState]:
        need_params(params, "add_decayed_weights")
        g_leaves, td = flat(g)
        p_leaves, _ = flat(params, td, "params")
        keep = [True] * len(g_leaves)
        if mask is not None:
            keep = flat(mask(params) if callable(mask) else mask, td, "mask")[0]
        out = [as_dtype(gi + lam * np.asarray(p), np.asarray(p)) if k else gi
               for gi, p, k in zip(g_leaves, p_leaves, keep)]
        return rebuild(td, out), state

    update.fusable = Decay(lam, mask)
    update.state_type = EmptyState
    return Optimizer(lambda params: EmptyState(), update)
