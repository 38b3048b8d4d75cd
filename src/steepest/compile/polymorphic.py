"""Whether a recording made at batch size ``B`` is valid for every batch size.

With ``jit(f, dynamic="batch")`` the leading axis of the array arguments is left out of the
cache key, so a last, smaller minibatch can replay the recording of the full ones. That is
only right when nothing in the recording depends on ``B``. :func:`batch_polymorphic` accepts
a recording only when

* ``f`` never read the leading length of a recorded value (``len(x)``, ``x.shape``,
  ``x.size`` — a read marks the trace), and
* no constant of the graph can hold ``B``: no integer that is a multiple of ``B`` (a shape, a
  count, an index bound), no float ``c`` with ``c/B`` or ``1/(c·B)`` an integer
  (``1/B`` from a mean, ``B`` itself), no array constant with an axis of length ``B``, and
  no guard that saw such a value.

Anything else is recorded once per batch size, as without ``dynamic``: the check can refuse
a valid recording (costing a trace), never accept a wrong one of these kinds.

Example:
    >>> import numpy as np
    >>> from steepest.compile.recording import record
    >>> ok = record(lambda x: np.tanh(x) * 2.0, (np.ones((8, 3)),))
    >>> mean = record(lambda x: np.sum(x) / 8, (np.ones((8, 3)),))
    >>> batch_polymorphic(ok, 8), batch_polymorphic(mean, 8)
    (True, False)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autodiff.tracing import getval
from .recording import Recording
from .terms import Term

__all__ = ["batch_polymorphic", "batch_size"]


def _lead(v: Any) -> int | None:
    p = getval(v)
    p = getattr(p, "_value", p)
    return np.shape(p)[0] if type(p) is np.ndarray and p.ndim else None


def batch_size(leaves: list, is_input: list[bool]) -> int | None:
    """The batch size of a call: the leading length of its last array input (the data of a
    ``loss(params, batch)``); every array input of that leading length is batched.

    Example:
        >>> import numpy as np
        >>> batch_size([np.ones((5, 3)), np.ones((4, 5)), np.ones(4)], [True, True, True])
        4
    """
    for v, inp in zip(reversed(leaves), reversed(is_input)):
        if inp and _lead(v) is not None:
            return _lead(v)
    return None


def _holds_batch(c: Any, b: int) -> bool:
    """Whether the constant ``c`` can carry the batch size ``b``."""
    if isinstance(c, Term):
        return False
    if isinstance(c, (tuple, list)):
        return any(_holds_batch(e, b) for e in c)
    if isinstance(c, slice):
        return any(_holds_batch(e, b) for e in (c.start, c.stop, c.step) if e is not None)
    if isinstance(c, (bool, np.bool_)) or c is None:
        return False
    if isinstance(c, (int, np.integer)):
        return int(c) != 0 and int(c) % b == 0
    if isinstance(c, (float, np.floating)) and np.isfinite(c) and c != 0:
        for v in (float(c) / b, 1.0 / (float(c) * b)):
            if abs(v - round(v)) <= 1e-9 * max(1.0, abs(v)) and round(v) != 0:
                return True
        return False
    if isinstance(c, np.ndarray):
        if b in c.shape:
            return True
        return c.size <= 16 and c.dtype.kind in "iuf" and any(  # noqa: PLR2004
            _holds_batch(e.item(), b) for e in c.ravel())
    return False


def batch_polymorphic(rec: Recording, b: int | None, read: bool = False) -> bool:
    """Whether ``rec`` (recorded at batch size ``b``) may be replayed at any batch size.

    Args:
        rec: the recording.
        b: its batch size (``None``: no common leading axis, so no).
        read: whether the trace read a leading length.

    Returns:
        ``True`` when no constant or guard can hold ``b`` (see the module docstring).
    """
    if b is None or b <= 1 or read:
        return False
    if any(_holds_batch(g.expected, b) for g in rec.guards):
        return False
    if any(_holds_batch(o, b) for o in rec.outputs):
        return False
    for t in rec.program_terms():
        if any(_holds_batch(a, b) for a in t.args):
            return False
        if any(_holds_batch(v, b) for v in t.kwargs.values()):
            return False
    return True
