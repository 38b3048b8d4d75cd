"""The 35 Moré–Garbow–Hillstrom (1981) test problems as one registry.

:func:`mgh_problems` returns all of them at the standard sizes below; :func:`mgh_problem`
builds one by number or name, optionally at another size. For the variable-size problems the
paper allows a range of ``(n, m)``; the defaults here are chosen so that a published minimum
value exists wherever the paper gives one for specific sizes:

======  ==========================  ======  ======
number  problem                     n       m
======  ==========================  ======  ======
6       Jennrich and Sampson        2       10
11      Gulf research & devel.      3       99
12      Box three-dimensional       3       10
16      Brown and Dennis            4       20
18      Biggs EXP6                  6       13
20      Watson                      6       31
21–31   variable-size problems      10–12   n, n+1, 2n or n+2
32–34   linear functions            10      20
35      Chebyquad                   8       8
======  ==========================  ======  ======

Reference: J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing unconstrained optimization
software", ACM Trans. Math. Software 7 (1981) 17–41.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ..._options import did_you_mean
from ..base import Problem
from .chebyquad import mgh35
from .data_fitting import (
    mgh06,
    mgh08,
    mgh09,
    mgh10,
    mgh11,
    mgh12,
    mgh15,
    mgh16,
    mgh17,
    mgh18,
    mgh19,
    mgh20,
)
from .extended import mgh21, mgh22
from .linear import mgh32, mgh33, mgh34
from .penalty import mgh23, mgh24, mgh25
from .small_systems import mgh01, mgh02, mgh03, mgh04, mgh05, mgh07, mgh13, mgh14
from .square_systems import mgh26, mgh27, mgh28, mgh29, mgh30, mgh31

__all__ = ["MGH_NAMES", "mgh_problem", "mgh_problems"]

_FACTORIES: dict[int, Callable[..., Problem]] = {
    1: mgh01, 2: mgh02, 3: mgh03, 4: mgh04, 5: mgh05, 6: mgh06,
    7: mgh07, 8: mgh08, 9: mgh09, 10: mgh10, 11: mgh11, 12: mgh12,
    13: mgh13, 14: mgh14, 15: mgh15, 16: mgh16, 17: mgh17, 18: mgh18,
    19: mgh19, 20: mgh20, 21: mgh21, 22: mgh22, 23: mgh23, 24: mgh24,
    25: mgh25, 26: mgh26, 27: mgh27, 28: mgh28, 29: mgh29, 30: mgh30,
    31: mgh31, 32: mgh32, 33: mgh33, 34: mgh34, 35: mgh35,
}  # fmt: skip

#: Problem names in paper order (``MGH_NAMES[k - 1]`` is problem ``k``).
MGH_NAMES: tuple[str, ...] = tuple(
    _FACTORIES[k]().name.split("_", 1)[1] for k in sorted(_FACTORIES)
)


def mgh_problem(key: int | str, **size: Any) -> Problem:
    """One Moré–Garbow–Hillstrom problem by number (1–35) or name.

    Args:
        key: Problem number, or a name from :data:`MGH_NAMES` (``"watson"``), or the full
            problem name (``"mgh20_watson"``).
        **size: ``n=`` and/or ``m=`` for the problems whose size the paper leaves free.

    Returns:
        The :class:`~steepest.problems.base.Problem`.

    Example:
        >>> p = mgh_problem("watson", n=9)
        >>> p.number, p.n, p.m, p.f_star
        (20, 9, 31, 1.39976e-06)
    """
    number = _resolve(key)
    factory = _FACTORIES[number]
    takes = sorted(inspect.signature(factory).parameters)
    unknown = sorted(set(size) - set(takes))
    if unknown:
        raise TypeError(
            f"MGH problem {number} ({MGH_NAMES[number - 1]}) does not accept {unknown}"
            f"{did_you_mean(unknown[0], takes)}; "
            + (f"it takes {takes}" if takes else "fixed-size problems take no arguments"))
    return factory(**size)


def mgh_problems() -> list[Problem]:
    """All 35 Moré–Garbow–Hillstrom problems at their standard sizes, in paper order.

    Returns:
        A list of 35 :class:`Problem` instances (value, gradient, start point, known ``f_star``
        where published).

    Reference:
        J. J. Moré, B. S. Garbow & K. E. Hillstrom, "Testing unconstrained optimization software",
        ACM TOMS 7 (1981), 17-41.

    Example:
        >>> probs = mgh_problems()
        >>> len(probs), probs[0].name, probs[-1].name
        (35, 'mgh01_rosenbrock', 'mgh35_chebyquad')
    """
    return [_FACTORIES[k]() for k in sorted(_FACTORIES)]


def _resolve(key: int | str) -> int:
    if isinstance(key, bool):
        raise TypeError("key must be a problem number or name, not a bool")
    if isinstance(key, int):
        if key not in _FACTORIES:
            raise ValueError(f"MGH problem numbers run from 1 to 35, got {key}")
        return key
    if isinstance(key, str):
        name = key.lower()
        if name.startswith("mgh") and "_" in name:
            name = name.split("_", 1)[1]
        if name in MGH_NAMES:
            return MGH_NAMES.index(name) + 1
        raise ValueError(f"unknown MGH problem {key!r}{did_you_mean(name, MGH_NAMES)}; choose "
                         f"from {', '.join(MGH_NAMES)}")
    raise TypeError(f"key must be an int or str, got {type(key).__name__}")
