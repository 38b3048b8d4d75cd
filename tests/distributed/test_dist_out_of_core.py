"""Out-of-core: a memmapped .npy stack twice the workers' memory limit trains, chunk by chunk."""

from __future__ import annotations

import os

import dask
import dask.array as da
import numpy as np
import psutil
import pytest
from _dist_data import ship_by_value

from steepest.distributed import connect, minimize, model_sum
from steepest.distributed.cluster import close
from steepest.train.models import LinearRegression

ship_by_value(__name__)

LIMIT = 400e6  # bytes per worker (a worker alone takes ~210 MB); the data is 2 x 400 MB
ROWS, COLS, CHUNK = 2_000_000, 50, 50_000


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("stack")
    rng = np.random.default_rng(0)  # one random chunk, repeated: cheap to write
    Xc = rng.normal(size=(CHUNK, COLS))
    yc = Xc[:, :3].sum(axis=1) + rng.normal(size=CHUNK)
    X = da.concatenate([da.from_array(Xc, chunks=(CHUNK, COLS))] * (ROWS // CHUNK))
    y = da.concatenate([da.from_array(yc, chunks=CHUNK)] * (ROWS // CHUNK))
    with dask.config.set(scheduler="synchronous"):  # written here, never held whole
        da.to_npy_stack(root / "X", X)
        da.to_npy_stack(root / "y", y)
    return root


@pytest.fixture(scope="module")
def client():
    c, owned = connect(None, n_workers=2, memory_limit=LIMIT, stream=None)
    yield c
    close(c, owned)


@pytest.mark.slow
def test_memmapped_stack_twice_the_memory_limit_trains(client, stack):
    X = da.from_npy_stack(stack / "X", mmap_mode="r")
    y = da.from_npy_stack(stack / "y", mmap_mode="r")
    assert X.nbytes + y.nbytes >= 2 * LIMIT
    pids = client.run(os.getpid)
    model = LinearRegression(COLS)
    C = model_sum(model, (X, y), cluster=client, persist=False, stream=None)
    w = {"w": np.linspace(-1, 1, COLS), "b": np.array(0.5)}
    f, g = C.value_and_grad(w)
    Xm = np.load(stack / "X" / "0.npy", mmap_mode="r")  # chunk 0 checked against NumPy
    ym = np.load(stack / "y" / "0.npy", mmap_mode="r")
    f0, _ = C.batch_value_and_grad(w, (np.asarray(Xm), np.asarray(ym)))
    assert abs(C.value(w, np.arange(CHUNK)) - f0) <= 1e-12 * f0
    res = minimize(C, w, method="lbfgs", options={"maxiter": 1}, progress=False)
    assert res.nit == 1 and res.fun < f
    assert client.run(os.getpid) == pids  # no worker was killed for memory
    rss = client.run(lambda: psutil.Process().memory_info().rss)
    assert max(rss.values()) < LIMIT and np.isfinite(f) and g["w"].shape == (COLS,)
