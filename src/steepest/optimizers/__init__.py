"""First-order update rules as pure ``(init, update)`` pairs: SGD ... Adam, Nadam.

``state = opt.init(params)``; ``updates, state = opt.update(grads, state, params)``;
``params = apply_updates(params, updates)`` (or ``params, state = step(opt, grads, state,
params)``). Named rules (:mod:`.alias`) are chains (:func:`chain`) of the building blocks of
:mod:`.transform` and :mod:`.adaptive`, each state class right above its transform, over
pytrees of float32 or float64 arrays. :func:`step` runs the chains it recognises (SGD,
momentum, Adagrad, RMSprop, the Adam family) on the cache-blocked kernels of :mod:`._fused`.

Modules: ``base`` (the protocol, ``chain``, ``step``), ``transform`` and ``adaptive`` (building
blocks with their states), ``alias`` (named optimizers), ``nesterov_momentum`` (true Nesterov,
a :class:`GradFnOptimizer`), ``schedules``, ``clipping``, ``guards``, ``_fused`` (the backend).

Reference: Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2, 4.3 and 4.5.
"""

from __future__ import annotations

from .adaptive import (
    AdadeltaState,
    AdamaxState,
    AdamState,
    RmsState,
    RssState,
    scale_by_adadelta,
    scale_by_adam,
    scale_by_adamax,
    scale_by_rms,
    scale_by_rss,
)
from .alias import (
    adadelta,
    adagrad,
    adam,
    adamax,
    adamw,
    lookahead_momentum,
    momentum,
    nadam,
    rmsprop,
    sgd,
)
from .base import (
    Chain,
    EmptyState,
    GradFnOptimizer,
    GradientTransformation,
    Optimizer,
    apply_updates,
    chain,
    identity,
    step,
)
from .clipping import clip, clip_by_global_norm, global_norm
from .guards import ApplyIfFiniteState, NonFiniteUpdateError, apply_if_finite
from .nesterov_momentum import NesterovState, nesterov
from .schedules import (
    Schedule,
    constant_schedule,
    cosine_decay_schedule,
    exponential_decay,
    join_schedules,
    linear_schedule,
    step_schedule,
    warmup_cosine_decay,
)
from .transform import (
    ScheduleState,
    TraceState,
    add_decayed_weights,
    bias_correction,
    scale,
    scale_by_learning_rate,
    trace,
)

__all__ = [
    # protocol
    "Optimizer", "GradientTransformation", "GradFnOptimizer", "EmptyState", "Chain",
    "apply_updates", "chain", "identity", "step",
    # named optimizers
    "sgd", "momentum", "lookahead_momentum", "nesterov", "adagrad", "rmsprop", "adadelta",
    "adam", "adamw", "nadam", "adamax",
    # building blocks
    "scale", "scale_by_learning_rate", "trace", "scale_by_rss", "scale_by_rms",
    "scale_by_adadelta", "scale_by_adam", "scale_by_adamax", "add_decayed_weights",
    "bias_correction", "clip", "clip_by_global_norm", "global_norm", "apply_if_finite",
    "NonFiniteUpdateError",
    # schedules
    "Schedule", "constant_schedule", "step_schedule", "exponential_decay",
    "cosine_decay_schedule", "linear_schedule", "join_schedules", "warmup_cosine_decay",
    # states
    "AdamState", "AdamaxState", "ApplyIfFiniteState", "AdadeltaState", "NesterovState",
    "RmsState", "RssState", "ScheduleState", "TraceState",
]
