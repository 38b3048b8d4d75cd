"""Rules with a fused, cache-blocked implementation: SGD, momentum, RMSprop, Adagrad, Adam,
AdamW, Nadam.

A :class:`FusedRule` is the ``update`` of an :class:`~steepest.optimizers.Optimizer`:
``update(grads, state, params)`` returns fresh updates and state like any transformation, and
its ``fused_step`` (used by :func:`steepest.optimizers.step`) writes the new parameters in the
same pass, optionally in place. Output buffers of >= 1 MiB that nothing references any more
are recycled (:mod:`._pool`). The maths of each rule is in the alias docstrings
(:mod:`.alias`, :mod:`.adam`); the kernels are in :mod:`._kernels`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np

from ._kernels import Coefficients, fused_leaf
from ._pool import POOL_SUPPORTED, BufferPool
from ._trees import flat, lr_at, need_params, rebuild, zeros_like_params

__all__ = ["AdagradState", "AdamState", "FusedRule", "MomentumState", "RmspropState",
           "SgdState"]


class SgdState(NamedTuple):
    """State of :func:`sgd`: only the step counter (for learning-rate schedules).

    Attributes:
        count: number of updates done so far.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (θ ← θ − α_t ∇C; the
        counter gives α_t).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import sgd
        >>> sgd(0.1).init(np.zeros(2))
        SgdState(count=0)
    """

    count: int


class MomentumState(NamedTuple):
    """State of :func:`momentum`: the step counter and the velocity v.

    Attributes:
        count: number of updates done so far.
        velocity: v, a pytree like the parameters (v ← βv + (1 − β)g or βv + g).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3 "Momentum"
        (eqs. 4.16-4.17).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import momentum
        >>> momentum(0.1).init(np.zeros(2))
        MomentumState(count=0, velocity=array([0., 0.]))
    """

    count: int
    velocity: Any


class RmspropState(NamedTuple):
    """State of :func:`rmsprop`: the step counter and the second-moment average s.

    Attributes:
        count: number of updates done so far.
        nu: s, the exponential average of g ⊙ g (a pytree like the parameters).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3 (RMSprop, eqs. 4.21-4.22).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import rmsprop
        >>> rmsprop(0.1).init(np.zeros(2))
        RmspropState(count=0, nu=array([0., 0.]))
    """

    count: int
    nu: Any


class AdagradState(NamedTuple):
    """State of :func:`adagrad`: the step counter and the running sum of squared gradients.

    Attributes:
        count: number of updates done so far.
        sum_of_squares: s = Σ g ⊙ g (a pytree like the parameters).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3 (Adagrad, eqs. 4.21-4.22);
        Duchi, Hazan & Singer, JMLR 12 (2011).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import adagrad
        >>> adagrad(0.1).init(np.zeros(2))
        AdagradState(count=0, sum_of_squares=array([0., 0.]))
    """

    count: int
    sum_of_squares: Any


class AdamState(NamedTuple):
    """State of :func:`adam`, :func:`adamw` and :func:`nadam`.

    Attributes:
        count: number of updates done so far (t in the bias corrections 1 − β₁ᵗ, 1 − β₂ᵗ).
        mu: first-moment average m (a pytree like the parameters).
        nu: second-moment average v of g ⊙ g.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3, Algorithm 4.2 (eqs.
        4.23-4.25).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import adam
        >>> adam(0.1).init(np.zeros(2))
        AdamState(count=0, mu=array([0., 0.]), nu=array([0., 0.]))
    """

    count: int
    mu: Any
    nu: Any


class FusedRule:
    """``update`` of a fused rule; ``fused_step`` writes parameters directly.

    Args:
        kind: kernel name (``"sgd"``, ``"momentum"``, ``"rms"``, ``"adam"``).
        state_cls: NamedTuple ``(count, *moments)``.
        fills: initial value of each moment.
        coefficients: ``(count, lr) -> Coefficients`` of step ``count + 1`` with ``scale`` for
            a unit learning rate and no sign; the rule applies ``-lr`` (descent) itself.
        rate: learning rate or schedule.
        descent: multiply by ``-lr``; False gives a direction transform (``scale_by_adam``).
        l2, decoupled: weight decay added to the gradient / decoupled (times lr).
        mask: pytree of bools or callable params -> that pytree, selecting decayed leaves.
        reuse_buffers: recycle unreferenced output buffers.
        count_free: the coefficients do not depend on the step (cached for a constant rate).
    """

    def __init__(self, kind: str, state_cls: type, fills: tuple[float, ...],
                 coefficients: Callable[[int], Coefficients],
                 rate: float | Callable[[int], float], *, descent: bool = True, l2: float = 0.0,
                 decoupled: float = 0.0, mask: Any = None, reuse_buffers: bool = True,
                 count_free: bool = False) -> None:
        self.kind, self.state_cls, self.fills, self.coef = kind, state_cls, fills, coefficients
        self.rate, self.descent, self.l2, self.decoupled, self.mask = (
            rate, descent, l2, decoupled, mask)
        self.pool = BufferPool() if (reuse_buffers and POOL_SUPPORTED) else None
        # constants that do not change with the step: computed once
        self._cached = self._compute(0) if (count_free and not callable(rate)) else None
        if not descent:
            self.fused_step = None

    def init(self, params: Any) -> Any:
        return self.state_cls(0, *[zeros_like_params(params, f) for f in self.fills])

    def coefficients(self, count: int) -> Coefficients:
        return self._cached if self._cached is not None else self._compute(count)

    def _compute(self, count: int) -> Coefficients:
        lr = lr_at(self.rate, count)
        c = self.coef(count)
        sign = -lr if self.descent else 1.0
        return replace(c, scale=sign * c.scale, l2=self.l2, decay=lr * self.decoupled)

    def _leaf_coefs(self, c: Coefficients, params: Any, td: Any, n: int) -> list[Coefficients]:
        if self.mask is None or not (c.l2 or c.decay):
            return [c] * n
        keep = flat(self.mask(params) if callable(self.mask) else self.mask, td, "mask")[0]
        undecayed = replace(c, l2=0.0, decay=0.0)
        return [c if k else undecayed for k in keep]

    def _run(self, grads: Any, state: Any, params: Any, to_params: bool,
             inplace: bool) -> tuple[Any, Any]:
        g_leaves, td = flat(grads)
        moments = [flat(m, td, "optimizer state")[0] for m in state[1:]]
        if params is None and (self.l2 or self.decoupled or to_params):
            need_params(params, "step" if to_params else "weight decay")
        p_leaves = [None] * len(g_leaves) if params is None else flat(params, td, "params")[0]
        coefs = self._leaf_coefs(self.coefficients(int(state.count)), params, td, len(g_leaves))
        alloc = np.empty
        if self.pool is not None:
            self.pool.per_key = 2 * (len(moments) + 1) * len(g_leaves)  # two generations
            alloc = self.pool.take
        outs = []
        for i, (g, p, c) in enumerate(zip(g_leaves, p_leaves, coefs)):
            ms = tuple(m[i] for m in moments)
            dtype = _leaf_dtype(ms, p, g)
            outs.append(fused_leaf(self.kind, g, ms, p, dtype, c, to_params=to_params,
                                   inplace=inplace, alloc=alloc))
        new_moments = [rebuild(td, [o[0][j] for o in outs]) for j in range(len(moments))]
        return rebuild(td, [o[1] for o in outs]), self.state_cls(int(state.count) + 1,
                                                                   *new_moments)

    def __call__(self, grads: Any, state: Any, params: Any = None) -> tuple[Any, Any]:
        return self._run(grads, state, params, to_params=False, inplace=False)

    def fused_step(self, grads: Any, state: Any, params: Any, *,
                   inplace: bool = False) -> tuple[Any, Any]:
        return self._run(grads, state, params, to_params=True, inplace=inplace)


def _leaf_dtype(moments: tuple, p: Any, g: Any) -> np.dtype:
    if moments:
        return np.asarray(moments[0]).dtype
    ref = np.asarray(p if p is not None else g)
    return ref.dtype if ref.dtype.kind == "f" else np.dtype(np.float64)
