"""Elementwise functions of :mod:`steepest.numpy`: every differentiable ufunc is its primitive.

The primitives and their rules live in :mod:`steepest.autodiff.rules.ufunc`; this module puts
each one in the namespace under NumPy's name and registers it in the one dispatch table
(:data:`steepest._dispatch.TRACED`) under the ufunc it implements, so that ``np.exp(x)`` on a
traced ``x`` records the ``exp`` primitive. ``where`` and ``clip`` are built on them.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> round(float(grad(lambda x: np.exp(x) + np.clip(x, 0.0, 1.0))(0.5)), 6)
    2.648721
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sps

from ..._dispatch import TRACED, implements
from ..errors import traced_error
from ..rules import special as special_rules
from ..rules import ufunc as ufunc_rules
from ..tracing import asarray_value, getval

__all__ = [
    "add", "subtract", "multiply", "divide", "true_divide", "power", "negative", "positive",
    "remainder", "mod", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt",
    "square", "reciprocal", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh", "arcsinh", "arccosh", "arctanh", "absolute", "abs", "fabs", "deg2rad", "rad2deg",
    "radians", "degrees", "maximum", "minimum", "fmax", "fmin", "logaddexp", "logaddexp2",
    "hypot", "arctan2", "fmod", "expit", "logit", "erf", "erfc", "ndtr", "log_ndtr", "gammaln",
    "digamma", "gamma", "xlogy", "softmax", "log_softmax", "where", "clip", "conjugate", "conj",
    "real", "imag", "sinc", "nan_to_num",
]

add, subtract, multiply = ufunc_rules.add, ufunc_rules.subtract, ufunc_rules.multiply
divide = true_divide = ufunc_rules.divide
power, negative, positive = ufunc_rules.power, ufunc_rules.negative, ufunc_rules.positive
conjugate = conj = ufunc_rules.conjugate
remainder = mod = ufunc_rules.remainder
exp, exp2, expm1 = ufunc_rules.exp, ufunc_rules.exp2, ufunc_rules.expm1
log, log2, log10, log1p = ufunc_rules.log, ufunc_rules.log2, ufunc_rules.log10, ufunc_rules.log1p
sqrt, cbrt = ufunc_rules.sqrt, ufunc_rules.cbrt
square, reciprocal = ufunc_rules.square, ufunc_rules.reciprocal
sin, cos, tan = ufunc_rules.sin, ufunc_rules.cos, ufunc_rules.tan
arcsin, arccos, arctan = ufunc_rules.arcsin, ufunc_rules.arccos, ufunc_rules.arctan
sinh, cosh, tanh = ufunc_rules.sinh, ufunc_rules.cosh, ufunc_rules.tanh
arcsinh, arccosh, arctanh = ufunc_rules.arcsinh, ufunc_rules.arccosh, ufunc_rules.arctanh
absolute = abs = fabs = ufunc_rules.absolute
deg2rad = radians = ufunc_rules.deg2rad
rad2deg = degrees = ufunc_rules.rad2deg
maximum, minimum = ufunc_rules.maximum, ufunc_rules.minimum
fmax, fmin = ufunc_rules.fmax, ufunc_rules.fmin
logaddexp, logaddexp2 = ufunc_rules.logaddexp, ufunc_rules.logaddexp2
hypot, arctan2, fmod = ufunc_rules.hypot, ufunc_rules.arctan2, ufunc_rules.fmod
expit, logit, erf, erfc = ufunc_rules.expit, ufunc_rules.logit, ufunc_rules.erf, ufunc_rules.erfc
ndtr, log_ndtr = ufunc_rules.ndtr, ufunc_rules.log_ndtr
gammaln, digamma, gamma = ufunc_rules.gammaln, ufunc_rules.digamma, ufunc_rules.gamma
xlogy = ufunc_rules.xlogy
softmax, log_softmax = special_rules.softmax, special_rules.log_softmax

# ufuncs whose primitive was made under another name (or is shared): ufunc -> primitive
_ALIASES = {np.fabs: absolute, sps.psi: digamma, np.radians: ufunc_rules.radians,
            np.degrees: ufunc_rules.degrees, np.power: power}

for _prim in (add, subtract, multiply, divide, negative, positive, conjugate, remainder, exp,
              exp2, expm1,
              log, log2, log10, log1p, sqrt, cbrt, square, reciprocal, sin, cos, tan, arcsin,
              arccos, arctan, sinh, cosh, tanh, arcsinh, arccosh, arctanh, absolute, deg2rad,
              rad2deg, maximum, minimum, fmax, fmin, logaddexp, logaddexp2, hypot, arctan2,
              fmod, expit, logit, erf, erfc, ndtr, log_ndtr, gammaln, digamma, gamma, xlogy):
    TRACED[_prim.__wrapped__] = _prim
TRACED.update(_ALIASES)

@implements(np.where)
def where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """``x`` where ``condition`` holds, else ``y``; the condition carries no derivative."""
    if x is None and y is None:
        return np.where(getval(condition))
    return ufunc_rules.where_prim(asarray_value(condition), x, y)


@implements(np.clip)
def clip(a: Any, a_min: Any = None, a_max: Any = None, out: Any = None, **kwargs: Any) -> Any:
    """Clip ``a`` to ``[a_min, a_max]``; the derivative is 1 inside, 0 outside (0 at a tie
    with a traced bound goes to the bound)."""
    if out is not None:
        raise traced_error("out=...", "in-place")
    a_min = kwargs.pop("min", a_min)
    a_max = kwargs.pop("max", a_max)
    if a_min is not None:
        a = where(getval(a) < getval(a_min), a_min, a)
    if a_max is not None:
        a = where(getval(a) > getval(a_max), a_max, a)
    return a


@implements(np.real)
def real(val: Any) -> Any:
    """Real part: ``val`` itself (traced values are real; complex intermediates are refused)."""
    return val


@implements(np.imag)
def imag(val: Any) -> Any:
    """Imaginary part of a real value: zeros, a constant."""
    return np.zeros(np.shape(getval(val)))


_SINC_TAYLOR = 1e-3  # below it, 1 - u²/6 + u⁴/120 (u = πx) is exact to rounding


@implements(np.sinc)
def sinc(x: Any) -> Any:
    """Normalised sinc ``sin(πx)/(πx)``, 1 at 0; near 0 its Taylor series
    ``1 - (πx)²/6 + (πx)⁴/120``, so every derivative is finite there (``sinc'(0) = 0``,
    ``sinc''(0) = -π²/3``)."""
    small = np.abs(getval(x)) < _SINC_TAYLOR
    u = multiply(np.pi, where(small, 1.0, x))
    u0 = square(multiply(np.pi, x))
    return where(small, 1.0 - u0 / 6.0 + square(u0) / 120.0, divide(sin(u), u))


@implements(np.nan_to_num)
def nan_to_num(x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None,
               neginf: Any = None) -> Any:
    """``x`` with nan/±inf replaced by constants: derivative 1 at finite entries, 0 elsewhere."""
    xv = getval(x)
    fill = np.nan_to_num(xv, nan=nan, posinf=posinf, neginf=neginf)
    return where(np.isfinite(xv), x, fill)
