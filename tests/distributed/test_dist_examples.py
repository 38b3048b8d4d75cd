"""Per-example losses and gradients, and fit's metrics, on a distributed sum (per chunk)."""

from __future__ import annotations

import numpy as np
from _dist_data import as_dask, logistic_data, ship_by_value

from steepest.distributed import FiniteSum, model_sum
from steepest.optimizers import sgd
from steepest.train import FiniteSum as InMemory
from steepest.train import fit
from steepest.train.models import LogisticRegression

ship_by_value(__name__)


def test_example_losses_and_grads_equal_in_memory_in_row_order(client):
    X, y = logistic_data(n=90)
    model = LogisticRegression(X.shape[1], l2=1e-2)
    C = model_sum(model, as_dask(X, y, chunks=25), cluster=client, stream=None)
    ref = InMemory(model.loss, (X, y), value_and_grad=model.value_and_grad)
    p = {"w": np.linspace(-1.0, 1.0, X.shape[1]), "b": np.array(0.3)}
    losses, grads = C.example_losses(p), C.example_grads(p)
    assert losses.shape == (90,) and grads.shape == (90, X.shape[1] + 1)
    assert np.allclose(losses, ref.example_losses(p), rtol=1e-13, atol=0)
    assert np.allclose(grads, ref.example_grads(p), rtol=1e-12, atol=1e-15)
    assert abs(C.minibatch_variance(p, 10) - ref.minibatch_variance(p, 10)) <= (
        1e-12 * ref.minibatch_variance(p, 10))


def test_per_example_loss_is_one_call_per_chunk(client):
    X, y = logistic_data(n=70)
    C = FiniteSum(lambda w, b: (b[0] @ w - b[1]) ** 2, as_dask(X, y, chunks=20),
                  per_example=True, cluster=client, stream=None)
    w = np.array([0.5, -1.0, 0.25, 2.0])
    assert np.allclose(C.example_losses(w), (X @ w - y) ** 2, rtol=1e-14, atol=0)


def _is_numpy(params, batch):
    """1.0 when the metric receives NumPy rows (not dask arrays)."""
    return float(all(type(a) is np.ndarray for a in batch))


def test_fit_metrics_receive_numpy_chunks_and_equal_in_memory(client):
    X, y = logistic_data(n=300)
    model = LogisticRegression(X.shape[1], l2=1e-3)
    C = model_sum(model, as_dask(X, y, chunks=64), cluster=client, stream=None)
    metrics = {"accuracy": model.accuracy, "numpy": _is_numpy}
    kw = dict(epochs=2, batch_size=100, seed=1, progress=False, metrics=metrics)
    dist = fit(C, model.init(), None, sgd(0.5), **kw)
    mem = fit(model.loss, model.init(), (X, y), sgd(0.5), value_and_grad=model.value_and_grad,
              **kw)
    assert dist.history["numpy"] == [1.0, 1.0]
    assert np.allclose(dist.history["accuracy"], mem.history["accuracy"], rtol=1e-14)
    assert 0.5 < dist.history["accuracy"][-1] <= 1.0
