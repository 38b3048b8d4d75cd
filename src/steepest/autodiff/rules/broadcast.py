"""The rules broadcasting needs: reshape, broadcast_to and sum, whose derivatives are each other.

``broadcast_to``'s VJP sums over the broadcast axes (:func:`unbroadcast`), ``sum``'s VJP
broadcasts the cotangent back (:func:`expand_to`); both reshape. Every other family of rules
builds on these three.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> grad(lambda x: sum(broadcast_to(x, (3, 2))))(np.ones(2))
    array([3., 3.])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..primitives import Primitive, defjvp, defsaves, defvjp
from ..tracing import shape_of

__all__ = ["reshape", "broadcast_to", "sum", "unbroadcast", "expand_to", "normalize_axis",
           "reduced_count", "linear_primitive"]

_PLAIN_SCALARS = (float, np.float64, np.float32)


def linear_primitive(prim: Primitive, vjp: Any) -> Primitive:
    """Give a linear primitive its rules: ``vjp`` (the adjoint map) and, as JVP, itself."""
    defvjp(prim, vjp)
    defsaves(prim, ())
    defjvp(prim, lambda t, ans, x, *args, **kwargs: prim(t, *args, **kwargs))
    return prim


def unbroadcast(g: Any, x: Any) -> Any:
    """Sum the cotangent ``g`` over the axes along which ``x`` was broadcast.

    Example:
        >>> import numpy as np
        >>> unbroadcast(np.ones((3, 2)), np.ones(2))
        array([3., 3.])
    """
    shape = shape_of(x)
    gshape = shape_of(g)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1
    )
    g = sum(g, axis=axes) if axes else g
    return reshape(g, shape) if shape_of(g) != shape else g


def normalize_axis(axis: Any, ndim: int) -> tuple[int, ...] | None:
    """``None`` or a sorted tuple of non-negative axes.

    Example:
        >>> normalize_axis(-1, 3), normalize_axis(None, 2)
        ((2,), None)
    """
    if axis is None:
        return None
    if isinstance(axis, (int, np.integer)):
        axis = (int(axis),)
    return tuple(sorted(int(a) % max(ndim, 1) for a in axis))


def expand_to(g: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    """Broadcast a reduction's cotangent ``g`` back to the shape of its input ``x``.

    Example:
        >>> import numpy as np
        >>> expand_to(np.array([1.0, 2.0]), np.zeros((2, 3)), 1, False)[1]
        array([2., 2., 2.])
    """
    shape = shape_of(x)
    if axis is None and type(g) in _PLAIN_SCALARS:  # the common sum(x) case, untraced
        return np.full(shape, g) if len(shape) < 2 and np.prod(shape) < 4096 else \
            np.broadcast_to(g, shape)
    if not keepdims:
        axes = normalize_axis(axis, len(shape))
        kept = [1 if axes is None or i in axes else s for i, s in enumerate(shape)]
        g = reshape(g, tuple(kept))
    return broadcast_to(g, shape)


def reduced_count(x: Any, axis: Any) -> int:
    """Number of entries of ``x`` combined into each output of a reduction over ``axis``.

    Example:
        >>> import numpy as np
        >>> reduced_count(np.zeros((2, 3)), 1), reduced_count(np.zeros((2, 3)), None)
        (3, 6)
    """
    shape = shape_of(x)
    axes = normalize_axis(axis, len(shape))
    if axes is None:
        return int(np.prod(shape, dtype=np.int64))
    return int(np.prod([shape[a] for a in axes], dtype=np.int64))


def _sum(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
    return np.add.reduce(x, axis=axis, keepdims=keepdims) if axis is not None else np.sum(
        x, keepdims=keepdims)


reshape = linear_primitive(Primitive(np.reshape, "reshape"),
                  lambda g, ans, x, shape: reshape(g, shape_of(x)))
broadcast_to = linear_primitive(Primitive(np.broadcast_to, "broadcast_to"),
                       lambda g, ans, x, shape: unbroadcast(g, x))
sum = Primitive(_sum, "sum")
defvjp(sum, lambda g, ans, x, axis=None, keepdims=False: expand_to(g, x, axis, keepdims))
defjvp(sum, lambda t, ans, x, axis=None, keepdims=False: sum(t, axis=axis, keepdims=keepdims))
defsaves(sum, ())
