"""NumPy's floating-point manipulation ufuncs on traced values.

``copysign``, ``ldexp`` and ``nextafter`` are primitives
(:mod:`steepest.autodiff.rules.floating`); ``float_power`` is ``power``; the ufuncs with two
outputs are compositions: ``frexp(x) = (x·2^−e, e)``, ``modf(x) = (x − trunc x, trunc x)`` and
``divmod(x, y) = (⌊x/y⌋, x mod y)``, whose integer-valued parts carry no derivative.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> float(grad(lambda x: np.frexp(x)[0])(6.0))  # 6 = 0.75·2³
    0.125
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._dispatch import TRACED
from ..arraylike import Composite
from ..rules import floating as rules
from ..rules.ufunc import power, remainder
from ..tracing import getval

__all__ = ["copysign", "ldexp", "nextafter", "float_power", "frexp", "modf", "divmod"]

copysign, ldexp, nextafter = rules.copysign, rules.ldexp, rules.nextafter
float_power = power


def frexp(x: Any) -> tuple[Any, np.ndarray]:
    """Mantissa and exponent, ``x = m·2^e`` with ``0.5 ≤ |m| < 1``: ``∂m/∂x = 2^−e``."""
    e = np.frexp(getval(x))[1]
    return ldexp(x, -e), e


def modf(x: Any) -> tuple[Any, np.ndarray]:
    """Fractional and integral parts: ``∂frac/∂x = 1``, the integral part is constant."""
    whole = np.trunc(getval(x))
    return x - whole, whole


def divmod(x: Any, y: Any) -> tuple[np.ndarray, Any]:
    """``(x // y, x % y)``: the quotient is integer-valued, the remainder as ``np.remainder``."""
    return np.floor_divide(getval(x), getval(y)), remainder(x, y)


TRACED.update({np.copysign: copysign, np.ldexp: ldexp, np.nextafter: nextafter,
               np.float_power: float_power, np.frexp: Composite(frexp),
               np.modf: Composite(modf), np.divmod: Composite(divmod)})
