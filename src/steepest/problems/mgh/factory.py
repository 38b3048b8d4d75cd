"""What every Moré–Garbow–Hillstrom problem module shares: the reference, the factory, size checks.

Each problem is a sum of squares ``f = sum_i r_i(x)^2``; the problem modules define the
residuals ``r`` (plain NumPy, traceable by automatic differentiation) and their analytic
Jacobians, and a factory returning a :class:`~steepest.problems.base.Problem` built by
:func:`mgh_lsq`. Definitions, starting points and minimum values follow Section 3 of

    J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing unconstrained optimization
    software", ACM Trans. Math. Software 7 (1981) 17–41.

Minimum values are quoted to the digits the paper prints. Where the paper prints a minimizer
rounded to a few digits, ``x_star`` holds that point refined by Newton's method on the
optimality conditions (the tests check it rounds back to the printed digits).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..base import Problem, VectorFn, least_squares_problem

MGH_REF = (
    "J. J. Moré, B. S. Garbow and K. E. Hillstrom, Testing unconstrained optimization "
    "software, ACM Trans. Math. Software 7 (1981) 17-41."
)

__all__ = ["MGH_REF", "check_m", "check_n", "mgh_lsq"]


def mgh_lsq(
    number: int, name: str, x0: list[float], r: VectorFn, J: VectorFn, **info: Any
) -> Problem:
    """Least-squares :class:`Problem` named ``mghNN_name`` with the MGH reference.

    .. math:: f(x) = \\sum_i r_i(x)^2, \\qquad \\nabla f(x) = 2 J(x)^\\top r(x)

    Args:
        number: Index in the paper's list (1–35).
        name: Short name, e.g. ``"rosenbrock"``.
        x0: Standard starting point.
        r: Residuals ``r(x) -> (m,)``.
        J: Their Jacobian ``J(x) -> (m, n)``.
        **info: Further :class:`Problem` fields (``f_star``, ``x_star``, ``title`` ...).

    Returns:
        The :class:`Problem` ``mghNN_name``.

    Reference: Moré, Garbow & Hillstrom, ACM TOMS 7 (1981), Section 3.

    Example:
        >>> import numpy as np
        >>> p = mgh_lsq(99, "line", [0.0], lambda x: x - 1.0, lambda x: np.eye(1))
        >>> p.name, float(p.fun(p.x0))
        ('mgh99_line', 1.0)
    """
    return least_squares_problem(
        f"mgh{number:02d}_{name}", x0, r, J, number=number, reference=MGH_REF, **info
    )


def check_n(n: int, minimum: int, name: str, multiple: int = 1) -> int:
    """Validate a problem dimension, naming the fix in the error.

    Args:
        n: The requested number of variables.
        minimum: The smallest ``n`` the problem is defined for.
        name: The problem's title, for the message.
        multiple: ``n`` must be a multiple of this (2 for extended Rosenbrock).

    Returns:
        ``n`` as a Python ``int``.

    Example:
        >>> check_n(4, 2, "extended Rosenbrock", multiple=2)
        4
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{name}: n must be an int, got {type(n).__name__}")
    if n < minimum or n % multiple:
        extra = f" and a multiple of {multiple}" if multiple > 1 else ""
        raise ValueError(f"{name}: n must be >= {minimum}{extra}, got n={n}")
    return int(n)


def check_m(n: int, m: int, name: str) -> int:
    """Validate a number of residuals ``m >= n``, naming the problem in the error.

    Args:
        n: The number of variables.
        m: The requested number of residuals.
        name: The problem's title, for the message.

    Returns:
        ``m`` as a Python ``int``.

    Example:
        >>> check_m(10, 20, "linear full rank")
        20
    """
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < n:
        raise ValueError(f"{name}: m must be an int >= n = {n}, got m={m!r}")
    return int(m)
