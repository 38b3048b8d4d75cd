"""Recognise a chain the kernels can run in one pass, and run it.

A chain is fusable when its building blocks read, in order, ``[Decay] [Direction] [Decay]
LearningRate`` (at most one :class:`~.specs.Decay`): a decay *before* the direction is L2
regularisation (added to the gradient), one *after* it is decoupled weight decay (AdamW);
without a direction the chain is SGD. The fused update returns exactly the chain's updates
and state (to rounding: the learning rate and the decay are folded into the kernel's
constants), and the fused step writes the new parameters in the same pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .._trees import lr_at
from .kernels import Coefficients
from .leaves import run_kernel
from .pool import POOL_SUPPORTED, BufferPool
from .specs import Decay, Direction, LearningRate

__all__ = ["FusedChain", "recognise"]


class FusedChain:
    """The fused ``update`` and ``step`` of a recognised chain.

    Args:
        specs: the chain's building-block descriptions (one per transform, in order).
        reuse_buffers: recycle output buffers that nothing references any more.
    """

    def __init__(self, specs: Sequence[Any], reuse_buffers: bool = True) -> None:
        self.lr_index = len(specs) - 1
        self.rate = specs[-1].rate
        kinds = [type(s) for s in specs]
        self.dir_index = kinds.index(Direction) if Direction in kinds else None
        self.direction: Direction | None = (
            None if self.dir_index is None else specs[self.dir_index])
        decay_at = kinds.index(Decay) if Decay in kinds else None
        self.decay: Decay | None = None if decay_at is None else specs[decay_at]
        self.decoupled = decay_at is not None and self.dir_index is not None and (
            decay_at > self.dir_index)
        self.pool = BufferPool() if (reuse_buffers and POOL_SUPPORTED) else None
        # constants that do not change from step to step are computed once
        step_free = not callable(self.rate) and (self.direction is None
                                                 or not self.direction.counted)
        self._cached = self._compute(None) if step_free else None

    def _coefficients(self, state: tuple) -> Coefficients:
        return self._cached if self._cached is not None else self._compute(state)

    def _compute(self, state: tuple | None) -> Coefficients:
        """Coefficients of the next step (``state`` None: of a step that does not matter)."""
        lr = lr_at(self.rate, 0 if state is None else int(state[self.lr_index].count))
        d = self.direction
        c = Coefficients(scale=1.0) if d is None else d.coefficients(
            int(state[self.dir_index].count) if d.counted and state is not None else 0)
        wd = 0.0 if self.decay is None else self.decay.weight_decay
        return replace(c, scale=-lr * c.scale, l2=0.0 if self.decoupled else wd,
                       decay=lr * wd if self.decoupled else 0.0)

    def _run(self, grads: Any, state: tuple, params: Any, to_params: bool,
             inplace: bool) -> tuple[Any, tuple]:
        d = self.direction
        fields = () if d is None else d.fields
        inner = None if d is None else state[self.dir_index]
        out, moments = run_kernel(
            "sgd" if d is None else d.kind, grads, [getattr(inner, f) for f in fields],
            params, self._coefficients(state), None if self.decay is None else self.decay.mask,
            to_params=to_params, inplace=inplace, pool=self.pool)
        new = list(state)
        if d is not None:
            changed = dict(zip(fields, moments))
            if d.counted:
                changed["count"] = int(inner.count) + 1
            new[self.dir_index] = inner._replace(**changed)
        lr_state = state[self.lr_index]
        new[self.lr_index] = lr_state._replace(count=int(lr_state.count) + 1)
        return out, tuple(new)

    def update(self, grads: Any, state: tuple, params: Any = None) -> tuple[Any, tuple]:
        """The chain's ``(updates, state)``, computed in one pass per leaf."""
        return self._run(grads, state, params, to_params=False, inplace=False)

    def step(self, grads: Any, state: tuple, params: Any, *,
             inplace: bool = False) -> tuple[Any, tuple]:
        """``(new_params, state)``: update and apply in one pass (in place when asked)."""
        return self._run(grads, state, params, to_params=True, inplace=inplace)


_PATTERNS = {(), (Decay,), (Direction,), (Decay, Direction), (Direction, Decay)}


def recognise(specs: Sequence[Any], reuse_buffers: bool = True) -> FusedChain | None:
    """A :class:`FusedChain` when ``specs`` (each transform's ``update.fusable``, or None)
    read ``[Decay] [Direction] [Decay] LearningRate``; None otherwise."""
    if not specs or not isinstance(specs[-1], LearningRate):
        return None
    if tuple(type(s) for s in specs[:-1]) not in _PATTERNS:
        return None
    return FusedChain(specs, reuse_buffers)
