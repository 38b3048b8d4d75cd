"""steepest.train.fit on a distributed finite sum: synchronous data-parallel minibatches."""

from __future__ import annotations

import numpy as np
from _dist_data import as_dask, logistic_data, multiclass_data, ship_by_value

from steepest.distributed import FiniteSum, model_sum
from steepest.optimizers import adam, sgd
from steepest.train import EarlyStopping, fit
from steepest.train.models import MLP, LogisticRegression

ship_by_value(__name__)



def test_fit_takes_the_in_memory_path(client):
    """Same seed, same minibatches: the distributed run follows the in-memory one."""
    X, y = logistic_data(n=300)
    model = LogisticRegression(X.shape[1], l2=1e-3)
    C = model_sum(model, as_dask(X, y, chunks=64), cluster=client, stream=None)
    kw = dict(epochs=2, batch_size=100, seed=4, progress=False)
    dist = fit(C, model.init(), None, sgd(0.5), **kw)
    mem = fit(model.loss, model.init(), (X, y), sgd(0.5), value_and_grad=model.value_and_grad,
              **kw)
    assert dist.status.name == "SUCCESS" and dist.steps == 6
    assert np.allclose(dist.params["w"], mem.params["w"], rtol=1e-11, atol=1e-13)
    assert np.allclose(dist.history["loss"], mem.history["loss"], rtol=1e-11)


def test_mlp_with_adam_and_early_stopping_on_held_out_dask_data(client):
    X, y = multiclass_data(n=400)
    mlp = MLP((3, 4, 3))
    train = FiniteSum(mlp.loss, as_dask(X[:300], y[:300], chunks=100), cluster=client,
                      stream=None)
    held = as_dask(X[300:], y[300:], chunks=50)
    res = fit(train, mlp.init(seed=0), None, adam(0.05), epochs=6, batch_size=150,
              validation=held, early_stopping=EarlyStopping(patience=2), progress=False)
    mem = fit(mlp.loss, mlp.init(seed=0), (X[:300], y[:300]), adam(0.05), epochs=6,
              batch_size=150, validation=(X[300:], y[300:]),
              early_stopping=EarlyStopping(patience=2), progress=False)
    assert np.allclose(res.history["val_loss"], mem.history["val_loss"], rtol=1e-10)
    assert res.history["val_loss"][-1] < res.history["val_loss"][0]
