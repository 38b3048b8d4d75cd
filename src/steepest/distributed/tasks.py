"""What runs on a worker: one fused task per chunk, and the fixed-order sums of their results.

A chunk task receives the parameters and the chunk's arrays and returns one flat vector

.. math::

    s_c = \\Big(\\sum_{i \\in c} C_i(θ),\\; \\sum_{i \\in c} ∇C_i(θ)\\,[,\\;
    \\sum_{i \\in c} ∇^2 C_i(θ)\\, v]\\Big),

the chunk's *sums* (its mean times its row count ``m_c``), so that partial results add up and
the client divides once by ``n``. The sums of partials run in a fixed order on fixed groups
(:func:`add_in_order`), so the total is bit-for-bit the same run to run whatever worker ran
what. Arrays that crossed processes can arrive unaligned, which made float64 kernels 4–6×
slower here; they are re-aligned first (``np.require(a, requirements="A")``).

Reference:
    Liquet et al., *Mathematical Engineering of Deep Learning*, §4.2 (C(θ) = (1/n) Σ Cᵢ(θ));
    Spark MLlib's ``treeAggregate`` of (loss, gradient) per evaluation (the same plan).

Example:
    >>> import numpy as np
    >>> spec = ChunkSpec(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), None, False, None,
    ...                  structure=None)
    >>> X = np.array([[1.0], [2.0]]); y = np.array([1.0, 1.0])
    >>> chunk_sums(spec, np.array([1.0]), None, None, (X, y))  # Σ r², Σ 2 x r
    array([1., 4.])
    >>> add_in_order(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    array([4., 6.])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..autodiff import hvp as autodiff_hvp
from ..autodiff import value_and_grad as autodiff_value_and_grad
from ..tree import ravel_pytree, tree_unflatten

__all__ = ["ChunkSpec", "Standardize", "chunk_sums", "add_in_order", "scalar_loss",
           "chunk_example_losses", "chunk_example_grads", "chunk_metric"]


@dataclass(frozen=True)
class Standardize:
    """``(X − mean) / scale`` applied to the first data leaf inside each task (never stored).

    Attributes:
        mean: column means (or zeros when only scaling).
        scale: column scales (ones where a column is constant).
    """

    mean: np.ndarray
    scale: np.ndarray

    def __call__(self, X: np.ndarray) -> np.ndarray:
        return (X - self.mean) / self.scale


@dataclass(frozen=True)
class ChunkSpec:
    """Everything a chunk task needs besides the parameters and the arrays (sent once per
    evaluation inside the task graph; small: functions and the preprocessing constants).

    Attributes:
        loss: ``loss(params, batch)``: mean loss of the batch (or per-example losses).
        value_and_grad: optional ``(params, batch) -> (mean loss, gradient)``.
        per_example: ``loss`` returns the vector of per-example losses.
        standardize: a :class:`Standardize` for the first leaf, or None.
        structure: the data's pytree structure (None: the leaves are the tuple ``(X, y, ...)``).
        kernel: a hand-derived ``kernel(params, X, y, standardize, direction)`` returning the
            sums directly (:mod:`steepest.distributed.kernels`, for the linear models), or None.
    """

    loss: Callable[[Any, Any], Any]
    value_and_grad: Callable[[Any, Any], tuple[Any, Any]] | None
    per_example: bool
    standardize: Standardize | None
    structure: Any
    kernel: Callable[..., np.ndarray] | None = None

    def batch(self, leaves: tuple[np.ndarray, ...], rows: np.ndarray | None) -> Any:
        """The chunk's batch pytree: aligned, row-selected, first leaf standardized."""
        arrays = [np.require(a, requirements="A") for a in leaves]
        if rows is not None:
            arrays = [a[rows] for a in arrays]
        if self.standardize is not None:
            arrays[0] = self.standardize(arrays[0])
        if self.structure is None:
            return tuple(arrays)
        return tree_unflatten(self.structure, arrays)

    def mean_loss(self, params: Any, batch: Any) -> Any:
        out = self.loss(params, batch)
        return np.mean(out) if self.per_example else out


def _value_and_flat_grad(spec: ChunkSpec, params: Any, batch: Any) -> tuple[float, np.ndarray]:
    if spec.value_and_grad is not None:
        value, grads = spec.value_and_grad(params, batch)
    else:
        value, grads = autodiff_value_and_grad(spec.mean_loss)(params, batch)
    return scalar_loss(value), ravel_pytree(grads)[0]


def scalar_loss(value: Any) -> float:
    """``value`` as a float, or a ValueError saying how a loss must return its mean."""
    arr = np.asarray(value, dtype=float)
    if arr.size != 1:
        raise ValueError(
            f"the loss returned an array of shape {arr.shape} on a chunk; it must return the "
            "mean loss of the batch (a scalar), or pass per_example=True when it returns one "
            "loss per row")
    return float(arr.reshape(()))


def chunk_sums(spec: ChunkSpec, params: Any, direction: Any, rows: np.ndarray | None,
               leaves: Sequence[np.ndarray]) -> np.ndarray:
    """``[Σ Cᵢ, Σ ∇Cᵢ (flat)[, Σ ∇²Cᵢ v (flat)]]`` over the chunk's rows (all or ``rows``).

    Args:
        spec: the :class:`ChunkSpec`.
        params: the parameter pytree θ.
        direction: ``v`` for a Hessian-vector product (a pytree like ``params``) or None.
        rows: local row indices of a minibatch inside this chunk, or None for all rows.
        leaves: the chunk's arrays, in the data's leaf order (one persisted tuple, or the
            blocks of each leaf).

    Returns:
        The flat float64 vector of sums (``1 + d`` entries, ``1 + 2d`` with ``direction``).
    """
    if spec.kernel is not None:
        X, y = (np.require(a, requirements="A") for a in leaves)
        if rows is not None:
            X, y = X[rows], y[rows]
        return spec.kernel(params, X, y, spec.standardize, direction)
    batch = spec.batch(leaves, rows)
    m = len(leaves[0]) if rows is None else len(rows)
    value, g = _value_and_flat_grad(spec, params, batch)
    parts = [np.array([value]), g]
    if direction is not None:
        Hv = autodiff_hvp(lambda p: spec.mean_loss(p, batch), params, direction)
        parts.append(ravel_pytree(Hv)[0])
    return m * np.concatenate(parts).astype(float, copy=False)


def add_in_order(*parts: np.ndarray) -> np.ndarray:
    """``parts[0] + parts[1] + …`` left to right (a fixed order: reproducible bit for bit)."""
    total = np.array(parts[0], dtype=float, copy=True)
    for p in parts[1:]:
        total += p
    return total


def _rows(spec: ChunkSpec, leaves: Sequence[np.ndarray]) -> list[Any]:
    """The chunk's one-row batches, in row order."""
    return [spec.batch(leaves, np.array([i])) for i in range(len(leaves[0]))]


def chunk_example_losses(spec: ChunkSpec, params: Any, leaves: Sequence[np.ndarray]
                         ) -> np.ndarray:
    """The per-example losses ``Cᵢ(θ)`` of the chunk's rows, in row order (one loss call on
    the chunk with ``per_example``, else one per row, as :class:`steepest.train.FiniteSum`)."""
    if spec.per_example:
        return np.asarray(spec.loss(params, spec.batch(leaves, None)), dtype=float).reshape(-1)
    return np.array([scalar_loss(spec.mean_loss(params, b)) for b in _rows(spec, leaves)])


def chunk_example_grads(spec: ChunkSpec, params: Any, leaves: Sequence[np.ndarray]
                        ) -> np.ndarray:
    """The ``(m, d)`` matrix of the chunk's per-example gradients ``∇Cᵢ(θ)`` (flat rows)."""
    return np.vstack([_value_and_flat_grad(spec, params, b)[1] for b in _rows(spec, leaves)])


def chunk_metric(spec: ChunkSpec, metric: Callable[[Any, Any], Any], params: Any,
                 leaves: Sequence[np.ndarray]) -> float:
    """``metric(params, batch)`` on the chunk's batch of NumPy rows (standardized as the loss
    sees it)."""
    return float(metric(params, spec.batch(leaves, None)))
