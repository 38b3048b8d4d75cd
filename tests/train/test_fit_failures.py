"""Regression tests of issue 14: training never loses or misreports work (defects 2, 3, 5, 10)."""

import numpy as np
import pytest

from steepest import Status
from steepest.optimizers import apply_if_finite, nesterov, sgd
from steepest.train import fit

from ._losses import mse
from ._losses import mse_value_and_grad as mse_vg


def regression(n=64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=n)


def full_loss(w, data):
    return float(mse(w, data))


def stable_step(X):
    """2 / L for the mean-squared loss: L = 2 λ_max(XᵀX / n)."""
    return 2.0 / (2.0 * np.linalg.eigvalsh(X.T @ X / len(X)).max())


def test_after_a_non_finite_loss_the_params_are_never_worse_than_the_start():
    # defect 2: minibatch SGD that blows up from the first step returned a point whose loss was
    # 10^7 x the start: the start was never a candidate
    data = regression()
    w0 = np.array([1.0, -2.0, 0.5])  # already near the optimum
    res = fit(mse, w0, data, sgd(5 * stable_step(data[0])), 50, 8, value_and_grad=mse_vg,
              progress=False)
    assert res.status in (Status.NON_FINITE, Status.DIVERGED) and not res.success
    assert np.all(np.isfinite(res.params))
    assert full_loss(res.params, data) <= full_loss(w0, data)
    assert "starting parameters" in res.message


def test_the_returned_params_are_the_best_on_the_full_objective_among_evaluated_ones():
    # defect 2: the best epoch was chosen by the loss averaged during the epoch (epoch 2 here,
    # whose end has a loss 47x that of epoch 1's end)
    data = regression()
    w0 = np.zeros(3)
    step = 1.2 * stable_step(data[0])
    calls = {"n": 0}

    def flaky(w, batch):  # a nan loss at the first batch of epoch 3
        calls["n"] += 1
        value, g = mse_vg(w, batch)
        return (np.nan if calls["n"] == 17 else value), g

    res = fit(mse, w0, data, sgd(step), 20, 8, value_and_grad=flaky, progress=False)
    assert res.status is Status.NON_FINITE and res.epochs == 2
    ends = [fit(mse, w0, data, sgd(step), k, 8, value_and_grad=mse_vg, progress=False).params
            for k in range(res.epochs + 1)]
    values = [full_loss(w, data) for w in ends]
    assert np.array_equal(res.params, ends[int(np.argmin(values))])
    assert f"epoch {int(np.argmin(values))}" in res.message


def test_a_diverging_run_ends_diverged_with_the_best_params():
    # defect 3: SGD at 1.5x the stable step grew to 5.6e38 and reported COMPLETED
    data = regression()
    w0 = np.zeros(3)
    res = fit(mse, w0, data, sgd(1.5 * stable_step(data[0])), 200, 64, value_and_grad=mse_vg,
              progress=False)
    assert res.status is Status.DIVERGED and not res.success
    assert "diverged" in res.message and "divergence=" in res.message
    assert res.epochs < 200 and np.all(np.isfinite(res.params))
    assert full_loss(res.params, data) <= full_loss(w0, data)
    assert max(res.history["loss"]) < 1e10  # stopped long before overflow
    # a stricter threshold stops sooner, None never stops for divergence
    strict = fit(mse, w0, data, sgd(1.5 * stable_step(data[0])), 200, 64,
                 value_and_grad=mse_vg, progress=False, divergence=10.0)
    assert strict.status is Status.DIVERGED and strict.epochs < res.epochs
    off = fit(mse, w0, data, sgd(1.5 * stable_step(data[0])), 30, 64, value_and_grad=mse_vg,
              progress=False, divergence=None)
    assert off.status is Status.SUCCESS and off.epochs == 30


def test_a_converging_run_is_not_taken_for_a_diverging_one():
    data = regression()
    res = fit(mse, np.zeros(3), data, sgd(0.05), 100, 4,
              value_and_grad=mse_vg, progress=False, divergence=2.0)
    assert res.status is Status.SUCCESS and res.epochs == 100


@pytest.mark.parametrize("bad, kind", [(1.0, ValueError), (0.5, ValueError),
                                       (np.nan, ValueError), ("big", TypeError)])
def test_a_bad_divergence_threshold_names_the_argument_and_the_fix(bad, kind):
    with pytest.raises(kind, match=r"divergence.*(pass|None)"):
        fit(mse, np.zeros(3), regression(), sgd(0.01), 1, 8, divergence=bad, progress=False)


def test_validation_features_without_targets_is_a_clear_error():
    # defect 5: validation=X_val computed a meaningless val_loss that drove early stopping
    X, y = regression()
    with pytest.raises(ValueError, match=r"validation.*structure.*\(X_val, y_val\)"):
        fit(mse, np.zeros(3), (X, y), sgd(0.01), 2, 8, validation=X[:10],
            value_and_grad=mse_vg, progress=False)
    with pytest.raises(ValueError, match=r"validation"):
        fit(mse, np.zeros(3), (X, y), sgd(0.01), 2, 8, validation=(X[:10],),
            value_and_grad=mse_vg, progress=False)
    # a list where data is a tuple is the same layout and stays accepted
    res = fit(mse, np.zeros(3), (X, y), sgd(0.01), 2, 8, validation=[X[:10], y[:10]],
              value_and_grad=mse_vg, progress=False)
    assert "val_loss" in res.history


def test_apply_if_finite_around_nesterov_trains():
    # defect 10: the guard hid that nesterov wants a gradient function -> TypeError in fit
    data = regression()
    guarded = fit(mse, np.zeros(3), data, apply_if_finite(nesterov(0.05)), 5, 8,
                  value_and_grad=mse_vg, progress=False)
    plain = fit(mse, np.zeros(3), data, nesterov(0.05), 5, 8, value_and_grad=mse_vg,
                progress=False)
    assert guarded.status is Status.SUCCESS
    assert np.array_equal(guarded.params, plain.params)


def test_the_fallback_survives_a_checkpoint_resume(tmp_path):
    data = regression()
    step = 1.5 * stable_step(data[0])
    kw = dict(value_and_grad=mse_vg, progress=False)
    whole = fit(mse, np.zeros(3), data, sgd(step), 200, 64, **kw)
    ck = tmp_path / "run.npz"
    fit(mse, np.zeros(3), data, sgd(step), 2, 64, checkpoint=ck, **kw)
    resumed = fit(mse, np.zeros(3), data, sgd(step), 200, 64, resume=ck, **kw)
    assert resumed.status is whole.status is Status.DIVERGED
    assert resumed.message == whole.message and resumed.epochs == whole.epochs
    assert np.array_equal(resumed.params, whole.params)
