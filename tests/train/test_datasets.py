"""Real data bundled with scikit-learn: loaders, a match with sklearn's optimum, an MLP."""

import numpy as np
import pytest

from steepest import minimize
from steepest.optimizers import adam
from steepest.train import FiniteSum, datasets, fit
from steepest.train.models import MLP, LogisticRegression
from steepest.tree import ravel_pytree

sklearn = pytest.importorskip("sklearn")


@pytest.mark.parametrize("name,shape,k", [
    ("breast_cancer", (569, 30), 2), ("digits", (1797, 64), 10),
    ("iris", (150, 4), 3), ("wine", (178, 13), 3),
])
def test_loaders_split_stratified_and_standardise_on_train(name, shape, k):
    ds = datasets.load_dataset(name, validation=0.2, seed=3)
    n = len(ds.y_train) + len(ds.y_val)
    assert n == shape[0] and ds.n_features == shape[1] and ds.n_classes == k
    assert len(ds.y_val) == pytest.approx(0.2 * n, abs=k)
    for c in range(k):  # each class keeps its share in the validation part
        share = np.mean(np.concatenate([ds.y_train, ds.y_val]) == c)
        assert np.mean(ds.y_val == c) == pytest.approx(share, abs=0.03)
    assert np.allclose(ds.X_train.mean(axis=0), 0, atol=1e-12)
    std = ds.X_train.std(axis=0)
    assert np.allclose(std[std > 0], 1, atol=1e-12)
    again = datasets.load_dataset(name, validation=0.2, seed=3)
    assert np.array_equal(again.X_val, ds.X_val)
    other = datasets.load_dataset(name, validation=0.2, seed=4)
    assert not np.array_equal(other.y_val, ds.y_val) or not np.array_equal(other.X_val, ds.X_val)
    raw = datasets.load_dataset(name, standardize=False, validation=0.0)
    assert raw.X_val.shape == (0, shape[1])
    assert np.allclose(np.sort(raw.X_train, axis=0)[:, 0],
                       np.sort(getattr(sklearn.datasets, datasets.DATASETS[name])().data[:, 0]))


def test_loader_rejects_bad_arguments():
    with pytest.raises(ValueError, match="choose one of"):
        datasets.load_dataset("mnist")
    with pytest.raises(ValueError, match="fraction"):
        datasets.load_dataset("iris", validation=1.0)


@pytest.mark.parametrize("gradient", ["autodiff", "hand-written"])
@pytest.mark.parametrize("C", [1.0, 0.05])
def test_logistic_regression_matches_sklearn_lbfgs_optimum(C, gradient):
    """sklearn minimises C·Σᵢ logloss_i + ½‖w‖²; dividing by n·C gives our
    mean(logloss) + (λ/2)‖w‖² with λ = 1/(n·C): the same minimiser, intercept unpenalised."""
    from sklearn.linear_model import LogisticRegression as SkLogistic

    X, y = datasets.load_dataset("breast_cancer", seed=0).train
    model = LogisticRegression(X.shape[1], l2=1.0 / (len(y) * C))
    objective = FiniteSum(model.loss, (X, y), value_and_grad=model.value_and_grad)
    opts = {"gtol": 1e-9, "ftol": 1e-15, "maxiter": 2000}
    if gradient == "autodiff":  # minimize differentiates C(θ) itself
        res = minimize(objective.value, model.init(), method="lbfgs", options=opts)
    else:
        res = minimize(objective.value_and_grad, model.init(), method="lbfgs", jac=True,
                       options=opts)
    assert res.success
    ours = res.x
    ref = SkLogistic(C=C, solver="lbfgs", tol=1e-12, max_iter=10_000).fit(X, y)
    theirs = {"w": ref.coef_[0], "b": np.array(ref.intercept_[0])}
    assert abs(objective.value(ours) - objective.value(theirs)) < 1e-6
    assert objective.value(ours) <= objective.value(theirs) + 1e-12
    assert np.abs(ravel_pytree(objective.grad(ours))[0]).max() < 1e-8
    assert np.allclose(ours["w"], theirs["w"], atol=1e-4)


@pytest.mark.parametrize("gradient", ["autodiff", "hand-written"])
def test_mlp_on_digits_reaches_95_percent_validation_accuracy(gradient):
    ds = datasets.load_dataset("digits", seed=0)
    net = MLP([64, 32, 10], activation="tanh")
    vg = net.value_and_grad if gradient == "hand-written" else None
    res = fit(net.loss, net.init(seed=0), ds.train, adam(1e-2), epochs=10, batch_size=32,
              validation=ds.validation, metrics={"accuracy": net.accuracy},
              value_and_grad=vg, progress=False)
    assert res.history["val_accuracy"][res.best_epoch - 1] >= 0.95
    assert net.accuracy(res.best_params, ds.validation) >= 0.95
    assert res.history["loss"][-1] < 0.2 * res.history["loss"][0]
