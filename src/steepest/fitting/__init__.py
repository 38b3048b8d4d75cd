"""Least squares: linear (``lstsq``), nonlinear (``least_squares``) and curve fitting.

================ ==========================================================================
module           what it holds
================ ==========================================================================
``linear``       :func:`lstsq`: min ½‖Ax − b‖², direct and iterative, with a norm constraint
``losses``       robust losses ρ and the residual rescaling behind them (Triggs et al. §4.3)
``jacobian``     Jacobians of residuals: autodiff (forward or reverse), finite differences
``subproblem``   the trust-region subproblem through an SVD (Moré 1978)
``reflective``   Coleman–Li scaling, reflected and cut steps in a box
``problem``      the counted problem, the outcome, scipy's status codes
``trf``          trust-region reflective (Branch, Coleman & Li 1999), bounds and losses
``lm``           Levenberg–Marquardt (Moré 1978), unbounded
``driver``       :func:`least_squares`: scipy's signature, checks and result fields
``curve``        :func:`curve_fit`: ``popt, pcov`` as scipy returns them
================ ==========================================================================

Example:
    >>> import numpy as np
    >>> from steepest.fitting import least_squares
    >>> res = least_squares(lambda x: x ** 2 - 4.0, [1.0], bounds=(0, np.inf))
    >>> round(float(res.x[0]), 8), res.status > 0
    (2.0, True)
"""

from __future__ import annotations

from .curve import curve_fit
from .driver import least_squares
from .linear import lstsq

__all__ = ["lstsq", "least_squares", "curve_fit"]
