import numpy as np
import pytest

from steepest.train.models import (
    MLP,
    LinearRegression,
    LogisticRegression,
    SoftmaxRegression,
    glorot_uniform,
    he_normal,
    one_hot,
)
from steepest.tree import ravel_pytree


def central_difference_gradient(f, params, h=1e-6):
    flat, unravel = ravel_pytree(params)
    out = np.empty_like(flat)
    for i in range(flat.size):
        e = np.zeros_like(flat)
        e[i] = h
        out[i] = (f(unravel(flat + e)) - f(unravel(flat - e))) / (2 * h)
    return out


def _data(n=20, d=4, k=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    return X, rng.integers(0, k, size=n), rng.normal(size=n), rng


def _random_params(model, rng):
    p = model.init(seed=1)
    flat, unravel = ravel_pytree(p)
    return unravel(flat + 0.3 * rng.normal(size=flat.size))


CASES = {
    "linear": lambda: (LinearRegression(4, l2=0.1), "real"),
    "logistic": lambda: (LogisticRegression(4, l2=0.1), "binary"),
    "softmax": lambda: (SoftmaxRegression(4, n_classes=3, l2=0.1), "classes"),
    "mlp-tanh": lambda: (MLP([4, 6, 5, 3], "tanh", l2=0.01), "classes"),
    "mlp-relu": lambda: (MLP([4, 7, 3], "relu"), "classes"),
    "mlp-sigmoid": lambda: (MLP([4, 5, 3], "sigmoid", init_method="he"), "classes"),
    "mlp-binary": lambda: (MLP([4, 5, 1], "tanh", output="sigmoid"), "binary"),
    "mlp-regression": lambda: (MLP([4, 5, 1], "relu", output="linear", l2=0.05), "real"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hand_written_gradient_matches_finite_differences(name):
    model, kind = CASES[name]()
    X, labels, yreal, rng = _data()
    y = {"real": yreal, "binary": labels % 2, "classes": labels}[kind]
    params = _random_params(model, rng)
    value, grads = model.value_and_grad(params, (X, y))
    assert value == pytest.approx(float(model.loss(params, (X, y))), rel=1e-13)
    fd = central_difference_gradient(lambda p: model.loss(p, (X, y)), params)
    flat_g, _ = ravel_pytree(grads)
    assert np.allclose(flat_g, fd, rtol=1e-6, atol=1e-8)


def test_losses_are_stable_for_huge_scores():
    X = np.array([[1.0], [1.0]])
    logistic = LogisticRegression(1)
    p = {"w": np.array([800.0]), "b": np.array(0.0)}
    # y = 0 with score 800: loss log(1 + e^800) = 800 (the naive formula overflows to inf)
    assert float(logistic.loss(p, (X, np.array([0, 0])))) == pytest.approx(800.0)
    assert float(logistic.loss(p, (X, np.array([1, 1])))) == pytest.approx(0.0, abs=1e-300)
    soft = SoftmaxRegression(1, n_classes=2)
    ps = {"w": np.array([[1000.0, -1000.0]]), "b": np.zeros(2)}
    value, g = soft.value_and_grad(ps, (X, np.array([1, 1])))
    assert value == pytest.approx(2000.0) and np.all(np.isfinite(g["w"]))


def test_initialisation_is_seeded_with_the_right_scale():
    rng = np.random.default_rng(0)
    W = glorot_uniform(rng, 200, 300)
    a = np.sqrt(6 / 500)
    assert np.abs(W).max() <= a and W.var() == pytest.approx(a * a / 3, rel=0.02)
    H = he_normal(rng, 400, 300)
    assert H.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    net = MLP([10, 20, 3], activation="relu")
    p1, p2, p3 = net.init(seed=5), net.init(seed=5), net.init(seed=6)
    assert all(np.array_equal(a["W"], b["W"]) for a, b in zip(p1, p2))
    assert not np.array_equal(p1[0]["W"], p3[0]["W"])
    assert p1[0]["W"].std() == pytest.approx(np.sqrt(2 / 10), rel=0.15)  # He for ReLU
    assert all(np.all(layer["b"] == 0) for layer in p1)


def test_float32_parameters_stay_float32():
    net = MLP([4, 5, 3], dtype=np.float32)
    X, y, _, _ = _data()
    p = net.init(0)
    value, grads = net.value_and_grad(p, (X.astype(np.float32), y))
    assert all(layer["W"].dtype == np.float32 for layer in p)
    assert all(g["W"].dtype == np.float32 and g["b"].dtype == np.float32 for g in grads)


def test_predictions_and_metrics():
    X, y, _, _ = _data(k=3)
    soft = SoftmaxRegression(4, n_classes=3)
    W = np.zeros((4, 3))
    p = {"w": W, "b": np.array([0.0, 5.0, 0.0])}
    assert np.all(soft.predict(p, X) == 1)
    assert soft.accuracy(p, (X, y)) == pytest.approx(np.mean(y == 1))
    assert soft.error_rate(p, (X, y)) == pytest.approx(1 - np.mean(y == 1))
    assert np.array_equal(one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])


@pytest.mark.parametrize(
    "kwargs,match",
    [({"sizes": [3]}, "sizes"), ({"sizes": [3, 2], "activation": "gelu"}, "activation"),
     ({"sizes": [3, 2], "output": "poisson"}, "output"),
     ({"sizes": [3, 2], "output": "sigmoid"}, "one output"),
     ({"sizes": [3, 2], "init_method": "zeros"}, "init_method")],
)
def test_bad_model_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MLP(**kwargs)


def test_bad_labels_raise():
    with pytest.raises(ValueError, match="labels"):
        one_hot(np.array([0, 3]), 3)
    with pytest.raises(TypeError, match="pair"):
        LinearRegression(2).loss({"w": np.zeros(2), "b": 0.0}, np.zeros((3, 2)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_autodiff_gradient_of_the_numpy_loss_matches_the_hand_written_one(name):
    from steepest.autodiff import value_and_grad

    model, kind = CASES[name]()
    X, labels, yreal, rng = _data(seed=5)
    y = {"real": yreal, "binary": labels % 2, "classes": labels}[kind]
    params = _random_params(model, rng)
    value, grads = value_and_grad(model.loss)(params, (X, y))
    ref_value, ref_grads = model.value_and_grad(params, (X, y))
    assert float(value) == pytest.approx(float(ref_value), rel=1e-14)
    assert np.allclose(ravel_pytree(grads)[0], ravel_pytree(ref_grads)[0], rtol=1e-11,
                       atol=1e-14)


def test_autodiff_hessian_of_the_logistic_loss_is_the_textbook_one():
    from steepest.autodiff import hessian

    X, labels, _, rng = _data(n=30, d=3, seed=2)
    y = labels % 2
    model = LogisticRegression(3, l2=0.2)
    params = _random_params(model, rng)
    flat0 = np.concatenate([[params["b"]], params["w"]])
    H = hessian(lambda f: model.loss({"b": f[0], "w": f[1:]}, (X, y)))(flat0)
    s = 1.0 / (1.0 + np.exp(-(X @ params["w"] + params["b"])))
    Xt = np.hstack([np.ones((30, 1)), X])
    ref = Xt.T @ (Xt * (s * (1 - s))[:, None]) / 30 + 0.2 * np.diag([0.0, 1.0, 1.0, 1.0])
    assert np.allclose(H, ref, rtol=1e-10, atol=1e-13)
