r"""True Nesterov momentum: the gradient is evaluated at the look-ahead point.

Liquet et al. eq. 4.33-4.34 (Nesterov 1983; Sutskever et al. 2013):

.. math::
    v \leftarrow \beta v + (1-\beta)\, \nabla C(\theta - \alpha \beta v), \qquad
    \theta \leftarrow \theta - \alpha v

(``form="sum"``: :math:`v \leftarrow \beta v + \nabla C(\theta - \alpha\beta v)`). Because the
gradient is needed at a point the optimizer chooses, the update takes a gradient *function*:
it is a :class:`~steepest.optimizers.GradFnOptimizer`.

Relation to look-ahead momentum (eq. 4.36-4.37): with a constant alpha, write
:math:`\phi = \theta - \alpha\beta v` for the look-ahead point. Substituting,
:math:`\phi \leftarrow \phi - \alpha(\beta v' + (1-\beta)\nabla C(\phi))` with
:math:`v' = \beta v + (1-\beta)\nabla C(\phi)` — exactly eq. 4.36-4.37 run on phi. So
:func:`~steepest.optimizers.lookahead_momentum` from the same start produces the look-ahead
points of true Nesterov, with one gradient per step at its own iterate (the tests check this).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .._validate import check_decay, check_learning_rate
from ._trees import as_dtype, check_leaves, check_state, flat, lr_at, rebuild, zeros_like_params
from .base import GradFnOptimizer
from .transform import MOMENTUM_FORMS

__all__ = ["NesterovState", "nesterov"]


class NesterovState(NamedTuple):
    """State of :func:`nesterov`: the step counter and the velocity v.

    Attributes:
        count: number of updates done so far.
        velocity: v of eqs. 4.33-4.34 (a pytree like the parameters).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Nesterov Momentum and the
        Nadam Algorithm" (eqs. 4.33-4.34).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import nesterov
        >>> nesterov(0.1).init(np.zeros(2))
        NesterovState(count=0, velocity=array([0., 0.]))
    """

    count: int
    velocity: Any
    made_by = "nesterov"  # who inits this state (error messages)


def nesterov(learning_rate: float | Callable[[int], float] = 0.01, beta: float = 0.9, *,
             form: str = "average") -> GradFnOptimizer:
    """True Nesterov momentum (eq. 4.33-4.34); ``update(grad_fn, state, params)``.

    Args:
        learning_rate: alpha (float or schedule).
        beta: momentum in [0, 1).
        form: ``"average"`` (v <- beta v + (1 - beta) g, Liquet et al.'s) or ``"sum"``
            (v <- beta v + g).

    Returns:
        A :class:`GradFnOptimizer`; ``grad_fn(point)`` must return the gradient pytree at
        ``point`` (for minibatch training, close over the current batch).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import nesterov, apply_updates
        >>> opt = nesterov(0.1, beta=0.9)
        >>> x = np.array([1.0]); s = opt.init(x)
        >>> for _ in range(300):
        ...     u, s = opt.update(lambda p: 2 * p, s, x)     # C(x) = x^2
        ...     x = apply_updates(x, u)
        >>> bool(abs(x[0]) < 1e-6)
        True
    """
    rate = check_learning_rate(learning_rate, "learning_rate")
    b = check_decay(beta, "beta")
    if form not in MOMENTUM_FORMS:
        raise ValueError(f"form must be one of {MOMENTUM_FORMS}, got {form!r}")
    cg = 1.0 - b if form == "average" else 1.0

    def init(params: Any) -> NesterovState:
        return NesterovState(0, zeros_like_params(params))

    def update(grad_fn: Callable[[Any], Any], state: NesterovState, params: Any
               ) -> tuple[Any, NesterovState]:
        if not callable(grad_fn):
            raise TypeError(
                "nesterov() takes the gradient at the look-ahead point theta - alpha*beta*v, "
                "so its update needs a gradient function: opt.update(grad_fn, state, params). "
                "For an update from a gradient at theta use lookahead_momentum()."
            )
        check_state(state, NesterovState, "nesterov")
        alpha = lr_at(rate, int(state.count))
        v_leaves, td = flat(state.velocity)
        p_leaves, _ = flat(params, td, "params")
        check_leaves(p_leaves, v_leaves, "params", "the state was initialised for")
        ahead = [as_dtype(np.asarray(p) - (alpha * b) * v, v) for p, v in zip(p_leaves, v_leaves)]
        g_leaves, _ = flat(grad_fn(rebuild(td, ahead)), td)
        check_leaves(g_leaves, v_leaves, "updates", "the state was initialised for")
        new_v = [as_dtype(b * v + cg * g, v) for v, g in zip(v_leaves, g_leaves)]
        updates = [as_dtype(-alpha * v, v) for v in new_v]
        return rebuild(td, updates), NesterovState(int(state.count) + 1, rebuild(td, new_v))

    return GradFnOptimizer(init, update)
