r"""Adam and its relatives (AdamW, Nadam) on the cache-blocked kernel of :mod:`._kernels`.

Adam (Liquet et al. Algorithm 4.2; Kingma & Ba 2015), at step t = 1, 2, ...:

.. math::
    m \leftarrow \beta_1 m + (1-\beta_1) g,\quad
    v \leftarrow \beta_2 v + (1-\beta_2) g\odot g,\quad
    \hat m = \frac{m}{1-\beta_1^t},\quad \hat v = \frac{v}{1-\beta_2^t},\quad
    \theta \leftarrow \theta - \alpha_t \frac{\hat m}{\sqrt{\hat v} + \varepsilon}

with epsilon added *outside* the square root, after bias correction, exactly as
torch.optim.Adam. Nadam replaces line 7 of Algorithm 4.2 by the look-ahead estimate
:math:`\hat m = \frac{\beta_1 m}{1-\beta_1^{t+1}} + \frac{(1-\beta_1) g}{1-\beta_1^t}`
(Liquet §4.5; Dozat 2016; = optax.nadam). AdamW adds decoupled weight decay
:math:`-\alpha_t \lambda \theta` (Loshchilov & Hutter 2019; = torch.optim.AdamW).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np

from ._kernels import AdamCoefficients, adam_leaf
from ._pool import POOL_SUPPORTED, BufferPool
from ._trees import flat, lr_at, need_params, rebuild, zeros_like_params
from ._validate import check_decay, check_nonnegative, check_positive, check_rate
from .base import Optimizer

__all__ = ["AdamState", "scale_by_adam"]


class AdamState(NamedTuple):
    """``count`` = steps done; ``mu``, ``nu`` = first and second moment pytrees."""

    count: int
    mu: Any
    nu: Any


class _AdamFamily:
    """``update`` of the Adam family; ``fused_step`` writes parameters directly (see
    :func:`steepest.optimizers.step`)."""

    def __init__(self, rate: float | Callable[[int], float], b1: float, b2: float, eps: float,
                 *, descent: bool, nesterov: bool, l2: float, decoupled: float,
                 mask: Any = None, reuse_buffers: bool = True) -> None:
        self.rate, self.b1, self.b2, self.eps = rate, b1, b2, eps
        self.descent, self.nesterov, self.l2, self.decoupled = descent, nesterov, l2, decoupled
        self.mask = mask
        self.pool = BufferPool() if (reuse_buffers and POOL_SUPPORTED) else None
        if not descent:
            self.fused_step = None

    def init(self, params: Any) -> AdamState:
        return AdamState(0, zeros_like_params(params), zeros_like_params(params))

    def coefficients(self, count: int) -> AdamCoefficients:
        """Constants of step ``count + 1`` (bias corrections folded in, see _kernels)."""
        t = count + 1
        lr = lr_at(self.rate, count)
        bc1, sbc2 = 1.0 - self.b1**t, (1.0 - self.b2**t) ** 0.5
        sign = -lr if self.descent else 1.0
        nest = None
        if self.nesterov:
            nest = (self.b1 / (1.0 - self.b1 ** (t + 1)), (1.0 - self.b1) / bc1)
        return AdamCoefficients(
            b1=self.b1, b2=self.b2, eps_hat=self.eps * sbc2,
            scale=sign * sbc2 * (1.0 if self.nesterov else 1.0 / bc1),
            l2=self.l2, decay=lr * self.decoupled, nesterov=nest,
        )

    def _run(self, grads: Any, state: AdamState, params: Any, to_params: bool,
             inplace: bool) -> tuple[Any, AdamState]:
        m_leaves, td = flat(state.mu)
        v_leaves, _ = flat(state.nu)
        g_leaves, _ = flat(grads, td)
        if params is None:
            if self.l2 or self.decoupled or to_params:
                need_params(params, "weight decay" if not to_params else "step")
            p_leaves = [None] * len(g_leaves)
        else:
            p_leaves, _ = flat(params, td, "params")
        c = self.coefficients(int(state.count))
        coefs = [c] * len(g_leaves)
        if self.mask is not None and (c.l2 or c.decay):
            keep = flat(self.mask(params) if callable(self.mask) else self.mask, td, "mask")[0]
            undecayed = replace(c, l2=0.0, decay=0.0)
            coefs = [c if k else undecayed for k in keep]
        alloc = np.empty
        if self.pool is not None:
            self.pool.per_key = 6 * len(g_leaves)  # two generations of (m, v, out) per leaf
            alloc = self.pool.take
        res = [adam_leaf(g, m, v, p, ci, to_params=to_params, inplace=inplace, alloc=alloc)
               for g, m, v, p, ci in zip(g_leaves, m_leaves, v_leaves, p_leaves, coefs)]
        new = AdamState(int(state.count) + 1, rebuild(td, [r[0] for r in res]),
                        rebuild(td, [r[1] for r in res]))
        return rebuild(td, [r[2] for r in res]), new

    def __call__(self, grads: Any, state: AdamState, params: Any = None) -> tuple[Any, AdamState]:
        return self._run(grads, state, params, to_params=False, inplace=False)

    def fused_step(self, grads: Any, state: AdamState, params: Any, *,
                   inplace: bool = False) -> tuple[Any, AdamState]:
        return self._run(grads, state, params, to_params=True, inplace=inplace)


def adam_family(learning_rate: float | Callable[[int], float] = 1.0, b1: float = 0.9,
                b2: float = 0.999, eps: float = 1e-8, *, descent: bool = True,
                nesterov: bool = False, l2: float = 0.0, decoupled: float = 0.0,
                mask: Any = None, reuse_buffers: bool = True) -> Optimizer:
    """Build an Adam-family optimizer after validating every hyperparameter."""
    fam = _AdamFamily(
        check_rate("learning_rate", learning_rate), check_decay("b1", b1), check_decay("b2", b2),
        check_positive("eps", eps, "pass e.g. 1e-8 (it guards the division by sqrt(v))"),
        descent=descent, nesterov=nesterov, l2=check_nonnegative("weight_decay", l2),
        decoupled=check_nonnegative("weight_decay", decoupled), mask=mask,
        reuse_buffers=bool(reuse_buffers),
    )
    return Optimizer(fam.init, fam)


def scale_by_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8, *,
                  nesterov: bool = False) -> Optimizer:
    r"""Adam's direction :math:`\hat m / (\sqrt{\hat v} + \varepsilon)` (no learning rate, no
    sign): chain it with :func:`scale_by_learning_rate`. ``nesterov=True`` gives Nadam's.

    Args:
        b1: beta_1 in [0, 1) (momentum smoothing; the seed's beta).
        b2: beta_2 in [0, 1) (second-moment smoothing; the seed's gamma).
        eps: > 0, added outside the square root after bias correction.
        nesterov: use Nadam's look-ahead first moment.
    """
    return adam_family(1.0, b1, b2, eps, descent=False, nesterov=nesterov)
