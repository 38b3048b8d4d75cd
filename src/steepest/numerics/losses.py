"""Classification losses computed from logits, never from probabilities (Goodfellow §4.1).

Working from logits with :func:`~steepest.numerics.log_softmax` / softplus keeps the losses
finite and accurate where ``-log(softmax(z))`` or ``-log(sigmoid(z))`` would give inf.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .._dispatch import traceable
from ._arrays import as_real_float, finish, normalize_axes
from .softmax_family import log_softmax
from .stable import _softplus_work

__all__ = ["cross_entropy", "binary_cross_entropy_with_logits"]


def _mean(loss: np.ndarray) -> np.ndarray:
    return np.asarray(np.sum(loss) / loss.size if loss.size else np.nan, dtype=loss.dtype)


_REDUCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "mean": _mean,
    "sum": lambda loss: np.asarray(np.sum(loss), dtype=loss.dtype),
    "none": lambda loss: loss,
}


def _reducer(reduction: str) -> Callable[[np.ndarray], np.ndarray]:
    try:
        return _REDUCTIONS[reduction]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown reduction {reduction!r}; use one of {', '.join(map(repr, _REDUCTIONS))}"
        ) from None


@traceable
def cross_entropy(logits: Any, targets: Any, axis: int = -1, reduction: str = "mean") -> Any:
    r"""Softmax cross-entropy :math:`-\sum_k t_k \log\operatorname{softmax}(z)_k` from logits.

    ``targets`` are either integer class labels (shape of ``logits`` without ``axis``; the
    loss is ``-log_softmax(z)[label]``) or non-negative class weights/probabilities of the
    shape of ``logits`` (the loss is ``-sum(t * log_softmax(z))``, terms with ``t = 0``
    contribute 0 even where ``log_softmax`` is ``-inf``).

    Why the naive form fails: ``-log(softmax(z)[y])`` is ``inf`` as soon as the probability
    of the true class underflows (``z = [0, 1000]``, ``y = 0``: true loss 1000), and it is 0
    (all accuracy lost) when the model is confident and right.

    Derivative: :math:`\partial/\partial z = \operatorname{softmax}(z) - t` per sample
    (``t`` one-hot for labels, scaled by ``sum(t)`` for unnormalised weights), divided by the
    number of samples for ``reduction="mean"``.

    Args:
        logits: real array of unnormalised log-probabilities.
        targets: integer labels in ``[0, n_classes)`` or probabilities of ``logits``' shape.
        axis: the class axis of ``logits``.
        reduction: ``"mean"`` over samples, ``"sum"``, or ``"none"`` (one loss per sample).

    Returns:
        A scalar for ``"mean"``/``"sum"``, else an array of the per-sample losses.

    Raises:
        ValueError: on mismatched shapes, labels out of range, negative probabilities or an
            unknown reduction.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1 and §6.2.2.3 (softmax units for multinoulli
        outputs).

    Example:
        >>> float(cross_entropy([[0.0, 1000.0]], [0]))
        1000.0
        >>> float(cross_entropy([[0.0, 0.0]], [[0.5, 0.5]])) == float(np.log(2.0))
        True
    """
    reduce = _reducer(reduction)
    z, out = as_real_float(logits, "logits")
    if z.ndim == 0:
        raise ValueError("logits must have a class axis; pass an array of shape (..., n_classes)")
    (ax,) = normalize_axes(axis, z.ndim)
    t = np.asarray(targets)
    logp = np.asarray(log_softmax(z, axis=ax))
    with np.errstate(all="ignore"):
        if t.dtype.kind in "iu":
            loss = _label_loss(logp, t, ax)
        elif t.dtype.kind in "fb":
            loss = _prob_loss(logp, t, ax)
        else:
            raise TypeError(
                f"targets must be integer labels or float probabilities, got dtype {t.dtype}"
            )
    return finish(reduce(loss), out)


def _label_loss(logp: np.ndarray, t: np.ndarray, ax: int) -> np.ndarray:
    expected = logp.shape[:ax] + logp.shape[ax + 1 :]
    if t.shape != expected:
        raise ValueError(
            f"integer targets have shape {t.shape} but logits of shape {logp.shape} with class "
            f"axis {ax} need labels of shape {expected}; for one-hot or soft targets pass "
            f"floats of shape {logp.shape}"
        )
    n = logp.shape[ax]
    if t.size and (t.min() < 0 or t.max() >= n):
        bad = t[(t < 0) | (t >= n)].flat[0]
        raise ValueError(f"label {bad} is out of range; labels must lie in [0, {n - 1}]")
    picked = np.take_along_axis(logp, np.expand_dims(t, ax).astype(np.intp), axis=ax)
    return -np.squeeze(picked, axis=ax)


def _prob_loss(logp: np.ndarray, t: np.ndarray, ax: int) -> np.ndarray:
    if t.shape != logp.shape:
        raise ValueError(
            f"probability targets have shape {t.shape} but logits have shape {logp.shape}; "
            f"pass targets of the logits' shape, or integer labels of shape "
            f"{logp.shape[:ax] + logp.shape[ax + 1:]}"
        )
    t = t.astype(logp.dtype)
    if np.any(t < 0):
        raise ValueError("probability targets must be non-negative; got a negative entry")
    terms = np.where(t == 0, 0.0, -t * logp)
    return np.sum(terms, axis=ax)


@traceable
def binary_cross_entropy_with_logits(logits: Any, targets: Any, reduction: str = "mean") -> Any:
    r"""Binary cross-entropy :math:`-t\log\sigma(z) - (1-t)\log(1-\sigma(z))` from logits.

    Computed as ``t * softplus(-z) + (1 - t) * softplus(z)``: both terms are non-negative,
    so nothing cancels, and for hard labels the loss is exactly one softplus.

    Why the naive form fails: ``-log(sigmoid(z))`` is ``inf`` for ``z < -745`` (sigmoid
    underflows) and ``-log(1 - sigmoid(z))`` is ``inf`` once ``sigmoid(z)`` rounds to 1
    (``z > 37``); the common rewrite ``max(z, 0) - z t + log1p(exp(-|z|))`` cancels when
    ``t = 0`` and ``z`` is very negative.

    Derivative: :math:`\partial/\partial z = \sigma(z) - t`, :math:`\partial/\partial t = -z`
    (divided by the number of elements for ``reduction="mean"``).

    Args:
        logits: real array-like.
        targets: probabilities in ``[0, 1]`` (bools and 0/1 integers accepted) of the same
            shape as ``logits``.
        reduction: ``"mean"``, ``"sum"`` or ``"none"`` (elementwise losses).

    Returns:
        A scalar for ``"mean"``/``"sum"``, else the elementwise losses.

    Raises:
        ValueError: on mismatched shapes, targets outside ``[0, 1]``, unknown reduction.

    Reference:
        Goodfellow et al., *Deep Learning*, §4.1 and §6.2.2.2 (loss ζ((1 - 2y) z)).

    Example:
        >>> float(binary_cross_entropy_with_logits([-1000.0], [1.0]))
        1000.0
    """
    reduce = _reducer(reduction)
    z, out = as_real_float(logits, "logits")
    t, _ = as_real_float(targets, "targets")
    if t.shape != z.shape:
        raise ValueError(
            f"targets have shape {t.shape} but logits have shape {z.shape}; pass one target "
            "per logit"
        )
    if np.any((t < 0) | (t > 1)):
        raise ValueError("targets must be probabilities in [0, 1]; got an entry outside")
    with np.errstate(all="ignore"):
        pos = np.where(t == 0, 0.0, t * _softplus_work(-z))
        neg = np.where(t == 1, 0.0, (1.0 - t) * _softplus_work(z))
        loss = pos + neg
    return finish(reduce(loss), out)
