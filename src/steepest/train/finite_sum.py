"""Finite-sum objectives C(θ) = (1/n) Σᵢ Cᵢ(θ) over a data set (Liquet et al. eq. 4.4).

The loss is written once, for a minibatch, in plain NumPy; :class:`FiniteSum` evaluates it and
its gradient on the full data (gradient descent) or on a minibatch (SGD, eq. 4.13).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..autodiff import value_and_grad as autodiff_value_and_grad
from ..tree import ravel_pytree
from .batches import BatchSampler, num_examples, take

__all__ = ["FiniteSum"]

Loss = Callable[[Any, Any], Any]
ValueAndGrad = Callable[[Any, Any], tuple[Any, Any]]


class FiniteSum:
    """The average loss over a data set, with full-data and minibatch values and gradients.

    .. math::

        C(θ) = \\frac{1}{n} \\sum_{i=1}^n C_i(θ), \\qquad
        \\widehat{∇C}(θ) = \\frac{1}{n_b} \\sum_{i \\in \\mathcal{I}} ∇C_i(θ)

    where the minibatch ``𝓘`` is a uniformly random subset (or i.i.d. draw) of size ``n_b``;
    the minibatch gradient is an unbiased estimate of ``∇C(θ)`` (Liquet et al. §4.2).

    Args:
        loss: ``loss(params, batch)`` for a pytree ``batch`` of rows of ``data``. With
            ``per_example=False`` (default) it returns the *mean* loss over the batch (a
            scalar); with ``per_example=True`` it returns the vector of the ``Cᵢ`` of the batch
            and :class:`FiniteSum` averages it.
        data: pytree of arrays sharing the leading (example) axis.
        value_and_grad: optional ``(params, batch) -> (mean loss, gradient pytree)``; by
            default the gradient comes from :func:`steepest.autodiff.value_and_grad`.
        per_example: see ``loss``.

    Example:
        >>> import numpy as np
        >>> X = np.array([[1.0], [2.0], [3.0]]); y = np.array([2.0, 4.0, 6.0])
        >>> def loss(w, batch):
        ...     xb, yb = batch
        ...     return np.mean((xb @ w - yb) ** 2)
        >>> def vg(w, batch):
        ...     xb, yb = batch
        ...     r = xb @ w - yb
        ...     return np.mean(r ** 2), 2 * xb.T @ r / len(yb)
        >>> C = FiniteSum(loss, (X, y), value_and_grad=vg)
        >>> C.n, float(C.value(np.array([2.0])))
        (3, 0.0)
        >>> C.grad(np.array([1.0]))
        array([-9.33333333])
    """

    def __init__(
        self,
        loss: Loss,
        data: Any,
        *,
        value_and_grad: ValueAndGrad | None = None,
        per_example: bool = False,
    ) -> None:
        if not callable(loss):
            raise TypeError(f"loss must be callable as loss(params, batch), got {type(loss)}")
        if value_and_grad is not None and not callable(value_and_grad):
            raise TypeError("value_and_grad must be callable as value_and_grad(params, batch)")
        self.loss = loss
        self.data = data
        self.per_example = per_example
        self.n = num_examples(data)
        self.value_and_grad_fn = value_and_grad
        self._ad: ValueAndGrad | None = None

    # -- evaluation -------------------------------------------------------------------------
    def batch(self, index: np.ndarray | slice | None = None) -> Any:
        """The rows ``index`` of the data (all data when ``index`` is None)."""
        return self.data if index is None else take(self.data, index)

    def mean_loss(self, params: Any, batch: Any) -> Any:
        """The mean loss over ``batch`` (works on traced values too)."""
        out = _checked_loss(self.loss(params, batch), self.per_example)
        return np.mean(out) if self.per_example else out

    def with_data(self, data: Any) -> FiniteSum:
        """The same loss (not its ``value_and_grad``) over other data, e.g. validation rows."""
        return FiniteSum(self.loss, data, per_example=self.per_example)

    def value(self, params: Any, index: np.ndarray | slice | None = None) -> float:
        """``C(θ)`` on all data, or the minibatch mean on rows ``index``."""
        return self.mean_loss(params, self.batch(index))

    def value_and_grad(
        self, params: Any, index: np.ndarray | slice | None = None
    ) -> tuple[Any, Any]:
        """``(C, ∇C)`` on all data, or the minibatch estimate (eq. 4.13) on rows ``index``."""
        return self.batch_value_and_grad(params, self.batch(index))

    def batch_value_and_grad(self, params: Any, batch: Any) -> tuple[Any, Any]:
        """Mean loss and its gradient on an explicit ``batch`` pytree."""
        if self.value_and_grad_fn is not None:
            return self.value_and_grad_fn(params, batch)
        if self._ad is None:
            self._ad = autodiff_value_and_grad(self.mean_loss)
        return self._ad(params, batch)

    def grad(self, params: Any, index: np.ndarray | slice | None = None) -> Any:
        """``∇C(θ)`` on all data, or the minibatch estimate on rows ``index``."""
        return self.value_and_grad(params, index)[1]

    def metric(self, metric: Callable[[Any, Any], Any], params: Any) -> float:
        """``metric(params, data)`` on all the data (``fit`` records its ``metrics`` this way;
        a distributed sum averages the metric of its chunks)."""
        return float(metric(params, self.data))

    def example_losses(self, params: Any) -> np.ndarray:
        """The vector ``(C₁(θ), …, Cₙ(θ))`` (one loss call per example unless per-example)."""
        if self.per_example:
            return np.asarray(self.loss(params, self.data), dtype=float)
        return np.array([self.value(params, np.array([i])) for i in range(self.n)], dtype=float)

    def example_grads(self, params: Any) -> np.ndarray:
        """Matrix (n, d) whose row i is ∇Cᵢ(θ) flattened (one gradient call per example)."""
        rows = [ravel_pytree(self.grad(params, np.array([i])))[0] for i in range(self.n)]
        return np.vstack(rows)

    def minibatch_variance(self, params: Any, batch_size: int, *,
                           replacement: bool = False) -> float:
        """Exact E‖ĝ − ∇C(θ)‖² of the minibatch gradient ĝ of size ``n_b`` (Liquet §4.2).

        With σ² = (1/n) Σᵢ ‖∇Cᵢ(θ) − ∇C(θ)‖² (one example's gradient variance)::

            E‖ĝ − ∇C‖² = σ² / n_b                         with replacement
            E‖ĝ − ∇C‖² = σ² / n_b · (n − n_b) / (n − 1)   without (finite-population correction)

        The 1/n_b law is Liquet et al.'s (§4.2); the correction factor is the exact variance of
        the mean of a uniformly random subset, the sampling a shuffled epoch does.
        """
        if not 1 <= batch_size <= self.n:
            raise ValueError(f"batch_size must lie in 1..n={self.n}, got {batch_size}")
        G = self.example_grads(params)
        sigma2 = float(np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1)))
        fpc = 1.0 if replacement or self.n == 1 else (self.n - batch_size) / (self.n - 1)
        return sigma2 / batch_size * fpc

    def __call__(self, params: Any) -> float:
        return self.value(params)

    def __repr__(self) -> str:
        return f"FiniteSum(loss={getattr(self.loss, '__name__', self.loss)!r}, n={self.n})"

    # -- minibatches ------------------------------------------------------------------------
    def sampler(
        self,
        batch_size: int,
        *,
        shuffle: bool = True,
        replacement: bool = False,
        drop_last: bool = False,
    ) -> BatchSampler:
        """A :class:`BatchSampler` over this objective's ``n`` examples."""
        return BatchSampler(self.n, batch_size, shuffle, replacement, drop_last)


def _checked_loss(out: Any, per_example: bool) -> Any:
    """``loss``'s output unchanged, or an error naming what it must return."""
    if out is None or isinstance(out, str | bytes):
        raise TypeError(f"loss returned {out!r}; loss(params, batch) must return the batch's "
                        "mean loss as a real scalar — is a `return` missing, or a value "
                        "returned as text?")
    shape = getattr(out, "shape", ())
    if not per_example and shape != () and int(np.prod(shape)) != 1:
        raise ValueError(f"loss returned an array of shape {tuple(shape)}; with "
                         "per_example=False loss(params, batch) must return the batch's mean, "
                         "a scalar: return np.mean(...) of it, or pass per_example=True")
    return out
