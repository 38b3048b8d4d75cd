"""Steepest's stable numerics as primitives with stable derivative rules.

The value is computed by :mod:`steepest.numerics` (overflow/underflow safe); the rules are
written with other stable primitives so that derivatives of every order stay finite:
``softplus' = sigmoid``, ``log_sigmoid' = sigmoid(-x)``, ``logsumexp' = softmax`` (as
``exp(a - lse)``, never ``exp(a) / sum exp``), ``log_softmax``'s VJP ``g - softmax · Σg``.

The public functions of :mod:`steepest.numerics` are :func:`steepest._dispatch.traceable`;
:func:`register_numerics` routes their traced calls here.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import numerics as N
from .._dispatch import register_override
from . import ops_reduce as R
from . import ops_shape as S
from . import ops_ufunc as U
from .core import Primitive, Traced, defjvp, defsaves, defvjp, getval

__all__ = ["sigmoid", "log_sigmoid", "softplus", "log1mexp", "softmax", "log_softmax",
           "logsumexp", "cross_entropy", "binary_cross_entropy_with_logits", "register_numerics"]


def _impl(fn: Any) -> Any:
    return getattr(fn, "__steepest_impl__", fn)


def _unary(fn: Any, name: str, deriv: Any) -> Primitive:
    prim = Primitive(_impl(fn), name)
    defvjp(prim, lambda g, ans, x: g * deriv(ans, x))
    defjvp(prim, lambda t, ans, x: t * deriv(ans, x))
    return prim


# σ′ = σ(x)·σ(−x): the textbook σ(1 − σ) rounds to 0 for x > 37 where σ′ ≈ e^−x is not 0.
sigmoid = _unary(N.sigmoid, "sigmoid", lambda ans, x: ans * sigmoid(-x))
softplus = _unary(N.softplus, "softplus", lambda ans, x: sigmoid(x))
log_sigmoid = _unary(N.log_sigmoid, "log_sigmoid", lambda ans, x: sigmoid(-x))
log1mexp = _unary(N.log1mexp, "log1mexp", lambda ans, x: -1.0 / U.expm1(-x))
stable_logit = _unary(N.logit, "logit", lambda ans, x: 1.0 / (x * (1.0 - x)))


def _keep(x: Any, axis: Any) -> Any:
    return R.sum(x, axis=axis, keepdims=True)


softmax = Primitive(lambda x, axis=-1: _impl(N.softmax)(x, axis=axis), "softmax")
defvjp(softmax, lambda g, ans, x, axis=-1: ans * (g - _keep(g * ans, axis)))
defjvp(softmax, lambda t, ans, x, axis=-1: ans * (t - _keep(t * ans, axis)))

log_softmax = Primitive(lambda x, axis=-1: _impl(N.log_softmax)(x, axis=axis), "log_softmax")
defvjp(log_softmax, lambda g, ans, x, axis=-1: g - softmax(x, axis=axis) * _keep(g, axis))
defjvp(log_softmax, lambda t, ans, x, axis=-1: t - _keep(softmax(x, axis=axis) * t, axis))

def _lse_weights(ans: Any, a: Any, axis: Any, keepdims: bool) -> Any:
    """∂ logsumexp / ∂a = softmax(a) over ``axis``.

    ``exp(a − lse)`` would round ``a − lse`` first (relative error |a|·eps, 1e-14 at a ≈ 1e3);
    the stable softmax primitive is exact to 2 ulp, so it is used for an int or ``None`` axis.
    """
    shape = U.shape_of(a)
    if axis is None:
        return S.reshape(softmax(S.reshape(a, (-1,)), axis=-1), shape) if shape else a * 0 + 1.0
    if isinstance(axis, int):
        return softmax(a, axis=axis)
    return U.exp(a - R.expand_to(ans, a, axis, keepdims))


_lse = Primitive(lambda a, axis=None, keepdims=False:
                 _impl(N.logsumexp)(a, axis=axis, keepdims=keepdims), "logsumexp")
defvjp(_lse, lambda g, ans, a, axis=None, keepdims=False:
       R.expand_to(g, a, axis, keepdims) * _lse_weights(ans, a, axis, keepdims))
defjvp(_lse, lambda t, ans, a, axis=None, keepdims=False:
       R.sum(t * _lse_weights(ans, a, axis, keepdims), axis=axis, keepdims=keepdims))


def logsumexp(a: Any, axis: Any = None, b: Any = None, keepdims: bool = False,
              return_sign: bool = False) -> Any:
    """Traced ``logsumexp``; weights ``b ≥ 0`` enter as ``a + log b``."""
    if isinstance(axis, list):
        axis = tuple(axis)
    if b is not None:
        if np.any(np.asarray(getval(b)) < 0):
            raise ValueError("logsumexp with negative weights b is not differentiable here; "
                             "split the sum into positive and negative parts")
        with np.errstate(divide="ignore"):
            a = a + U.log(b)
    lse = _lse(a, axis=axis, keepdims=keepdims)
    if return_sign:
        return lse, np.ones(np.shape(getval(lse)))
    return lse


def _reduce(loss: Any, reduction: str) -> Any:
    if reduction == "mean":
        return R.sum(loss) / max(int(np.size(getval(loss))), 1)
    if reduction == "sum":
        return R.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError(f"unknown reduction {reduction!r}; use one of 'mean', 'sum', 'none'")


def _loss_scale(g: Any, shape: tuple[int, ...], ax: int | None, reduction: str) -> Any:
    """The loss cotangent ``g`` brought to a shape that broadcasts against the logits: one
    value per sample (class axis ``ax`` kept as 1), divided by the sample count for "mean"."""
    if reduction == "mean":
        n = math.prod(shape) // (shape[ax] if ax is not None else 1)
        return g / max(n, 1)
    if reduction == "none" and ax is not None:
        return S.reshape(g, shape[:ax] + (1,) + shape[ax + 1:])
    return g


def _plain_softmax(z: np.ndarray, axis: int) -> np.ndarray:
    """``exp(z − max) / Σ exp(z − max)`` for an untraced first-order rule: within a few ulp of
    the compensated softmax near the maximum and to ``|z − max|·eps`` relative below it (an
    absolute error far below ``eps`` in the gradient), at a fifth of its cost on a minibatch."""
    e = z - np.max(z, axis=axis, keepdims=True)
    np.exp(e, out=e)
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def _ce_residual(z: Any, targets: Any, axis: int) -> Any:
    """``∂ loss_i / ∂z_i = softmax(z_i)·Σ_k t_ik − t_i`` (``t`` one-hot for integer labels)."""
    tv = getval(targets)
    p = softmax(z, axis=axis) if isinstance(z, Traced) else _plain_softmax(z, axis)
    if tv.dtype.kind in "iu":
        shape = U.shape_of(z)
        classes = np.arange(shape[axis]).reshape((-1,) + (1,) * (len(shape) - axis - 1))
        onehot = tv.reshape(shape[:axis] + (1,) + shape[axis + 1:]) == classes
        return p - onehot.astype(getval(p).dtype)
    return p * np.sum(tv, axis=axis, keepdims=True) - tv


def _ce_value(z: Any, targets: Any, axis: int = -1, reduction: str = "mean") -> Any:
    return _impl(N.cross_entropy)(z, targets, axis=axis, reduction=reduction)


# One node for the whole loss: the value is the numerics lane's (compensated log_softmax), the
# derivative w.r.t. the logits is (softmax(z) Σt − t)·g/n, written with the softmax primitive so
# that it nests (Hessian per sample: diag(s) − s sᵀ).
_cross_entropy = Primitive(_ce_value, "cross_entropy")
defvjp(_cross_entropy, lambda g, ans, z, t, axis=-1, reduction="mean":
       _ce_residual(z, t, axis) * _loss_scale(g, U.shape_of(z), axis, reduction))
defjvp(_cross_entropy, lambda dz, ans, z, t, axis=-1, reduction="mean":
       _reduce(R.sum(_ce_residual(z, t, axis) * dz, axis=axis), reduction))
defsaves(_cross_entropy, (0, 1))


def cross_entropy(logits: Any, targets: Any, axis: int = -1, reduction: str = "mean") -> Any:
    """Traced softmax cross-entropy: one primitive whose logits derivative is
    ``(softmax(z) − onehot(y))·g/n``; traced probability targets use the composed form."""
    nd = len(U.shape_of(logits))
    if nd == 0:
        raise ValueError("logits must have a class axis; pass an array of shape (..., n_classes)")
    ax = axis % nd
    tv = np.asarray(getval(targets))
    _check_targets(U.shape_of(logits), tv, ax)
    if reduction not in ("mean", "sum", "none"):
        _reduce(None, reduction)
    if not isinstance(targets, Traced):
        return _cross_entropy(logits, tv, axis=ax, reduction=reduction)
    logp = log_softmax(logits, axis=ax)
    terms = U.where_prim(tv == 0, 0.0, targets * logp)
    return _reduce(-R.sum(terms, axis=ax), reduction)


def _check_targets(shape: tuple[int, ...], t: np.ndarray, ax: int) -> None:
    """The input checks of :func:`steepest.numerics.cross_entropy`, on the traced path."""
    if t.dtype.kind in "iu":
        expected = shape[:ax] + shape[ax + 1:]
        if t.shape != expected:
            raise ValueError(f"integer targets have shape {t.shape} but logits of shape {shape} "
                             f"with class axis {ax} need labels of shape {expected}")
        if t.size and (t.min() < 0 or t.max() >= shape[ax]):
            raise ValueError(f"labels must lie in [0, {shape[ax] - 1}]; got one outside")
    elif t.dtype.kind in "fb":
        if t.shape != shape:
            raise ValueError(f"probability targets have shape {t.shape} but logits have shape "
                             f"{shape}; pass targets of the logits' shape")
        if np.any(t < 0):
            raise ValueError("probability targets must be non-negative; got a negative entry")
    else:
        raise TypeError(f"targets must be integer labels or float probabilities, got {t.dtype}")


def _bce_value(z: Any, t: Any, reduction: str = "mean") -> Any:
    return _impl(N.binary_cross_entropy_with_logits)(z, t, reduction=reduction)


# ∂/∂z = σ(z) − t and ∂/∂t = softplus(−z) − softplus(z) = −z, scaled like the reduction.
_bce = Primitive(_bce_value, "binary_cross_entropy_with_logits")
defvjp(_bce,
       lambda g, ans, z, t, reduction="mean":
       (sigmoid(z) - t) * _loss_scale(g, U.shape_of(z), None, reduction),
       lambda g, ans, z, t, reduction="mean": -z * _loss_scale(g, U.shape_of(z), None, reduction))
defjvp(_bce, lambda dz, ans, z, t, reduction="mean": _reduce((sigmoid(z) - t) * dz, reduction),
       lambda dt, ans, z, t, reduction="mean": _reduce(-z * dt, reduction))
defsaves(_bce, (0, 1), (0,))


def binary_cross_entropy_with_logits(logits: Any, targets: Any, reduction: str = "mean") -> Any:
    """Traced ``t softplus(-z) + (1 - t) softplus(z)`` as one primitive (value from
    :mod:`steepest.numerics`, derivatives ``σ(z) − t`` and ``−z``)."""
    if not isinstance(targets, Traced):
        targets = np.asarray(targets, dtype=float)
    tv = np.asarray(getval(targets))
    if tv.shape != U.shape_of(logits) or np.any((tv < 0) | (tv > 1)):
        raise ValueError("targets must be probabilities in [0, 1] of the logits' shape")
    if reduction not in ("mean", "sum", "none"):
        _reduce(None, reduction)
    return _bce(logits, targets, reduction=reduction)


def register_numerics() -> None:
    """Route traced calls of ``steepest.numerics`` functions to these primitives."""
    table = {
        N.sigmoid: lambda x: sigmoid(x), N.softplus: lambda x: softplus(x),
        N.log_sigmoid: lambda x: log_sigmoid(x), N.log1mexp: lambda x: log1mexp(x),
        N.logit: lambda p: stable_logit(p),
        N.softmax: lambda x, axis=-1: softmax(x, axis=_axis(axis)),
        N.log_softmax: lambda x, axis=-1: log_softmax(x, axis=_axis(axis)),
        N.logsumexp: logsumexp, N.cross_entropy: cross_entropy,
        N.binary_cross_entropy_with_logits: binary_cross_entropy_with_logits,
    }
    for public, impl in table.items():
        register_override(public, impl)


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis
