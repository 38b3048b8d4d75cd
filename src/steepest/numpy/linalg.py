"""Differentiable ``numpy.linalg``: solve, inv, det, slogdet, cholesky, eigh, eigvalsh, svd,
qr, norm, pinv, matrix_power. Other names come from :mod:`numpy.linalg`.

Example:
    >>> import numpy as np
    >>> import steepest.numpy as snp
    >>> from steepest import grad
    >>> A = np.array([[2.0, 1.0], [1.0, 3.0]])
    >>> np.allclose(grad(lambda M: snp.linalg.slogdet(M)[1])(A), np.linalg.inv(A).T)
    True
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from ..autodiff.numpy.linalg import *  # noqa: F403
from ..autodiff.numpy.linalg import __all__ as __all__  # noqa: PLC0414


def __getattr__(name: str) -> Any:
    try:
        return getattr(_np.linalg, name)
    except AttributeError:
        raise AttributeError(f"module 'steepest.numpy.linalg' has no attribute {name!r}") from None
