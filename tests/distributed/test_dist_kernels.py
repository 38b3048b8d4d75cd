"""The hand-derived chunk kernels equal steepest's autodiff of the models' losses to 1e-12."""

from __future__ import annotations

import numpy as np
import pytest
from _dist_data import logistic_data, multiclass_data

from steepest.distributed import kernels
from steepest.distributed.kernels import linear_model_kernel
from steepest.distributed.tasks import ChunkSpec, Standardize, chunk_sums
from steepest.train.models import MLP, LinearRegression, LogisticRegression, SoftmaxRegression


def _problem(kind: str):
    if kind == "softmax":
        X, y = multiclass_data(n=203, d=3, k=4)
        model = SoftmaxRegression(3, n_classes=4, l2=0.03)
        rng = np.random.default_rng(5)
        p = {"w": rng.normal(size=(3, 4)), "b": rng.normal(size=4)}
        v = {"w": rng.normal(size=(3, 4)), "b": rng.normal(size=4)}
        return model, X, y, p, v
    X, y = logistic_data(n=203)
    model = (LogisticRegression(4, l2=0.05) if kind == "logistic"
             else LinearRegression(4, l2=0.05))
    if kind == "linear":
        y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1
    p = {"w": np.array([0.8, -1.5, 2.0, 0.3]), "b": np.array(-0.4)}
    v = {"w": np.array([1.0, 0.5, -2.0, 1.5]), "b": np.array(0.7)}
    return model, X, y, p, v


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


@pytest.mark.parametrize("kind", ["linear", "logistic", "softmax"])
@pytest.mark.parametrize("standardized", [False, True])
@pytest.mark.parametrize("minibatch", [False, True])
def test_kernel_equals_autodiff(monkeypatch, kind, standardized, minibatch):
    """Loss, gradient and HVP sums agree with autodiff of ``model.loss`` (no value_and_grad),
    over blocks of 7 rows (so the blocking and its remainder are exercised)."""
    model, X, y, p, v = _problem(kind)
    X = X * np.linspace(1.0, 4.0, X.shape[1]) + 3.0  # uncentred columns: folding matters
    monkeypatch.setattr(kernels, "BLOCK_BYTES", 7 * X.shape[1] * X.itemsize)
    std = Standardize(X.mean(0), X.std(0)) if standardized else None
    rows = np.arange(0, len(y), 3) if minibatch else None
    kernel = linear_model_kernel(model)
    autodiff = ChunkSpec(model.loss, None, False, std, None)
    fast = ChunkSpec(model.loss, None, False, std, None, kernel)
    ref = chunk_sums(autodiff, p, v, rows, (X, y))
    out = chunk_sums(fast, p, v, rows, (X, y))
    assert out.shape == ref.shape and _rel(out, ref) <= 1e-12
    assert _rel(chunk_sums(fast, p, None, rows, (X, y)), ref[:1 + (len(ref) - 1) // 2]) <= 1e-12


def test_logistic_kernel_is_stable_for_confident_predictions():
    """|z| ~ 800: the loss of right answers is ~e^-800 (no cancellation), of wrong ones ~800."""
    model = LogisticRegression(1)
    kernel = linear_model_kernel(model)
    X = np.array([[800.0], [-800.0], [800.0]])
    y = np.array([1.0, 0.0, 0.0])
    out = kernel({"w": np.array([1.0]), "b": np.array(0.0)}, X, y)
    assert out[0] == 800.0  # the two right answers add e^-800 = 0 to the wrong one's 800
    assert np.array_equal(out[1:], [1.0, 800.0])  # ∂b = σ(z) − y = 0 + 0 + 1, ∂w = 800


def test_only_the_exact_linear_models_get_a_kernel():
    class Custom(LogisticRegression):
        pass

    assert linear_model_kernel(Custom(2)) is None
    assert linear_model_kernel(MLP((2, 3, 1))) is None
    assert linear_model_kernel(SoftmaxRegression(2, n_classes=3)).labels
