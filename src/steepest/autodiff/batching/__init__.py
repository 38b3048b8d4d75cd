"""Batching: :func:`vmap` and the batching rule of each primitive.

:mod:`.trace` (the batch trace, batched values, the per-example fallback) → :mod:`.rules`
(elementwise, reductions, shapes, indexing) → :mod:`.products` (matmul, einsum, linear
algebra) → :mod:`.transform` (``vmap``). Rules are keyed by primitive, in their own table
(:data:`RULES`), beside the derivative rules rather than in them.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff.batching import vmap
    >>> vmap(lambda x: np.sum(x ** 2))(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([ 5., 25.])
"""

from __future__ import annotations

from . import coverage, products, rules  # noqa: F401  (fill RULES and the coverage table)
from .trace import LOOPED, RULES, BatchTrace, BatchTracer
from .transform import vmap

__all__ = ["vmap", "RULES", "LOOPED", "BatchTrace", "BatchTracer"]
