"""Option and method names users type: the closest-name hint and the options-dict check.

Every entry point that takes an ``options`` dict or a method name checks it here, so a misspelt
name (``maxiters``, ``"sqpp"``) gets one kind of message everywhere: what is valid and the
closest valid name. It sits below :mod:`steepest._validate` (standard library only).

Example:
    >>> did_you_mean("maxiters", ["maxiter", "gtol"])
    " (did you mean 'maxiter'?)"
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["check_option_names", "did_you_mean"]


def did_you_mean(name: Any, valid: Sequence[str]) -> str:
    """``" (did you mean 'x'?)"`` for the closest of ``valid`` to a misspelt ``name``, or ``""``.

    Args:
        name: what the user wrote (an option, a method name ...).
        valid: the names accepted there.

    Returns:
        The hint, to append to an error message, from :func:`difflib.get_close_matches`
        (``""`` when nothing is close).

    Example:
        >>> did_you_mean("sqpp", ["sqp", "al"]), did_you_mean("xyz", ["sqp", "al"])
        (" (did you mean 'sqp'?)", '')
    """
    close = difflib.get_close_matches(str(name), list(valid), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_option_names(options: Any, owner: str, valid: Sequence[str]) -> dict[str, Any]:
    """An options dict whose keys are all among ``valid`` (unknown ones suggest the closest).

    Args:
        options: the user's options (a mapping or ``None``).
        owner: who takes them, for the message (e.g. ``"method 'bfgs'"``).
        valid: the option names ``owner`` accepts.

    Returns:
        A new ``dict`` of the options.

    Raises:
        TypeError: ``options`` is not a mapping.
        ValueError: an unknown option; the message lists the valid names and, through
            :func:`difflib.get_close_matches`, the closest one.

    Example:
        >>> check_option_names({"maxiter": 5}, "method 'bfgs'", ["gtol", "maxiter"])
        {'maxiter': 5}
        >>> check_option_names({"maxiters": 5}, "method 'bfgs'", ["gtol", "maxiter"])
        ... # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: unknown option 'maxiters' for method 'bfgs' (did you mean 'maxiter'?); ...
    """
    if options is None:
        return {}
    if not isinstance(options, Mapping):
        raise TypeError(f"options must be a dict of option names to values, got "
                        f"{type(options).__name__}; pass e.g. options={{'maxiter': 100}}")
    known = set(valid)
    unknown = [k for k in options if k not in known]
    if unknown:
        names = sorted(known)
        hints = [h[2:-1] for k in unknown if (h := did_you_mean(k, names))]
        hint = f" ({'; '.join(hints)})" if hints else ""
        what = "option" if len(unknown) == 1 else "options"
        listed = ", ".join(map(repr, unknown))
        raise ValueError(f"unknown {what} {listed} for {owner}{hint}; valid options are "
                         f"{names}")
    return dict(options)
