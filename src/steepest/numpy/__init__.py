"""``steepest.numpy``: the explicit differentiable NumPy namespace.

Every function accepts plain arrays (it then simply calls NumPy) and traced values (it then
records derivatives). It is a complete NumPy namespace: every other public name of NumPy
(constructors, dtypes, constants, predicates, index tricks such as ``r_``/``ix_``, and the
modules ``fft`` and ``random``) is NumPy's own object, classified in
:mod:`steepest.autodiff.numpy.coverage` (``docs/numpy_coverage.md``): on a traced value it
either works (``shape``, ``argmax``, ``isfinite`` ...) or raises an error naming the function
and the nearest supported alternative.

Example:
    >>> import numpy as np
    >>> import steepest.numpy as snp
    >>> from steepest import grad
    >>> float(grad(lambda x: snp.sum(snp.sin(x)))(0.0))
    1.0
    >>> snp.eye(2)[0], snp.r_[1, 2], snp.float64 is np.float64
    (array([1., 0.]), array([1, 2]), True)
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from ..autodiff.numpy import *  # noqa: F403
from ..autodiff.numpy import __all__ as _api_all
from . import linalg, special  # noqa: F401

__all__ = [*_api_all, "linalg", "special"]
_PASSED = sorted(n for n in dir(_np) if not n.startswith("_") and n not in __all__)


def __dir__() -> list[str]:
    """Every public NumPy name, the differentiable ones from steepest."""
    return sorted({*__all__, *_PASSED})


def __getattr__(name: str) -> Any:
    """Constants and dtypes (``pi``, ``inf``, ``float64``, ``newaxis`` ...) come from NumPy."""
    try:
        return getattr(_np, name)
    except AttributeError:
        raise AttributeError(f"module 'steepest.numpy' has no attribute {name!r}") from None
