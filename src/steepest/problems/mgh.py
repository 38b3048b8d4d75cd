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

from collections.abc import Callable
from typing import Any

from . import mgh_fixed as _a
from . import mgh_medium as _b
from . import mgh_variable as _c
from . import mgh_variable2 as _d
from .base import Problem

__all__ = ["MGH_NAMES", "mgh_problem", "mgh_problems"]

_FACTORIES: dict[int, Callable[..., Problem]] = {
    1: _a.mgh01, 2: _a.mgh02, 3: _a.mgh03, 4: _a.mgh04, 5: _a.mgh05, 6: _a.mgh06,
    7: _a.mgh07, 8: _a.mgh08, 9: _a.mgh09, 10: _a.mgh10, 11: _a.mgh11, 12: _a.mgh12,
    13: _b.mgh13, 14: _b.mgh14, 15: _b.mgh15, 16: _b.mgh16, 17: _b.mgh17, 18: _b.mgh18,
    19: _b.mgh19, 20: _c.mgh20, 21: _c.mgh21, 22: _c.mgh22, 23: _c.mgh23, 24: _c.mgh24,
    25: _c.mgh25, 26: _c.mgh26, 27: _c.mgh27, 28: _d.mgh28, 29: _d.mgh29, 30: _d.mgh30,
    31: _d.mgh31, 32: _d.mgh32, 33: _d.mgh33, 34: _d.mgh34, 35: _d.mgh35,
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
    try:
        return _FACTORIES[number](**size)
    except TypeError as exc:
        raise TypeError(
            f"MGH problem {number} ({MGH_NAMES[number - 1]}) does not accept {sorted(size)}; "
            "fixed-size problems take no arguments"
        ) from exc


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
        raise ValueError(f"unknown MGH problem {key!r}; choose from {', '.join(MGH_NAMES)}")
    raise TypeError(f"key must be an int or str, got {type(key).__name__}")
