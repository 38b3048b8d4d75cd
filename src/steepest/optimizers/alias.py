r"""The named optimizers: each a ready :class:`~steepest.optimizers.Optimizer`.

Every ``learning_rate`` accepts a float or a schedule (``count -> float``, see
:mod:`~steepest.optimizers.schedules`). Hyperparameters are validated at construction, by
the building blocks. Use them as::

    opt = adam(1e-3)
    state = opt.init(params)
    updates, state = opt.update(grads, state, params)
    params = apply_updates(params, updates)          # or: params, state = step(opt, ...)

Every rule is a :func:`~steepest.optimizers.chain` of the building blocks of
:mod:`.transform` and :mod:`.adaptive` (as optax's ``alias.py``); its state is the tuple of
their states, e.g. ``(AdamState(count, mu, nu), ScheduleState(count))`` for :func:`adam`.
The chains of SGD, momentum, Adagrad, RMSprop and the Adam family are recognised by the
fused backend (:mod:`._fused`), which runs each step as one cache-blocked pass per leaf. In
the examples below each rule takes two steps on :math:`\|x\|^2` (gradient 2x) from x = (1, -2).

References: Liquet et al., *Mathematical Engineering of Deep Learning*, ch. 4 (equation
numbers below); torch.optim documentation for the conventions noted as "= torch".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._validate import check_nonnegative_float
from .adaptive import scale_by_adadelta, scale_by_adam, scale_by_adamax, scale_by_rms, scale_by_rss
from .base import Optimizer, chain
from .transform import add_decayed_weights, scale_by_learning_rate, trace

__all__ = [
    "adadelta", "adagrad", "adam", "adamax", "adamw", "lookahead_momentum", "momentum", "nadam",
    "rmsprop", "sgd",
]

Rate = float | Callable[[int], float]


def _named(name: str, opt: Optimizer) -> Optimizer:
    """``opt`` with its chain named ``name`` (error messages say whose state is expected)."""
    opt.update.name = name
    return opt


def _l2(weight_decay: float, mask: Any = None) -> list[Optimizer]:
    """``[add_decayed_weights(weight_decay, mask)]``, or nothing when the decay is 0."""
    lam = check_nonnegative_float(weight_decay, "weight_decay")
    return [add_decayed_weights(lam, mask)] if lam else []


def sgd(learning_rate: Rate = 0.01, *, weight_decay: float = 0.0) -> Optimizer:
    r"""(Stochastic) gradient descent, eq. 4.10:
    :math:`\theta \leftarrow \theta - \alpha_t (g + \lambda\theta)`.

    Args:
        learning_rate: alpha (float >= 0 or schedule).
        weight_decay: lambda >= 0, L2 added to the gradient (= torch.optim.SGD).

    Returns:
        ``chain([add_decayed_weights], scale_by_learning_rate)``; fused:
        :func:`~steepest.optimizers.step` applies it in one pass.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import sgd, step
        >>> opt = sgd(0.1); x = np.array([1.0, -2.0]); s = opt.init(x)
        >>> for _ in range(2): x, s = step(opt, 2 * x, s, x)
        >>> x
        array([ 0.64, -1.28])
    """
    opt = chain(*_l2(weight_decay), scale_by_learning_rate(learning_rate))
    return _named("sgd", opt)


def momentum(learning_rate: Rate = 0.01, beta: float = 0.9, *, form: str = "average",
             lookahead: bool = False, weight_decay: float = 0.0) -> Optimizer:
    r"""Gradient descent with momentum, eq. 4.16-4.17 (beta = 0 is gradient descent).

    ``form="average"`` (Liquet et al.'s): :math:`v \leftarrow \beta v + (1-\beta) g`,
    :math:`\theta \leftarrow \theta - \alpha v`. ``form="sum"`` (footnote 15; = torch
    ``SGD(momentum=beta)``): :math:`v \leftarrow \beta v + g`. The two coincide when
    ``alpha_sum = alpha_average * (1 - beta)``. ``lookahead=True`` steps along
    :math:`\beta v + (1-\beta) g` with the new v (eq. 4.36-4.37; in the sum form
    :math:`\beta v + g` = torch ``SGD(nesterov=True)``). v starts at 0.

    Args:
        learning_rate: alpha (float or schedule); Figure 4.6 uses 0.001 / (1 - beta).
        beta: momentum in [0, 1).
        form: ``"average"`` or ``"sum"``.
        lookahead: use the look-ahead combination (see :func:`lookahead_momentum`).
        weight_decay: L2 added to the gradient.

    Returns:
        ``chain([add_decayed_weights], trace, scale_by_learning_rate)`` (fused); its state
        holds a :class:`~steepest.optimizers.TraceState` (the velocity).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import momentum, step
        >>> opt = momentum(0.1, 0.9); x = np.array([1.0, -2.0]); s = opt.init(x)
        >>> for _ in range(2): x, s = step(opt, 2 * x, s, x)
        >>> x
        array([ 0.9424, -1.8848])
    """
    opt = chain(*_l2(weight_decay), trace(beta, form=form, lookahead=lookahead),
                scale_by_learning_rate(learning_rate))
    return _named("momentum", opt)


def lookahead_momentum(learning_rate: Rate = 0.01, beta: float = 0.9, *,
                       form: str = "average") -> Optimizer:
    r"""Look-ahead momentum, eq. 4.36-4.37: :math:`v \leftarrow \beta v + (1-\beta) g`,
    :math:`\theta \leftarrow \theta - \alpha(\beta v + (1-\beta) g)`, gradient at theta only.

    With constant alpha its iterates are exactly the look-ahead points of true Nesterov
    momentum (:func:`~steepest.optimizers.nesterov`) started from the same point: Nesterov
    written in the shifted variable :math:`\phi = \theta - \alpha\beta v`.

    Args:
        learning_rate: alpha (float or schedule).
        beta: momentum in [0, 1).
        form: ``"average"`` or ``"sum"`` (sum = torch ``SGD(momentum, nesterov=True)``).

    Returns:
        The optimizer (= ``momentum(..., lookahead=True)``).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import lookahead_momentum, step
        >>> opt = lookahead_momentum(0.1, 0.9); x = np.array([1.0, -2.0]); s = opt.init(x)
        >>> for _ in range(2): x, s = step(opt, 2 * x, s, x)
        >>> x.round(6)
        array([ 0.909244, -1.818488])
    """
    return _named("lookahead_momentum",
                  momentum(learning_rate, beta, form=form, lookahead=True))


def adagrad(learning_rate: Rate = 0.01, eps: float = 1e-10,
            initial_accumulator_value: float = 0.0) -> Optimizer:
    r"""Adagrad, eq. 4.21-4.22: :math:`s \leftarrow s + g\odot g`,
    :math:`\theta \leftarrow \theta - \alpha\, g / (\sqrt s + \varepsilon)`.

    Args:
        learning_rate: alpha (float or schedule).
        eps: > 0, outside the square root (= torch Adagrad with lr_decay = 0).
        initial_accumulator_value: s at the start, >= 0.

    Returns:
        ``chain(scale_by_rss, scale_by_learning_rate)`` (fused); its state holds a
        :class:`~steepest.optimizers.RssState`.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import adagrad, step
        >>> opt = adagrad(0.1); x = np.array([1.0, -2.0]); s = opt.init(x)
        >>> for _ in range(2): x, s = step(opt, 2 * x, s, x)
        >>> x.round(6)
        array([ 0.833104, -1.831125])
    """
    opt = chain(scale_by_rss(eps, initial_accumulator_value),
                scale_by_learning_rate(learning_rate))
    return _named("adagrad", opt)


def rmsprop(learning_rate: Rate = 0.01, decay: float = 0.99, eps: float = 1e-8) -> Optimizer:
    r"""RMSprop, eq. 4.21-4.22: :math:`s \leftarrow \gamma s + (1-\gamma) g\odot g`,
    :math:`\theta \leftarrow \theta - \alpha\, g / (\sqrt s + \varepsilon)`.

    Args:
        learning_rate: alpha (float or schedule).
        decay: gamma in [0, 1] (torch's ``alpha``; Liquet et al. suggest 0.999).
        eps: > 0, outside the square root (= torch RMSprop, not centered, no momentum).

    Returns:
        ``chain(scale_by_rms, scale_by_learning_rate)`` (fused); its state holds a
        :class:`~steepest.optimizers.RmsState`.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import rmsprop, step
        >>> opt = rmsprop(0.01); x = np.array([1.0, -2.0]); s = opt.init(x)
        >>> for _ in range(2): x, s = step(opt, 2 * x, s, x)
        >>> x.round(6)
        array([ 0.832918, -1.830943])
    """
    opt = chain(scale_by_rms(decay, eps), scale_by_learning_rate(learning_rate))
    return _named("rmsprop", opt)


def adadelta(learning_rate: Rate = 1.0, rho: float = 0.9, eps: float = 1e-6, *,
             eps_inside_sqrt: bool = False) -> Optimizer:
    r"""Adadelta, eq. 4.38: :math:`\theta \leftarrow \theta - \alpha
    \frac{\sqrt{\Delta}+\varepsilon}{\sqrt{s}+\varepsilon}\odot g`, with s the RMSprop average
    of :math:`g^2` and Delta the same average of the squared steps (before this one).

    Args:
        learning_rate: alpha, 1 by default ("learning-rate free").
        rho: smoothing of both averages, in [0, 1].
        eps: > 0. The first steps are of size about eps (Delta starts at 0).
        eps_inside_sqrt: use :math:`\sqrt{\Delta+\varepsilon}/\sqrt{s+\varepsilon}`
            (Zeiler 2012, = torch Adadelta).

    Returns:
        The optimizer (``chain(scale_by_adadelta, scale_by_learning_rate)``).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import adadelta, step
        >>> opt = adadelta(); x = np.array([1.0, -2.0]); s = opt.init(x)
        >>> for _ in range(2): x, s = step(opt, 2 * x, s, x)
        >>> x.round(6)
        array([ 0.999992, -1.999992])
    """
    opt = chain(scale_by_adadelta(rho, eps, eps_inside_sqrt=eps_inside_sqrt),
                scale_by_learning_rate(learning_rate))
    return _named("adadelta", opt)


def adam(learning_rate: Rate = 1e-3, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8, *,
         weight_decay: float = 0.0, mask: Any = None, reuse_buffers: bool = True) -> Optimizer:
    r"""Adam, Algorithm 4.2 / eq. 4.25 (Kingma & Ba 2015): at step t = 1, 2, ...

    :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`, :math:`v \leftarrow \beta_2 v +
    (1-\beta_2) g^2`, :math:`\theta \leftarrow \theta - \alpha \frac{m/(1-\beta_1^t)}
    {\sqrt{v/(1-\beta_2^t)} + \varepsilon}` — epsilon outside the square root, after bias
    correction, as torch.optim.Adam.

    Args:
        learning_rate: alpha (float or schedule).
        b1: beta_1 in [0, 1) (Liquet et al.'s beta).
        b2: beta_2 in [0, 1) (Liquet et al.'s gamma).
        eps: > 0.
        weight_decay: L2: adds lambda theta to g first (= torch ``Adam(weight_decay=...)``);
            for decoupled decay use :func:`adamw`.
        mask: pytree of bools (or callable params -> that pytree) limiting the decay to the
            leaves marked True (e.g. weights, not biases).
        reuse_buffers: recycle output buffers (>= 1 MiB) that nothing references any more —
            the previous step's, once you dropped it — instead of allocating fresh pages
            (keeps up to one extra generation alive; see ``steepest.optimizers._fused.pool``).

    Returns:
        ``chain([add_decayed_weights], scale_by_adam, scale_by_learning_rate)``; its state
        holds an :class:`~steepest.optimizers.AdamState` (count, mu, nu). One
        cache-blocked pass per leaf; :func:`~steepest.optimizers.step` fuses the update and
        its application, and ``step(..., inplace=True)`` allocates nothing.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import adam, step
        >>> opt = adam(0.05); x = np.array([3.0, -1.0]); s = opt.init(x)
        >>> for _ in range(500):
        ...     x, s = step(opt, 2 * x, s, x)                # minimise ||x||^2
        >>> bool(np.abs(x).max() < 1e-2)
        True
    """
    opt = chain(*_l2(weight_decay, mask), scale_by_adam(b1, b2, eps),
                scale_by_learning_rate(learning_rate), reuse_buffers=reuse_buffers)
    return _named("adam", opt)


def adamw(learning_rate: Rate = 1e-3, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
          weight_decay: float = 0.01, *, mask: Any = None, reuse_buffers: bool = True
          ) -> Optimizer:
    r"""AdamW (Loshchilov & Hutter 2019): Adam plus decoupled weight decay,
    :math:`\theta \leftarrow \theta - \alpha_t(\hat m/(\sqrt{\hat v}+\varepsilon) +
    \lambda\theta)` (= torch.optim.AdamW, which writes it :math:`\theta(1-\alpha\lambda)`
    followed by the Adam step).

    Args:
        learning_rate, b1, b2, eps, mask, reuse_buffers: as in :func:`adam`.
        weight_decay: lambda >= 0 (scaled by the learning rate, also under a schedule).

    Returns:
        ``chain(scale_by_adam, ..., scale_by_learning_rate)`` (fused); its state holds an
        :class:`~steepest.optimizers.AdamState`.

    Reference:
        I. Loshchilov & F. Hutter, "Decoupled weight decay regularization", ICLR 2019; Liquet et
        al., *Mathematical Engineering of Deep Learning*, §4.3 (eq. 4.25).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import adamw, step
        >>> opt = adamw(0.1, weight_decay=0.5); x = np.array([1.0, -2.0]); s = opt.init(x)
        >>> for _ in range(2): x, s = step(opt, 2 * x, s, x)
        >>> x.round(6)
        array([ 0.708248, -1.610412])
    """
    opt = chain(scale_by_adam(b1, b2, eps), *_l2(weight_decay, mask),
                scale_by_learning_rate(learning_rate), reuse_buffers=reuse_buffers)
    return _named("adamw", opt)


def nadam(learning_rate: Rate = 1e-3, b1: float = 0.9, b2: float = 0.999,
          eps: float = 1e-8, *, reuse_buffers: bool = True) -> Optimizer:
    r"""Nadam (Liquet §4.5, Dozat 2016): Algorithm 4.2 with line 7 replaced by the
    look-ahead estimate :math:`\hat m = \frac{\beta_1 m}{1-\beta_1^{t+1}} +
    \frac{(1-\beta_1) g}{1-\beta_1^t}`.

    Same rule as optax.nadam. torch.optim.NAdam differs: it uses a momentum-decay schedule
    :math:`\mu_t = \beta_1(1 - 0.5 \cdot 0.96^{t\psi})`, so the two do not coincide.

    Args:
        learning_rate, b1, b2, eps, reuse_buffers: as in :func:`adam`.

    Returns:
        ``chain(scale_by_adam, ..., scale_by_learning_rate)`` (fused); its state holds an
        :class:`~steepest.optimizers.AdamState`.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import nadam, step
        >>> opt = nadam(0.1); x = np.array([1.0, -2.0]); s = opt.init(x)
        >>> for _ in range(2): x, s = step(opt, 2 * x, s, x)
        >>> x.round(6)
        array([ 0.741697, -1.739121])
    """
    opt = chain(scale_by_adam(b1, b2, eps, nesterov=True), scale_by_learning_rate(learning_rate),
                reuse_buffers=reuse_buffers)
    return _named("nadam", opt)


def adamax(learning_rate: Rate = 2e-3, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8,
           *, eps_inside_max: bool = False) -> Optimizer:
    r"""Adamax, eq. 4.41-4.42: :math:`r \leftarrow \max(\beta_2 r, |g|)`,
    :math:`\theta \leftarrow \theta - \alpha\, \hat m / (r + \varepsilon)`, the
    :math:`L_\infty` limit of Adam's second moment.

    Args:
        learning_rate, b1, eps: as in :func:`adam`.
        b2: decay of the running maximum, in [0, 1).
        eps_inside_max: :math:`r \leftarrow \max(\beta_2 r, |g|+\varepsilon)`, step
            :math:`\hat m / r` (= torch.optim.Adamax, optax.adamax).

    Returns:
        The optimizer (``chain(scale_by_adamax, scale_by_learning_rate)``).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import adamax, step
        >>> opt = adamax(0.1); x = np.array([1.0, -2.0]); s = opt.init(x)
        >>> for _ in range(2): x, s = step(opt, 2 * x, s, x)
        >>> x.round(6)
        array([ 0.805168, -1.802534])
    """
    opt = chain(scale_by_adamax(b1, b2, eps, eps_inside_max=eps_inside_max),
                scale_by_learning_rate(learning_rate))
    return _named("adamax", opt)
