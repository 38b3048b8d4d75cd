"""Elementwise primitives (NumPy ufuncs) and their derivative rules, one line each.

Unary rules are given as the *local derivative* ``d(ans, x)``: the VJP is ``g * d`` and the
JVP is ``t * d`` (the chain rule (4.29)/(4.31) of Liquet et al., side by side). Binary rules give
the VJP and JVP for each argument; VJPs are summed back to the argument's shape
(:func:`unbroadcast`) when NumPy broadcast it.

Kink conventions (documented choices, never NaN):
    * ``abs``/``fabs`` at 0: derivative ``sign(0) = 0``.
    * ``maximum``/``minimum``/``fmax``/``fmin`` with ties: the cotangent is split equally
      (``1/2`` each), as in autograd.
    * ``x ** y`` with a traced exponent at ``x == 0``: the exponent's derivative is taken as 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.special as sps

from ...numerics.eft import two_sum_error
from ..primitives import Primitive, defjvp, defsaves, defvjp
from ..tracing import constant, getval
from .broadcast import unbroadcast

__all__ = ["where_prim", "polygamma_prim"]  # and one primitive per ufunc, named as in NumPy


def _uniform(g: Any) -> bool:
    """Whether ``g`` is a plain array broadcast from one value (all strides 0), as the
    cotangent of ``sum`` is: scaling it needs one multiplication, not a pass over it."""
    return type(g) is np.ndarray and g.size > 1 and not any(g.strides)


def scaled(g: Any, c: Any) -> Any:
    """``g * c`` for a Python-scalar ``c``; a uniform cotangent stays a broadcast view."""
    if (type(c) is float or type(c) is int) and _uniform(g):
        return np.broadcast_to(g[(0,) * g.ndim] * c, g.shape)
    return g * c


def _register(ufunc: Any) -> Primitive:
    return Primitive(ufunc, name=getattr(ufunc, "__name__", str(ufunc)))


def _unary(ufunc: Any, deriv: Callable[[Any, Any], Any], uses: tuple = ("ans", 0)
           ) -> Primitive:
    """Elementwise primitive with local derivative ``deriv(ans, x)`` reading ``uses``."""
    prim = _register(ufunc)
    defvjp(prim, lambda g, ans, x: g * deriv(ans, x))
    defjvp(prim, lambda t, ans, x: t * deriv(ans, x))
    defsaves(prim, uses)
    return prim


ANS, X = ("ans",), (0,)


def _linear_unary(ufunc: Any, scale: float) -> Primitive:
    prim = _register(ufunc)
    defvjp(prim, lambda g, ans, x: g * scale)
    defjvp(prim, lambda t, ans, x: t * scale)
    defsaves(prim, ())
    return prim


LN2, LN10 = np.log(2.0), np.log(10.0)

negative = _register(np.negative)
defvjp(negative, lambda g, ans, x: -g if not _uniform(g) else scaled(g, -1.0))
defjvp(negative, lambda t, ans, x: -t)
defsaves(negative, ())
positive = _linear_unary(np.positive, 1.0)
conjugate = _register(np.conjugate)  # a linear map of the real and imaginary parts
defvjp(conjugate, lambda g, ans, x: conjugate(g))
defjvp(conjugate, lambda t, ans, x: conjugate(t))
defsaves(conjugate, ())
deg2rad = _linear_unary(np.deg2rad, np.pi / 180)
radians = _linear_unary(np.radians, np.pi / 180)
rad2deg = _linear_unary(np.rad2deg, 180 / np.pi)
degrees = _linear_unary(np.degrees, 180 / np.pi)

# ---- local derivatives d(ans, x) ---------------------------------------------------------
exp = _unary(np.exp, lambda ans, x: ans, ANS)
exp2 = _unary(np.exp2, lambda ans, x: ans * LN2, ANS)
expm1 = _unary(np.expm1, lambda ans, x: ans + 1.0, ANS)
log = _unary(np.log, lambda ans, x: 1.0 / x, X)
log2 = _unary(np.log2, lambda ans, x: 1.0 / (x * LN2), X)
log10 = _unary(np.log10, lambda ans, x: 1.0 / (x * LN10), X)
log1p = _unary(np.log1p, lambda ans, x: 1.0 / (x + 1.0), X)
sqrt = _unary(np.sqrt, lambda ans, x: 0.5 / ans, ANS)
cbrt = _unary(np.cbrt, lambda ans, x: 1.0 / (3.0 * ans**2), ANS)
square = _unary(np.square, lambda ans, x: 2.0 * x, X)
reciprocal = _unary(np.reciprocal, lambda ans, x: -(ans**2), ANS)
sin = _unary(np.sin, lambda ans, x: cos(x), X)
cos = _unary(np.cos, lambda ans, x: -sin(x), X)
tan = _unary(np.tan, lambda ans, x: 1.0 + ans**2, ANS)
arcsin = _unary(np.arcsin, lambda ans, x: 1.0 / sqrt(1.0 - x**2), X)
arccos = _unary(np.arccos, lambda ans, x: -1.0 / sqrt(1.0 - x**2), X)
arctan = _unary(np.arctan, lambda ans, x: 1.0 / (1.0 + x**2), X)
sinh = _unary(np.sinh, lambda ans, x: cosh(x), X)
cosh = _unary(np.cosh, lambda ans, x: sinh(x), X)
tanh = _unary(np.tanh, lambda ans, x: 1.0 - ans**2, ANS)
arcsinh = _unary(np.arcsinh, lambda ans, x: 1.0 / sqrt(x**2 + 1.0), X)
arccosh = _unary(np.arccosh, lambda ans, x: 1.0 / sqrt(x**2 - 1.0), X)
arctanh = _unary(np.arctanh, lambda ans, x: 1.0 / (1.0 - x**2), X)
absolute = _register(np.absolute)


def _abs_vjp(g: Any, ans: Any, x: Any) -> Any:
    """``g sign(x)`` (a constant) for real ``x``; ``g z̄/|z|`` (0 at 0) for complex ``z``."""
    if np.iscomplexobj(getval(x)):  # |z| recomputed: the graph keeps x only, as for real x
        zero = getval(x) == 0
        return g * conjugate(where_prim(zero, 0.0, x)) / where_prim(zero, 1.0, absolute(x))
    return g * np.sign(getval(x))


def _abs_jvp(t: Any, ans: Any, x: Any) -> Any:
    """``t sign(x)`` for real ``x``; ``Re(z̄ t)/|z|`` (0 at 0) for complex ``z``."""
    if np.iscomplexobj(getval(x)):
        zero = getval(ans) == 0
        return np.real(t * conjugate(where_prim(zero, 0.0, x))) / where_prim(zero, 1.0, ans)
    return t * np.sign(getval(x))


defvjp(absolute, _abs_vjp)
defjvp(absolute, _abs_jvp)
defsaves(absolute, X)
# σ′ = σ(x)σ(−x): the textbook σ(1 − σ) rounds to 0 for x > 37 where σ′ ≈ e^−x is not 0
expit = _unary(sps.expit, lambda ans, x: ans * expit(-x), ("ans", 0))
logit = _unary(sps.logit, lambda ans, x: 1.0 / (x * (1.0 - x)), X)
erf = _unary(sps.erf, lambda ans, x: (2.0 / np.sqrt(np.pi)) * exp(-(x**2)), X)
erfc = _unary(sps.erfc, lambda ans, x: (-2.0 / np.sqrt(np.pi)) * exp(-(x**2)), X)
erfcx = _unary(sps.erfcx, lambda ans, x: 2.0 * x * ans - 2.0 / np.sqrt(np.pi))


def _log_ndtr_deriv(ans: Any, x: Any) -> Any:
    """(log Φ)′ = φ/Φ: √(2/π) / erfcx(−x/√2) for x < 0 (exp(−x²/2 − log Φ) cancels there,
    ~1000 ulp at −30), φ(x)/Φ(x) for x ≥ 0 (where erfcx of a negative argument loses digits);
    each branch sees only its own half of the inputs (DLMF 7.2.3, 7.18.1)."""
    neg = constant(x) < 0
    left = np.sqrt(2 / np.pi) / erfcx(-where_prim(neg, x, 0.0) / np.sqrt(2))
    right_x = where_prim(neg, 0.0, x)
    right = exp(-0.5 * right_x**2) / (np.sqrt(2 * np.pi) * ndtr(right_x))
    return where_prim(neg, left, right)


log_ndtr = _unary(sps.log_ndtr, _log_ndtr_deriv, X)
ndtr = _unary(sps.ndtr, lambda ans, x: exp(-0.5 * x**2) / np.sqrt(2 * np.pi))
polygamma_prim = Primitive(lambda n, x: sps.polygamma(n, x), name="polygamma")
defvjp(polygamma_prim, None, lambda g, ans, n, x: g * polygamma_prim(n + 1, x))
defjvp(polygamma_prim, None, lambda t, ans, n, x: t * polygamma_prim(n + 1, x))
digamma = _unary(sps.digamma, lambda ans, x: polygamma_prim(1, x), X)
gammaln = _unary(sps.gammaln, lambda ans, x: digamma(x), X)
gamma = _unary(sps.gamma, lambda ans, x: ans * digamma(x))


# ---- binary -------------------------------------------------------------------------------
def _binary(ufunc: Any, vjp_x: Callable, vjp_y: Callable, jvp_x: Callable,
            jvp_y: Callable, saves: tuple | None = None) -> Primitive:
    prim = _register(ufunc)
    defvjp(prim, lambda g, ans, x, y: unbroadcast(vjp_x(g, ans, x, y), x),
           lambda g, ans, x, y: unbroadcast(vjp_y(g, ans, x, y), y))
    defjvp(prim, jvp_x, jvp_y)
    if saves is not None:
        defsaves(prim, *saves)
    return prim


def _balanced_eq(x: Any, ans: Any, y: Any) -> Any:
    """1 where ``x`` attains ``ans``, 1/2 where ``x`` and ``y`` tie (a constant, no tangent)."""
    x, ans, y = getval(x), getval(ans), getval(y)
    return (x == ans) / (1.0 + (x == y))


def _safe_log(x: Any) -> Any:
    """log(x) with 0 ↦ 0, used for the exponent derivative of x ** y at x == 0."""
    return log(where_prim(getval(x) == 0, 1.0, x))


add = _binary(np.add, lambda g, a, x, y: g, lambda g, a, x, y: g,
              lambda t, a, x, y: t, lambda t, a, x, y: t, saves=((), ()))
subtract = _binary(np.subtract, lambda g, a, x, y: g,
                   lambda g, a, x, y: -g if not _uniform(g) else scaled(g, -1.0),
                   lambda t, a, x, y: t, lambda t, a, x, y: -t, saves=((), ()))
multiply = _binary(np.multiply, lambda g, a, x, y: scaled(g, y), lambda g, a, x, y: scaled(g, x),
                   lambda t, a, x, y: t * y, lambda t, a, x, y: x * t, saves=((1,), (0,)))
divide = _binary(np.true_divide, lambda g, a, x, y: g / y, lambda g, a, x, y: -g * a / y,
                 lambda t, a, x, y: t / y, lambda t, a, x, y: -t * a / y,
                 saves=((1,), ("ans", 1)))


def _dpow(x: Any, y: Any) -> Any:
    """d(x**y)/dx = y x**(y-1), with the y == 0 case giving 0 (not 0 * inf)."""
    if isinstance(y, (int, float)):
        if y == 2:
            return 2.0 * x
        return y * x ** (y - 1) if y != 0 else 0.0 * x
    return y * x ** where_prim(getval(y) == 0, 1.0, y - 1)


def _pow_vjp_x(g: Any, a: Any, x: Any, y: Any) -> Any:
    if type(y) is int and y == 2 and type(g) is np.ndarray and type(x) is np.ndarray:
        if _uniform(g) and x.shape == g.shape:
            return np.multiply(x, 2.0 * g[(0,) * g.ndim])  # one pass: 2 g is one number
        out = np.multiply(g, x)  # fused 2 g x: one temporary instead of two
        out *= 2.0
        return out
    return g * _dpow(x, y)


power = _binary(np.power, _pow_vjp_x,
                lambda g, a, x, y: g * a * _safe_log(x),
                lambda t, a, x, y: t * _dpow(x, y), lambda t, a, x, y: t * a * _safe_log(x),
                saves=((0, 1), ("ans", 0)))


def _fast_power(x: Any, y: Any) -> Any:
    """``x ** y`` with ndarray.__pow__'s fast paths (``x ** 2`` is ``square``, not ``pow``)."""
    if type(y) is int or type(y) is float:
        if y == 2:
            return np.square(x)
        if y == 0.5:
            return np.sqrt(x)
    return np.power(x, y)


power.fun = _fast_power
maximum = _binary(np.maximum, lambda g, a, x, y: g * _balanced_eq(x, a, y),
                  lambda g, a, x, y: g * _balanced_eq(y, a, x),
                  lambda t, a, x, y: t * _balanced_eq(x, a, y),
                  lambda t, a, x, y: t * _balanced_eq(y, a, x))
minimum = Primitive(np.minimum, "minimum")
fmax = Primitive(np.fmax, "fmax")
fmin = Primitive(np.fmin, "fmin")
for _p in (minimum, fmax, fmin):
    _p.vjps, _p.jvps = maximum.vjps, maximum.jvps


def _lae_weight(x: Any, y: Any) -> Any:
    """``exp(x − logaddexp(x, y)) = σ(x − y)``, the rounding of ``x − y`` put back.

    ``exp(x − ans)`` rounds ``x − ans`` (55 ulp off 1/2 at (1000, 1000)); ``σ(d)`` with
    ``d = fl(x − y)`` is exact there, and σ(d + e) ≈ σ(d)(1 + (1 − σ(d)) e) restores the
    TwoSum error e (a constant: its derivative is 0) where ``x − y`` is inexact.
    """
    s = expit(x - y)
    e = two_sum_error(constant(x) * 1.0, -constant(y) * 1.0)  # float (batched under vmap)
    return s * (1.0 + (1.0 - constant(s)) * e)  # exactly s where e = 0


# both partials via the sigmoid of the difference (an ulp test against mpmath in the rule tests)
logaddexp = _binary(np.logaddexp, lambda g, a, x, y: g * _lae_weight(x, y),
                    lambda g, a, x, y: g * _lae_weight(y, x),
                    lambda t, a, x, y: t * _lae_weight(x, y),
                    lambda t, a, x, y: t * _lae_weight(y, x))
logaddexp2 = _binary(np.logaddexp2, lambda g, a, x, y: g * exp2(x - a),
                     lambda g, a, x, y: g * exp2(y - a),
                     lambda t, a, x, y: t * exp2(x - a), lambda t, a, x, y: t * exp2(y - a))
hypot = _binary(np.hypot, lambda g, a, x, y: g * x / a, lambda g, a, x, y: g * y / a,
                lambda t, a, x, y: t * x / a, lambda t, a, x, y: t * y / a)
arctan2 = _binary(np.arctan2, lambda g, a, y, x: g * x / (x**2 + y**2),
                  lambda g, a, y, x: -g * y / (x**2 + y**2),
                  lambda t, a, y, x: t * x / (x**2 + y**2),
                  lambda t, a, y, x: -t * y / (x**2 + y**2))
remainder = _binary(np.remainder, lambda g, a, x, y: g,
                    lambda g, a, x, y: -g * np.floor(getval(x) / getval(y)),
                    lambda t, a, x, y: t, lambda t, a, x, y: -t * np.floor(getval(x) / getval(y)))
fmod = _binary(np.fmod, lambda g, a, x, y: g,
               lambda g, a, x, y: -g * np.trunc(getval(x) / getval(y)),
               lambda t, a, x, y: t, lambda t, a, x, y: -t * np.trunc(getval(x) / getval(y)))
xlogy = _binary(sps.xlogy, lambda g, a, x, y: g * _safe_log(y), lambda g, a, x, y: g * x / y,
                lambda t, a, x, y: t * _safe_log(y), lambda t, a, x, y: t * x / y)

# where(cond, x, y): cond is a constant boolean array
where_prim = Primitive(np.where, "where")
defvjp(where_prim, None,
       lambda g, ans, c, x, y: unbroadcast(where_prim(c, g, 0.0), x),
       lambda g, ans, c, x, y: unbroadcast(where_prim(c, 0.0, g), y))
defjvp(where_prim, None, lambda t, ans, c, x, y: where_prim(c, t, 0.0),
       lambda t, ans, c, x, y: where_prim(c, 0.0, t))
defsaves(where_prim, (), (), ())
