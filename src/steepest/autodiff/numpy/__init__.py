"""The NumPy-facing layer of autodiff: the differentiable namespace behind :mod:`steepest.numpy`.

Every function here works on plain arrays (it then just calls NumPy) and on traced values.
Each module registers its functions in the one dispatch table,
:data:`steepest._dispatch.TRACED`, under the NumPy function (or ufunc) it implements, so that
plain ``import numpy as np`` code is traced: :mod:`.elementwise` (ufuncs, ``where``, ``clip``),
:mod:`.reductions` (reductions and products), :mod:`.shape`, :mod:`.statistics` (order
statistics, NaN reductions, cov), :mod:`.numerical` (differences, interpolation, convolution,
polynomials, selections), :mod:`.floating` (copysign, ldexp, frexp ...), :mod:`.linalg`,
:mod:`.fft`,
:mod:`.special` (steepest's stable numerics), :mod:`.scipy_special` (scipy.special's ufuncs
and functions) and :mod:`.nondifferentiable` (functions whose result carries no derivative);
:mod:`.coverage` classifies every other NumPy name as passed through or unsupported (with a
clear error on traced values). The derivative rules live in
:mod:`steepest.autodiff.rules`.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> from steepest.autodiff import numpy as anp
    >>> float(grad(lambda x: anp.sum(anp.sin(x)))(0.0))
    1.0
"""

from __future__ import annotations

from . import (  # noqa: F401  (registered under NumPy's names)
    coverage,
    fft,
    floating,
    linalg,
    numerical,
    scipy_special,
    special,
    statistics,
)
from .elementwise import *  # noqa: F403
from .elementwise import __all__ as _elementwise_all
from .nondifferentiable import ceil, floor, sign
from .reductions import *  # noqa: F403
from .reductions import __all__ as _reductions_all
from .shape import *  # noqa: F403
from .shape import __all__ as _shape_all
from .special import logsumexp

__all__ = [*_elementwise_all, "logsumexp", "sign", "floor", "ceil", *_reductions_all,
           *_shape_all]
