"""Tour section "Learning": a training run with early stopping (Liquet et al. §4.2, Fig. 4.4).

An over-sized MLP is trained with minibatches of ``n_b = 10`` on a small part of a real data
set (the 8×8 digits scikit-learn ships; a seeded synthetic problem when scikit-learn is
absent). The training loss and the validation error are tracked per epoch; early stopping keeps
the parameters of the epoch with the lowest validation error and ends the run ``patience``
epochs later.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import plot
from ..optimizers import adam
from ..train import EarlyStopping, FitResult, datasets, fit
from ..train.models import MLP
from ..tree import tree_leaves
from .core import FIGURE_SKIPPED

TITLE = "Learning"

N_TRAIN, N_VAL, BATCH, EPOCHS, PATIENCE, SEED = 500, 500, 10, 150, 25, 0


def _synthetic(seed: int) -> tuple[str, tuple, tuple, int]:
    """Two noisy interleaved classes in 10-D (15 % of the labels flipped): easy to overtrain."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N_TRAIN + N_VAL, 10))
    y = (np.sin(2 * X[:, 0]) + X[:, 1] * X[:, 2] > 0).astype(np.int64)
    flip = rng.random(len(y)) < 0.15
    y[flip] = 1 - y[flip]
    return ("a synthetic two-class problem (scikit-learn not installed)",
            (X[:N_TRAIN], y[:N_TRAIN]), (X[N_TRAIN:], y[N_TRAIN:]), 2)


def _data() -> tuple[str, tuple, tuple, int]:
    if not datasets.sklearn_available():
        return _synthetic(SEED)
    ds = datasets.load_dataset("digits", validation=0.5, seed=SEED)
    train = (ds.X_train[:N_TRAIN], ds.y_train[:N_TRAIN])
    val = (ds.X_val[:N_VAL], ds.y_val[:N_VAL])
    return "the 8×8 handwritten digits bundled with scikit-learn", train, val, ds.n_classes


def _optimizer() -> tuple[Any, str]:
    return adam(1e-3), "Adam (α = 10⁻³)"


def _train() -> tuple[FitResult, MLP, dict[str, Any]]:
    source, train, val, k = _data()
    net = MLP([train[0].shape[1], 128, 128, k], activation="tanh")
    optimizer, opt_name = _optimizer()
    result = fit(net.loss, net.init(seed=SEED), train, optimizer, EPOCHS, BATCH,
                 validation=val, metrics={"error": net.error_rate},
                 early_stopping=EarlyStopping(patience=PATIENCE, monitor="val_error"),
                 seed=SEED, progress=False)
    info = {"source": source, "n_train": len(train[1]), "n_val": len(val[1]), "net": net,
            "optimizer": opt_name, "val": val,
            "n_params": sum(np.size(leaf) for leaf in tree_leaves(result.params))}
    return result, net, info


def _figure(ctx: Any, result: FitResult) -> None:
    ax = plot.history(result, title="Early stopping: training loss and validation error per "
                      "epoch", ylabels=("cross-entropy loss", "validation error rate"))
    ctx.figure(ax.figure, "early-stopping", "Training loss and validation error per epoch; the "
               "dashed line marks the epoch whose parameters early stopping keeps (cf. Liquet "
               "et al. Fig. 4.4).")


def _epoch_rows(result: FitResult) -> list[list[Any]]:
    h = result.history
    n = len(h)
    picks = sorted({1, 2, 5, 10, 20, 40, 80, result.best_epoch, n} & set(range(1, n + 1)))
    return [[e, h["loss"][e - 1], h["val_loss"][e - 1], h["val_error"][e - 1],
             "← kept" if e == result.best_epoch else ""] for e in picks]


def run(ctx: Any) -> None:
    """Train with early stopping and report the run (figure when matplotlib is present)."""
    result, net, info = _train()
    kept_error = net.error_rate(result.params, info["val"])
    ctx.text(
        f"Minibatch training (n_b = {BATCH}) of an MLP {list(net.sizes)} ({info['n_params']} "
        f"parameters, tanh) with {info['optimizer']} on {info['n_train']} training and "
        f"{info['n_val']} validation examples of {info['source']}. As in Liquet et al. §4.2, "
        "the loss is only a proxy: the run tracks the validation error rate (one minus the "
        f"accuracy) and `EarlyStopping(patience={PATIENCE}, monitor=\"val_error\")` keeps the "
        "parameters of the best epoch while training goes on for `patience` more epochs."
    )
    ctx.code(
        "result = st.train.fit(net.loss, net.init(seed=0), train, st.optimizers.adam(1e-3),\n"
        f"                      epochs={EPOCHS}, batch_size={BATCH}, validation=val,\n"
        "                      metrics={'error': net.error_rate},\n"
        f"                      early_stopping=EarlyStopping(patience={PATIENCE}, "
        "monitor='val_error'))"
    )
    try:
        _figure(ctx, result)
    except ImportError:
        ctx.text(FIGURE_SKIPPED)
    ctx.table(["epoch", "training loss", "validation loss", "validation error", ""],
              _epoch_rows(result))
    ctx.table(["run", "value"], [
        ["status", result.status.name.lower()], ["epochs run", result.epochs],
        ["optimizer steps", result.steps], ["epoch kept", result.best_epoch],
        ["validation error of the kept parameters", kept_error],
        ["validation error after the last epoch", result.history["val_error"][-1]],
        ["training loss, first → last epoch",
         f"{result.history['loss'][0]:.4g} → {result.history['loss'][-1]:.4g}"],
        ["seconds", f"{sum(result.history['time']):.2f}"],
    ])
    ctx.summary(f"early stopping kept epoch {result.best_epoch} of {result.epochs}: "
                f"validation error {kept_error:.3f} (last epoch "
                f"{result.history['val_error'][-1]:.3f})")
