"""Functions whose result carries no derivative: shapes, indices, predicates, rounding.

They are registered in the one dispatch table as
:class:`~steepest.autodiff.arraylike.NonDifferentiable`, which calls NumPy on the untraced
values, so ``np.argmax(x)`` or ``np.isfinite(x)`` work on traced values and return plain
arrays. ``sign``, ``floor`` and ``ceil`` (piecewise constant) are in the namespace as such.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> float(grad(lambda x: x * np.argmax(np.stack([x, 2 * x])))(1.0))
    1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._dispatch import TRACED
from ..arraylike import NonDifferentiable
from ..tracing import getval

__all__ = ["sign", "floor", "ceil"]

# ufuncs with zero derivative almost everywhere: results are returned untraced
NONDIFF_UFUNCS = frozenset({
    np.floor, np.ceil, np.rint, np.trunc, np.sign, np.signbit, np.isfinite, np.isinf,
    np.isnan, np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal,
    np.logical_and, np.logical_or, np.logical_xor, np.logical_not, np.floor_divide,
    np.heaviside, np.bitwise_and, np.bitwise_or, np.invert, np.spacing, np.isnat,
})
NONDIFF_FUNCTIONS = frozenset({
    np.shape, np.ndim, np.size, np.argmax, np.argmin, np.argsort, np.nonzero, np.flatnonzero,
    np.argwhere, np.isclose, np.allclose, np.array_equal, np.zeros_like, np.ones_like,
    np.empty_like, np.full_like, np.round, np.around, np.searchsorted, np.count_nonzero,
    np.any, np.all, np.result_type, np.iscomplexobj, np.isrealobj, np.may_share_memory,
    np.shares_memory, np.digitize, np.histogram, np.can_cast, np.min_scalar_type, np.isfinite,
    np.isnan, np.isinf, np.sign, np.floor, np.ceil, np.unravel_index, np.ravel_multi_index,
    np.argpartition, np.lexsort, np.sort_complex, np.nanargmax, np.nanargmin, np.array_repr,
    np.array_str, np.array2string, np.ndim,
})
TRACED.update({fn: NonDifferentiable(fn) for fn in NONDIFF_UFUNCS | NONDIFF_FUNCTIONS})


def sign(x: Any) -> Any:
    """Sign of ``x`` (piecewise constant: no derivative, returns a plain array)."""
    return np.sign(getval(x))


def floor(x: Any) -> Any:
    """Floor of ``x`` (piecewise constant: no derivative)."""
    return np.floor(getval(x))


def ceil(x: Any) -> Any:
    """Ceiling of ``x`` (piecewise constant: no derivative)."""
    return np.ceil(getval(x))
