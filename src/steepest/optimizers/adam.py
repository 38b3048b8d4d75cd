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
from typing import Any

from ._kernels import Coefficients
from ._validate import check_decay, check_nonnegative, check_positive, check_rate
from .base import Optimizer
from .fused import AdamState, FusedRule

__all__ = ["AdamState", "scale_by_adam"]


def _adam_coefficients(b1: float, b2: float, eps: float, nesterov: bool
                       ) -> Callable[[int], Coefficients]:
    def coefficients(count: int) -> Coefficients:
        """Constants of step t = count + 1 (bias corrections folded in, see _kernels)."""
        t = count + 1
        bc1, sbc2 = 1.0 - b1**t, (1.0 - b2**t) ** 0.5
        nest = (b1 / (1.0 - b1 ** (t + 1)), (1.0 - b1) / bc1) if nesterov else None
        return Coefficients(scale=sbc2 * (1.0 if nesterov else 1.0 / bc1), b1=b1, c1=1.0 - b1,
                            b2=b2, c2=1.0 - b2, eps_hat=eps * sbc2, nesterov=nest)

    return coefficients


def adam_family(learning_rate: float | Callable[[int], float] = 1.0, b1: float = 0.9,
                b2: float = 0.999, eps: float = 1e-8, *, descent: bool = True,
                nesterov: bool = False, l2: float = 0.0, decoupled: float = 0.0,
                mask: Any = None, reuse_buffers: bool = True) -> Optimizer:
    """Build an Adam-family optimizer after validating every hyperparameter."""
    b1, b2 = check_decay("b1", b1), check_decay("b2", b2)
    eps = check_positive("eps", eps, "pass e.g. 1e-8 (it guards the division by sqrt(v))")
    rule = FusedRule(
        "adam", AdamState, (0.0, 0.0), _adam_coefficients(b1, b2, eps, nesterov),
        check_rate("learning_rate", learning_rate), descent=descent,
        l2=check_nonnegative("weight_decay", l2),
        decoupled=check_nonnegative("weight_decay", decoupled), mask=mask,
        reuse_buffers=bool(reuse_buffers),
    )
    return Optimizer(rule.init, rule)


def scale_by_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8, *,
                  nesterov: bool = False) -> Optimizer:
    r"""Adam's direction :math:`\hat m / (\sqrt{\hat v} + \varepsilon)` (no learning rate, no
    sign): chain it with :func:`scale_by_learning_rate`. ``nesterov=True`` gives Nadam's.

    Args:
        b1: beta_1 in [0, 1) (momentum smoothing; the seed's beta).
        b2: beta_2 in [0, 1) (second-moment smoothing; the seed's gamma).
        eps: > 0, added outside the square root after bias correction.
        nesterov: use Nadam's look-ahead first moment.

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (a gradient transformation); chain it with
        :func:`scale_by_learning_rate` for a descent step.

    Reference:
        D. P. Kingma & J. Ba, "Adam: a method for stochastic optimization", ICLR 2015; Liquet et
        al., *Mathematical Engineering of Deep Learning*, §4.3, Algorithm 4.2 (eqs. 4.23-4.25); T.
        Dozat, "Incorporating Nesterov momentum into Adam", ICLR 2016 workshop (Nadam).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_adam
        >>> t = scale_by_adam()
        >>> t.update(np.array([1.0, -2.0]), t.init(np.zeros(2)))[0].round(6)  # first step: g / |g|
        array([ 1., -1.])
    """
    return adam_family(1.0, b1, b2, eps, descent=False, nesterov=nesterov)
