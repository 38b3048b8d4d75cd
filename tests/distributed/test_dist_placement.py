"""Each chunk's rows of X and y are persisted together: the first evaluation moves no data;
and an evaluation that hangs on one chunk ends at ``eval_timeout`` (on this module's fresh
cluster: the faults module's workers have been killed and restarted by then)."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest
from _dist_data import as_dask, logistic_data, ship_by_value

from distributed import get_task_stream, wait
from steepest._result import Status
from steepest.distributed import FiniteSum, minimize, model_sum
from steepest.train.models import LogisticRegression

ship_by_value(__name__)


def _transferred(client) -> dict[str, list[str]]:
    """Every key each worker has fetched from another one so far."""
    return client.run(lambda dask_worker: [k for entry in dask_worker.transfer_incoming_log
                                           for k in entry["keys"]])


def test_chunks_live_on_one_worker_and_the_first_evaluation_fetches_none(client):
    X, y = logistic_data(n=4000)
    model = LogisticRegression(X.shape[1], l2=1e-3)
    C = model_sum(model, as_dask(X, y, chunks=500), cluster=client, stream=None)
    chunks = list(C.layout.blocks)
    wait(chunks)
    who = client.who_has(chunks)
    assert len(who) == 8 and all(len(holders) == 1 for holders in who.values())
    assert len({h[0] for h in who.values()}) == 2  # spread over both workers
    before = {w: len(keys) for w, keys in _transferred(client).items()}
    with get_task_stream(client) as ts:
        f, g = C.value_and_grad(model.init())
    fetched = {w: keys[before.get(w, 0):] for w, keys in _transferred(client).items()}
    data_keys = {str(k) for k in who}
    assert not [k for keys in fetched.values() for k in keys if str(k) in data_keys]
    ran = {t["key"]: t["worker"] for t in ts.data if str(t["key"]).startswith("chunk-")}
    assert len(ran) == 8
    for key, worker in ran.items():  # chunk-<tag>-<c> ran where rows-<name>-<c> lives
        c = int(str(key).rsplit("-", 1)[1])
        assert who[str(chunks[c].key)] == (worker,)
    assert np.isfinite(f) and g["w"].shape == (X.shape[1],)


def test_hanging_evaluation_stops_at_eval_timeout_with_the_best_point(client, tmp_path):
    """Chunk 3 hangs once the iterate crosses w[0] > 0 (until the test releases it): the run
    ends at eval_timeout with the chunk named and the best point evaluated before."""
    X = logistic_data(n=200)[0]
    y = 2.0 * X[:, 0]
    flag = (np.arange(200) >= 150).astype(float)
    release = str(tmp_path / "release")

    def hangs(w, batch):
        Xb, yb, fb = batch
        deadline = time.monotonic() + 20.0
        while fb.any() and w[0] > 0 and not os.path.exists(release) and (
                time.monotonic() < deadline):
            time.sleep(0.05)
        return np.mean((Xb @ w - yb) ** 2)

    C = FiniteSum(hangs, as_dask(X, y, flag, chunks=50), cluster=client, stream=None,
                  eval_timeout=2.0)
    values = []

    def record(intermediate_result):
        values.append(intermediate_result.fun)

    t0 = time.perf_counter()
    try:
        res = minimize(C, np.array([-1.0, 0.0, 0.0, 0.0]), method="lbfgs", progress=False,
                       callback=record)
    finally:
        open(release, "w").close()
    assert time.perf_counter() - t0 < 15.0
    assert res.status is Status.EVALUATION_FAILED and not res.success
    # chunk 3 hangs; a chunk queued behind it on the same one-thread worker waits with it
    assert res.message.startswith("the evaluation did not finish within eval_timeout=2 s ("), (
        res.message)
    assert "chunk 3 (rows 150..199)" in res.message
    assert res.message.endswith("not finished); a worker may hang (see the dashboard), or pass "
                                "a larger eval_timeout")
    assert res.x[0] <= 0 and np.isfinite(res.fun)
    assert res.fun <= min(values, default=np.inf) and res.fun < C.value(np.array([-1.0, 0, 0, 0]))
    with pytest.raises(ValueError, match="eval_timeout must be a positive"):
        FiniteSum(hangs, as_dask(X, y, flag, chunks=50), cluster=client, eval_timeout=0)
