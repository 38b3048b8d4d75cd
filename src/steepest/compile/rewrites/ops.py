"""The stable primitives the rewrites emit, beside steepest's own (:mod:`~steepest.numerics`).

* ``erfcx(x) = exp(x²) erfc(x)`` and ``log_erfc(x)``: for x ≥ 1/2,
  ``log erfc(x) = log erfcx(x) − x²``, finite where ``erfc`` underflows (x > 26.5);
  ``d/dx log erfc(x) = −(2/√π) / erfcx(x)``.
* ``log_prod(x)``: ``log(prod(x))`` with the binary exponent carried apart (``frexp``), so the
  product never overflows or underflows; ``d/dx_i = 1/x_i``. Where the plain product is a
  normal number it is the same product, and with exponent 0 the same bits.
* ``stable_var(x)``: the corrected two-pass variance (Chan, Golub & LeVeque 1983) of ``x``
  scaled by a power of two ≥ max|x − mean| (exact), so squares neither overflow nor lose the
  correction; ``d/dx = 2(x − mean)/(n − ddof)``.
* ``stacked(*xs)``: the arguments broadcast to one shape and stacked along a new axis 0 (a
  composition of differentiable primitives).
* ``solve_left(A, b) = A⁻¹ b`` and ``solve_right(b, A) = b A⁻¹ = (A⁻ᵀ bᵀ)ᵀ`` with ``matmul``'s
  shape rules (b a vector or a stack of matrices, A a stack of square matrices): LU solves
  (backward stable, Higham, *Accuracy and Stability of Numerical Algorithms*, §14.1), never
  the inverse.
* Constants that carry no derivative: ``log_det_sign(A)`` (``log`` of the sign of ``det A``:
  0, −inf or nan), ``nonnegative(x, lo)`` (the mask ``x ≥ lo``) and ``nonpositive(x)``.

Example:
    >>> import numpy as np
    >>> float(log_erfc(np.array(30.0))) == float(np.log(erfcx(np.array(30.0))) - 900.0)
    True
    >>> round(float(log_prod(np.full(400, 1e300))), 4)  # the product is 1e120000
    276310.2112
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import scipy.special as sps

from ...autodiff.primitives import Primitive, defjvp, defvjp
from ...autodiff.rules import linalg
from ...autodiff.rules.broadcast import expand_to, reduced_count, sum
from ...autodiff.rules.reduce import mean
from ...autodiff.rules.shape import broadcast_to, expand_dims, stack
from ...autodiff.tracing import getval

__all__ = ["erfcx", "log_erfc", "log_prod", "stable_var", "log_det_sign", "nonnegative",
           "nonpositive",
           "stacked", "solve_left", "solve_right"]

_C = 2.0 / math.sqrt(math.pi)
# fdlibm's split of log 2: E·LN2_HI is exact for |E| < 2000
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_BLOCK = 512  # 0.5**512 is still a normal number, so a block of mantissas never underflows

erfcx = Primitive(sps.erfcx, "erfcx")
defvjp(erfcx, lambda g, ans, x: g * (2.0 * x * ans - _C))
defjvp(erfcx, lambda t, ans, x: t * (2.0 * x * ans - _C))


def _log_erfc(x: Any) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", over="ignore"):
        small = np.log(sps.erfc(np.minimum(x, 0.5)))
        large = np.log(sps.erfcx(np.maximum(x, 0.5))) - x * x
    return np.where(x < 0.5, small, large)


log_erfc = Primitive(_log_erfc, "log_erfc")
defvjp(log_erfc, lambda g, ans, x: g * (-_C / erfcx(x)))
defjvp(log_erfc, lambda t, ans, x: t * (-_C / erfcx(x)))


def _last_axis(x: np.ndarray, axis: Any) -> np.ndarray:
    """``x`` with the reduced axes moved to the end and flattened into one."""
    if axis is None:
        return x.reshape(-1)
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    axes = tuple(int(a) % x.ndim for a in axes)
    kept = [i for i in range(x.ndim) if i not in axes]
    moved = np.transpose(x, kept + list(axes))
    return moved.reshape([x.shape[i] for i in kept] + [-1])


def _log_prod(x: Any, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    x = np.asarray(x)
    m, e = np.frexp(_last_axis(x, axis))
    mant = np.ones(m.shape[:-1])
    expo = np.zeros(m.shape[:-1], dtype=np.int64)
    for start in range(0, max(m.shape[-1], 1), _BLOCK):
        mant, k = np.frexp(mant * np.prod(m[..., start:start + _BLOCK], axis=-1))
        expo += k + np.sum(e[..., start:start + _BLOCK], axis=-1)
    low = np.abs(mant) < math.sqrt(0.5)  # mantissa into [√½, √2): no cancellation with E·ln 2
    mant, expo = np.where(low, 2.0 * mant, mant), np.where(low, expo - 1, expo)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = expo * _LN2_HI + (np.log(mant) + expo * _LN2_LO)
    if keepdims:
        shape = [1 if axis is None or i in _axes(axis, x.ndim) else s
                 for i, s in enumerate(x.shape)]
        out = out.reshape(shape)
    return out


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    return tuple(int(a) % ndim for a in ((axis,) if np.ndim(axis) == 0 else axis))


log_prod = Primitive(_log_prod, "log_prod")
defvjp(log_prod, lambda g, ans, x, axis=None, keepdims=False: expand_to(g, x, axis, keepdims) / x)
defjvp(log_prod, lambda t, ans, x, axis=None, keepdims=False:
       sum(t / x, axis=axis, keepdims=keepdims))


def _stable_var(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    n = reduced_count(x, axis)
    d = x - np.mean(x, axis=axis, keepdims=True)
    s = np.max(np.abs(d), axis=axis, keepdims=True)
    scale = np.ldexp(1.0, np.frexp(np.where((s > 0) & np.isfinite(s), s, 1.0))[1])
    y = d / scale  # exact: a power of two
    c = (np.sum(y * y, axis=axis, keepdims=True)
         - np.sum(y, axis=axis, keepdims=True) ** 2 / n) / (n - ddof)
    out = scale * (scale * c)  # scale² alone may overflow where the variance does not
    return out if keepdims else np.squeeze(out, axis=axis)


stable_var = Primitive(_stable_var, "stable_var")
defvjp(stable_var, lambda g, ans, x, axis=None, ddof=0, keepdims=False:
       expand_to(g, x, axis, keepdims) * (2.0 / (reduced_count(x, axis) - ddof))
       * (x - mean(x, axis=axis, keepdims=True)))
defjvp(stable_var, lambda t, ans, x, axis=None, ddof=0, keepdims=False:
       sum(t * (x - mean(x, axis=axis, keepdims=True)), axis=axis, keepdims=keepdims)
       * (2.0 / (reduced_count(x, axis) - ddof)))


class _Constant:
    """A function of the plain values of its arguments, carrying no derivative."""

    def __init__(self, name: str, fn: Any) -> None:
        self.name = name
        self.fn = fn

    def __call__(self, *args: Any, **kwargs: Any) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.fn(*(getval(a) for a in args), **kwargs)


log_det_sign = _Constant("log_det_sign", lambda a: np.log(np.linalg.slogdet(a)[0]))
nonnegative = _Constant("nonnegative", lambda x, lo=0.0: np.asarray(x) >= lo)
nonpositive = _Constant("nonpositive", lambda x: np.asarray(x) <= 0.0)


class _Stacked:
    """``stack(broadcast(*xs))`` along a new leading axis, traced through its primitives."""

    name = "stacked"

    def __call__(self, *xs: Any) -> Any:
        shape = np.broadcast_shapes(*(np.shape(getval(x)) for x in xs))
        return stack([broadcast_to(x, shape) for x in xs], axis=0)


stacked = _Stacked()


class _SolveLeft:
    """``inv(A) @ b`` computed as ``solve(A, b)``; a 1-D ``b`` is solved as one column."""

    name = "solve"

    def __call__(self, a: Any, b: Any) -> Any:
        if np.ndim(getval(b)) == 1:
            return linalg.solve(a, expand_dims(b, -1))[..., 0]
        return linalg.solve(a, b)


class _SolveRight:
    """``b @ inv(A)`` computed as ``solve(Aᵀ, bᵀ)ᵀ``; a 1-D ``b`` as ``solve(Aᵀ, b)``."""

    name = "solve_transposed"

    def __call__(self, b: Any, a: Any) -> Any:
        if np.ndim(getval(b)) == 1:
            return linalg.solve(linalg.T(a), expand_dims(b, -1))[..., 0]
        return linalg.T(linalg.solve(linalg.T(a), linalg.T(b)))


solve_left = _SolveLeft()
solve_right = _SolveRight()
