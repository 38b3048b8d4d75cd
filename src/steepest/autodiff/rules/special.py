"""Steepest's stable numerics as primitives with stable derivative rules.

The value is computed by :mod:`steepest.numerics` (overflow/underflow safe); the rules are
written with other stable primitives so that derivatives of every order stay finite:
``softplus' = sigmoid``, ``log_sigmoid' = sigmoid(-x)``, ``logsumexp' = softmax`` (as
``exp(a - lse)``, never ``exp(a) / sum exp``), ``log_softmax``'s VJP ``g - softmax · Σg``.

The public functions of :mod:`steepest.numerics` are :func:`steepest._dispatch.traceable`;
:mod:`steepest.autodiff.numpy.special` routes their traced calls to these primitives.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import numerics
from ..primitives import Primitive, defjvp, defsaves, defvjp
from ..tracing import Traced, getval, shape_of
from .broadcast import expand_to, reshape, sum
from .ufunc import exp, expm1

__all__ = ["sigmoid", "log_sigmoid", "softplus", "log1mexp", "stable_logit", "softmax",
           "log_softmax", "logsumexp_prim", "cross_entropy_prim", "bce_prim", "reduce_loss"]


def _impl(fn: Any) -> Any:
    return getattr(fn, "__steepest_impl__", fn)


def _unary(fn: Any, name: str, deriv: Any) -> Primitive:
    prim = Primitive(_impl(fn), name)
    defvjp(prim, lambda g, ans, x: g * deriv(ans, x))
    defjvp(prim, lambda t, ans, x: t * deriv(ans, x))
    return prim


# σ′ = σ(x)·σ(−x): the textbook σ(1 − σ) rounds to 0 for x > 37 where σ′ ≈ e^−x is not 0.
sigmoid = _unary(numerics.sigmoid, "sigmoid", lambda ans, x: ans * sigmoid(-x))
softplus = _unary(numerics.softplus, "softplus", lambda ans, x: sigmoid(x))
log_sigmoid = _unary(numerics.log_sigmoid, "log_sigmoid", lambda ans, x: sigmoid(-x))
log1mexp = _unary(numerics.log1mexp, "log1mexp", lambda ans, x: -1.0 / expm1(-x))
stable_logit = _unary(numerics.logit, "logit", lambda ans, x: 1.0 / (x * (1.0 - x)))


def _keep(x: Any, axis: Any) -> Any:
    return sum(x, axis=axis, keepdims=True)


softmax = Primitive(lambda x, axis=-1: _impl(numerics.softmax)(x, axis=axis), "softmax")
defvjp(softmax, lambda g, ans, x, axis=-1: ans * (g - _keep(g * ans, axis)))
defjvp(softmax, lambda t, ans, x, axis=-1: ans * (t - _keep(t * ans, axis)))

log_softmax = Primitive(lambda x, axis=-1: _impl(numerics.log_softmax)(x, axis=axis), "log_softmax")
defvjp(log_softmax, lambda g, ans, x, axis=-1: g - softmax(x, axis=axis) * _keep(g, axis))
defjvp(log_softmax, lambda t, ans, x, axis=-1: t - _keep(softmax(x, axis=axis) * t, axis))

def _lse_weights(ans: Any, a: Any, axis: Any, keepdims: bool) -> Any:
    """∂ logsumexp / ∂a = softmax(a) over ``axis``.

    ``exp(a − lse)`` would round ``a − lse`` first (relative error |a|·eps, 1e-14 at a ≈ 1e3);
    the stable softmax primitive is exact to 2 ulp, so it is used for an int or ``None`` axis.
    """
    shape = shape_of(a)
    if axis is None:
        return reshape(softmax(reshape(a, (-1,)), axis=-1), shape) if shape else a * 0 + 1.0
    if isinstance(axis, int):
        return softmax(a, axis=axis)
    return exp(a - expand_to(ans, a, axis, keepdims))


logsumexp_prim = Primitive(lambda a, axis=None, keepdims=False:
                 _impl(numerics.logsumexp)(a, axis=axis, keepdims=keepdims), "logsumexp")
defvjp(logsumexp_prim, lambda g, ans, a, axis=None, keepdims=False:
       expand_to(g, a, axis, keepdims) * _lse_weights(ans, a, axis, keepdims))
defjvp(logsumexp_prim, lambda t, ans, a, axis=None, keepdims=False:
       sum(t * _lse_weights(ans, a, axis, keepdims), axis=axis, keepdims=keepdims))


def reduce_loss(loss: Any, reduction: str) -> Any:
    """The per-sample ``loss`` reduced as ``reduction`` says ("mean", "sum" or "none")."""
    if reduction == "mean":
        return sum(loss) / max(int(np.size(getval(loss))), 1)
    if reduction == "sum":
        return sum(loss)
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
        return reshape(g, shape[:ax] + (1,) + shape[ax + 1:])
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
    p = softmax(z, axis=axis) if isinstance(z, Traced) and not z._opaque else _plain_softmax(
        z, axis)
    if tv.dtype.kind in "iu":
        shape = shape_of(z)
        classes = np.arange(shape[axis]).reshape((-1,) + (1,) * (len(shape) - axis - 1))
        onehot = tv.reshape(shape[:axis] + (1,) + shape[axis + 1:]) == classes
        return p - onehot.astype(getval(p).dtype)
    return p * np.sum(tv, axis=axis, keepdims=True) - tv


def _ce_value(z: Any, targets: Any, axis: int = -1, reduction: str = "mean") -> Any:
    return _impl(numerics.cross_entropy)(z, targets, axis=axis, reduction=reduction)


# One node for the whole loss: the value is steepest.numerics' (compensated log_softmax), the
# derivative w.r.t. the logits is (softmax(z) Σt − t)·g/n, written with the softmax primitive so
# that it nests (Hessian per sample: diag(s) − s sᵀ).
cross_entropy_prim = Primitive(_ce_value, "cross_entropy")
defvjp(cross_entropy_prim, lambda g, ans, z, t, axis=-1, reduction="mean":
       _ce_residual(z, t, axis) * _loss_scale(g, shape_of(z), axis, reduction))
defjvp(cross_entropy_prim, lambda dz, ans, z, t, axis=-1, reduction="mean":
       reduce_loss(sum(_ce_residual(z, t, axis) * dz, axis=axis), reduction))
defsaves(cross_entropy_prim, (0, 1))


def _bce_value(z: Any, t: Any, reduction: str = "mean") -> Any:
    return _impl(numerics.binary_cross_entropy_with_logits)(z, t, reduction=reduction)


# ∂/∂z = σ(z) − t and ∂/∂t = softplus(−z) − softplus(z) = −z, scaled like the reduction.
bce_prim = Primitive(_bce_value, "binary_cross_entropy_with_logits")
defvjp(bce_prim,
       lambda g, ans, z, t, reduction="mean":
       (sigmoid(z) - t) * _loss_scale(g, shape_of(z), None, reduction),
       lambda g, ans, z, t, reduction="mean": -z * _loss_scale(g, shape_of(z), None, reduction))
defjvp(bce_prim,
       lambda dz, ans, z, t, reduction="mean": reduce_loss((sigmoid(z) - t) * dz, reduction),
       lambda dt, ans, z, t, reduction="mean": reduce_loss(-z * dt, reduction))
defsaves(bce_prim, (0, 1), (0,))


