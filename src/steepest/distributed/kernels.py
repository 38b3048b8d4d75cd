"""Hand-derived chunk kernels for the linear models: (Σ loss, Σ gradient[, Σ HVP]) in one pass.

For ``LinearRegression``, ``LogisticRegression`` and ``SoftmaxRegression`` of
:mod:`steepest.train.models` the chunk task need not trace anything: with the score
``z = X w + b`` and a loss ``ℓ(z, y)`` summed over the rows,

.. math::

    \\sum_i C_i = \\sum_i ℓ(z_i, y_i) + m\\,\\tfrac{λ}{2}\\lVert w\\rVert^2, \\qquad
    ∇_w = X^\\top ℓ'(z, y) + m λ w, \\qquad ∇_b = \\textstyle\\sum_i ℓ'(z_i, y_i),

    ∇^2 C\\,v = \\big(X^\\top [ℓ''(z)\\,(X v_w + v_b)] + m λ v_w,\\;
    \\textstyle\\sum_i ℓ''(z_i)(X v_w + v_b)_i\\big).

The chunk is walked in blocks of rows small enough to stay in the CPU cache between the two
matrix products ``X_b w`` and ``X_bᵀ ℓ'``, so ``X`` is read from memory once per evaluation
(the two BLAS calls on the whole chunk read it twice). Standardization ``(X − μ)/s`` is folded
into the parameters, as Spark MLlib's aggregator does, never materialised:
``z = X (w/s) + (b − μ·w/s)`` and ``∇_w = (Xᵀℓ' − μ Σℓ')/s``.

The losses are the stable forms of :mod:`steepest.numerics`: the binary cross-entropy as
``t·max(−z, 0) + (1 − t)·max(z, 0) + log1p(e^{−|z|})`` (non-negative terms, nothing cancels)
and the softmax cross-entropy as ``logsumexp(z) − z_y`` with the maximum shifted out.

Reference:
    Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2; Bishop, *Pattern
    Recognition and Machine Learning*, §4.3.2–4.3.4 (gradients and Hessians of the logistic
    and softmax log-likelihoods); Spark MLlib ``LogisticAggregator`` (centering folded in).

Example:
    >>> import numpy as np
    >>> from steepest.train.models import LinearRegression
    >>> kernel = linear_model_kernel(LinearRegression(1))
    >>> X = np.array([[1.0], [2.0]]); y = np.array([1.0, 1.0])
    >>> kernel({"w": np.array([1.0]), "b": np.array(0.0)}, X, y)  # Σ r², ∂b, ∂w
    array([1., 2., 4.])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..train.models import LinearRegression, LogisticRegression, SoftmaxRegression
from ..tree import ravel_pytree

__all__ = ["LinearModelKernel", "linear_model_kernel"]

#: Bytes of X per block: a block stays in the L2/L3 cache between its two products.
BLOCK_BYTES = 1 << 20

Family = Callable[[np.ndarray, np.ndarray, np.ndarray | None],
                  tuple[float, np.ndarray, np.ndarray | None]]


def _squared(z: np.ndarray, y: np.ndarray, u: np.ndarray | None):
    """ℓ = (z − y)², ℓ' = 2(z − y), ℓ'' = 2."""
    r = z - y
    return float(r @ r), 2.0 * r, None if u is None else 2.0 * u


def _logistic(z: np.ndarray, y: np.ndarray, u: np.ndarray | None):
    """ℓ = log(1 + eᶻ) − y z, ℓ' = σ(z) − y, ℓ'' = σ(z)(1 − σ(z)) = e^{−|z|}/(1 + e^{−|z|})²."""
    e = np.exp(-np.abs(z))
    a = np.maximum(z, 0.0)
    loss = float((1.0 - y) @ a + y @ (a - z) + np.sum(np.log1p(e)))
    one_e = 1.0 + e
    s = np.where(z >= 0, 1.0, e) / one_e
    return loss, s - y, None if u is None else (e / (one_e * one_e)) * u


def _softmax(z: np.ndarray, y: np.ndarray, u: np.ndarray | None):
    """ℓ = logsumexp(z) − z_y, ℓ' = softmax(z) − onehot(y), ℓ''u = P⊙u − P (Pᵀu row-wise)."""
    rows = np.arange(len(y))
    mx = z.max(axis=1, keepdims=True)
    E = np.exp(z - mx)
    S = E.sum(axis=1, keepdims=True)
    loss = float(np.sum(mx) + np.sum(np.log(S)) - np.sum(z[rows, y]))
    P = E / S
    t = None if u is None else P * u - P * np.sum(P * u, axis=1, keepdims=True)
    P[rows, y] -= 1.0
    return loss, P, t


_FAMILIES: dict[type, Family] = {LinearRegression: _squared, LogisticRegression: _logistic,
                                 SoftmaxRegression: _softmax}


def _fold(w: np.ndarray, b: np.ndarray, standardize: Any) -> tuple[np.ndarray, np.ndarray]:
    """Parameters acting on raw X that give the score of standardized X."""
    if standardize is None:
        return w, b
    ws = w / (standardize.scale if w.ndim == 1 else standardize.scale[:, None])
    return ws, b - standardize.mean @ ws


def _unfold(gX: np.ndarray, gb: np.ndarray, standardize: Any) -> np.ndarray:
    """The gradient with respect to w of standardized X, from Xᵀℓ' and Σℓ' on raw X."""
    if standardize is None:
        return gX
    s = standardize.scale if gX.ndim == 1 else standardize.scale[:, None]
    return (gX - np.multiply.outer(standardize.mean, gb)) / s


@dataclass(frozen=True)
class LinearModelKernel:
    """The summed loss, gradient (and HVP) of a linear model over one chunk, blockwise.

    Attributes:
        family: the loss of the score, ``(z, y, u) -> (Σ ℓ, ℓ', ℓ''u)``.
        l2: the model's L2 coefficient λ (on ``w`` only).
        labels: the labels are class indices (softmax regression).
    """

    family: Family
    l2: float
    labels: bool = False

    def __call__(self, params: dict[str, Any], X: np.ndarray, y: np.ndarray,
                 standardize: Any = None, direction: dict[str, Any] | None = None) -> np.ndarray:
        """``[Σ Cᵢ, Σ ∇Cᵢ (flat)[, Σ ∇²Cᵢ v (flat)]]`` over the rows of ``(X, y)``.

        Args:
            params: ``{"w", "b"}`` of the model.
            X, y: the chunk's rows (raw, unstandardized).
            standardize: a :class:`~steepest.distributed.tasks.Standardize` or None.
            direction: ``v`` like ``params`` for a Hessian-vector product, or None.

        Returns:
            The flat float64 vector of sums, in ``ravel_pytree(params)`` order.
        """
        w, b = np.asarray(params["w"], float), np.asarray(params["b"], float)
        wf, bf = _fold(w, b, standardize)
        vf = None if direction is None else _fold(np.asarray(direction["w"], float),
                                                  np.asarray(direction["b"], float),
                                                  standardize)
        y = y.astype(np.intp) if self.labels else y
        sums = self._blocks(X, y, wf, bf, vf)
        m = len(y)
        loss = sums[0] + m * 0.5 * self.l2 * float(np.sum(w * w))
        gw = _unfold(sums[1], sums[2], standardize) + m * self.l2 * w
        parts = [np.array([loss]), ravel_pytree({"w": gw, "b": sums[2]})[0]]
        if direction is not None:
            hw = _unfold(sums[3], sums[4], standardize) + m * self.l2 * direction["w"]
            parts.append(ravel_pytree({"w": hw, "b": sums[4]})[0])
        return np.concatenate(parts)

    def _blocks(self, X: np.ndarray, y: np.ndarray, w: np.ndarray, b: np.ndarray,
                v: tuple[np.ndarray, np.ndarray] | None) -> list[Any]:
        """Σℓ, Xᵀℓ', Σℓ'[, Xᵀ(ℓ''u), Σℓ''u] accumulated over cache-sized blocks of rows."""
        step = max(64, BLOCK_BYTES // max(1, X.shape[1] * X.itemsize))
        sums: list[Any] = [0.0, np.zeros_like(w), np.zeros_like(b)]
        if v is not None:
            sums += [np.zeros_like(w), np.zeros_like(b)]
        for lo in range(0, len(y), step):
            Xb = X[lo:lo + step]
            u = None if v is None else Xb @ v[0] + v[1]
            loss, dz, t = self.family(Xb @ w + b, y[lo:lo + step], u)
            sums[0] += loss
            sums[1] += Xb.T @ dz
            sums[2] += dz.sum(axis=0)
            if t is not None:
                sums[3] += Xb.T @ t
                sums[4] += t.sum(axis=0)
        return sums


def linear_model_kernel(model: Any) -> LinearModelKernel | None:
    """The hand-derived kernel of ``model`` when it is exactly one of the linear models of
    :mod:`steepest.train.models` (a subclass may change the loss: None, autodiff is used)."""
    family = _FAMILIES.get(type(model))
    if family is None:
        return None
    return LinearModelKernel(family, float(model.l2), labels=family is _softmax)
