"""Traced versions of steepest's stable numerics (``logsumexp``, the fused losses ...).

The primitives and their stable rules live in :mod:`steepest.autodiff.rules.special`; here are
the functions with NumPy/SciPy signatures that check their inputs and call them, and their
registration in the one dispatch table (:data:`steepest._dispatch.TRACED`) under the public
:func:`steepest._dispatch.traceable` functions of :mod:`steepest.numerics`, so that
``steepest.softmax(x)`` on a traced ``x`` records the stable primitive.

Example:
    >>> import numpy as np
    >>> import steepest as st
    >>> from steepest.autodiff import grad
    >>> np.allclose(grad(lambda z: st.logsumexp(z))(np.zeros(2)), [0.5, 0.5])
    True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import numerics
from ..._dispatch import register_override
from ..rules import special as special_rules
from ..rules.broadcast import sum
from ..rules.ufunc import log, where_prim
from ..tracing import Traced, constant, getval, shape_of

__all__ = ["logsumexp", "cross_entropy", "binary_cross_entropy_with_logits"]

_reduce = special_rules.reduce_loss


def logsumexp(a: Any, axis: Any = None, b: Any = None, keepdims: bool = False,
              return_sign: bool = False) -> Any:
    """Traced ``logsumexp``; weights ``b ≥ 0`` enter as ``a + log b``."""
    if isinstance(axis, list):
        axis = tuple(axis)
    if b is not None:
        if np.any(constant(b) < 0):
            raise ValueError("logsumexp with negative weights b is not differentiable here; "
                             "split the sum into positive and negative parts")
        with np.errstate(divide="ignore"):
            a = a + log(b)
    lse = special_rules.logsumexp_prim(a, axis=axis, keepdims=keepdims)
    if return_sign:
        return lse, np.ones(np.shape(getval(lse)))
    return lse


def cross_entropy(logits: Any, targets: Any, axis: int = -1, reduction: str = "mean") -> Any:
    """Traced softmax cross-entropy: one primitive whose logits derivative is
    ``(softmax(z) − onehot(y))·g/n``; traced probability targets use the composed form."""
    nd = len(shape_of(logits))
    if nd == 0:
        raise ValueError("logits must have a class axis; pass an array of shape (..., n_classes)")
    ax = axis % nd
    tv = constant(targets)
    _check_targets(shape_of(logits), tv, ax)
    if reduction not in ("mean", "sum", "none"):
        _reduce(None, reduction)
    if not isinstance(targets, Traced) or (targets._opaque and tv.dtype.kind in "iu"):
        return special_rules.cross_entropy_prim(logits, tv, axis=ax, reduction=reduction)
    logp = special_rules.log_softmax(logits, axis=ax)
    terms = where_prim(tv == 0, 0.0, targets * logp)
    return _reduce(-sum(terms, axis=ax), reduction)


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


def binary_cross_entropy_with_logits(logits: Any, targets: Any, reduction: str = "mean") -> Any:
    """Traced ``t softplus(-z) + (1 - t) softplus(z)`` as one primitive (value from
    :mod:`steepest.numerics`, derivatives ``σ(z) − t`` and ``−z``)."""
    if not isinstance(targets, Traced):
        targets = np.asarray(targets, dtype=float)
    tv = constant(targets)
    if tv.shape != shape_of(logits) or np.any((tv < 0) | (tv > 1)):
        raise ValueError("targets must be probabilities in [0, 1] of the logits' shape")
    if reduction not in ("mean", "sum", "none"):
        _reduce(None, reduction)
    return special_rules.bce_prim(logits, targets, reduction=reduction)


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


# the traceable functions of steepest.numerics -> their traced implementations
_OVERRIDES = {
    numerics.sigmoid: lambda x: special_rules.sigmoid(x),
    numerics.softplus: lambda x: special_rules.softplus(x),
    numerics.log_sigmoid: lambda x: special_rules.log_sigmoid(x),
    numerics.log1mexp: lambda x: special_rules.log1mexp(x),
    numerics.logit: lambda p: special_rules.stable_logit(p),
    numerics.softmax: lambda x, axis=-1: special_rules.softmax(x, axis=_axis(axis)),
    numerics.log_softmax: lambda x, axis=-1: special_rules.log_softmax(x, axis=_axis(axis)),
    numerics.logsumexp: logsumexp,
    numerics.cross_entropy: cross_entropy,
    numerics.binary_cross_entropy_with_logits: binary_cross_entropy_with_logits,
}
for _public, _impl in _OVERRIDES.items():
    register_override(_public, _impl)
