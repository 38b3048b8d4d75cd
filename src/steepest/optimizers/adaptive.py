"""Per-coordinate adaptive scalings: Adagrad, RMSprop, Adam, Adadelta and Adamax.

Each divides the incoming direction ``g`` leafwise by a running statistic of past gradients
(a sum or an average of squares, or an infinity-norm), so every coordinate gets its own step
size. Like the other building blocks of :mod:`.transform`, they keep the *ascent* orientation;
chain them with :func:`~steepest.optimizers.scale_by_learning_rate`. Each state class sits right
above its transform. Adagrad, RMSprop and Adam run on the cache-blocked kernels of
:mod:`._fused.kernels` (one pass per leaf, and fused with the step in a recognised chain).

Reference: Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3 (Adagrad, RMSprop,
Adam, eq. 4.21-4.25) and §4.5 (Adadelta, Adamax, eq. 4.36-4.42).

Example (Adagrad built from blocks):
    >>> import numpy as np
    >>> from steepest.optimizers import chain, step, scale_by_rss, scale_by_learning_rate
    >>> opt = chain(scale_by_rss(), scale_by_learning_rate(0.5))
    >>> x = np.array([1.0, -2.0]); s = opt.init(x)
    >>> for _ in range(200): x, s = step(opt, 2 * x, s, x)
    >>> bool(np.abs(x).max() < 1e-3)
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from .._validate import check_decay, check_nonnegative_float, check_positive_float
from ._fused.kernels import Coefficients
from ._fused.leaves import direction_update
from ._fused.specs import Direction
from ._trees import as_dtype, check_leaves, check_state, flat, rebuild, zeros_like_params
from .base import Optimizer

__all__ = [
    "AdadeltaState",
    "AdamState",
    "AdamaxState",
    "RmsState",
    "RssState",
    "scale_by_adadelta",
    "scale_by_adam",
    "scale_by_adamax",
    "scale_by_rms",
    "scale_by_rss",
]

_INITIALISED = "the state was initialised for"


class RssState(NamedTuple):
    """State of :func:`scale_by_rss` (Adagrad): the running sum of squared gradients.

    Attributes:
        sum_of_squares: s = s₀ + Σ g ⊙ g (a pytree like the parameters).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3 (eqs. 4.21-4.22).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_rss
        >>> scale_by_rss().init(np.zeros(2))
        RssState(sum_of_squares=array([0., 0.]))
    """

    sum_of_squares: Any
    made_by = "adagrad"  # who inits this state (error messages)


def scale_by_rss(eps: float = 1e-10, initial_accumulator_value: float = 0.0) -> Optimizer:
    r"""Adagrad scaling (Liquet eq. 4.21-4.22): :math:`s \leftarrow s + g \odot g`,
    :math:`u = g / (\sqrt{s} + \varepsilon)`.

    Args:
        eps: > 0, added to the root.
        initial_accumulator_value: the starting s, >= 0.

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (a gradient transformation); chain it with
        :func:`scale_by_learning_rate` for a descent step.

    Reference:
        J. Duchi, E. Hazan & Y. Singer, "Adaptive subgradient methods for online learning and
        stochastic optimization", JMLR 12 (2011); Liquet et al., *Mathematical Engineering of Deep
        Learning*, §4.3 (eqs. 4.21-4.22).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_rss
        >>> t = scale_by_rss()
        >>> t.update(np.array([1.0, -2.0]), t.init(np.zeros(2)))[0].round(6)
        array([ 1., -1.])
    """
    coef = Coefficients(scale=1.0, b2=1.0, c2=1.0, eps_hat=check_positive_float(eps, "eps"))
    s0 = check_nonnegative_float(initial_accumulator_value, "initial_accumulator_value")

    def init(params: Any) -> RssState:
        return RssState(zeros_like_params(params, s0))

    return Optimizer(init, direction_update(Direction("rms", ("sum_of_squares",),
                                                      lambda count: coef), RssState))


class RmsState(NamedTuple):
    """State of :func:`scale_by_rms` (RMSprop): the second-moment average.

    Attributes:
        nu: s, the exponential average of g ⊙ g (a pytree like the parameters).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3 (eqs. 4.21-4.22).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_rms
        >>> scale_by_rms().init(np.zeros(2))
        RmsState(nu=array([0., 0.]))
    """

    nu: Any
    made_by = "rmsprop"  # who inits this state (error messages)


def scale_by_rms(decay: float = 0.99, eps: float = 1e-8, initial_scale: float = 0.0) -> Optimizer:
    r"""RMSprop scaling (Liquet eq. 4.21-4.22):
    :math:`s \leftarrow \gamma s + (1-\gamma)\, g \odot g`, :math:`u = g / (\sqrt{s} + \varepsilon)`
    (epsilon outside the square root, as in torch.optim.RMSprop).

    Args:
        decay: γ in [0, 1].
        eps: > 0, added outside the root.
        initial_scale: the starting s, >= 0.

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (a gradient transformation); chain it with
        :func:`scale_by_learning_rate` for a descent step.

    Reference:
        G. Hinton, *Neural Networks for Machine Learning*, lecture 6e (2012); Liquet et al.,
        *Mathematical Engineering of Deep Learning*, §4.3 (eqs. 4.21-4.22).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_rms
        >>> t = scale_by_rms(decay=0.9)
        >>> t.update(np.array([1.0, -2.0]), t.init(np.zeros(2)))[0].round(6)  # g / sqrt(0.1 g²)
        array([ 3.162278, -3.162278])
    """
    gamma = check_decay(decay, "decay", allow_one=True)
    e = check_positive_float(eps, "eps")
    coef = Coefficients(scale=1.0, b2=gamma, c2=1.0 - gamma, eps_hat=e)
    s0 = check_nonnegative_float(initial_scale, "initial_scale")

    def init(params: Any) -> RmsState:
        return RmsState(zeros_like_params(params, s0))

    return Optimizer(init, direction_update(Direction("rms", ("nu",), lambda count: coef),
                                             RmsState))


class AdamState(NamedTuple):
    """State of :func:`scale_by_adam` (Adam, AdamW, Nadam).

    Attributes:
        count: number of updates done so far (t in the bias corrections 1 − β₁ᵗ, 1 − β₂ᵗ).
        mu: first-moment average m (a pytree like the parameters).
        nu: second-moment average v of g ⊙ g.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.3, Algorithm 4.2 (eqs.
        4.23-4.25).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_adam
        >>> scale_by_adam().init(np.zeros(2))
        AdamState(count=0, mu=array([0., 0.]), nu=array([0., 0.]))
    """

    count: int
    mu: Any
    nu: Any
    made_by = "adam"  # who inits this state (error messages)


def _adam_coefficients(b1: float, b2: float, eps: float, nesterov: bool
                       ) -> Callable[[int], Coefficients]:
    """Kernel constants of step t = count + 1 with the bias corrections folded in:
    ``m_hat / (sqrt(v_hat) + eps) == (sqrt(bc2) / bc1) * m / (sqrt(v) + eps * sqrt(bc2))``."""

    def coefficients(count: int) -> Coefficients:
        t = count + 1
        bc1, sbc2 = 1.0 - b1**t, (1.0 - b2**t) ** 0.5
        nest = (b1 / (1.0 - b1 ** (t + 1)), (1.0 - b1) / bc1) if nesterov else None
        return Coefficients(scale=sbc2 * (1.0 if nesterov else 1.0 / bc1), b1=b1, c1=1.0 - b1,
                            b2=b2, c2=1.0 - b2, eps_hat=eps * sbc2, nesterov=nest)

    return coefficients


def scale_by_adam(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8, *,
                  nesterov: bool = False) -> Optimizer:
    r"""Adam's direction (Liquet Algorithm 4.2; Kingma & Ba 2015): at step t = 1, 2, ...

    :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`,
    :math:`v \leftarrow \beta_2 v + (1-\beta_2) g \odot g`,
    :math:`u = \frac{m/(1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)} + \varepsilon}` — epsilon outside
    the square root, after bias correction, as torch.optim.Adam. No learning rate, no sign:
    chain it with :func:`scale_by_learning_rate`. ``nesterov=True`` gives Nadam's look-ahead
    estimate :math:`\hat m = \frac{\beta_1 m}{1-\beta_1^{t+1}} + \frac{(1-\beta_1) g}{1-\beta_1^t}`
    (Liquet §4.5; Dozat 2016; = optax.nadam).

    Args:
        b1: beta_1 in [0, 1) (momentum smoothing; Liquet et al.'s beta).
        b2: beta_2 in [0, 1) (second-moment smoothing; Liquet et al.'s gamma).
        eps: > 0, added outside the square root after bias correction.
        nesterov: use Nadam's look-ahead first moment.

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (a gradient transformation) with an
        :class:`AdamState`, computed by one cache-blocked kernel pass per leaf.

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
    beta1, beta2 = check_decay(b1, "b1"), check_decay(b2, "b2")
    e = check_positive_float(eps, "eps", fix="pass e.g. 1e-8 (it guards the division by sqrt(v))")
    coefficients = _adam_coefficients(beta1, beta2, e, bool(nesterov))

    def init(params: Any) -> AdamState:
        return AdamState(0, zeros_like_params(params), zeros_like_params(params))

    return Optimizer(init, direction_update(Direction("adam", ("mu", "nu"), coefficients,
                                                      counted=True), AdamState))


class AdadeltaState(NamedTuple):
    """State of :func:`scale_by_adadelta`: the two exponential averages.

    Attributes:
        nu: s, the average of g ⊙ g.
        delta: Δ, the average of u ⊙ u over earlier steps.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Adadelta" (eq. 4.38);
        Zeiler, arXiv:1212.5701 (2012).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_adadelta
        >>> scale_by_adadelta().init(np.zeros(2))
        AdadeltaState(nu=array([0., 0.]), delta=array([0., 0.]))
    """

    nu: Any
    delta: Any
    made_by = "adadelta"  # who inits this state (error messages)


def scale_by_adadelta(rho: float = 0.9, eps: float = 1e-6, *, eps_inside_sqrt: bool = False
                      ) -> Optimizer:
    r"""Adadelta scaling (Liquet eq. 4.38 and the recursion below it).

    :math:`s \leftarrow \rho s + (1-\rho) g \odot g`,
    :math:`u = \frac{\sqrt{\Delta} + \varepsilon}{\sqrt{s} + \varepsilon} \odot g`,
    :math:`\Delta \leftarrow \rho \Delta + (1-\rho)\, u \odot u` (Delta from earlier steps
    only). ``eps_inside_sqrt=True`` uses :math:`\sqrt{\Delta+\varepsilon}/\sqrt{s+\varepsilon}`
    instead: Zeiler (2012) and torch.optim.Adadelta.

    Args:
        rho: ρ in [0, 1), the smoothing of both averages.
        eps: > 0.
        eps_inside_sqrt: Zeiler's placement of ε (see above).

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (a gradient transformation); chain it with
        :func:`scale_by_learning_rate` for a descent step.

    Reference:
        M. D. Zeiler, "ADADELTA: an adaptive learning rate method", arXiv:1212.5701 (2012); Liquet
        et al., *Mathematical Engineering of Deep Learning*, §4.5 "Adadelta" (eq. 4.38).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_adadelta
        >>> t = scale_by_adadelta()
        >>> u, _ = t.update(np.array([1.0, -2.0]), t.init(np.zeros(2)))
        >>> np.sign(u), bool(np.all(np.abs(u) < 1e-5))  # Δ = 0: tiny first step
        (array([ 1., -1.]), True)
    """
    r = check_decay(rho, "rho", allow_one=True)
    e = check_positive_float(eps, "eps")

    def ratio(d: np.ndarray, s: np.ndarray) -> np.ndarray:
        if eps_inside_sqrt:
            return np.sqrt(d + e) / np.sqrt(s + e)
        return (np.sqrt(d) + e) / (np.sqrt(s) + e)

    def init(params: Any) -> AdadeltaState:
        return AdadeltaState(zeros_like_params(params), zeros_like_params(params))

    def update(g: Any, state: AdadeltaState, params: Any = None) -> tuple[Any, AdadeltaState]:
        check_state(state, AdadeltaState, "scale_by_adadelta")
        s_leaves, td = flat(state.nu)
        d_leaves, _ = flat(state.delta)
        g_leaves, _ = flat(g, td)
        check_leaves(g_leaves, s_leaves, "updates", _INITIALISED)
        new_s = [as_dtype(r * s + (1.0 - r) * (gi * gi), s) for s, gi in zip(s_leaves, g_leaves)]
        out = [as_dtype(ratio(d, s) * gi, s) for d, s, gi in zip(d_leaves, new_s, g_leaves)]
        new_d = [as_dtype(r * d + (1.0 - r) * (u * u), d) for d, u in zip(d_leaves, out)]
        return rebuild(td, out), AdadeltaState(rebuild(td, new_s), rebuild(td, new_d))

    update.state_type = AdadeltaState
    return Optimizer(init, update)


class AdamaxState(NamedTuple):
    """State of :func:`scale_by_adamax`.

    Attributes:
        count: number of updates done so far.
        mu: first-moment average m.
        r: the exponentially weighted infinity norm r ← max(β₂r, |g|).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Other Norms and Adamax"
        (eqs. 4.41-4.42).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_adamax
        >>> scale_by_adamax().init(np.zeros(2))
        AdamaxState(count=0, mu=array([0., 0.]), r=array([0., 0.]))
    """

    count: int
    mu: Any
    r: Any
    made_by = "adamax"  # who inits this state (error messages)


def scale_by_adamax(b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8, *,
                    eps_inside_max: bool = False) -> Optimizer:
    r"""Adamax scaling (Liquet eq. 4.41-4.42): with t the step number (1, 2, ...)

    :math:`m \leftarrow \beta_1 m + (1-\beta_1) g`,
    :math:`r \leftarrow \max(\beta_2 r, |g|)`,
    :math:`u = \frac{m / (1-\beta_1^t)}{r + \varepsilon}`.
    ``eps_inside_max=True`` uses :math:`r \leftarrow \max(\beta_2 r, |g| + \varepsilon)`,
    :math:`u = \hat m / r` (torch.optim.Adamax, optax.adamax).

    Args:
        b1: β₁ in [0, 1), first-moment smoothing.
        b2: β₂ in [0, 1), decay of the infinity norm.
        eps: > 0.
        eps_inside_max: the torch/optax placement of ε (see above).

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (a gradient transformation); chain it with
        :func:`scale_by_learning_rate` for a descent step.

    Reference:
        D. P. Kingma & J. Ba, "Adam: a method for stochastic optimization", ICLR 2015, §7.1; Liquet
        et al., *Mathematical Engineering of Deep Learning*, §4.5 "Other Norms and Adamax" (eqs.
        4.39-4.42).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import scale_by_adamax
        >>> t = scale_by_adamax()
        >>> t.update(np.array([1.0, -2.0]), t.init(np.zeros(2)))[0].round(6)
        array([ 1., -1.])
    """
    beta1, beta2 = check_decay(b1, "b1"), check_decay(b2, "b2")
    e = check_positive_float(eps, "eps")

    def init(params: Any) -> AdamaxState:
        return AdamaxState(0, zeros_like_params(params), zeros_like_params(params))

    def update(g: Any, state: AdamaxState, params: Any = None) -> tuple[Any, AdamaxState]:
        check_state(state, AdamaxState, "scale_by_adamax")
        m_leaves, td = flat(state.mu)
        r_leaves, _ = flat(state.r)
        g_leaves, _ = flat(g, td)
        check_leaves(g_leaves, m_leaves, "updates", _INITIALISED)
        t = int(state.count) + 1
        bc = 1.0 - beta1**t
        new_m = [as_dtype(beta1 * m + (1.0 - beta1) * gi, m) for m, gi in zip(m_leaves, g_leaves)]
        shift, den = (e, 0.0) if eps_inside_max else (0.0, e)
        new_r = [as_dtype(np.maximum(beta2 * r, np.abs(gi) + shift), r)
                 for r, gi in zip(r_leaves, g_leaves)]
        out = [as_dtype((m / bc) / (r + den), m) for m, r in zip(new_m, new_r)]
        return rebuild(td, out), AdamaxState(t, rebuild(td, new_m), rebuild(td, new_r))

    update.state_type = AdamaxState
    return Optimizer(init, update)
