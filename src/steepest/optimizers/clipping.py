r"""Gradient clipping: bound each coordinate, or rescale the whole update to a maximum norm.

Clipping by global norm (Pascanu et al. 2013): with :math:`N = \sqrt{\sum_\text{leaves}
\|u\|_2^2}`, :math:`u \leftarrow u \cdot \min(1, c / N)`; it keeps the direction and bounds
the step, which tames the exploding gradients of recurrent models and bad early batches.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validate import check_positive_float
from ._trees import flat, rebuild
from .base import EmptyState, Optimizer

__all__ = ["clip", "clip_by_global_norm", "global_norm"]


def global_norm(tree: Any) -> float:
    """Euclidean norm of all leaves of ``tree`` taken together (overflow-safe).

    ``||u|| = sqrt(sum_leaves sum_i u_i²)``, computed with scaling so that huge entries do
    not overflow (Goodfellow et al. §4.1).

    Args:
        tree: a pytree of arrays (or scalars).

    Returns:
        The norm as a Python float.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1 and §10.11.1 (the norm used for clipping).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import global_norm
        >>> global_norm({"a": np.array([3.0]), "b": np.array([4.0])})
        5.0
        >>> global_norm([np.array([1e200, 1e200])]) > 1e200
        True
    """
    leaves, _ = flat(tree)
    arrays = [np.ravel(np.asarray(x)) for x in leaves]
    for a in arrays:
        if a.dtype.kind not in "biufc":
            raise TypeError(f"global_norm needs numeric leaves, got a leaf of dtype {a.dtype}; "
                            "pass a pytree of float arrays (e.g. the gradients)")
    norms = [_norm(a) for a in arrays]
    return math.hypot(*norms) if norms else 0.0


def _norm(x: np.ndarray) -> float:
    """2-norm of a vector: one dot product, rescaled by max|x| only if that over/underflows."""
    with np.errstate(over="ignore", under="ignore"):
        sq = float(np.dot(x, x))
    if math.isfinite(sq) and sq > 1e-280:
        return math.sqrt(sq)
    scale = float(np.max(np.abs(x))) if x.size else 0.0
    if scale == 0.0 or not math.isfinite(scale):
        return scale if math.isfinite(scale) or not np.isnan(x).any() else math.nan
    y = x / scale
    return scale * math.sqrt(float(np.dot(y, y)))


def clip(max_delta: float) -> Optimizer:
    """Clip every coordinate to ``[-max_delta, max_delta]``: ``u_i <- min(max(u_i, -c), c)``.

    Args:
        max_delta: the bound ``c > 0``.

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (stateless).

    Reference:
        Goodfellow et al., *Deep Learning*, §10.11.1 "Clipping Gradients" (element-wise
        clipping).

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import clip
        >>> t = clip(1.0)
        >>> t.update(np.array([-3.0, 0.5, 2.0]), t.init(None))[0]
        array([-1. ,  0.5,  1. ])
    """
    d = check_positive_float(max_delta, "max_delta", fix="pass the largest allowed |coordinate|")

    def update(g: Any, state: EmptyState, params: Any = None) -> tuple[Any, EmptyState]:
        leaves, td = flat(g)
        return rebuild(td, [np.clip(x, -d, d) for x in leaves]), state

    return Optimizer(lambda params: EmptyState(), update)


def clip_by_global_norm(max_norm: float) -> Optimizer:
    """Rescale the updates so that their global norm is at most ``max_norm``.

    ``u <- u * min(1, c / ||u||)`` with ``||u||`` the :func:`global_norm` over all leaves, so
    the direction is kept and only the length is bounded.

    Args:
        max_norm: the bound ``c > 0``.

    Returns:
        An :class:`~steepest.optimizers.Optimizer` (stateless).

    Reference:
        R. Pascanu, T. Mikolov & Y. Bengio, "On the difficulty of training recurrent neural
        networks", ICML 2013; Goodfellow et al., *Deep Learning*, §10.11.1.

    Example:
        >>> import numpy as np
        >>> from steepest.optimizers import clip_by_global_norm, global_norm
        >>> t = clip_by_global_norm(1.0)
        >>> u, _ = t.update({"a": np.array([3.0]), "b": np.array([4.0])}, t.init(None))
        >>> round(global_norm(u), 12)
        1.0
    """
    c = check_positive_float(max_norm, "max_norm", fix="pass the largest allowed update norm")

    def update(g: Any, state: EmptyState, params: Any = None) -> tuple[Any, EmptyState]:
        leaves, td = flat(g)
        n = global_norm(leaves)
        if not n > c:  # also leaves NaN/inf norms visible instead of hiding them
            return g, state
        f = c / n
        return rebuild(td, [np.asarray(x) * f for x in leaves]), state

    return Optimizer(lambda params: EmptyState(), update)
