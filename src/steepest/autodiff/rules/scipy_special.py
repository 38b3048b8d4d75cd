"""Derivative rules of the :mod:`scipy.special` ufuncs beyond the elementary ones.

Each ufunc is a primitive whose rules are written with other primitives, so derivatives nest
to any order. A parameter that is a shape or an order (``n`` of polygamma, ``v`` of ive, ``a``
of gammainc ...) has no rule: it raises a clear error when traced.

Formulas (DLMF, https://dlmf.nist.gov): ∂ ln B(a, b)/∂a = ψ(a) − ψ(a + b) (5.12, 5.15);
erfinv′(y) = (√π/2)·exp(erfinv(y)²) (7.17); erfcx′(x) = 2x·erfcx(x) − 2/√π (7.2, 7.10);
ndtri′(p) = √(2π)·exp(ndtri(p)²/2); I_v′ = (I_{v−1} + I_{v+1})/2 (10.29.1) and for the scaled
Iₑ_v(x) = e^{−|x|} I_v(x) the extra term −sign(x)·Iₑ_v(x); ∂P(a, x)/∂x = x^{a−1}e^{−x}/Γ(a)
(8.8.13); ∂I_x(a, b)/∂x = x^{a−1}(1 − x)^{b−1}/B(a, b) (8.17.1); Student's t cdf′ = its pdf.

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> round(float(grad(lambda p: ndtri(p))(0.5)), 6)  # √(2π)
    2.506628
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.special as sps

from ..primitives import Primitive, defjvp, defsaves, defvjp
from ..tracing import getval
from .broadcast import unbroadcast
from .ufunc import (
    ANS,
    X,
    _binary,
    _safe_log,
    _unary,
    cbrt,
    digamma,
    erfcx,
    exp,
    exp2,
    expit,
    expm1,
    gammaln,
    log,
    log1p,
    sin,
    where_prim,
)

__all__ = ["betaln", "erfinv", "erfcinv", "erfcx", "ndtri", "xlog1py", "log_expit", "i0",
           "i1", "i0e", "i1e", "iv", "ive", "gammainc", "gammaincc", "betainc", "stdtr",
           "entr", "rel_entr", "kl_div", "jv", "yv", "kv", "j0", "j1", "y0", "y1", "k0", "k1",
           "beta", "loggamma", "rgamma", "dawsn", "erfi", "exp10", "cosm1", "UFUNCS"]

_SQRT_PI, _SQRT_2PI = np.sqrt(np.pi), np.sqrt(2.0 * np.pi)


def _sign(x: Any) -> Any:
    return np.sign(getval(x))


betaln = _binary(sps.betaln, lambda g, a, x, y: g * (digamma(x) - digamma(x + y)),
                 lambda g, a, x, y: g * (digamma(y) - digamma(x + y)),
                 lambda t, a, x, y: t * (digamma(x) - digamma(x + y)),
                 lambda t, a, x, y: t * (digamma(y) - digamma(x + y)))
erfinv = _unary(sps.erfinv, lambda ans, x: (0.5 * _SQRT_PI) * exp(ans**2), ANS)
erfcinv = _unary(sps.erfcinv, lambda ans, x: (-0.5 * _SQRT_PI) * exp(ans**2), ANS)
ndtri = _unary(sps.ndtri, lambda ans, x: _SQRT_2PI * exp(0.5 * ans**2), ANS)
log_expit = _unary(sps.log_expit, lambda ans, x: expit(-x), X)
xlog1py = _binary(sps.xlog1py, lambda g, a, x, y: g * log1p(where_prim(getval(x) == 0, 0.0, y)),
                  lambda g, a, x, y: g * x / (1.0 + y),
                  lambda t, a, x, y: t * log1p(where_prim(getval(x) == 0, 0.0, y)),
                  lambda t, a, x, y: t * x / (1.0 + y))


def _order(fun: Any, name: str, deriv: Any) -> Primitive:
    """A primitive ``fun(v, x)`` differentiable in ``x`` only (``v`` an order or a shape)."""
    prim = Primitive(fun, name)
    defvjp(prim, None, lambda g, ans, v, x: unbroadcast(g * deriv(ans, v, x), x))
    defjvp(prim, None, lambda t, ans, v, x: t * deriv(ans, v, x))
    defsaves(prim, (), ("ans", 0, 1))
    return prim


iv = _order(sps.iv, "iv", lambda ans, v, x: 0.5 * (iv(v - 1, x) + iv(v + 1, x)))
ive = _order(sps.ive, "ive",
             lambda ans, v, x: 0.5 * (ive(v - 1, x) + ive(v + 1, x)) - _sign(x) * ans)
i0 = _unary(sps.i0, lambda ans, x: i1(x), X)
i1 = _unary(sps.i1, lambda ans, x: 0.5 * (i0(x) + iv(2.0, x)), X)
i0e = _unary(sps.i0e, lambda ans, x: i1e(x) - _sign(x) * ans)
i1e = _unary(sps.i1e, lambda ans, x: 0.5 * (i0e(x) + ive(2.0, x)) - _sign(x) * ans)
gammainc = _order(sps.gammainc, "gammainc",
                  lambda ans, a, x: exp((a - 1.0) * _safe_log(x) - x - gammaln(a)))
gammaincc = _order(sps.gammaincc, "gammaincc",
                   lambda ans, a, x: -exp((a - 1.0) * _safe_log(x) - x - gammaln(a)))
stdtr = _order(sps.stdtr, "stdtr", lambda ans, df, t: exp(
    gammaln(0.5 * (df + 1.0)) - gammaln(0.5 * df) - 0.5 * log(df * np.pi)
    - 0.5 * (df + 1.0) * log1p(t**2 / df)))

# betainc(a, b, x): derivative in x only
betainc = Primitive(sps.betainc, "betainc")
defvjp(betainc, None, None, lambda g, ans, a, b, x: unbroadcast(g * _betainc_dx(a, b, x), x))
defjvp(betainc, None, None, lambda t, ans, a, b, x: t * _betainc_dx(a, b, x))


def _betainc_dx(a: Any, b: Any, x: Any) -> Any:
    return exp((a - 1.0) * _safe_log(x) + (b - 1.0) * _safe_log(1.0 - x) - betaln(a, b))


entr = _unary(sps.entr, lambda ans, x: -(_safe_log(x) + 1.0), X)
rel_entr = _binary(sps.rel_entr, lambda g, a, x, y: g * (_safe_log(x) - log(y) + 1.0),
                   lambda g, a, x, y: -g * x / y,
                   lambda t, a, x, y: t * (_safe_log(x) - log(y) + 1.0),
                   lambda t, a, x, y: -t * x / y)
kl_div = _binary(sps.kl_div, lambda g, a, x, y: g * (_safe_log(x) - log(y)),
                 lambda g, a, x, y: g * (1.0 - x / y),
                 lambda t, a, x, y: t * (_safe_log(x) - log(y)),
                 lambda t, a, x, y: t * (1.0 - x / y))

# Bessel functions of the first and second kind (DLMF 10.6.1) and the modified K (10.29.1)
jv = _order(sps.jv, "jv", lambda ans, v, x: 0.5 * (jv(v - 1, x) - jv(v + 1, x)))
yv = _order(sps.yv, "yv", lambda ans, v, x: 0.5 * (yv(v - 1, x) - yv(v + 1, x)))
kv = _order(sps.kv, "kv", lambda ans, v, x: -0.5 * (kv(v - 1, x) + kv(v + 1, x)))
j0 = _unary(sps.j0, lambda ans, x: -j1(x), X)
j1 = _unary(sps.j1, lambda ans, x: 0.5 * (j0(x) - jv(2.0, x)), X)
y0 = _unary(sps.y0, lambda ans, x: -y1(x), X)
y1 = _unary(sps.y1, lambda ans, x: 0.5 * (y0(x) - yv(2.0, x)), X)
k0 = _unary(sps.k0, lambda ans, x: -k1(x), X)
k1 = _unary(sps.k1, lambda ans, x: -0.5 * (k0(x) + kv(2.0, x)), X)
# Γ-related (DLMF 5.2.2, 5.12.1), Dawson's integral D′ = 1 − 2xD (7.5.1), erfi′ = 2e^{x²}/√π
beta = _binary(sps.beta, lambda g, a, x, y: g * a * (digamma(x) - digamma(x + y)),
               lambda g, a, x, y: g * a * (digamma(y) - digamma(x + y)),
               lambda t, a, x, y: t * a * (digamma(x) - digamma(x + y)),
               lambda t, a, x, y: t * a * (digamma(y) - digamma(x + y)))
loggamma = _unary(sps.loggamma, lambda ans, x: digamma(x), X)  # real x > 0
rgamma = _unary(sps.rgamma, lambda ans, x: -ans * digamma(x))
dawsn = _unary(sps.dawsn, lambda ans, x: 1.0 - 2.0 * x * ans)
erfi = _unary(sps.erfi, lambda ans, x: (2.0 / _SQRT_PI) * exp(x**2), X)
exp10 = _unary(sps.exp10, lambda ans, x: ans * np.log(10.0), ANS)
cosm1 = _unary(sps.cosm1, lambda ans, x: -sin(x), X)

# the scipy.special ufunc -> its primitive (registered in the dispatch table by
# steepest.autodiff.numpy.scipy_special)
UFUNCS = {sps.betaln: betaln, sps.erfinv: erfinv, sps.erfcinv: erfcinv, sps.erfcx: erfcx,
          sps.ndtri: ndtri, sps.log_expit: log_expit, sps.xlog1py: xlog1py, sps.iv: iv,
          sps.ive: ive, sps.i0: i0, sps.i1: i1, sps.i0e: i0e, sps.i1e: i1e,
          sps.gammainc: gammainc, sps.gammaincc: gammaincc, sps.betainc: betainc,
          sps.stdtr: stdtr, sps.entr: entr, sps.rel_entr: rel_entr, sps.kl_div: kl_div,
          sps.jv: jv, sps.yv: yv, sps.kv: kv, sps.j0: j0, sps.j1: j1, sps.y0: y0, sps.y1: y1,
          sps.k0: k0, sps.k1: k1, sps.beta: beta, sps.loggamma: loggamma, sps.rgamma: rgamma,
          sps.dawsn: dawsn, sps.erfi: erfi, sps.exp10: exp10, sps.cosm1: cosm1,
          sps.cbrt: cbrt, sps.exp2: exp2, sps.expm1: expm1, sps.log1p: log1p}
