"""``steepest.numpy``: the explicit differentiable NumPy namespace.

Every function accepts plain arrays (it then simply calls NumPy) and traced values (it then
records derivatives). Names that are not functions of arrays — dtypes, constants such as
``pi``/``newaxis``/``inf`` — are taken from NumPy itself.

Example:
    >>> import steepest.numpy as snp
    >>> from steepest import grad
    >>> float(grad(lambda x: snp.sum(snp.sin(x)))(0.0))
    1.0
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from ..autodiff.numpy import *  # noqa: F403
from ..autodiff.numpy import __all__ as _api_all
from . import linalg, special  # noqa: F401

__all__ = [*_api_all, "linalg", "special"]


def __getattr__(name: str) -> Any:
    """Constants and dtypes (``pi``, ``inf``, ``float64``, ``newaxis`` ...) come from NumPy."""
    try:
        return getattr(_np, name)
    except AttributeError:
        raise AttributeError(f"module 'steepest.numpy' has no attribute {name!r}") from None
