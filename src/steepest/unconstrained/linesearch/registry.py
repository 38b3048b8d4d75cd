r"""Line searches by name: the registry a solver's ``line_search=`` option looks up.

:func:`make_line_search` turns a name plus options into a search object (or passes an object
through); :func:`line_search` runs one on :math:`\varphi(\alpha) = f(x + \alpha p)` built from
``(f, x, p)``.

Example:
    >>> make_line_search("armijo", shrink=2 / 3)
    Armijo(c1=0.0001, shrink=0.6666666666666666, max_evals=40, interpolate=False)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

import numpy as np

from ..._options import did_you_mean
from ..._validate import check_finite_array, check_positive_float
from ...objective import Objective
from .backtracking import Armijo
from .base import LineFunction, LineSearch, LineSearchResult
from .exact_search import Exact
from .fixed import FixedStep
from .more_thuente_search import MoreThuente
from .zoom import StrongWolfe, Wolfe

__all__ = ["LINE_SEARCHES", "make_line_search", "line_search"]

LINE_SEARCHES: dict[str, type] = {
    "fixed": FixedStep,
    "armijo": Armijo,
    "backtracking": Armijo,
    "wolfe": Wolfe,
    "strong_wolfe": StrongWolfe,
    "strong-wolfe": StrongWolfe,
    "more-thuente": MoreThuente,
    "more_thuente": MoreThuente,
    "exact": Exact,
}


def make_line_search(spec: Any = "strong_wolfe", **options: Any) -> LineSearch:
    r"""A line-search object from a name in :data:`LINE_SEARCHES` (plus options) or an object.

    The object's ``search(line, alpha0)`` returns a step :math:`\alpha` along
    :math:`\varphi(\alpha) = f(x + \alpha p)` (fixed, Armijo, Wolfe, strong Wolfe, exact or
    Moré-Thuente); ``minimize(..., options={"line_search": ...})`` accepts the same specs.

    Args:
        spec: a name (``"fixed"``, ``"armijo"``, ``"wolfe"``, ``"strong_wolfe"``, ``"exact"``,
            ``"more_thuente"``...) or an object with a ``search(line, alpha0)`` method.
        **options: the fields of the named search's dataclass (``c1``, ``c2``, ...).

    Returns:
        The line-search object (``spec`` itself when it is already one).

    Raises:
        ValueError: unknown name or option (the message lists the valid ones).
        TypeError: ``spec`` is neither a name nor an object with ``search``.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Line Search";
        Nocedal & Wright, *Numerical Optimization*, 2nd ed., ch. 3.

    Example:
        >>> make_line_search("armijo", c1=0.1)
        Armijo(c1=0.1, shrink=0.5, max_evals=40, interpolate=False)
    """
    if not isinstance(spec, str):
        if not isinstance(spec, LineSearch):
            raise TypeError("line_search must be a name in LINE_SEARCHES or an object with "
                            f"search(line, alpha0), got {type(spec).__name__}")
        return spec
    cls = LINE_SEARCHES.get(spec.lower())
    if cls is None:
        raise ValueError(f"unknown line search {spec!r}{did_you_mean(spec, list(LINE_SEARCHES))}; "
                         f"choose one of {sorted(LINE_SEARCHES)}")
    names = sorted(f.name for f in fields(cls))
    unknown = sorted(set(options) - set(names))
    if unknown:
        hints = "".join(did_you_mean(k, names) for k in unknown)
        raise ValueError(f"line search {spec!r} has no option(s) {unknown}{hints}; "
                         f"its options are {names}")
    return cls(**options)


def line_search(
    fun: Callable[[np.ndarray], float], x: np.ndarray, p: np.ndarray, *,
    grad: Callable[[np.ndarray], np.ndarray] | None = None, method: str = "strong_wolfe",
    **kwargs: Any,
) -> LineSearchResult:
    r"""Run a named line search on :math:`\varphi(\alpha) = f(x + \alpha p)`.

    Args:
        fun: ``f(x)``.
        x, p: base point and direction.
        grad: ``∇f(x)``; when omitted, 2-point finite differences (small n only).
        method: ``"fixed"``, ``"armijo"``, ``"wolfe"``, ``"strong_wolfe"``, ``"more_thuente"``
            or ``"exact"``.
        **kwargs: the chosen search's options (``c1``, ``c2``, ``alpha0``, ``shrink`` ...).

    Returns:
        :class:`~.base.LineSearchResult`.

    Reference:
        Liquet et al., *Mathematical Engineering of Deep Learning*, §4.5 "Line Search" and "Inexact
        Line Search" (eqs. 4.48-4.50); Nocedal & Wright, *Numerical Optimization*, 2nd ed., §3.1.

    Example:
        >>> import numpy as np
        >>> f = lambda z: float(z @ z)
        >>> g = lambda z: 2 * z
        >>> x = np.array([1.0, 2.0])
        >>> r = line_search(f, x, -g(x), grad=g, method="strong_wolfe")
        >>> r.success, r.strong_curvature
        (True, True)
    """
    x = np.asarray(x, dtype=float)
    p = check_finite_array(p, "p", shape=x.shape)
    alpha0 = check_positive_float(kwargs.pop("alpha0", 1.0), "alpha0",
                                  fix="pass the first trial step, e.g. alpha0=1.0")
    obj = Objective(fun, x, jac=grad if grad is not None else "2-point")
    f0, g0 = obj.fg(x)
    line = LineFunction(obj, x, p, f0, g0)
    return make_line_search(method, **kwargs).search(line, alpha0)
