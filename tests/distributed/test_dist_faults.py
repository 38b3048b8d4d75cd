"""Faults: a SIGKILLed worker is survived with the same answer; unrecoverable loss is a result."""

from __future__ import annotations

import os
import re
import signal
import threading
import time

import dask.array as da
import numpy as np
import pytest
from _dist_data import as_dask, logistic_data, ship_by_value

from steepest._result import Status
from steepest.distributed import EvaluationError, FiniteSum, minimize, model_sum
from steepest.train.models import LogisticRegression

ship_by_value(__name__)



def _kill_one_worker(client) -> int:
    """SIGKILL the worker process holding the most data (its nanny starts a new one)."""
    held = client.has_what()
    address = max(held, key=lambda a: len(held[a]))
    pid = client.run(os.getpid, workers=[address])[address]
    os.kill(pid, signal.SIGKILL)
    return pid


def test_killed_worker_mid_run_gives_the_same_answer(client):
    X, y = logistic_data(n=240)
    model = LogisticRegression(X.shape[1], l2=1e-3)
    C = model_sum(model, as_dask(X, y, chunks=40), cluster=client, stream=None)
    clean = minimize(C, model.init(), method="lbfgs", tol=1e-7, progress=False)
    killed = []

    def kill_at_third(intermediate_result):
        if intermediate_result.nit == 3:
            killed.append(_kill_one_worker(client))

    res = minimize(C, model.init(), method="lbfgs", tol=1e-7, progress=False,
                   callback=kill_at_third)
    assert killed and res.success, res.message
    # the sums are fixed-order, so the recomputed chunks give the very same iterates
    assert np.array_equal(res.x["w"], clean.x["w"]) and res.nit == clean.nit


def test_unrecoverable_loss_is_a_failed_result_with_the_best_point(client):
    Xn, yn = logistic_data(n=200)
    parts = [(client.scatter(Xn[k:k + 100]), client.scatter(yn[k:k + 100])) for k in (0, 100)]
    X = da.concatenate([da.from_delayed(fx, (100, Xn.shape[1]), float) for fx, _ in parts])
    y = da.concatenate([da.from_delayed(fy, (100,), float) for _, fy in parts])
    model = LogisticRegression(Xn.shape[1])
    C = model_sum(model, (X, y), cluster=client, stream=None)
    values = []

    def kill_all_at_second(intermediate_result):
        values.append(intermediate_result.fun)
        if intermediate_result.nit == 2:
            for pid in client.run(os.getpid).values():
                os.kill(pid, signal.SIGKILL)
            client.wait_for_workers(2, timeout=30)

    res = minimize(C, model.init(), method="lbfgs", progress=False, callback=kill_all_at_second)
    assert not res.success and res.status is Status.EVALUATION_FAILED
    assert re.search(r"lost data it could not recompute: chunk [01] \(rows (0\.\.99|100\.\.199)\)",
                     res.message), res.message
    assert res.fun == min(values) and np.isfinite(res.fun) and res.nit == 2
    with pytest.raises(EvaluationError, match="client.scatter"):
        C.value(res.x)


def test_loss_failing_on_a_worker_is_a_failed_result(client):
    X = logistic_data(n=200)[0]
    y = 2.0 * X[:, 0]  # the least-squares answer has w[0] = 2 > 0
    flag = (np.arange(200) >= 150).astype(float)  # chunk 3 (rows 150..199) is fragile

    def fragile(w, batch):
        Xb, yb, fb = batch
        if fb.any() and w[0] > 0:
            raise ArithmeticError("overflow guard")
        return np.mean((Xb @ w - yb) ** 2)

    C = FiniteSum(fragile, as_dask(X, y, flag, chunks=50), cluster=client, stream=None)
    res = minimize(C, np.array([-1.0, 0.0, 0.0, 0.0]), method="lbfgs", progress=False)
    assert res.status is Status.EVALUATION_FAILED and not res.success
    assert "the loss failed on chunk 3 (rows 150..199): ArithmeticError" in res.message
    assert res.x[0] <= 0 and np.isfinite(res.fun) and res.fun < C.value(np.array([-1.0, 0, 0, 0]))


def _slow_mse(w, batch):
    time.sleep(0.2)  # long enough for the kill to land while the chunk tasks run
    return np.mean((batch[0] @ w - batch[1]) ** 2)


def test_worker_killed_during_an_evaluation_gives_the_same_sums(client):
    X, y = logistic_data(n=160)
    C = FiniteSum(_slow_mse, as_dask(X, y, chunks=40), cluster=client, stream=None)
    w = np.linspace(-1.0, 1.0, X.shape[1])
    clean = C.sums(w)[0]
    killer = threading.Timer(0.1, _kill_one_worker, args=(client,))  # mid-evaluation
    killer.start()
    during = C.sums(w)[0]
    killer.join()
    assert np.array_equal(during, clean)

