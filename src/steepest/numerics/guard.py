"""Watch NumPy for floating-point exceptions and say which operation raised them (Goodfellow §4.1).

IEEE-754 signals four exceptions that matter here: *overflow* (a result too large, rounded to
±inf), *underflow* (a result too small, rounded to a subnormal or 0), *divide* (an exact
infinity from a finite operand, e.g. ``log(0)``, ``1/0``) and *invalid* (no meaningful
result: ``inf - inf``, ``0 * inf``, ``sqrt(-1)``, giving nan). NumPy reports them through
``np.seterr``; :func:`numerics_guard` installs a ``"call"`` handler for the duration of a
``with`` block that records each one with the expression and source line that raised it and
a count, and warns or raises on request.

Underflow is ignored by default: ``exp`` of a very negative number flushing to 0 is usually
benign (the stable functions of :mod:`steepest.numerics` rely on it and never report it).
"""

from __future__ import annotations

import dis
import linecache
import os
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

import numpy as np

from .._validate import check_choice

__all__ = [
    "FloatingPointEvent",
    "FloatingPointMonitor",
    "FloatingPointWarning",
    "numerics_guard",
]

KINDS = ("overflow", "underflow", "divide", "invalid")
ACTIONS = ("record", "warn", "raise")
# NumPy's names for the exceptions, as passed to the seterrcall handler.
_NUMPY_KIND = {
    "overflow": "overflow",
    "underflow": "underflow",
    "divide by zero": "divide",
    "invalid value": "invalid",
}
_BINARY_OPS = {
    "+": "add", "-": "subtract", "*": "multiply", "/": "divide", "//": "floor_divide",
    "%": "remainder", "**": "power", "@": "matmul",
}
_NUMPY_DIR = os.path.dirname(np.__file__)
_SKIP_FILES = (__file__,)


class FloatingPointWarning(RuntimeWarning):
    """Warning issued by :func:`numerics_guard` with ``action="warn"``.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1; IEEE 754-2019 §7.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     with numerics_guard(action="warn"):
        ...         y = np.exp(np.array([1000.0]))
        >>> caught[0].category is FloatingPointWarning
        True
    """


@dataclass
class FloatingPointEvent:
    """One kind of floating-point exception raised at one place, and how often.

    Attributes:
        kind: ``"overflow"``, ``"underflow"``, ``"divide"`` or ``"invalid"``.
        operation: the NumPy operation, e.g. ``"np.exp"``, ``"multiply (*)"``.
        expression: the source text of the call or operator that raised it.
        location: ``"file.py:line"`` of that expression (first frame outside NumPy).
        inner: the NumPy-internal function that ran the ufunc, if any (``"_mean"``).
        count: how many times it happened inside the block.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1 "Overflow and Underflow"; IEEE 754-2019 §7
        (exceptions).

    Example:
        >>> with numerics_guard() as guard:
        ...     y = np.log(np.array([0.0, 0.0]))
        >>> e = guard.events[0]
        >>> e.kind, e.operation, e.count
        ('divide', 'np.log', 1)
    """

    kind: str
    operation: str
    expression: str
    location: str
    inner: str = ""
    count: int = 1

    def describe(self) -> str:
        """One line: ``overflow in np.exp at f.py:3 (np.exp(x)) x2``."""
        via = f" via {self.inner}" if self.inner else ""
        times = f" x{self.count}" if self.count > 1 else ""
        return f"{self.kind} in {self.operation}{via} at {self.location} `{self.expression}`{times}"


@dataclass
class FloatingPointMonitor:
    """Context manager recording NumPy floating-point exceptions; see :func:`numerics_guard`.

    Attributes:
        action: ``"record"`` (only record), ``"warn"`` (record and warn with a
            :class:`FloatingPointWarning`) or ``"raise"`` (raise ``FloatingPointError``).
        ignore: exception kinds neither recorded nor acted upon.
        events: one :class:`FloatingPointEvent` per (kind, place), in order of first sight.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1; IEEE 754-2019 §7.

    Example:
        >>> with numerics_guard() as guard:
        ...     y = np.exp(np.array([1000.0]))
        >>> isinstance(guard, FloatingPointMonitor), guard.counts["overflow"]
        (True, 1)
    """

    action: str = "record"
    ignore: tuple[str, ...] = ("underflow",)
    events: list[FloatingPointEvent] = field(default_factory=list)
    _index: dict[tuple[str, str, str], FloatingPointEvent] = field(default_factory=dict,
                                                                   repr=False)
    _saved: tuple[dict[str, str], Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_choice(self.action, "action", ACTIONS)
        self.ignore = tuple(check_choice(k, "ignore", KINDS) for k in self.ignore)

    @property
    def counts(self) -> dict[str, int]:
        """Total number of exceptions per kind (all four kinds present)."""
        totals = dict.fromkeys(KINDS, 0)
        for ev in self.events:
            totals[ev.kind] += ev.count
        return totals

    @property
    def total(self) -> int:
        """Total number of recorded exceptions."""
        return sum(ev.count for ev in self.events)

    @property
    def clean(self) -> bool:
        """True when nothing was recorded."""
        return not self.events

    def report(self) -> str:
        """Human-readable summary, one event per line."""
        if not self.events:
            return "no floating-point exceptions"
        return "\n".join(ev.describe() for ev in self.events)

    def __enter__(self) -> FloatingPointMonitor:
        self._saved = (np.geterr(), np.geterrcall())
        np.seterr(**{_np_key(k): ("ignore" if k in self.ignore else "call") for k in KINDS})
        np.seterrcall(self._handle)
        return self

    def __exit__(self, *_exc_info: object) -> None:
        """Restore NumPy's error state; an exception raised in the block propagates."""
        if self._saved is not None:
            old_err, old_call = self._saved
            np.seterrcall(old_call)
            np.seterr(**old_err)
            self._saved = None

    def _handle(self, numpy_kind: str, flag: int) -> None:
        kind = _NUMPY_KIND.get(numpy_kind, numpy_kind)
        frame = sys._getframe(1)
        event = self._record(kind, frame)
        if self.action == "raise":
            raise FloatingPointError(f"floating-point {event.describe()}")
        if self.action == "warn":
            warnings.warn(event.describe(), FloatingPointWarning, stacklevel=_user_depth(frame))

    def _record(self, kind: str, frame: FrameType) -> FloatingPointEvent:
        user, inner = _user_frame(frame)
        operation, expression = _describe(user.f_code, user.f_lasti)
        location = f"{os.path.basename(user.f_code.co_filename)}:{user.f_lineno}"
        key = (kind, location, expression)
        event = self._index.get(key)
        if event is None:
            event = FloatingPointEvent(kind, operation, expression, location, inner, 0)
            self._index[key] = event
            self.events.append(event)
        event.count += 1
        return event


def numerics_guard(
    action: str = "record", ignore: Iterable[str] | str = ("underflow",)
) -> FloatingPointMonitor:
    """Record (and optionally warn or raise on) NumPy floating-point exceptions in a block.

    The previous ``np.seterr`` state and ``np.seterrcall`` handler are restored on exit, also
    when the block raises.

    It watches the four IEEE 754 exceptions that NumPy reports: overflow (|x| > max float),
    underflow (result below the smallest normal), divide (x/0) and invalid (0/0, ∞ − ∞, √−1).

    Args:
        action: ``"record"``, ``"warn"`` or ``"raise"``.
        ignore: kinds to let pass silently, from ``"overflow"``, ``"underflow"``,
            ``"divide"``, ``"invalid"`` (default: benign underflow only).

    Returns:
        A :class:`FloatingPointMonitor`; use it in a ``with`` statement and read its
        ``events``, ``counts`` or ``report()`` afterwards.

    Raises:
        ValueError: for an unknown action or kind.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1 "Overflow and Underflow"; IEEE 754-2019 §7
        (exceptions).

    Example:
        >>> with numerics_guard() as guard:
        ...     y = np.exp(np.array([1000.0]))
        >>> guard.counts["overflow"], guard.events[0].operation
        (1, 'np.exp')
    """
    ignored = (ignore,) if isinstance(ignore, str) else tuple(ignore)
    return FloatingPointMonitor(action=action, ignore=ignored)


def _np_key(kind: str) -> str:
    return {"overflow": "over", "underflow": "under"}.get(kind, kind)


def _outside(frame: FrameType) -> bool:
    name = frame.f_code.co_filename
    return not name.startswith(_NUMPY_DIR) and name not in _SKIP_FILES


def _user_frame(frame: FrameType) -> tuple[FrameType, str]:
    """First frame outside NumPy, and the innermost NumPy function on the way (if any)."""
    inner = ""
    f: FrameType | None = frame
    while f is not None and not _outside(f):
        inner = inner or f.f_code.co_name
        f = f.f_back
    return (f if f is not None else frame), inner


def _user_depth(frame: FrameType) -> int:
    depth, f = 2, frame
    while f is not None and not _outside(f):
        depth, f = depth + 1, f.f_back
    return depth


_DESCRIBE_CACHE: dict[tuple[CodeType, int], tuple[str, str]] = {}


def _describe(code: CodeType, lasti: int) -> tuple[str, str]:
    """(operation name, source text) of the instruction at ``lasti`` of ``code``."""
    key = (code, lasti)
    if key not in _DESCRIBE_CACHE:
        _DESCRIBE_CACHE[key] = _describe_uncached(code, lasti)
    return _DESCRIBE_CACHE[key]


def _describe_uncached(code: CodeType, lasti: int) -> tuple[str, str]:
    instr = next((i for i in dis.get_instructions(code) if i.offset == lasti), None)
    if instr is None:
        return "numpy operation", "?"
    text = _source_segment(code.co_filename, instr.positions)
    if instr.opname == "BINARY_OP":
        symbol = instr.argrepr.rstrip("=") if instr.argrepr != "==" else instr.argrepr
        return f"{_BINARY_OPS.get(symbol, symbol)} ({instr.argrepr})", text
    if instr.opname.startswith("CALL") and "(" in text:
        return text.split("(", 1)[0].strip(), text
    return instr.opname.lower(), text


def _source_segment(filename: str, pos: Any) -> str:
    if pos is None or pos.lineno is None:
        return "?"
    lines = [linecache.getline(filename, n) for n in range(pos.lineno, pos.end_lineno + 1)]
    if not any(lines):
        return "?"
    lines[-1] = lines[-1][: pos.end_col_offset]
    lines[0] = lines[0][pos.col_offset :]
    return " ".join(line.strip() for line in lines)
