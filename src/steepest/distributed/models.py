"""The generalised linear models and the MLP of :mod:`steepest.train.models` over dask data.

:func:`model_sum` wraps a model's ``loss`` and analytic ``value_and_grad`` in a distributed
:class:`~steepest.distributed.FiniteSum` after checking the labels with one pass over ``y``
(before any evaluation is submitted); for the linear models the chunk tasks run the
hand-derived, cache-blocked kernels of :mod:`steepest.distributed.kernels` (loss, gradient and
Hessian-vector product in one pass over the chunk). With ``l2 = sklearn_l2(C, n)`` the objective of
``LogisticRegression`` / ``SoftmaxRegression`` has scikit-learn's ``LogisticRegression(C=C)``
minimiser (L2 on the weights, intercept unpenalised), and ``l2 = ridge_l2(alpha, n)`` makes
``LinearRegression`` scikit-learn's ``Ridge(alpha)``.

Example:
    >>> sklearn_l2(C=1.0, n=1000), ridge_l2(alpha=0.5, n=1000)
    (0.001, 0.001)
"""

from __future__ import annotations

from typing import Any

import dask
import dask.array as da

from ..train.models import LogisticRegression, SoftmaxRegression
from .data import as_dask_leaf
from .finite_sum import FiniteSum
from .kernels import linear_model_kernel

__all__ = ["model_sum", "sklearn_l2", "ridge_l2"]


def sklearn_l2(C: float, n: int) -> float:
    """``λ = 1/(C n)``: scikit-learn's ``C·Σ logloss + ½‖w‖²`` is ``n C`` times
    ``mean(logloss) + (λ/2)‖w‖²``, so both have one minimiser."""
    return 1.0 / (C * n)


def ridge_l2(alpha: float, n: int) -> float:
    """``λ = 2α/n``: ``Ridge``'s ``‖Xw + b − y‖² + α‖w‖²`` is ``n`` times
    ``mean(r²) + (λ/2)‖w‖²``."""
    return 2.0 * alpha / n


def _check_labels(model: Any, y: da.Array) -> None:
    if isinstance(model, LogisticRegression):
        k, what = 2, "0 or 1"
    elif isinstance(model, SoftmaxRegression):
        k, what = model.n_classes, f"integers 0..{model.n_classes - 1}"
    else:
        return
    lo, hi, frac = dask.compute(y.min(), y.max(), da.any(y != da.floor(y)))
    if lo < 0 or hi > k - 1 or bool(frac):
        raise ValueError(
            f"labels y must be {what} for {type(model).__name__}, found values in "
            f"[{lo}, {hi}]{' (not all integers)' if frac else ''}; encode the classes as "
            f"0..K-1 (e.g. np.unique(y, return_inverse=True)) and set n_classes=K")


def model_sum(model: Any, data: Any, **kwargs: Any) -> FiniteSum:
    """A distributed finite sum of ``model.loss`` with ``model.value_and_grad`` over ``data``.

    Args:
        model: a model of :mod:`steepest.train.models` (``LinearRegression``,
            ``LogisticRegression``, ``SoftmaxRegression``, ``MLP``): any object with
            ``loss(params, batch)`` and, optionally, ``value_and_grad(params, batch)``.
        data: ``(X, y)`` as dask arrays (or dask DataFrames) with the same row chunks.
        **kwargs: passed to :class:`~steepest.distributed.FiniteSum` (``cluster``,
            ``standardize``, ``persist``, ``eval_timeout`` ...; ``kernel=None`` runs the
            model's own ``value_and_grad`` instead of the hand-derived kernel).

    Returns:
        The :class:`~steepest.distributed.FiniteSum`.

    Raises:
        ValueError: labels outside the model's classes (checked with one pass over ``y``).
    """
    if isinstance(data, tuple | list) and len(data) == 2:
        _check_labels(model, as_dask_leaf(data[1], "y"))
    vg = getattr(model, "value_and_grad", None)
    kwargs.setdefault("kernel", linear_model_kernel(model))
    return FiniteSum(model.loss, data, value_and_grad=vg, **kwargs)

