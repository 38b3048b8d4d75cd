"""Which ruled NumPy functions ``vmap`` batches by a per-example loop, for the coverage table.

Every other ruled function runs batched (each of its primitives has a batching rule, checked on
the rule catalogue by ``tests/autodiff/test_vmap.py``). A primitive listed here would have no
batching rule: ``vmap`` would run it once per example (correct, slower). Today every ruled
NumPy function batches (the linear-algebra rules handle stacks), so the list is empty.

Example:
    >>> from steepest.autodiff.numpy.coverage import UNBATCHED
    >>> "linalg.svd" in UNBATCHED, LOOPING
    (False, {})
"""

from __future__ import annotations

from ..numpy.coverage import UNBATCHED

__all__ = ["LOOPING"]

#: primitive without a batching rule -> the ruled NumPy names that use it
LOOPING: dict[str, tuple[str, ...]] = {}

for _prim, _names in LOOPING.items():
    for _name in _names:
        UNBATCHED[_name] = ", ".join(filter(None, (UNBATCHED.get(_name), _prim)))
