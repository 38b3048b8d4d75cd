"""history: the curves are the history's columns; the kept epoch is marked where it is."""

from __future__ import annotations

import numpy as np
import pytest

from steepest.optimizers import sgd
from steepest.plot import history
from steepest.train import EarlyStopping, fit


def _run(**kwargs):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.5 * rng.standard_normal(60)

    def loss(w, batch):
        return np.mean((batch[0] @ w - batch[1]) ** 2)

    def error(w, batch):
        return np.mean(np.abs(batch[0] @ w - batch[1]) > 0.5)

    return fit(loss, np.zeros(3), (X[:40], y[:40]), sgd(0.05), epochs=30, batch_size=8,
               validation=(X[40:], y[40:]), metrics={"error": error}, seed=0, progress=False,
               **kwargs)


@pytest.fixture(scope="module")
def result():
    return _run(early_stopping=EarlyStopping(patience=3, monitor="val_error"))


def test_losses_left_metric_right_best_epoch_marked(result):
    h = result.history
    ax = history(result, title="run")
    train, val, vline = ax.get_lines()
    assert np.array_equal(train.get_xdata(), h["epoch"])
    assert np.array_equal(train.get_ydata(), h["loss"])
    assert np.array_equal(val.get_ydata(), h["val_loss"])
    assert ax.get_yscale() == "log" and ax.get_title() == "run"
    assert np.all(np.asarray(vline.get_xdata()) == result.best_epoch)
    twin = ax.figure.axes[-1]
    (metric,) = twin.get_lines()
    assert np.array_equal(metric.get_ydata(), h["val_error"])
    assert metric.get_label() == "validation error" and twin.get_ylabel() == "val error"
    (note,) = twin.texts
    assert note.get_text() == f"epoch {result.best_epoch} kept"
    assert note.xy == (result.best_epoch, result.best_value)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "training loss", "validation loss", "validation error"]


def test_labels_linear_scale_and_no_metric():
    res = _run()
    ax = history(res, log=False, ylabels=("mse", "share"), metric="val_error")
    assert ax.get_yscale() == "linear" and ax.get_ylabel() == "mse"
    assert ax.figure.axes[-1].get_ylabel() == "share"


def test_bad_input_is_named(result):
    with pytest.raises(TypeError, match="FitResult"):
        history({"loss": [1.0]})
    with pytest.raises(ValueError, match="recorded keys"):
        history(result, metric="val_accuracy")
