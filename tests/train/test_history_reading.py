"""A training result reads well: summary, history columns and DataFrame."""

import numpy as np
import pandas as pd

from steepest.optimizers import sgd
from steepest.train import fit


def _run(epochs=8):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(32, 2))
    y = X @ np.array([1.0, -1.0])
    return fit(lambda w, b: np.mean((b[0] @ w - b[1]) ** 2), np.zeros(2), (X, y), sgd(0.05),
               epochs=epochs, batch_size=8, validation=(X[:8], y[:8]), progress=False)


def test_fit_summary_has_best_epoch_last_values_and_abbreviated_history():
    res = _run()
    text = repr(res)
    assert text.splitlines()[0].startswith("FitResult(status=SUCCESS, epochs=8")
    assert f"val_loss={res.best_value:.6g}" in text
    last = f"val_loss {res.history['val_loss'][-1]:.6g}"
    assert last in text and "history (8 epochs):" in text
    history_lines = text.split("history (8 epochs):")[1].strip().splitlines()
    assert len(history_lines) == 1 + 3 + 1 + 3  # header, first 3, ..., last 3
    assert "<table>" in res._repr_html_()


def test_history_frame_matches_the_records():
    res = _run(4)
    frame = res.history.to_frame()
    assert isinstance(frame, pd.DataFrame) and frame.index.name == "epoch"
    assert frame.index.tolist() == [1, 2, 3, 4]
    assert frame["val_loss"].tolist() == res.history["val_loss"]
    h = res.history
    assert repr(h) == (f"History(4 epochs: loss {h['loss'][0]:.6g} -> {h['loss'][-1]:.6g}, "
                       f"val_loss {h['val_loss'][0]:.6g} -> {h['val_loss'][-1]:.6g})")
    assert h._repr_html_().count("<tr>") == 1 + 4
