"""The bad-input catalogue's row format and its one assertion (issue 14).

A row is one line: an id, a zero-argument call, the exception type it must raise and the
fragments its message must contain (the argument it names and the fix it advises). Each
package's ``test_bad_inputs.py`` holds a list ``CASES`` of rows and runs
:func:`assert_clear_error` on each; ``tests/test_bad_input_catalogue.py`` counts them all.

Example:
    >>> import steepest as st
    >>> row = case("lr negative", lambda: st.optimizers.sgd(-1.0), ValueError,
    ...            "learning_rate", "positive value")
    >>> type(assert_clear_error(row.call, row.exc, *row.needles)).__name__
    'ValueError'
"""

from __future__ import annotations

import pathlib
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import pytest

import steepest

STEEPEST = pathlib.Path(steepest.__file__).resolve().parent


class Case(NamedTuple):
    """One row of the catalogue."""

    id: str
    call: Callable[[], Any]
    exc: type[BaseException]
    needles: tuple[str, ...]


def case(id: str, call: Callable[[], Any], exc: type[BaseException], *needles: str) -> Case:
    """A row: ``call()`` must raise ``exc`` from steepest with every needle in its message."""
    assert needles, f"row {id!r} names no argument and no fix"
    return Case(id, call, exc, needles)


def raising_file(error: BaseException) -> pathlib.Path:
    """The file of the innermost traceback frame: where ``error`` was raised."""
    return pathlib.Path(traceback.extract_tb(error.__traceback__)[-1].filename).resolve()


def assert_clear_error(call: Callable[[], Any], exc_type: type[BaseException],
                       *needles: str) -> BaseException:
    """Assert ``call()`` raises ``exc_type`` at steepest's boundary with a clear message.

    Args:
        call: the bad call, taking no arguments.
        exc_type: the exception type it must raise (a subclass passes).
        needles: fragments the message must contain, case-insensitively: the argument it
            names and the fix it advises.

    Returns:
        The exception, for further checks.
    """
    with pytest.raises(exc_type) as info:
        call()
    message = str(info.value)
    missing = [n for n in needles if n.lower() not in message.lower()]
    assert not missing, f"message lacks {missing}: {message!r}"
    origin = raising_file(info.value)
    assert STEEPEST in origin.parents, f"raised from {origin}, not by steepest: {message!r}"
    return info.value


def parametrize(cases: Sequence[Case]) -> Any:
    """``pytest.mark.parametrize`` over ``cases``, one test per row, the row's id as its id."""
    ids = [c.id for c in cases]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicated, f"duplicated row ids: {duplicated}"
    return pytest.mark.parametrize("row", cases, ids=ids)
