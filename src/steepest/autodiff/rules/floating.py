"""Derivative rules of NumPy's floating-point manipulation ufuncs.

``copysign(x, y) = |x|·sign(y)``: ∂/∂x = sign(x)·sign(y) (0 at x = 0, the ``abs`` convention),
∂/∂y = 0 almost everywhere; ``ldexp(x, n) = x·2ⁿ``: ∂/∂x = 2ⁿ (``n`` is an integer, not
differentiated); ``nextafter(x, y)`` moves ``x`` by one ulp: ∂/∂x = 1, ∂/∂y = 0.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> float(grad(lambda x: copysign(x, -1.0))(2.0))
    -1.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..primitives import Primitive, defjvp, defsaves, defvjp
from ..tracing import getval
from .broadcast import unbroadcast

__all__ = ["copysign", "ldexp", "nextafter"]


def _sign_product(x: Any, y: Any) -> np.ndarray:
    return np.sign(getval(x)) * np.copysign(1.0, getval(y))


def _zero(g: Any, y: Any) -> Any:
    return unbroadcast(g * 0.0, y)


copysign = Primitive(np.copysign, "copysign")
defvjp(copysign, lambda g, ans, x, y: unbroadcast(g * _sign_product(x, y), x),
       lambda g, ans, x, y: _zero(g, y))
defjvp(copysign, lambda t, ans, x, y: t * _sign_product(x, y),
       lambda t, ans, x, y: t * 0.0)
defsaves(copysign, (0, 1), (1,))

ldexp = Primitive(np.ldexp, "ldexp")
defvjp(ldexp, lambda g, ans, x, n: unbroadcast(g * np.ldexp(1.0, getval(n)), x))
defjvp(ldexp, lambda t, ans, x, n: t * np.ldexp(1.0, getval(n)))
defsaves(ldexp, (1,))

nextafter = Primitive(np.nextafter, "nextafter")
defvjp(nextafter, lambda g, ans, x, y: unbroadcast(g, x), lambda g, ans, x, y: _zero(g, y))
defjvp(nextafter, lambda t, ans, x, y: t + 0.0 * getval(y), lambda t, ans, x, y: t * 0.0)
defsaves(nextafter, (0,), (1,))
