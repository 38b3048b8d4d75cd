"""Complex numbers: autograd's convention, the rules of ``real``/``imag``/``angle``, and which
primitives' rules hold for complex values.

**The convention** (autograd's ``docs/tutorial.md``, "Complex numbers"). Write a function of
``z = x + iy`` as ``f(z) = u(x, y) + i v(x, y)`` with ``u``, ``v`` real. Then

    grad f(z) = ∂u/∂x − i ∂u/∂y   ( = 2 ∂u/∂z, the conjugate of 2 ∂u/∂z̄ ),

and ``v`` is thrown away. For a holomorphic ``f`` this is the complex derivative ``f′(z)``
(Cauchy–Riemann: ``∂u/∂x = ∂v/∂y``, ``∂u/∂y = −∂v/∂x``); for a real loss ``f`` of complex
parameters, ``conj(grad f(z))`` is the steepest-ascent direction; and a real function of real
inputs that uses complex values inside (an FFT, ``exp(1j*t)``) gets the gradient a purely real
implementation would give.

In rules: a cotangent ``g`` of a complex value ``w`` stands for the real linear form
``dw ↦ Re(g · dw)`` (no conjugate), so the VJP of ``w = h(z)`` is the ``g_z`` with
``Re(g_z dz) = Re(g dw)``: for a holomorphic ``h`` this is ``g · h′(z)`` — the real rules
unchanged — and ``real``: ``g``; ``imag``: ``−i g``; ``conj``: ``conj(g)``; ``abs``:
``g z̄/|z|``; ``angle``: ``−i g z̄/|z|²``. The cotangent of a real value is real (the real
part of what the rules send it; :func:`real_part`, applied by the backward pass). Tangents
are plain complex ``dz``: JVPs apply the real-linear map ``dz ↦ dw``.

Reference: autograd, ``docs/tutorial.md`` "Complex numbers" (Maclaurin, Duvenaud, Johnson);
Wirtinger calculus, e.g. Kreutz-Delgado, "The complex gradient operator and the CR-calculus"
(2009).

Example:
    >>> import numpy as np
    >>> from steepest.autodiff import grad
    >>> z = np.array([3.0 + 4.0j])
    >>> grad(lambda z: np.sum(np.abs(z) ** 2))(z)  # |z|² = x² + y²: (2x) − i(2y)
    array([6.-8.j])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..backward import Scatter
from ..primitives import Primitive, defjvp, defsaves, defvjp
from ..tracing import getval
from . import broadcast, products, reduce, shape, ufunc

__all__ = ["real", "imag", "angle", "real_part", "iscomplex_value", "HOLOMORPHIC", "LINEAR"]


def iscomplex_value(x: Any) -> bool:
    """Whether ``x`` (plain, traced, a :class:`~steepest.autodiff.tracing.Stub` or a lazy
    :class:`~steepest.autodiff.backward.Scatter`) holds complex values.

    Args:
        x: the value.

    Returns:
        Whether its dtype is complex (a Python ``complex`` counts).

    Example:
        >>> iscomplex_value(1j), iscomplex_value(np.ones(2))
        (True, False)
    """
    x = getval(x)
    if isinstance(x, Scatter):
        x = getval(x.g)
    dtype = getattr(x, "dtype", None)
    return isinstance(x, complex) if dtype is None else dtype.kind == "c"


real = Primitive(np.real, "real")
imag = Primitive(np.imag, "imag")
defvjp(real, lambda g, ans, x: g)
defjvp(real, lambda t, ans, x: real(t))
# of a real x, imag and angle are constants: a zero cotangent (a real value's is real)
defvjp(imag, lambda g, ans, x: -1j * g if iscomplex_value(x) else 0.0 * g)
defjvp(imag, lambda t, ans, x: imag(t))
defsaves(real, ())
defsaves(imag, ())


def _inverse_conj(x: Any) -> Any:
    """``1 / z = z̄ / |z|²`` with 0 where ``z == 0`` (the kink convention: no NaN)."""
    square_modulus = real(x * ufunc.conjugate(x))
    zero = getval(square_modulus) == 0
    return ufunc.conjugate(ufunc.where_prim(zero, 0.0, x)) / ufunc.where_prim(
        zero, 1.0, square_modulus)


def _angle(z: Any, deg: bool = False) -> Any:
    return np.angle(z, deg=deg)


def _angle_scale(deg: bool) -> float:
    return 180.0 / np.pi if deg else 1.0


angle = Primitive(_angle, "angle")
# angle = atan2(y, x): d angle = Im(dz / z); its VJP is −i g / z (0 at z = 0)
defvjp(angle, lambda g, ans, x, deg=False: (-1j * _angle_scale(deg)) * g * _inverse_conj(x)
       if iscomplex_value(x) else 0.0 * g)
defjvp(angle, lambda t, ans, x, deg=False: _angle_scale(deg) * imag(t * _inverse_conj(x)))
defsaves(angle, (0,))


def real_part(contrib: Any) -> Any:
    """The real part of a cotangent sent to a real value (a lazy scatter stays lazy).

    Under the convention a real ``x`` pairs with its cotangent as ``Re(g dx) = Re(g) dx``.

    Args:
        contrib: a cotangent (plain, traced or a :class:`~steepest.autodiff.backward.Scatter`).

    Returns:
        ``Re contrib``, differentiable (the :data:`real` primitive).

    Example:
        >>> real_part(np.array([1.0 + 2.0j]))
        array([1.])
    """
    if isinstance(contrib, Scatter):
        return type(contrib)(real(contrib.g), contrib.idx, contrib.shape)
    return real(contrib)


# ---- which primitives' rules hold for complex values ---------------------------------------
# holomorphic functions (elementwise, prod, cumprod): the real rule g · h'(z) is the complex one
HOLOMORPHIC = (
    ufunc.exp, ufunc.exp2, ufunc.expm1, ufunc.log, ufunc.log2, ufunc.log10, ufunc.log1p,
    ufunc.sin, ufunc.cos, ufunc.tan, ufunc.sinh, ufunc.cosh, ufunc.tanh, ufunc.sqrt,
    ufunc.square, ufunc.reciprocal, ufunc.power, ufunc.add, ufunc.subtract, ufunc.multiply,
    ufunc.divide, ufunc.negative, ufunc.positive, reduce.prod, reduce.cumprod,
)
# linear maps with real coefficients (their transposes are their VJPs), the products, and the
# non-holomorphic functions whose rules above and in ufunc are written for complex values
LINEAR = (
    broadcast.reshape, broadcast.broadcast_to, broadcast.sum, shape.transpose, shape.getitem,
    shape.untake, shape.scatter_add, shape.concatenate, shape.pad, reduce.mean, reduce.cumsum,
    products.matmul, products.einsum, ufunc.where_prim, ufunc.conjugate, ufunc.absolute, real,
    imag, angle,
)
for _prim in HOLOMORPHIC + LINEAR:
    _prim.complex_ok = True
