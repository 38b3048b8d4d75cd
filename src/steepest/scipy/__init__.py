"""``steepest.scipy``: drop-ins for SciPy functions that differentiate on traced values.

SciPy's Python-level functions convert their inputs to plain arrays instead of dispatching
through ``__array_function__``, so inside a differentiated function call these modules'
functions (same names and signatures; SciPy's own result on plain arrays):
:mod:`steepest.scipy.linalg`.

Example:
    >>> import steepest.scipy.linalg as sla
    >>> sla.expm.__module__
    'steepest.scipy.linalg'
"""

from __future__ import annotations

from . import linalg

__all__ = ["linalg"]
