"""The table of stabilizing rewrites, one module per family, assembled in priority order.

:mod:`.base` (what an entry is), :mod:`.ops` (the stable primitives the entries emit),
:mod:`.logexp` (log/exp, sigmoid, softmax, erfc) and :mod:`.algebra` (norms, variances,
products, linear algebra). An entry earlier in :data:`REWRITES` wins where two match at the
same term.

Example:
    >>> len({r.name for r in REWRITES}) == len(REWRITES)
    True
"""

from __future__ import annotations

from . import algebra, logexp
from .base import AppliedRewrite, Rewrite

__all__ = ["REWRITES", "Rewrite", "AppliedRewrite"]

#: The table, in priority order: an entry above wins where two match at the same term.
REWRITES: tuple[Rewrite, ...] = logexp.ENTRIES + algebra.ENTRIES
