"""Bad inputs get a clear error naming the fix, before any work reaches the cluster."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest
from _dist_data import as_dask, logistic_data, multiclass_data, ship_by_value

from steepest.distributed import FiniteSum, connect, minimize, model_sum
from steepest.distributed.cluster import close
from steepest.distributed.kernels import linear_model_kernel
from steepest.train.models import LogisticRegression, SoftmaxRegression

ship_by_value(__name__)

@pytest.fixture(scope="module")
def client():
    c, owned = connect(None, n_workers=1, memory_limit="1GB", stream=None)
    yield c
    close(c, owned)


def _mse(w, b):
    return np.mean((b[0] @ w - b[1]) ** 2)


def _chunk_tasks_seen(client) -> bool:
    """Whether the scheduler ever saw a chunk task of a finite sum."""
    return client.run_on_scheduler(
        lambda dask_scheduler: "chunk" in dask_scheduler.task_prefixes)


def test_column_chunks():
    X = da.ones((10, 4), chunks=(5, 2))
    with pytest.raises(ValueError, match=r"chunked along axis 1.*rechunk\(\{1: -1\}\)"):
        FiniteSum(_mse, (X, da.ones(10, chunks=5)), cluster="tcp://0.0.0.0:1")


def test_unknown_chunk_sizes():
    x = da.from_array(np.arange(10.0), chunks=5)
    X = da.ones((10, 2), chunks=(5, 2))[x > 3]
    with pytest.raises(ValueError, match="unknown chunk sizes.*compute_chunk_sizes"):
        FiniteSum(_mse, (X, x[x > 3]), cluster="tcp://0.0.0.0:1")


def test_mismatched_chunks_and_lengths():
    X = da.ones((10, 2), chunks=(5, 2))
    with pytest.raises(ValueError, match=r"chunked by rows as \(4, 4, 2\).*rechunk"):
        FiniteSum(_mse, (X, da.ones(10, chunks=4)), cluster="tcp://0.0.0.0:1")
    with pytest.raises(ValueError, match="has 9 rows but data leaf 0 has 10"):
        FiniteSum(_mse, (X, da.ones(9, chunks=5)), cluster="tcp://0.0.0.0:1")


def test_not_dask_data():
    with pytest.raises(TypeError, match="not a dask array.*from_array.*train.FiniteSum"):
        FiniteSum(_mse, (np.ones((4, 2)), np.ones(4)), cluster="tcp://0.0.0.0:1")


def test_dead_scheduler_address():
    X, y = as_dask(*logistic_data(n=20), chunks=10)  # checked first: the address is refused
    with pytest.raises(ConnectionError, match=r"no Dask scheduler answered at 'tcp://127\.0"
                                              r"\.0\.1:9' within 1 s.*cluster=None"):
        connect("tcp://127.0.0.1:9", timeout=1, stream=None)
    with pytest.raises(ValueError, match="is not a scheduler address"):
        FiniteSum(_mse, (X, y), cluster="my laptop")


def test_labels_out_of_range(client):
    X, y = multiclass_data(n=60)
    with pytest.raises(ValueError, match=r"integers 0\.\.1 .*found values in \[0, 2\]"):
        model_sum(SoftmaxRegression(3, n_classes=2), as_dask(X, y, chunks=20),
                  cluster=client, stream=None)
    with pytest.raises(ValueError, match=r"0 or 1 .*\(not all integers\)"):
        model_sum(LogisticRegression(3), as_dask(X, y * 0.5, chunks=20), cluster=client,
                  stream=None)


def test_non_scalar_loss_fails_before_submission(client):
    X, y = as_dask(*logistic_data(n=60), chunks=20)
    C = FiniteSum(lambda w, b: (b[0] @ w - b[1]) ** 2, (X, y), cluster=client, stream=None)
    with pytest.raises(ValueError, match=r"shape \(2,\).*per_example=True.*first 2 rows"):
        C.value(np.zeros(4))
    assert not _chunk_tasks_seen(client)  # nothing was sent
    with pytest.raises(ValueError, match="per_example=True"):
        minimize(C, np.zeros(4), progress=False)


def test_kernel_needs_x_and_y_and_a_positive_timeout():
    X = da.ones((10, 2), chunks=(5, 2))
    y = da.ones(10, chunks=5)
    kernel = linear_model_kernel(LogisticRegression(2))
    with pytest.raises(ValueError, match=r"kernel works on data=\(X, y\), got 3 data leaves"):
        FiniteSum(_mse, (X, y, y), kernel=kernel, cluster="tcp://0.0.0.0:1")
    with pytest.raises(ValueError, match="eval_timeout must be a positive number of seconds"):
        FiniteSum(_mse, (X, y), eval_timeout=-1.0, cluster="tcp://0.0.0.0:1")
