"""Bad arguments to ``fit`` and the finite-sum tools: one row per case, in
``tests/_bad_input.py``'s format (damaged checkpoints are in ``test_checkpoint_damage.py``)."""

from __future__ import annotations

import numpy as np

import steepest.optimizers as so
from _bad_input import assert_clear_error, case, parametrize
from steepest import train as tr

RNG = np.random.default_rng(0)
X = RNG.standard_normal((8, 2))
Y = X @ np.array([1.0, 2.0])
DATA = (X, Y)
P0 = np.zeros(2)


def loss(p, batch):
    xb, yb = batch
    return np.mean((xb @ p - yb) ** 2)


def fit(**kw):
    args = dict(loss=loss, params=P0, data=DATA, optimizer=so.sgd(0.1), epochs=2,
                batch_size=4, progress=False)
    return lambda: tr.fit(**{**args, **kw})


CASES = [
    case("epochs negative", fit(epochs=-1), ValueError, "epochs must be a non-negative integer",
         "got -1"),
    case("epochs fractional", fit(epochs=2.5), ValueError, "epochs must be a non-negative"),
    case("epochs a str", fit(epochs="3"), ValueError, "epochs must be a non-negative integer"),
    case("batch_size 0", fit(batch_size=0), ValueError, "batch_size must be a positive integer",
         "batch_size=n for full-batch"),
    case("batch_size fractional", fit(batch_size=2.5), ValueError,
         "batch_size must be a positive integer"),
    case("loss None", fit(loss=None), TypeError, "loss must be callable as loss(params, batch)"),
    case("optimizer a str", fit(optimizer="adam"), TypeError,
         "optimizer must provide init(params) and update", "adam(1e-3)"),
    case("callbacks holding an int", fit(callbacks=[3]), TypeError,
         "callbacks[0] must be callable", "pass functions"),
    case("callbacks a bare function", fit(callbacks=lambda end: None), TypeError,
         "callbacks must be a list of callables", "callbacks=[f]"),
    case("callbacks a str", fit(callbacks="print"), TypeError,
         "callbacks must be a list of callables"),
    case("seed a str", fit(seed="a"), TypeError, "seed must be an int >= 0", "seed=0"),
    case("seed negative", fit(seed=-1), ValueError, "seed must be >= 0"),
    case("params a str", fit(params="abc"), TypeError, "params must hold real floating arrays",
         "cast it first"),
    case("params an int array", fit(params=np.array([1, 2])), TypeError,
         "params must hold real floating arrays", "dtype int64"),
    case("params with a complex leaf", fit(params={"w": np.zeros(2, complex)}), TypeError,
         "complex128", "real and imaginary parts as separate real leaves"),
    case("validation features only", fit(validation=X), ValueError,
         "validation must have the structure of data", "validation=(X_val, y_val)"),
    case("data of unequal lengths", fit(data=(X, Y[:5])), ValueError,
         "different leading lengths [5, 8]", "one row per example"),
    case("data empty", fit(data=(X[:0], Y[:0])), ValueError, "n must be a positive integer"),
    case("data None", fit(data=None), ValueError, "data has no arrays", "such as (X, y)"),
    case("data a str", fit(data="abc"), ValueError, "needs a leading example axis",
         "Reshape it to (n, ...)"),
    case("divergence negative", fit(divergence=-1), ValueError,
         "divergence must be a finite number > 0", "divergence=1e3, or None"),
    case("divergence below 1", fit(divergence=0.5), ValueError, "divergence must be > 1",
         "or None to disable"),
    case("monitor misspelt", fit(monitor="los"), ValueError, "cannot monitor 'los'",
         "the history will hold ['loss']"),
    case("early stopping monitor misspelt", fit(validation=DATA, early_stopping=tr.EarlyStopping(
        monitor="val_los")), ValueError, "cannot monitor 'val_los'", "'val_loss'"),
    case("metric not callable", fit(metrics={"acc": 3}), TypeError,
         "metric 'acc' must be callable as metric(params, batch)"),
    case("value_and_grad not callable", fit(value_and_grad=3), TypeError,
         "value_and_grad must be callable as value_and_grad(params, batch)"),
    case("resume from a missing file", fit(resume="/nonexistent/ck.npz"), FileNotFoundError,
         "no checkpoint at /nonexistent/ck.npz", "check the path given to resume="),
    case("resume=True without a checkpoint", fit(resume=True), ValueError,
         "resume=True continues from checkpoint", "pass a checkpoint path"),
    case("EarlyStopping patience negative", lambda: tr.EarlyStopping(patience=-1), ValueError,
         "patience must be an integer >= 1"),
    case("EarlyStopping patience fractional", lambda: tr.EarlyStopping(patience=2.5),
         ValueError, "patience must be an integer >= 1"),
    case("EarlyStopping min_delta negative", lambda: tr.EarlyStopping(min_delta=-1), ValueError,
         "min_delta must be >= 0"),
    case("EarlyStopping mode misspelt", lambda: tr.EarlyStopping(mode="minimum"), ValueError,
         "mode must be 'auto', 'min' or 'max'"),
    case("minibatches batch_size 0", lambda: list(tr.minibatches(DATA, 0)), ValueError,
         "batch_size must be a positive integer"),
    case("minibatches seed a str", lambda: list(tr.minibatches(DATA, 2, seed="a")), TypeError,
         "seed must be an int >= 0"),
    case("BatchSampler batch_size 0", lambda: tr.BatchSampler(8, 0), ValueError,
         "batch_size must be a positive integer"),
    case("num_examples of unequal lengths", lambda: tr.num_examples((X, Y[:3])), ValueError,
         "different leading lengths"),
    case("FiniteSum loss None", lambda: tr.FiniteSum(None, DATA), TypeError,
         "loss must be callable"),
    case("FiniteSum value_and_grad not callable", lambda: tr.FiniteSum(
        loss, DATA, value_and_grad=3), TypeError, "value_and_grad must be callable"),
    case("load_checkpoint of a missing file", lambda: tr.load_checkpoint("/nonexistent.npz"),
         FileNotFoundError, "no checkpoint at /nonexistent.npz"),
    case("loss returning None", fit(loss=lambda p, b: None), TypeError, "loss returned None",
         "must return the batch's mean loss", "return"),
    case("loss returning a vector", fit(loss=lambda p, b: (b[0] @ p - b[1]) ** 2), ValueError,
         "loss returned an array of shape (8,)", "np.mean", "per_example=True"),
    case("epochs nan", fit(epochs=float("nan")), ValueError,
         "epochs must be a non-negative integer", "epochs=10"),
    case("epochs inf", fit(epochs=float("inf")), ValueError,
         "epochs must be a non-negative integer", "epochs=10"),
    case("checkpoint an int", fit(checkpoint=3), TypeError, "checkpoint must be named by a path",
         "checkpoint='runs/ck'"),
    case("stream an int", fit(stream=3, progress=True), TypeError,
         "stream must be a writable text stream", "io.StringIO()"),
    case("metrics an int", fit(metrics=3), TypeError, "metrics must be a dict",
         "metrics=[accuracy]"),
    case("metrics a bare function", fit(metrics=lambda p, b: 0.0), TypeError,
         "metrics must be a dict", "metrics=[accuracy]"),
]


@parametrize(CASES)
def test_bad_input_is_rejected_clearly(row):
    assert_clear_error(row.call, row.exc, *row.needles)


def test_callbacks_tuple_and_numpy_seed_still_run():
    seen = []
    res = tr.fit(loss, P0, DATA, so.sgd(0.1), 2, batch_size=4, progress=False,
                 callbacks=(seen.append,), seed=np.int64(3))
    assert len(seen) == 2 and res.epochs == 2
