"""What the fused backend knows about a building block: a small frozen description that each
fusable transform attaches to its ``update`` function (attribute ``fusable``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .kernels import Coefficients

__all__ = ["Decay", "Direction", "LearningRate"]


@dataclass(frozen=True)
class Direction:
    """A direction computed by one kernel of :mod:`.kernels`, without learning rate or sign.

    Attributes:
        kind: the kernel (a key of :data:`~.kernels.KERNELS`).
        fields: names of the state fields holding the kernel's moments, in kernel order.
        coefficients: ``count -> Coefficients`` of step ``count + 1`` (unit ``scale``).
        counted: the state has a ``count`` field that each update advances.
    """

    kind: str
    fields: tuple[str, ...]
    coefficients: Callable[[int], Coefficients]
    counted: bool = False


@dataclass(frozen=True)
class Decay:
    """``u <- u + weight_decay * p`` on the leaves ``mask`` selects (all when None)."""

    weight_decay: float
    mask: Any = None


@dataclass(frozen=True)
class LearningRate:
    """``u <- -alpha_t u``; ``rate`` is a float or a schedule ``count -> float``."""

    rate: float | Callable[[int], float]
