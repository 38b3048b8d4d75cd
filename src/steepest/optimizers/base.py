"""The optimizer protocol: a pair of pure functions over an explicit, immutable state.

An :class:`Optimizer` (also called a *gradient transformation*) is ``(init, update)``::

    state = opt.init(params)
    updates, state = opt.update(grads, state, params)
    params = apply_updates(params, updates)          # params + updates, leaf by leaf

``params``, ``grads`` and ``updates`` are pytrees of arrays of one structure (see
:mod:`steepest.tree`); states are NamedTuples of pytrees, never mutated. ``update`` maps
incoming *directions* to outgoing ones, so transformations compose with :func:`chain`: e.g.
``chain(clip_by_global_norm(1.0), scale_by_adam(), scale_by_learning_rate(1e-3))`` is Adam
with clipping. An optimizer returns *updates to add*: the minus sign of a descent step lives
in :func:`~steepest.optimizers.scale_by_learning_rate`.

Rules that need the gradient at a point of their choosing (true Nesterov momentum) are a
:class:`GradFnOptimizer` whose ``update`` takes a gradient *function* instead of gradients.

Reference: Liquet et al., *Mathematical Engineering of Deep Learning*, Algorithm 4.1 (descent
direction method); the init/update split follows optax (``optax/_src/base.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ..tree import tree_flatten, tree_unflatten
from ._fused.plan import recognise
from ._trees import made_by

__all__ = [
    "Chain",
    "EmptyState",
    "GradFnOptimizer",
    "GradientTransformation",
    "Optimizer",
    "apply_updates",
    "chain",
    "identity",
    "step",
]

Params = Any
Updates = Any
State = Any


class Optimizer(NamedTuple):
    """A gradient transformation: ``init(params) -> state`` and
    ``update(grads, state, params=None) -> (updates, state)``.

    Both functions are pure: ``update`` never changes ``grads``, ``state`` or ``params`` and
    returns fresh arrays with the dtype of the parameters (float32 stays float32).

    Args:
        init: ``params -> state``.
        update: ``(grads, state, params=None) -> (updates, state)``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2-4.3 (θ⁽ᵗ⁺¹⁾ = θ⁽ᵗ⁾ + u⁽ᵗ⁾
        with u from the rule); the optax ``GradientTransformation`` interface.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import adam, apply_updates
        >>> opt = adam(learning_rate=0.1)
        >>> params = {"w": np.array([1.0, -2.0])}
        >>> state = opt.init(params)
        >>> grads = {"w": 2 * params["w"]}           # gradient of ||w||^2
        >>> updates, state = opt.update(grads, state, params)
        >>> apply_updates(params, updates)["w"]      # first Adam step moves each coordinate by lr
        array([ 0.9, -1.9])
    """

    init: Callable[[Params], State]
    update: Callable[..., tuple[Updates, State]]


GradientTransformation = Optimizer


class GradFnOptimizer(NamedTuple):
    """An optimizer that evaluates the gradient itself, at a point it chooses.

    ``update(grad_fn, state, params) -> (updates, state)`` where ``grad_fn(point)`` returns the
    gradient pytree at ``point`` (for stochastic training: the minibatch gradient). Used by
    :func:`~steepest.optimizers.nesterov`, whose gradient is taken at the look-ahead point.

    Args:
        init: ``params -> state``.
        update: ``(grad_fn, state, params) -> (updates, state)``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Nesterov Momentum and the
        Nadam Algorithm" (eqs. 4.33-4.34: the gradient at the predicted point).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import nesterov, step
        >>> opt = nesterov(0.1, 0.9)
        >>> isinstance(opt, GradFnOptimizer)
        True
        >>> p = np.array([1.0]); s = opt.init(p)
        >>> p, s = step(opt, lambda q: 2 * q, s, p)  # the gradient function, not a gradient
        >>> bool(abs(p[0]) < 1.0)
        True
    """

    init: Callable[[Params], State]
    update: Callable[[Callable[[Params], Any], State, Params], tuple[Updates, State]]


class EmptyState(NamedTuple):
    """State of a stateless transformation (:func:`identity`, :func:`scale`, clipping ...).

    Attributes:
        (none): an empty named tuple.

    Reference:
        The optax ``EmptyState`` convention; Liquet et al. §4.2.

    Example:
        >>> from steepest.optimizers import clip
        >>> clip(1.0).init(None)
        EmptyState()
    """

    made_by = "a stateless transform"  # who inits this state (error messages)


def identity() -> Optimizer:
    """The transformation that passes updates through unchanged: ``u <- u``.

    u = g.

    Returns:
        An :class:`Optimizer` with an :class:`EmptyState`; the neutral element of
        :func:`chain`.

    Reference:
        The gradient-transformation design of optax; Liquet et al. §4.2.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import identity
        >>> t = identity()
        >>> t.update(np.array([1.0, -2.0]), t.init(None))[0]
        array([ 1., -2.])
    """
    return Optimizer(lambda params: EmptyState(), lambda g, state, params=None: (g, state))


class Chain:
    """The ``update`` of :func:`chain`: the transforms in turn, or one fused pass.

    ``Chain(transforms, reuse_buffers)(grads, state, params)`` returns ``(updates, state)``
    with ``state`` the tuple of the inner states; built by :func:`chain`.

    Args:
        transforms: the :class:`Optimizer` instances, applied left to right.
        reuse_buffers: let the fused backend recycle unreferenced output buffers.

    Attributes:
        transforms: the chained :class:`Optimizer` instances.
        fused: the :class:`~steepest.optimizers._fused.plan.FusedChain` that runs this chain in
            one cache-blocked pass per leaf when the chain is recognised, else None.

    Reference:
        optax ``chain`` (DeepMind, 2020); Liquet et al., *Mathematical Engineering of Deep
        Learning*, §4.3.

    Example:
        >>> from steepest.optimizers import adam, adamax
        >>> type(adam(1e-3).update).__name__, adam(1e-3).update.fused is not None
        ('Chain', True)
        >>> adamax(1e-3).update.fused is None   # no kernel: the transforms run in turn
        True
    """

    state_type = tuple

    def __init__(self, transforms: tuple[Optimizer, ...], reuse_buffers: bool) -> None:
        self.transforms = transforms
        self.fused = recognise([getattr(t.update, "fusable", None) for t in transforms],
                               reuse_buffers)
        self.name: str | None = None  # the named optimizer (set by alias.py), for messages
        self.state_types = tuple(getattr(t.update, "state_type", None) for t in transforms)
        self._all_typed = None not in self.state_types

    def check(self, state: Any) -> None:
        """Raise a TypeError unless ``state`` is the tuple of states this chain's init makes.

        O(1) per transform: the inner states' types are compared with those the transforms
        declare (``update.state_type``); the leaves are checked by the transforms themselves.
        """
        if type(state) is tuple and len(state) == len(self.state_types):
            if self._all_typed and tuple(map(type, state)) == self.state_types:
                return
            if not self._all_typed and all(t is None or type(s) is t
                                           for s, t in zip(state, self.state_types)):
                return
        raise TypeError(self._mismatch(state))

    def _mismatch(self, state: Any) -> str:
        want = self.name or "this optimizer"
        fix = f"{self.name}(...).init(params)" if self.name else "opt.init(params)"
        found = made_by(state)
        if found == want or found == self.name:
            found = f"{found}'s init with other settings"
        else:
            found = f"{found}'s init"
        expected = ", ".join(getattr(t, "__name__", "any") for t in self.state_types)
        return (f"state does not belong to {want}: this state was made by {found}, but "
                f"{want} keeps ({expected}); pass the state returned by {fix}")

    def __call__(self, grads: Updates, state: tuple, params: Params = None
                 ) -> tuple[Updates, tuple]:
        self.check(state)
        if self.fused is not None:
            return self.fused.update(grads, state, params)
        new_states = []
        for t, s in zip(self.transforms, state):
            grads, s = t.update(grads, s, params)
            new_states.append(s)
        return grads, tuple(new_states)


def chain(*transforms: Optimizer, reuse_buffers: bool = True) -> Optimizer:
    """Compose transformations left to right: the updates of one feed the next.

    chain(T₁, …, T_k) maps g ↦ u = T_k(⋯T₂(T₁(g))⋯); its state is (s₁, …, s_k).

    A chain that reads ``[add_decayed_weights] direction [add_decayed_weights]
    scale_by_learning_rate``, with the direction one of :func:`trace`, :func:`scale_by_rms`,
    :func:`scale_by_rss` or :func:`scale_by_adam` (or none: SGD), runs on the fused backend
    (:mod:`steepest.optimizers._fused`): one cache-blocked pass per leaf for ``update``, and
    for :func:`step` one pass that also writes the parameters.

    Args:
        *transforms: :class:`Optimizer` instances.
        reuse_buffers: let the fused backend recycle output buffers (>= 1 MiB) that nothing
            references any more — the previous step's, once you dropped it — instead of
            allocating fresh pages (keeps up to one extra generation alive; see
            ``steepest.optimizers._fused.pool``).

    Returns:
        An :class:`Optimizer` whose state is the tuple of the inner states; its ``update`` is
        a :class:`Chain`.

    Reference:
        The gradient-transformation design of optax (DeepMind, 2020); Liquet et al., *Mathematical
        Engineering of Deep Learning*, §4.3, Algorithm 4.2 (clipping, scaling and the step as
        separate stages).

    Example:
        >>> from steepest.optimizers import chain, clip_by_global_norm, scale_by_adam
        >>> from steepest.optimizers import scale_by_learning_rate
        >>> opt = chain(clip_by_global_norm(1.0), scale_by_adam(), scale_by_learning_rate(1e-3))
        >>> opt.update.fused is None      # clipping first: the transforms run in turn
        True
        >>> chain(scale_by_adam(), scale_by_learning_rate(1e-3)).update.fused is not None
        True
    """
    for i, t in enumerate(transforms):
        if not isinstance(t, Optimizer):
            raise TypeError(
                f"chain expects Optimizer transforms; argument {i} is {type(t).__name__}. "
                "Build transforms with steepest.optimizers (e.g. scale_by_adam())."
            )

    def init(params: Params) -> tuple:
        return tuple(t.init(params) for t in transforms)

    return Optimizer(init, Chain(transforms, bool(reuse_buffers)))


def _add_leaf(p: Any, u: Any, inplace: bool) -> Any:
    if u is None:
        return p
    if inplace and isinstance(p, np.ndarray) and p.flags.writeable and p.dtype.kind == "f":
        np.add(p, u, out=p, casting="same_kind")
        return p
    arr = np.asarray(p)
    dtype = arr.dtype if arr.dtype.kind == "f" else np.result_type(arr.dtype, float)
    out = np.add(arr, u, dtype=dtype, casting="same_kind")
    return out if isinstance(p, np.ndarray) or np.ndim(out) else out[()]


def apply_updates(params: Params, updates: Updates, *, inplace: bool = False) -> Params:
    """``params + updates`` leaf by leaf, keeping each parameter's dtype.

    Args:
        params: pytree of arrays.
        updates: pytree of the same structure (from ``opt.update``).
        inplace: opt-in: add into the parameter arrays themselves (writable float ndarrays;
            other leaves get a fresh result). Saves one allocation per leaf; the caller must
            not rely on the old values afterwards.

    Returns:
        The new parameters (the same objects when ``inplace`` applied).

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (the parameter update θ ← θ
        + u, e.g. eq. 4.17).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import apply_updates
        >>> apply_updates({"w": np.array([1.0, 2.0])}, {"w": np.array([0.5, -1.0])})
        {'w': array([1.5, 1. ])}
    """
    p_leaves, td = tree_flatten(params)
    u_leaves, utd = tree_flatten(updates)
    if utd != td:
        raise ValueError(
            f"updates have structure {utd!r} but params have {td!r}; pass the updates that "
            "opt.update returned for these params"
        )
    try:
        return tree_unflatten(td, [_add_leaf(p, u, inplace) for p, u in zip(p_leaves, u_leaves)])
    except ValueError:
        shapes = [(np.shape(p), np.shape(u)) for p, u in zip(p_leaves, u_leaves)]
        i = next((i for i, (a, b) in enumerate(shapes) if a != b), 0)
        raise ValueError(f"updates leaf {i} has shape {shapes[i][1]} but the params leaf has "
                         f"{shapes[i][0]}; pass the updates opt.update returned for these "
                         "params") from None


def step(
    optimizer: Optimizer, grads: Updates, state: State, params: Params, *, inplace: bool = False
) -> tuple[Params, State]:
    """One optimizer step: ``update`` then ``apply_updates``, fused when the rule allows.

    A chain the fused backend recognises (:func:`chain`; e.g. ``sgd``, ``momentum``,
    ``rmsprop``, ``adagrad``, ``adam``, ``adamw``, ``nadam``) computes the new parameters and
    moments in one cache-blocked pass, without materialising ``updates``.

    Args:
        optimizer: the :class:`Optimizer` (or a :class:`GradFnOptimizer`).
        grads: gradient pytree at ``params`` (for a :class:`GradFnOptimizer`: the gradient
            function it evaluates where it needs).
        state: current optimizer state.
        params: current parameters.
        inplace: opt-in: write the new parameters (and, for fused chains, the new moments)
            into the existing arrays. Fastest, zero allocation, but ``params`` and ``state``
            passed in are consumed: use only the returned values afterwards.

    Returns:
        ``(new_params, new_state)``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2-4.3 (θ⁽ᵗ⁺¹⁾ = θ⁽ᵗ⁾ + u⁽ᵗ⁾
        with u from the rule).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import adam, step
        >>> opt, p = adam(0.1), np.array([1.0, -2.0])
        >>> s = opt.init(p)
        >>> p, s = step(opt, 2 * p, s, p)
        >>> p
        array([ 0.9, -1.9])
    """
    update = getattr(optimizer, "update", None)
    if update is None:
        raise TypeError(f"optimizer must be an Optimizer with init and update, got "
                        f"{type(optimizer).__name__}; build one with e.g. "
                        "steepest.optimizers.adam(1e-3)")
    fused = getattr(update, "fused", None)
    if fused is not None:
        optimizer.update.check(state)
        return fused.step(grads, state, params, inplace=inplace)
    updates, state = optimizer.update(grads, state, params)
    return apply_updates(params, updates, inplace=inplace), state

