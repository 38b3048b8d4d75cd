"""The 35 Moré–Garbow–Hillstrom (1981) test problems: a registry and modules by content.

================== ==========================================================================
module             problems
================== ==========================================================================
``registry``       :func:`mgh_problem`, :func:`mgh_problems`, :data:`MGH_NAMES` (paper order)
``factory``        the shared reference, the ``mghNN_name`` factory and size checks
``small_systems``  1–5, 7, 13, 14: small nonlinear systems with f* = 0 (Rosenbrock, Wood ...)
``data_fitting``   6, 8–12, 15–20: models fitted to data (Bard, Meyer, Osborne, Watson ...)
``extended``       21, 22: extended Rosenbrock and extended Powell singular
``penalty``        23–25: penalty I and II, variably dimensioned
``square_systems`` 26–31: square systems F(x) = 0 in any n (trigonometric, Broyden ...)
``linear``         32–34: linear functions of full rank and rank 1
``chebyquad``      35: Chebyquad
================== ==========================================================================

Example:
    >>> from steepest.problems.mgh import mgh_problem
    >>> mgh_problem(1).name
    'mgh01_rosenbrock'
"""

from __future__ import annotations

from .registry import MGH_NAMES, mgh_problem, mgh_problems

__all__ = ["MGH_NAMES", "mgh_problem", "mgh_problems"]
