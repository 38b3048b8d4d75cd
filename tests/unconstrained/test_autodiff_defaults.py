"""jac=None / hess=None use steepest.autodiff on plain-NumPy objectives."""

import numpy as np
import pytest

from steepest import maximize, minimize


def rosen(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


@pytest.mark.parametrize("method", ["gd", "cg", "bfgs", "lbfgs", "newton", "newton-cg",
                                    "trust-newton"])
def test_every_method_with_autodiff(method):
    fun = rosen if method != "gd" else (lambda x: np.sum((x - 1.0) ** 2 * (1.0 + x ** 2)))
    res = minimize(fun, np.array([-1.2, 1.0, -1.2, 1.0]), method=method,
                   options={"gtol": 1e-6})
    assert res.success, res.message
    np.testing.assert_allclose(res.x, 1.0, atol=1e-5)
    assert res.certificate.kind == "minimum" and res.certificate.hessian_source == "autodiff"


def test_autodiff_on_pytree_parameters():
    X = np.random.default_rng(0).standard_normal((30, 3))
    w_true = np.array([1.0, -2.0, 0.5])
    y = X @ w_true + 0.3

    def loss(p):
        r = X @ p["w"] + p["b"] - y
        return 0.5 * np.mean(r * r)

    res = minimize(loss, {"w": np.zeros(3), "b": np.array(0.0)}, method="lbfgs",
                   options={"ftol": None, "gtol": 1e-10})
    assert res.success
    np.testing.assert_allclose(res.x["w"], w_true, atol=1e-6)
    np.testing.assert_allclose(res.x["b"], 0.3, atol=1e-6)


def test_maximize_with_autodiff_certifies_maximum():
    res = maximize(lambda z: -np.sum((z - 2.0) ** 2) + np.sin(z[0]) * 0.1, np.zeros(2))
    assert res.success and res.certificate.kind == "maximum"


@pytest.mark.parametrize("method", ["newton", "newton-cg", "trust-newton"])
def test_second_order_autodiff_on_pytree(method):
    def f(p):
        b1 = p["b"] + 1
        return np.sum((p["w"] - 3.0) ** 2 * (1 + p["w"] ** 2)) + b1 ** 4 + b1 ** 2

    res = minimize(f, {"w": np.zeros((2, 2)), "b": 0.0}, method=method)
    assert res.success and res.certificate.kind == "minimum"
    np.testing.assert_allclose(res.x["w"], 0.5, atol=1e-6)  # the local minimum nearest 0
    assert res.x["b"] == pytest.approx(-1.0, abs=1e-6)
