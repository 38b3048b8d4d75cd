"""distributed.FiniteSum equals the in-memory train.FiniteSum: values, gradients, HVPs."""

from __future__ import annotations

import numpy as np
import pytest
from _dist_data import as_dask, logistic_data, multiclass_data, ship_by_value

from steepest.autodiff import hvp
from steepest.distributed import FiniteSum, Standardize, model_sum
from steepest.train import FiniteSum as InMemory
from steepest.train.models import MLP, LogisticRegression, SoftmaxRegression
from steepest.tree import ravel_pytree

ship_by_value(__name__)



def _rel(a, b):
    a, b = ravel_pytree(a)[0], ravel_pytree(b)[0]
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def test_workers_are_processes_with_one_blas_thread(client):
    import os  # noqa: PLC0415 - runs on the workers

    env = client.run(lambda: (os.environ.get("OPENBLAS_NUM_THREADS"), os.getpid()))
    assert len(env) == 2 and {v[0] for v in env.values()} == {"1"}
    assert os.getpid() not in {v[1] for v in env.values()}


def test_value_grad_hvp_equal_in_memory_logistic(client):
    X, y = logistic_data()
    model = LogisticRegression(X.shape[1], l2=0.01)
    C = model_sum(model, as_dask(X, y), cluster=client, stream=None)
    ref = InMemory(model.loss, (X, y), value_and_grad=model.value_and_grad)
    p = {"w": np.linspace(-0.5, 0.5, X.shape[1]), "b": np.array(0.2)}
    f, g = C.value_and_grad(p)
    f0, g0 = ref.value_and_grad(p)
    assert abs(f - f0) <= 1e-12 * abs(f0) and _rel(g, g0) <= 1e-12
    v = {"w": np.ones(X.shape[1]), "b": np.array(-1.0)}
    assert _rel(C.hvp(p, v), hvp(lambda q: ref.value(q), p, v)) <= 1e-12
    assert C.n == len(y) and len(C.layout.blocks) == 5


def test_autodiff_gradient_of_mlp_equals_in_memory(client):
    X, y = multiclass_data(n=300)
    mlp = MLP((3, 5, 3))
    C = FiniteSum(mlp.loss, as_dask(X, y, chunks=70), cluster=client, stream=None)
    ref = InMemory(mlp.loss, (X, y))
    p = mlp.init(seed=3)
    f, g = C.value_and_grad(p)
    f0, g0 = ref.value_and_grad(p)
    assert abs(f - f0) <= 1e-12 * abs(f0) and _rel(g, g0) <= 1e-12


def test_sums_are_bit_for_bit_reproducible(client):
    X, y = multiclass_data()
    model = SoftmaxRegression(3, n_classes=3, l2=1e-3)
    C = model_sum(model, as_dask(X, y, chunks=37), cluster=client, stream=None, split_every=3)
    p = model.init()
    p["w"] = np.arange(9.0).reshape(3, 3) / 10
    first = C.sums(p)[0]
    assert all(np.array_equal(first, C.sums(p)[0]) for _ in range(3))


def test_minibatch_equals_in_memory_rows(client):
    X, y = logistic_data(n=500)
    model = LogisticRegression(X.shape[1])
    C = model_sum(model, as_dask(X, y, chunks=64), cluster=client, stream=None)
    ref = InMemory(model.loss, (X, y), value_and_grad=model.value_and_grad)
    idx = np.random.default_rng(0).permutation(500)[:50]
    p = {"w": np.full(X.shape[1], 0.1), "b": np.array(0.0)}
    f, g = C.batch_value_and_grad(p, C.batch(idx))
    f0, g0 = ref.value_and_grad(p, idx)
    assert abs(f - f0) <= 1e-12 * abs(f0) and _rel(g, g0) <= 1e-12
    assert abs(C.mean_loss(p, C.batch(idx)) - f0) <= 1e-12 * abs(f0)


def test_standardization_in_the_task_equals_standardized_data(client):
    X, y = logistic_data()
    model = LogisticRegression(X.shape[1])
    C = model_sum(model, as_dask(X, y), cluster=client, stream=None, standardize=True)
    Z = (X - X.mean(0)) / X.std(0)
    ref = InMemory(model.loss, (Z, y), value_and_grad=model.value_and_grad)
    p = {"w": np.linspace(1, 2, X.shape[1]), "b": np.array(0.5)}
    assert isinstance(C.standardize, Standardize)
    f, g = C.value_and_grad(p)
    f0, g0 = ref.value_and_grad(p)
    assert abs(f - f0) <= 1e-12 * abs(f0) and _rel(g, g0) <= 1e-12
    held_out = C.with_data(as_dask(X[:100], y[:100]))
    assert held_out.standardize is C.standardize
    assert abs(held_out.value(p) - ref.value(p, np.arange(100))) <= 1e-12 * f0


def test_dask_dataframe_values_are_taken_with_their_lengths(client):
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    X, y = logistic_data(n=200)
    frame = dd.from_pandas(pd.DataFrame(X), npartitions=4)
    labels = dd.from_pandas(pd.Series(y), npartitions=4)
    model = LogisticRegression(X.shape[1])
    C = model_sum(model, (frame, labels), cluster=client, stream=None)
    ref = InMemory(model.loss, (X, y), value_and_grad=model.value_and_grad)
    p = {"w": np.linspace(-1, 1, X.shape[1]), "b": np.array(0.1)}
    assert len(C.layout.blocks) == 4
    assert abs(C.value(p) - ref.value(p)) <= 1e-12 * ref.value(p)
