import importlib.util
import io
from typing import NamedTuple

import numpy as np
import pytest

import steepest.train
import steepest.train.loop
from steepest import Status
from steepest.train import EarlyStopping, fit
from steepest.tree import tree_map

from ._losses import mse
from ._losses import mse_value_and_grad as mse_vg


class Optimizer(NamedTuple):  # the steepest.optimizers interface, written out for the tests
    init: object
    update: object


def sgd(lr):
    return Optimizer(lambda p: (), lambda g, s, p=None: (tree_map(lambda x: -lr * x, g), s))


class MomentumState(NamedTuple):
    velocity: object
    count: int


def momentum(lr, beta=0.9):
    def init(params):
        return MomentumState(tree_map(np.zeros_like, params), 0)

    def update(g, state, params=None):
        v = tree_map(lambda v, g: beta * v + g, state.velocity, g)
        return tree_map(lambda v: -lr * v, v), MomentumState(v, state.count + 1)

    return Optimizer(init, update)


def regression(n=64, d=3, seed=0, noise=0.1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = np.arange(1.0, d + 1)
    return X, X @ w + noise * rng.normal(size=n)


def test_full_batch_fit_reaches_the_least_squares_solution():
    X, y = regression()
    res = fit(mse, np.zeros(3), (X, y), sgd(0.2), epochs=300, batch_size=len(y),
              value_and_grad=mse_vg, progress=False)
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    assert res.status is Status.SUCCESS and res.success
    assert np.allclose(res.params, w_ls, atol=1e-10)
    assert res.steps == 300 and res.epochs == 300
    loss = res.history["loss"]
    assert all(b <= a + 1e-15 for a, b in zip(loss, loss[1:]))  # GD on a quadratic decreases


def test_minibatch_fit_records_history_and_metrics():
    X, y = regression(seed=1)
    Xv, yv = regression(n=32, seed=2)
    res = fit(mse, np.zeros(3), (X, y), momentum(0.02), epochs=12, batch_size=10,
              validation=(Xv, yv), metrics={"mae": lambda w, b: np.mean(np.abs(b[0] @ w - b[1]))},
              value_and_grad=mse_vg, progress=False)
    h = res.history
    assert set(h.keys()) == {"epoch", "loss", "val_loss", "val_mae", "time"}
    assert h["epoch"] == list(range(1, 13)) and len(h) == 12
    assert all(t > 0 for t in h["time"])
    assert res.steps == 12 * 7  # ceil(64/10) batches per epoch
    for k, w in [(res.best_epoch, res.best_params)]:
        assert h["val_loss"][k - 1] == pytest.approx(mse(w, (Xv, yv)), rel=1e-12)
        assert h["val_loss"][k - 1] == min(h["val_loss"])
    assert h["val_mae"][-1] == pytest.approx(np.mean(np.abs(Xv @ res.last_params - yv)))
    assert h["val_loss"][-1] < 0.1 * h["val_loss"][0]


def test_metrics_on_training_data_without_validation():
    X, y = regression()

    def rmse(w, b):
        return float(np.sqrt(mse(w, b)))

    res = fit(mse, np.zeros(3), (X, y), sgd(0.1), 3, 16, metrics=[rmse],
              value_and_grad=mse_vg, progress=False)
    assert res.history["rmse"][-1] == pytest.approx(np.sqrt(mse(res.params, (X, y))))
    assert res.monitor == "loss"


def _overshoot_problem():
    """Training moves w from 0 to w_train=2; validation is best at w=1, so val loss
    first falls, then rises: early stopping must pick the epoch closest to w=1."""
    X = np.ones((8, 1))
    return (X, 2.0 * np.ones(8)), (np.ones((4, 1)), np.ones(4))


@pytest.mark.parametrize("patience", [1, 3])
def test_early_stopping_restores_the_best_epoch(patience):
    train, val = _overshoot_problem()
    kw = dict(value_and_grad=mse_vg, progress=False, validation=val)
    res = fit(mse, np.zeros(1), train, sgd(0.05), 100, 4,
              early_stopping=EarlyStopping(patience=patience), **kw)
    vl = res.history["val_loss"]
    assert res.status is Status.EARLY_STOPPED
    assert res.best_epoch == int(np.argmin(vl)) + 1
    assert res.epochs == res.best_epoch + patience  # stopped after `patience` bad epochs
    assert all(v >= vl[res.best_epoch - 1] for v in vl[res.best_epoch:])
    # the restored params are exactly those of an uninterrupted run stopped at best_epoch
    ref = fit(mse, np.zeros(1), train, sgd(0.05), res.best_epoch, 4, **kw)
    assert np.array_equal(res.params, ref.params)
    assert not np.array_equal(res.last_params, res.params)
    keep_last = fit(mse, np.zeros(1), train, sgd(0.05), 100, 4,
                    early_stopping=EarlyStopping(patience=patience, restore_best=False), **kw)
    assert np.array_equal(keep_last.params, res.last_params)


def test_min_delta_and_mode_for_accuracy_like_metrics():
    train, val = _overshoot_problem()
    acc = {"acc": lambda w, b: -float(mse(w, b))}  # larger is better, picked by mode="auto"
    res = fit(mse, np.zeros(1), train, sgd(0.05), 100, 4, validation=val, metrics=acc,
              early_stopping=EarlyStopping(patience=2, monitor="val_acc"),
              value_and_grad=mse_vg, progress=False)
    assert res.best_epoch == int(np.argmax(res.history["val_acc"])) + 1
    coarse = fit(mse, np.zeros(1), train, sgd(0.05), 100, 4, validation=val,
                 early_stopping=EarlyStopping(patience=2, min_delta=0.5),
                 value_and_grad=mse_vg, progress=False)
    assert coarse.epochs < res.epochs  # improvements smaller than min_delta do not count


def test_non_finite_loss_stops_and_keeps_the_best_finite_params():
    X, y = regression()
    calls = {"n": 0}

    def flaky(w, batch):
        calls["n"] += 1
        value, g = mse_vg(w, batch)
        return (np.nan if calls["n"] == 13 else value), g

    res = fit(mse, np.zeros(3), (X, y), sgd(0.05), 10, 16, value_and_grad=flaky,
              progress=False)
    assert res.status is Status.NON_FINITE and not res.success
    assert "non-finite loss" in res.message and "epoch 4" in res.message
    assert res.epochs == 3 and len(res.history) == 3 and res.steps == 12
    assert np.array_equal(res.params, res.best_params) and res.best_epoch == 3
    ref = fit(mse, np.zeros(3), (X, y), sgd(0.05), 3, 16, value_and_grad=mse_vg, progress=False)
    assert np.array_equal(res.params, ref.params)


def test_divergence_is_reported_not_raised():
    X, y = regression()
    res = fit(mse, np.zeros(3), (X, y), sgd(50.0), 200, 64, value_and_grad=mse_vg,
              progress=False, divergence=None)
    assert res.status is Status.NON_FINITE and not res.success
    assert np.all(np.isfinite(res.params)) and "non-finite loss" in res.message
    assert res.best_epoch == int(np.argmin(res.history["loss"])) + 1
    # the parameters returned are the best on the full training loss among the start and the
    # epoch ends, as a run stopped there gives (issue 14 #2: here the start, epoch 0)
    ends = [fit(mse, np.zeros(3), (X, y), sgd(50.0), k, 64, value_and_grad=mse_vg,
                progress=False, divergence=None).params for k in range(res.epochs + 1)]
    best = int(np.argmin([mse(w, (X, y)) for w in ends]))
    assert np.array_equal(res.params, ends[best])
    # with the default divergence threshold the run stops as DIVERGED, with the same params
    default = fit(mse, np.zeros(3), (X, y), sgd(50.0), 200, 64, value_and_grad=mse_vg,
                  progress=False)
    assert default.status is Status.DIVERGED and not default.success
    assert np.array_equal(default.params, ends[best])


def test_callback_can_stop_training():
    X, y = regression()
    seen = []

    def cb(event):
        seen.append((event.epoch, event.logs["loss"]))
        if event.epoch == 4:
            event.stop("enough")

    res = fit(mse, np.zeros(3), (X, y), sgd(0.05), 10, 16, value_and_grad=mse_vg,
              callbacks=[cb], progress=False)
    assert res.status is Status.STOPPED_BY_CALLBACK and res.message == "enough"
    assert [e for e, _ in seen] == [1, 2, 3, 4] and res.epochs == 4


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_is_silent_off_terminal_unless_asked():
    X, y = regression()
    kw = dict(value_and_grad=mse_vg, epochs=3, batch_size=16)
    quiet = io.StringIO()
    fit(mse, np.zeros(3), (X, y), sgd(0.05), stream=quiet, **kw)
    assert quiet.getvalue() == ""
    forced = io.StringIO()
    fit(mse, np.zeros(3), (X, y), sgd(0.05), stream=forced, progress=True, **kw)
    lines = forced.getvalue().splitlines()
    assert len(lines) == 3 and lines[0].startswith("epoch 1/3") and "loss" in lines[0]
    assert "\r" not in forced.getvalue()
    tty = _Tty()
    fit(mse, np.zeros(3), (X, y), sgd(0.05), stream=tty, **kw)
    assert "\repoch 3/3" in tty.getvalue()
    off = _Tty()
    fit(mse, np.zeros(3), (X, y), sgd(0.05), stream=off, progress=False, **kw)
    assert off.getvalue() == ""


def test_bad_arguments_name_the_fix():
    X, y = regression()
    with pytest.raises(TypeError, match="init"):
        fit(mse, np.zeros(3), (X, y), object(), 1)
    with pytest.raises(ValueError, match="epochs"):
        fit(mse, np.zeros(3), (X, y), sgd(0.1), -1)
    with pytest.raises(ValueError, match="validation="):
        fit(mse, np.zeros(3), (X, y), sgd(0.1), 1, early_stopping=EarlyStopping())
    with pytest.raises(ValueError, match="patience"):
        EarlyStopping(patience=0)
    with pytest.raises(ValueError, match="mode"):
        EarlyStopping(mode="up")


def test_a_finite_sum_can_be_passed_as_the_loss():
    from steepest.train import FiniteSum

    X, y = regression()
    objective = FiniteSum(mse, (X, y), value_and_grad=mse_vg)
    a = fit(objective, np.zeros(3), None, sgd(0.05), 4, 16, progress=False)
    b = fit(mse, np.zeros(3), (X, y), sgd(0.05), 4, 16, value_and_grad=mse_vg, progress=False)
    assert np.array_equal(a.params, b.params) and a.history["loss"] == b.history["loss"]
    with pytest.raises(ValueError, match="data=None"):
        fit(objective, np.zeros(3), (X, y), sgd(0.05), 1)


def test_sampling_options_reach_the_loop():
    X, y = regression(n=30)
    kw = dict(value_and_grad=mse_vg, progress=False)
    dropped = fit(mse, np.zeros(3), (X, y), sgd(0.05), 2, 8, drop_last=True, **kw)
    assert dropped.steps == 2 * 3
    iid = fit(mse, np.zeros(3), (X, y), sgd(0.05), 2, 8, replacement=True, **kw)
    assert iid.steps == 2 * 4 and not np.array_equal(iid.params, dropped.params)
    per_ex = fit(lambda w, b: (b[0] @ w - b[1]) ** 2, np.zeros(3), (X, y), sgd(0.05), 2, 8,
                 per_example=True, **kw)
    plain = fit(mse, np.zeros(3), (X, y), sgd(0.05), 2, 8, **kw)
    assert np.allclose(per_ex.params, plain.params, rtol=1e-14)
    assert per_ex.history["loss"] == pytest.approx(plain.history["loss"], rel=1e-14)


def test_fit_differentiates_the_loss_with_autodiff_by_default():
    X, y = regression()
    Xv, yv = regression(n=20, seed=3)
    ad = fit(mse, np.zeros(3), (X, y), momentum(0.02), 5, 16, validation=(Xv, yv),
             progress=False)
    hand = fit(mse, np.zeros(3), (X, y), momentum(0.02), 5, 16, validation=(Xv, yv),
               value_and_grad=mse_vg, progress=False)
    assert np.allclose(ad.params, hand.params, rtol=1e-12)
    assert ad.history["val_loss"] == pytest.approx(hand.history["val_loss"], rel=1e-12)


def test_statuses_are_the_one_family_and_success_means_usable_params():
    X, y = regression()

    def stop(event):
        event.stop()

    done = fit(mse, np.zeros(3), (X, y), sgd(0.05), 2, 16, value_and_grad=mse_vg, progress=False)
    stopped = fit(mse, np.zeros(3), (X, y), sgd(0.05), 5, 16, value_and_grad=mse_vg,
                  callbacks=[stop], progress=False)
    assert done.status == 0 and done.status is Status.SUCCESS and done.success
    assert stopped.status == 99 and stopped.success and stopped.epochs == 1
    assert "status=SUCCESS" in repr(done)


def test_fit_is_the_function_and_no_module_shadows_it():
    assert steepest.train.fit is steepest.train.loop.fit and callable(steepest.train.fit)
    assert importlib.util.find_spec("steepest.train.fit") is None
