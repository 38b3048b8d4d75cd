"""Guards of a ``jit`` recording: a Python value taken from a recorded value at trace time.

A recording is only valid while every such value comes out the same: a replay re-checks each
:class:`Guard` (NaN equal to NaN) and re-traces on the first that fails.

Example:
    >>> import numpy as np
    >>> from steepest.compile.recording import record
    >>> rec = record(lambda x: x * 2 if x > 0 else -x, (np.array(1.0),))
    >>> g = rec.guards[0]  # on the term x > 0
    >>> g.term.name, g.kind, g.expected, g.holds(np.array(True)), g.holds(np.array(False))
    ('greater', 'bool', True, True, False)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..autodiff.tracing import getval
from .terms import Term

__all__ = ["CONVERT", "Guard", "JitError"]


class JitError(ValueError):
    """A function ``jit`` cannot replay faithfully; the message names the line and the fix."""


def _same(a: Any, b: Any) -> bool:
    """Equality of two Python/NumPy values, NaN equal to NaN."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and bool(
            np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return type(a) is type(b) and a == b


@dataclass(eq=False)
class Guard:
    """A Python value taken from a recorded value at trace time.

    Attributes:
        term: the term whose value was converted.
        kind: ``"bool"``, ``"float"``, ``"int"``, ``"index"``, ``"item"``, ``"tolist"``,
            ``"complex"`` or ``"array"`` (``np.asarray`` of a recorded value).
        expected: the Python value the trace saw (and branched on).
        line: ``file:line`` of the user's code that converted it.
    """

    term: Term
    kind: str
    expected: Any
    line: str | None

    def holds(self, value: Any) -> bool:
        """Whether ``value`` (the term's value on a replay) converts to the expected value."""
        return _same(CONVERT[self.kind](getval(value)), self.expected)


CONVERT: dict[str, Callable[[Any], Any]] = {
    "bool": bool, "float": float, "int": int, "index": lambda v: np.asarray(v).__index__(),
    "complex": complex, "item": lambda v: np.asarray(v).item(),
    "tolist": lambda v: np.asarray(v).tolist(), "array": lambda v: np.array(v),
}
